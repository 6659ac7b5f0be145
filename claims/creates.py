"""Creating claims: one, or several in one unit of work (PostgreSQL's group commit).

Every request is checked by the same rules and, with an Idempotency-Key, runs once per key,
whether it goes alone or with others: a request that is refused writes nothing (its key
included) and does not stop the rest. Together they cost the database a few statements for
all of them (``insert_keys``, ``insert_claims``, ``insert_changes``, ``finish_keys``) instead
of a few each (``api/groups.py``; docs/design.md, "Group commit").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from claims import history, idempotency, quotes, refs, storage
from claims.clock import now
from claims.errors import ClaimsError, DuplicateSlug, FieldError, RequestInProgress, only
from claims.events import new_event
from claims.models import Actor, ClaimCreate, EventKind
from claims.services import Written, check_not_future, check_references, check_window
from claims.status import Status, ensure_claim_writer

OPERATION = "create_claim"  # the operation an Idempotency-Key of a create belongs to


@dataclass(frozen=True)
class CreateRequest:
    """One request to create a claim: what, by whom, under which Idempotency-Key."""

    data: ClaimCreate
    actor: Actor
    idempotency_key: str | None = None
    today: date | None = None
    """The day in the newsroom's time zone: ``stated_on`` when the request gives none, and the
    latest it may be (give or take a day: ``services.check_not_future``)."""


@dataclass(frozen=True)
class NewClaim:
    """One claim to create inside the caller's unit of work (``create_claims_in``).

    ``next_free_slug``: a slug that is taken becomes the first free ``slug-2``, ``slug-3``…
    (extraction proposes slugs; people choose them). ``note`` becomes the ``created`` event's
    note (the seeds say there where words were said).
    """

    data: ClaimCreate
    actor: Actor
    next_free_slug: bool = False
    note: str | None = None
    today: date | None = None


class _RunAlone(Exception):
    """A group that must be written one request at a time (two requests share a key)."""


def create_claim(
    session: Session, data: ClaimCreate, *, actor: Actor, idempotency_key: str | None = None
) -> Written:
    """Create a pending claim and its ``created`` event (once per Idempotency-Key).

    Raises Forbidden, DuplicateSlug, InvalidInput (unknown source or condition claim, a due
    window that ends before it starts or before the claim was stated, a ``stated_on`` in the
    future; a malformed key, or one reused with another body), RequestInProgress.
    """
    return only(create_claims(session, [CreateRequest(data, actor, idempotency_key)]))


def create_claims(
    session: Session, requests: Sequence[CreateRequest]
) -> list[Written | ClaimsError]:
    """``create_claim`` for each request, in one unit of work: for each, in order, what it
    wrote (or, for a key seen before, the first request's claim, ``replayed``), or the error
    that refused it having written nothing.

    Raises when the unit of work fails as a whole, having written nothing; a group whose
    requests share an Idempotency-Key, or whose key was purged while it was being looked at, is
    refused that way, to be written one by one.
    """
    outcomes: list[Written | ClaimsError | None] = [None] * len(requests)
    for i, request in enumerate(requests):
        try:
            ensure_claim_writer(request.actor.role, "add claims")
            if request.idempotency_key is not None:
                idempotency.check_key(request.idempotency_key)
        except ClaimsError as exc:
            outcomes[i] = exc
    todo = [i for i, outcome in enumerate(outcomes) if outcome is None]
    keys = [(requests[i].actor.name, requests[i].idempotency_key) for i in todo]
    keyed = [key for key in keys if key[1] is not None]
    if len(set(keyed)) < len(keyed):
        raise _RunAlone("two requests of one group share an Idempotency-Key")
    if not todo:
        return outcomes  # type: ignore[return-value]
    for _attempt in range(idempotency.LOOKS):
        try:
            with storage.transaction(session):
                return _create(session, requests, todo, list(outcomes))
        except idempotency.KeyTaken:
            continue
    if len(todo) > 1:
        # Alone, only the request whose key keeps vanishing is answered 409.
        raise _RunAlone("an Idempotency-Key of the group kept vanishing")
    busy = "a request with this Idempotency-Key is still being processed; retry later"
    return [RequestInProgress(busy) if i in todo else outcomes[i] for i in range(len(requests))]  # type: ignore[misc]


def _create(
    session: Session,
    requests: Sequence[CreateRequest],
    todo: list[int],
    outcomes: list[Written | ClaimsError | None],
) -> list[Written | ClaimsError]:
    keyed = [i for i in todo if requests[i].idempotency_key is not None]
    asks = [
        (requests[i].actor, requests[i].idempotency_key, idempotency.request_hash(requests[i].data))
        for i in keyed
    ]
    fresh = set(todo)
    for i, taken in zip(keyed, idempotency.take_keys(session, OPERATION, asks), strict=True):  # type: ignore[arg-type]
        if taken is None:
            continue
        fresh.discard(i)
        if isinstance(taken, idempotency.Replay):
            outcomes[i] = Written(storage.record_row(storage.claim_t, taken.body), None, True)
        else:
            outcomes[i] = taken
    order = [i for i in todo if i in fresh]
    made = create_claims_in(
        session,
        [NewClaim(requests[i].data, requests[i].actor, today=requests[i].today) for i in order],
    )
    finished = []
    for i, outcome in zip(order, made, strict=True):
        outcomes[i] = outcome
        key = requests[i].idempotency_key
        if key is None:
            continue
        if isinstance(outcome, Written):
            finished.append((requests[i].actor, key, outcome.claim))
        else:
            # Refused after its key was recorded: the key goes, as the request's transaction
            # would have gone alone.
            storage.forget_key(session, requests[i].actor.name, OPERATION, key)
    idempotency.finish_keys(session, OPERATION, finished)
    return outcomes  # type: ignore[return-value]


def create_claim_in(
    session: Session,
    data: ClaimCreate,
    *,
    actor: Actor,
    next_free_slug: bool = False,
    note: str | None = None,
    today: date | None = None,
) -> Written:
    """Create a claim inside the caller's open transaction (seeding loads many in one).

    Raises DuplicateSlug (unless ``next_free_slug``), InvalidInput.
    """
    return only(create_claims_in(session, [NewClaim(data, actor, next_free_slug, note, today)]))


def create_claims_in(session: Session, claims: Sequence[NewClaim]) -> list[Written | ClaimsError]:
    """Create each claim inside the caller's open transaction, with its ``created`` event and
    its count in the tally: for each, in order, what it wrote, or the error that refused it
    (DuplicateSlug, InvalidInput) having written nothing."""
    outcomes: list[Written | ClaimsError | None] = [None] * len(claims)
    planned: list[tuple[int, dict[str, Any], bool]] = []
    for i, new in enumerate(claims):
        try:
            planned.append((i, *_values(session, new)))
        except ClaimsError as exc:
            outcomes[i] = exc
    inserted = storage.insert_claims(session, [values for _, values, _ in planned])
    changes = []
    for (i, values, may_choose), done in zip(planned, inserted, strict=True):
        if done is None and may_choose:
            # A slug that looked free can be taken by another process's create before this
            # insert (it then inserts nothing): take the next one, never refuse a derived slug.
            for slug in refs.free_slugs(session, values["slug"]):
                values["slug"] = slug
                [done] = storage.insert_claims(session, [values])
                if done is not None:
                    break
        if done is None:
            taken = f"the slug {values['slug']!r} is taken"
            outcomes[i] = DuplicateSlug(taken, [FieldError("slug", "is already taken")])
            continue
        claim, seq = done
        event = new_event(
            session,
            claim.id,
            EventKind.CREATED,
            actor=claims[i].actor,
            at=values["created_at"],
            status=Status.PENDING,
            version=1,
            changes=history.snapshot(values),  # every field as created: verify replays from it
            note=claims[i].note,
            seq=seq,
        )
        changes.append(storage.Change(claim.id, event, topics=values.get("topics") or []))
        # Counted when the unit commits, not now: a unit that creates many claims (seeding, an
        # extraction applied) would hold the shared tally rows' locks from its first create.
        storage.tally(session, claim.id, Status.PENDING.value, values.get("due_by"), +1)
        outcomes[i] = Written(claim, event["seq"])
    if changes:
        storage.insert_changes(session, changes)
    return outcomes  # type: ignore[return-value]


def _values(session: Session, new: NewClaim) -> tuple[dict[str, Any], bool]:
    """The new claim's row, checked (Raises InvalidInput), and whether it may take the next
    free slug."""
    data = new.data
    check_not_future({"stated_on": data.stated_on}, new.today)
    values = data.model_dump(mode="python", exclude={"slug"})
    quotes.settle_new(values)
    source = check_references(session, values, claim_id=None)
    if values["stated_on"] is None:
        values["stated_on"] = (
            source.published_on
            if source is not None and source.published_on
            # the newsroom's day, not UTC's: an evening create west of UTC is still today
            else new.today or now().date()
        )
    check_window(values)
    at = now()
    values.update(
        # The slug asked for, or the one made of the statement: tried first (it is usually
        # free), then, if the caller may take another, the first free one after it.
        slug=data.slug or refs.slugify(data.statement),
        certainty=str(values["certainty"]),
        status=Status.PENDING.value,
        version=1,
        created_at=at,
        updated_at=at,
        status_changed_at=at,
    )
    return values, data.slug is None or new.next_free_slug
