"""``claims verify``: the whole database checked against its history, in one snapshot.

``claims.replay`` does the checking (pure); this reads the rows it checks.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from claims import replay, storage


def verify_database(engine: Engine) -> replay.Verification:
    """Check the whole database against its history, in one snapshot; stop at the first fault.

    Each claim (by id): its hash chain, its row against the replay of its events, its
    evidence rows against the evidence its events recorded. Then events and evidence whose
    claim or event is gone, and the events' seqs against the last seq handed out.
    """
    claims = events = unsnapshotted = 0
    with storage.snapshot(engine) as conn:
        for claim, chain, evidence in storage.claim_histories(conn):
            checked = replay.check_claim(claim, chain, evidence)
            if checked.bad is not None:
                return replay.Verification(checked.bad, claims, events, unsnapshotted)
            claims, events = claims + 1, events + len(chain)
            unsnapshotted += bool(checked.unchecked)
        orphan = storage.first_orphan_event(conn)
        stray = storage.first_stray_evidence(conn)
        if orphan is not None:
            bad = replay.orphan_event(orphan)
        elif stray is not None:
            bad = replay.stray_evidence(stray, claim_exists=stray.claim_exists)
        else:
            # PostgreSQL's writers commit concurrently, and a rolled-back one leaves its seq
            # unused (docs/design.md): only SQLite's seqs run without a gap, except for the
            # gaps an import from PostgreSQL brought in (noted at the import).
            dense = storage.is_sqlite(conn)
            bad = replay.check_seqs(
                storage.event_seqs(conn),
                storage.issued_seq(conn),
                dense=dense,
                skipped=storage.seq_gaps(conn) if dense else frozenset(),
            )
    return replay.Verification(bad, claims, events, unsnapshotted)
