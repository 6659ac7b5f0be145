"""Use the extractor: the reviewable draft of an article, and its proposals saved as claims.

``draft_for`` is the ``POST /v1/extract`` use case: it proposes and saves nothing. Both it and
``propose`` (``claims extract``) run the extractor in a worker process under the time limit
(:mod:`.workers`).
``apply_proposals`` is ``claims extract --apply``: it creates the proposals as ``pending`` claims
of one source, in one transaction, through ``creates.create_claim_in``, and skips the ones the
database already holds, so a second run creates nothing:

- a proposal is *held* when a claim that existed before the run, of the same source, quotes the
  same passage — its quote equals, contains or lies within the proposal's (whitespace aside) —
  or has the proposal's slug; or when the claim with the proposal's slug, of any source, quotes
  the same passage. A hand-curated claim quoting a whole sentence (``claims seed``) therefore
  holds every proposal cut from that sentence;
- a proposal whose slug belongs to an unrelated claim is created under the next free slug
  (``…-2``) rather than dropped;
- proposals without a named claimant are created with the claimant ``unattributed``, for the
  reviewer to correct (they stay visible: dropping them would lose real claims);
- the source is found by URL (else, without a URL, by title: ``storage.find_source_by``) and
  created, with the article's text, only when a claim is created for it.

The claims are written by ``EXTRACT_ACTOR`` (name ``extract``, role reviewer), so their history
says they came from the extractor. Nothing here knows about HTTP or the command line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from claims import actors, creates, services, sources, storage
from claims.errors import FieldError, InvalidInput
from claims.models import (
    Actor,
    ClaimCreate,
    ExtractRequest,
    IntakeCheck,
    SourceCreate,
    error_message,
)
from claims.status import CLAIM_WRITER, ensure_role

from .proposals import Proposal, draft
from .workers import ExtractionPool

EXTRACT_ACTOR = actors.EXTRACT
UNTITLED = "Untitled article"
_CLAIM_FIELDS = set(ClaimCreate.model_fields) & set(Proposal.model_fields)


class DraftSource(BaseModel):
    """The source the proposals would be attached to."""

    title: str
    url: str | None
    published_on: date


class Draft(BaseModel):
    """The reviewable draft: the source and its proposed claims (nothing saved)."""

    source: DraftSource
    claims: list[Proposal]


def source_of(request: ExtractRequest, *, today: date | None = None) -> SourceCreate:
    """Return the article's source: the request's title, else the article's first line.

    Raises InvalidInput when the article's ``published_on`` comes after ``today`` (the
    newsroom's day): its claims would be stated in the future.
    """
    services.check_not_future({"published_on": request.published_on}, today)
    title = request.title or _first_line(request.text)[:300].strip() or UNTITLED
    return SourceCreate(
        title=title, url=request.url, published_on=request.published_on, text=request.text
    )


def propose(request: ExtractRequest, *, timeout: float) -> list[Proposal]:
    """Run the extractor on the article of a request in a worker process, for at most
    ``timeout`` seconds (``claims extract``). Raises ExtractTimeout."""
    with ExtractionPool(1, timeout=timeout) as pool:
        return pool.propose(request)


def draft_of(proposals: list[Proposal], source: SourceCreate) -> dict[str, Any]:
    """Return the JSON-ready draft of ``proposals`` from ``source``."""
    assert source.published_on is not None
    return draft(proposals, published_on=source.published_on, title=source.title, url=source.url)


async def draft_for(
    request: ExtractRequest, *, actor: Actor, pool: ExtractionPool, today: date | None = None
) -> dict[str, Any]:
    """Return the reviewable draft of an article, extracted in one of ``pool``'s workers under
    its time limit; nothing is saved. Raises Forbidden, InvalidInput (published after
    ``today``), ExtractTimeout, ExtractorBusy."""
    ensure_role(actor.role, CLAIM_WRITER, "extract claims")
    source = source_of(request, today=today)
    return draft_of(await pool.propose_async(request), source)


def held_passages(session: Session, check: IntakeCheck, *, actor: Actor) -> dict[str, Any]:
    """Say which proposals of an article the tracker already holds (as ``apply_proposals``
    would skip them), and the article's source id when it is recorded: ``{"source_id",
    "held": [bool, ...]}``. Saves nothing. Raises Forbidden (reviewers and editors only)."""
    ensure_role(actor.role, CLAIM_WRITER, "check proposals")
    found = storage.find_source_by(session, title=check.title, url=check.url)
    source_id = found.id if found is not None else None
    quotes = [] if source_id is None else storage.quotes_of_source(session, source_id)
    before = [_words(q) for q in quotes]
    held = [
        _held(session, p.slug, _words(p.quote), source_id, before, set()) for p in check.proposals
    ]
    return {"source_id": source_id, "held": held}


def apply_proposals(
    session: Session,
    proposals: list[Proposal],
    *,
    source: SourceCreate,
    today: date | None = None,
) -> tuple[int, int]:
    """Create the proposals not yet held as pending claims of ``source``, in one transaction.

    Return ``(created, skipped)``. Raises InvalidInput naming the proposal when one is not a
    valid claim, or naming the date published or stated after ``today`` (the newsroom's day)
    (then nothing is written).
    """
    claims = [_claim_of(p) for p in proposals]  # all checked before anything is written
    created = skipped = 0
    with storage.transaction(session):
        found = storage.find_source_by(session, title=source.title, url=source.url)
        source_id = found.id if found is not None else None
        quotes = [] if source_id is None else storage.quotes_of_source(session, source_id)
        # Only claims from before the run count: one sentence may yield a claim nested in
        # another ("a meeting … before Xi's expected visit …" and "Xi's expected visit …").
        before = [_words(q) for q in quotes]
        made: set[str] = set()
        for data in claims:
            assert data.slug is not None
            assert data.quote is not None
            if _held(session, data.slug, _words(data.quote), source_id, before, made):
                skipped += 1
                continue
            if source_id is None:
                source_id = sources.add_source_in(
                    session, source, actor=EXTRACT_ACTOR, today=today
                ).id
            written = creates.create_claim_in(
                session,
                data.model_copy(update={"source_id": source_id}),
                actor=EXTRACT_ACTOR,
                next_free_slug=True,
                today=today,
            )
            made.add(written.claim.slug)
            created += 1
    return created, skipped


def _claim_of(proposal: Proposal) -> ClaimCreate:
    try:
        return ClaimCreate.model_validate(proposal.model_dump(include=_CLAIM_FIELDS))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(value)"
        raise InvalidInput(
            f"the proposal {proposal.slug!r} is not a valid claim ({where}: {error_message(err)}); "
            "nothing was written",
            [FieldError(where, error_message(err))],
        ) from exc


def _held(
    session: Session,
    slug: str,
    quote: str,
    source_id: int | None,
    before: list[str],
    made: set[str],
) -> bool:
    if any(_same_passage(quote, other) for other in before):
        return True
    row = None if slug in made else storage.find_claim(session, slug)
    if row is None:
        return False  # free, or taken by a claim of this very run (its slug moved to "-2")
    same_source = source_id is not None and row.source_id == source_id
    return same_source or (row.quote is not None and _same_passage(quote, _words(row.quote)))


def _same_passage(a: str, b: str) -> bool:
    return bool(a and b) and (a in b or b in a)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
