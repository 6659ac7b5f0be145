"""The lossless export: every source, claim, history event and piece of evidence, as JSON Lines.

The export reads one snapshot of the database and streams it: a header, the sources, then each
claim followed by its events and its evidence (``claims.interop.records`` describes the
format). Three ordered cursors (claims, events by claim, evidence by claim) are merged as they
go, so memory stays flat for any number of claims. The output depends only on the data, never
on the time or the database it came from, so exporting an import gives back the same bytes.
Tokens are never exported. The header carries the history log's latest checkpoint (published
first if the log grew since the last one), so an import can check the events against it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy.engine import Engine, Row
from sqlmodel import Session

from claims import history, signing, storage, transparency
from claims.interop.records import FORMAT, VERSION, dumps, plain

Progress = Callable[[int, int], None]
"""Told ``(claims written, claims in all)`` now and then while an export runs."""

_PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the count of each kind of record and the last ``seq``."""

    counts: dict[str, int]
    seq: int


def export_database(
    engine: Engine,
    out: BinaryIO,
    *,
    progress: Progress | None = None,
    signer: signing.Signer | None = None,
) -> ExportSummary:
    """Write the whole database to ``out`` as JSON Lines, from one consistent snapshot; the
    header carries the history log's checkpoint, signed by ``signer`` when given."""
    with Session(engine) as session:
        transparency.current_checkpoint(session)  # publish one covering every event so far
    with storage.snapshot(engine) as conn:
        counts = storage.counts(conn)
        seq = storage.issued_seq(conn)  # no event in the snapshot lies above it
        header = {"format": FORMAT, "version": VERSION, "seq": seq, "counts": counts}
        # Events written after that checkpoint are in the snapshot too: it covers a prefix.
        checkpoint = transparency.latest_published(conn, at_most=counts["event"])
        if checkpoint is not None:
            header["checkpoint"] = checkpoint.public(signer)
        out.write(dumps(header))
        for row in storage.stream_sources(conn):
            out.write(dumps({"type": "source", "data": _plain_row(row)}))
        events = _Merge(storage.stream_events(conn))
        evidence = _Merge(storage.stream_evidence(conn))
        done = 0
        for claim in storage.stream_claims(conn):
            out.write(dumps({"type": "claim", "data": _plain_row(claim)}))
            for event in events.take(claim.id):
                out.write(dumps({"type": "event", "data": history.public_event(event)}))
            for item in evidence.take(claim.id):
                out.write(dumps({"type": "evidence", "data": _plain_row(item)}))
            done += 1
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(done, counts["claim"])
        if progress is not None:
            progress(done, counts["claim"])
    return ExportSummary(counts, seq)


def _plain_row(row: Row) -> dict[str, Any]:
    return {key: plain(value) for key, value in row._mapping.items()}


class _Merge:
    """One side of a merge join: rows ordered by ``claim_id``, taken a claim at a time."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self._rows = rows
        self._next: Row | None = next(rows, None)

    def take(self, claim_id: int) -> Iterator[Row]:
        """Yield the rows of ``claim_id``; rows of earlier claims (none exist) are skipped."""
        while self._next is not None and self._next.claim_id <= claim_id:
            row, self._next = self._next, next(self._rows, None)
            if row.claim_id == claim_id:
                yield row
