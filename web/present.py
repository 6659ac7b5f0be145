"""How the pages word things: status labels, deadlines ("in 12 days"), dates, what roles may do.

Pure functions of values the routes already fetched; no I/O and no rules of their own. What a
role may do comes from the workflow table in ``claims.status``, so the pages never offer a move
the API would refuse for that role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from claims.status import OPEN, VERDICTS, Role, Status, at_least, moves_from

STATUS_LABELS: dict[str, str] = {
    "pending": "Pending",
    "in_progress": "In progress",
    "stalled": "Stalled",
    "fulfilled": "Fulfilled",
    "partially_fulfilled": "Partially fulfilled",
    "broken": "Broken",
    "void": "Void",
}

STATUS_HINTS: dict[str, str] = {
    "pending": "Not yet rated: no movement reported.",
    "in_progress": "Measurable action has been reported.",
    "stalled": "No movement, or blocked.",
    "fulfilled": "Verdict: it happened as claimed.",
    "partially_fulfilled": "Verdict: substantially less than claimed, but real.",
    "broken": "Verdict: it did not happen by the deadline, or was contradicted.",
    "void": "Verdict: cannot be judged (condition never arose, withdrawn or superseded).",
}

# Board order: open states first, then verdicts.
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in Status)
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in STATUS_ORDER if s in OPEN)
VERDICT_STATUSES: tuple[str, ...] = tuple(s for s in STATUS_ORDER if s in VERDICTS)

CERTAINTY_LABELS: dict[str, str] = {
    "asserted": "Asserted (“will”)",
    "expected": "Expected (“expect”, “anticipate”, “going to”)",
    "possible": "Possible (“could”, “may”)",
    "conditional": "Conditional (stated under a condition)",
}

QUOTE_KIND_LABELS: dict[str, str] = {"direct": "Direct", "reported": "Reported"}
"""Short: the intake card's column is narrow; the form's hint says what each means."""

STANCE_LABELS: dict[str, str] = {
    "supports": "Supports",
    "refutes": "Refutes",
    "context": "Context",
}

KIND_LABELS: dict[str, str] = {
    "created": "Claim recorded",
    "edited": "Claim edited",
    "status_changed": "Status changed",
    "evidence_added": "Evidence added",
    "due_soon": "Deadline approaching",
    "overdue": "Deadline passed without a verdict",
}

SORT_LABELS: dict[str, str] = {
    "due_by": "Deadline, soonest first",
    "-due_by": "Deadline, latest first",
    "-updated_at": "Recently updated",
    "-status_changed_at": "Recent status changes",
    "-stated_on": "Newest claims",
}


def status_label(status: str) -> str:
    """Return a status's human label (``partially_fulfilled`` → ``Partially fulfilled``)."""
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def day(value: date | str | None) -> str:
    """Format a date as ``30 Oct 2025`` (empty for None)."""
    if value is None:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {d:%b %Y}"


def weekday(value: date | str | None) -> str:
    """Format a date as ``Thu 30 Oct 2025`` (empty for None)."""
    if value is None:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d:%a} {day(d)}"


def moment(value: str | datetime, zone: ZoneInfo) -> str:
    """Format a UTC timestamp in ``zone`` as ``26 Oct 2025, 14:03 UTC``."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(zone)
    return f"{day(local.date())}, {local:%H:%M} {local.tzname()}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass(frozen=True)
class Deadline:
    """A claim's deadline as the board shows it."""

    date: str  # "30 Oct 2025", or "" when open-ended
    iso: str | None  # for <time datetime>
    relative: str  # "in 12 days", "3 days overdue", "due today", "no deadline", …
    overdue: bool
    due_soon: bool


def deadline(claim: dict[str, Any], today: date) -> Deadline:
    """Describe a claim's deadline relative to ``today`` (the marks come from the claim)."""
    due_by = claim.get("due_by")
    overdue, due_soon = bool(claim.get("overdue")), bool(claim.get("due_soon"))
    if not due_by:
        return Deadline("", None, "no deadline", overdue, due_soon)
    days = (date.fromisoformat(due_by) - today).days
    if days > 1:
        relative = f"in {_days(days)}"
    elif days == 1:
        relative = "due tomorrow"
    elif days == 0:
        relative = "due today"
    elif claim.get("status") in OPEN:
        relative = f"{_days(-days)} overdue"
    else:
        relative = f"ended {_days(-days)} ago"
    return Deadline(day(due_by), due_by, relative, overdue, due_soon)


def window(claim: dict[str, Any]) -> str:
    """Return the due window in words (``Between 1 Jan and 16 Feb 2026``, ``By 30 Oct 2025``)."""
    due_from, due_by = claim.get("due_from"), claim.get("due_by")
    if due_from and due_by:
        return f"Between {day(due_from)} and {day(due_by)}"
    if due_by:
        return f"By {day(due_by)}"
    if due_from:
        return f"From {day(due_from)}, no end date"
    return "No deadline"


def topic_label(slug: str) -> str:
    """Return a topic slug in words (``rare-earths`` → ``rare earths``)."""
    return slug.replace("-", " ")


def field_label(name: str) -> str:
    """Return a claim field's name in words (``due_by`` → ``Due by``)."""
    return name.replace("_", " ").capitalize()


def value_text(value: Any) -> str:
    """Show an edited field's before or after value."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def offered(current: str) -> dict[str, dict[str, Any]]:
    """Return, per role, the status moves and evidence form offered on a claim in ``current``.

    Asked of ``claims.status.moves_from``, so the pages never offer a move the API would
    refuse for that role.
    """
    return {
        role.value: {
            "moves": [
                {
                    "status": target.value,
                    "label": status_label(target),
                    "verdict": target in VERDICTS,
                    "needs_evidence": rule.needs_evidence,
                    "correction": rule.correction,
                }
                for target, rule in moves_from(current, role)
            ],
            "evidence": at_least(role, Role.REVIEWER),
        }
        for role in Role
    }
