"""The export streams: its memory does not grow with the number of claims."""

from __future__ import annotations

import io
import tracemalloc
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from claims import storage
from claims.interop.export import export_database

AT = datetime(2025, 10, 26, 12, 0, tzinfo=UTC)


def _add_claims(engine: Engine, first_id: int, count: int) -> None:
    """Insert claims with two events each straight into the tables (fast; hashes not needed)."""
    claims, events = [], []
    for claim_id in range(first_id, first_id + count):
        claims.append(
            {
                "id": claim_id,
                "slug": f"claim-{claim_id}",
                "statement": f"Claim number {claim_id} comes true " + "x" * 200,
                "claimant": "Someone",
                "stated_on": date(2025, 10, 26),
                "certainty": "asserted",
                "topics": ["tariffs"],
                "status": "in_progress",
                "version": 2,
                "created_at": AT,
                "updated_at": AT,
                "status_changed_at": AT,
            }
        )
        for version in (1, 2):
            events.append(
                {
                    "seq": claim_id * 2 + version,
                    "claim_id": claim_id,
                    "kind": "created" if version == 1 else "status_changed",
                    "at": AT,
                    "actor_name": "desk",
                    "actor_role": "editor",
                    "note": "n" * 200,
                    "correction": False,
                    "evidence": [],
                    "changes": {},
                    "status": "pending" if version == 1 else "in_progress",
                    "version": version,
                    "hash": "0" * 64,
                }
            )
    with engine.begin() as conn:
        conn.execute(sa.insert(storage.claim_t), claims)
        conn.execute(sa.insert(storage.event_t), events)


def _peak_export_memory(engine: Engine) -> tuple[int, int]:
    sink = _Discard()
    tracemalloc.start()
    try:
        export_database(engine, sink)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.written


class _Discard(io.RawIOBase):
    """A binary sink that only counts bytes."""

    def __init__(self) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.written += len(data)
        return len(data)


def test_export_memory_does_not_grow_with_the_number_of_claims(engine):
    _add_claims(engine, 1, 300)
    small_peak, small_bytes = _peak_export_memory(engine)
    _add_claims(engine, 301, 5700)

    large_peak, large_bytes = _peak_export_memory(engine)

    assert large_bytes > 15 * small_bytes
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
