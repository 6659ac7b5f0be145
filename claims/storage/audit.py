"""The reads of ``claims verify``: each claim with its events and evidence, strays, the seqs.

Every read streams (``yield_per``), inside the one snapshot the caller opened
(``storage.snapshot``), so a database being written to is checked as of one moment, and
memory holds one claim's history at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Row

from claims.storage.bulk import STREAM_BATCH, stream_claims, stream_events, stream_evidence
from claims.storage.tables import claim_t, event_t, evidence_t

ClaimHistory = tuple[Row, list[Row], list[Row]]
"""A claim row, its events by seq, its evidence rows by id."""


def claim_histories(conn: sa.Connection) -> Iterator[ClaimHistory]:
    """Yield every claim, by id, with its events and evidence rows (a merge of three cursors)."""
    events = _ByClaim(stream_events(conn))
    evidence = _ByClaim(stream_evidence(conn))
    for claim in stream_claims(conn):
        yield claim, events.take(claim.id), evidence.take(claim.id)


class _ByClaim:
    """Rows ordered by ``claim_id``, taken one claim at a time (rows of no claim are skipped:
    ``first_orphan_event`` and ``first_stray_evidence`` find those)."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self._rows = rows
        self._next: Row | None = next(rows, None)

    def take(self, claim_id: int) -> list[Row]:
        taken = []
        while self._next is not None and self._next.claim_id <= claim_id:
            if self._next.claim_id == claim_id:
                taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def first_orphan_event(conn: sa.Connection) -> Row | None:
    """The first event (by seq) whose claim does not exist, or None."""
    claims = sa.select(claim_t.c.id)
    return conn.execute(
        sa.select(event_t).where(event_t.c.claim_id.not_in(claims)).order_by(event_t.c.seq).limit(1)
    ).first()


def first_stray_evidence(conn: sa.Connection) -> Row | None:
    """The first evidence row (by id) whose claim or event does not exist, or None; its
    ``claim_exists`` column tells which."""
    claim_exists = evidence_t.c.claim_id.in_(sa.select(claim_t.c.id))
    event_exists = evidence_t.c.event_seq.in_(sa.select(event_t.c.seq))
    return conn.execute(
        sa.select(evidence_t, claim_exists.label("claim_exists"))
        .where(sa.or_(~claim_exists, ~event_exists))
        .order_by(evidence_t.c.id)
        .limit(1)
    ).first()


def event_seqs(conn: sa.Connection) -> Iterator[int]:
    """Every event's seq, ascending."""
    stmt = sa.select(event_t.c.seq).order_by(event_t.c.seq)
    for row in conn.execute(stmt, execution_options={"yield_per": STREAM_BATCH}):
        yield row.seq
