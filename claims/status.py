"""The status workflow: states, roles, and the one table that says who may move what where.

Pure rules, no I/O. ``ensure_move`` is the only gate a status change passes through, and
``ensure_edit`` the gate of an edit of a claim's fields; services call them inside their
transaction, after loading the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from claims.errors import FieldError, Forbidden, InvalidInput, SameStatus, with_article


class Status(StrEnum):
    """A claim's status (SPEC section 2)."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    BROKEN = "broken"
    VOID = "void"


class Role(StrEnum):
    """What a token may do; each role may do everything the one before it may."""

    VIEWER = "viewer"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


OPEN: Final = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.STALLED})
VERDICTS: Final = frozenset(
    {Status.FULFILLED, Status.PARTIALLY_FULFILLED, Status.BROKEN, Status.VOID}
)

_RANK: Final = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Rule:
    """What one kind of move needs: the least role, whether evidence is required, a correction."""

    min_role: Role
    needs_evidence: bool
    correction: bool


# The whole workflow in one table, keyed by (from a verdict?, to a verdict?). Every move needs
# a note. A verdict needs evidence; changing or reopening a verdict is a correction (editors).
RULES: Final[dict[tuple[bool, bool], Rule]] = {
    (False, False): Rule(Role.REVIEWER, needs_evidence=False, correction=False),
    (False, True): Rule(Role.EDITOR, needs_evidence=True, correction=False),
    (True, True): Rule(Role.EDITOR, needs_evidence=True, correction=True),
    (True, False): Rule(Role.EDITOR, needs_evidence=False, correction=True),
}


@dataclass(frozen=True)
class Move:
    """An allowed status change."""

    from_status: Status
    to_status: Status
    correction: bool


def at_least(role: Role, needed: Role) -> bool:
    """Tell whether ``role`` may do what ``needed`` may."""
    return _RANK[role] >= _RANK[needed]


CLAIM_WRITER: Final = Role.REVIEWER
"""The least role that writes to claims (creates, edits, status changes, evidence)."""


def ensure_claim_writer(role: Role, action: str = "write to claims") -> None:
    """Raise Forbidden unless ``role`` may write to claims. Checked as soon as the token is
    known, before the request's body (a viewer hears 403, not what its body lacked), and by
    each use case again for its callers outside HTTP."""
    ensure_role(role, CLAIM_WRITER, action)


def ensure_role(role: Role, needed: Role, action: str) -> None:
    """Raise Forbidden unless ``role`` may act as ``needed``."""
    if not at_least(role, needed):
        raise Forbidden(
            f"{with_article(role.value)} may not {action}; it needs the {needed.value} role"
        )


def rule_for(current: Status | str, target: Status | str) -> Rule:
    """Return what moving from ``current`` to ``target`` needs."""
    return RULES[(current in VERDICTS, target in VERDICTS)]


def moves_from(current: Status | str, role: Role) -> list[tuple[Status, Rule]]:
    """Return the moves ``role`` may make from ``current``, in status order, with their rules.

    What ``ensure_move`` would accept given a note (and, where the rule says so, evidence).
    """
    return [
        (target, rule_for(current, target))
        for target in Status
        if target != current and at_least(role, rule_for(current, target).min_role)
    ]


def ensure_move(
    current: Status, target: Status, role: Role, *, note: str | None, has_evidence: bool
) -> Move:
    """Check one status change and return it. Raises SameStatus, Forbidden, InvalidInput."""
    if current == target:
        raise SameStatus(
            f"the claim is already {target.value}",
            [FieldError("status", f"is already {target.value}")],
        )
    rule = rule_for(current, target)
    if not at_least(role, rule.min_role):
        what = "change or reopen a verdict" if rule.correction else f"set the verdict {target}"
        raise Forbidden(f"only editors may {what}; this token is a {role.value}")
    if not note or not note.strip():
        raise InvalidInput.on("note", "a note is required for every status change")
    if rule.needs_evidence and not has_evidence:
        raise InvalidInput.on("evidence", "a verdict needs at least one piece of evidence")
    return Move(current, target, rule.correction)


def ensure_edit(current: Status | str, role: Role, *, reason: str | None) -> bool:
    """Check that ``role`` may edit the fields of a claim in ``current``; return whether the
    edit is a correction. Raises Forbidden, InvalidInput.

    A claim that carries a verdict is what the verdict rates: changing its words (statement,
    criteria, due date…) changes what readers see under the editor's rating, so it is a
    correction like changing the verdict itself: editors only, with a reason, marked as such.
    """
    if current not in VERDICTS:
        return False
    if not at_least(role, Role.EDITOR):
        raise Forbidden(
            f"only editors may edit a claim that carries a verdict ({Status(current).value}): "
            f"the edit is a correction; this token is a {role.value}"
        )
    if not reason or not reason.strip():
        raise InvalidInput.on(
            "reason", "editing a claim that carries a verdict is a correction: say why"
        )
    return True


def is_overdue(status: Status | str, due_by: date | None, today: date) -> bool:
    """Tell whether a claim's deadline has passed while it is still open."""
    return due_by is not None and due_by < today and status in OPEN


def is_due_soon(status: Status | str, due_by: date | None, today: date, days: int) -> bool:
    """Tell whether an open claim is due within the next ``days`` days (today included)."""
    return due_by is not None and status in OPEN and 0 <= (due_by - today).days <= days
