"""What a write to a claim records after its row: its history event, the event's evidence, the
claim's moves in the tally, and a new claim's topic index rows.

On PostgreSQL these go in one statement (data-modifying CTEs). A write's cost there is its
round trips: each statement costs the server process ~80 µs of CPU in the driver and the
socket alone, and a status change took seven (bench/README.md, fifteenth session). On SQLite,
where a statement is a function call, the same inserts run one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from claims.storage.claims import (
    Move,
    TallyKey,
    add_moves,
    tally_moves,
    tally_rows,
    write_topics,
)
from claims.storage.engine import is_sqlite
from claims.storage.events import insert_event, insert_evidence
from claims.storage.prepared import Prepared
from claims.storage.tables import event_t, evidence_t, tally_t, topic_t


def insert_change(
    session: Session,
    claim_id: int,
    *,
    event: dict[str, Any],
    evidence: Sequence[dict[str, Any]] = (),
    moves: Sequence[Move] = (),
    topics: Sequence[str] = (),
) -> None:
    """Insert ``event`` and its ``evidence`` rows, add ``moves`` to the tally, and insert the
    topic index rows of a new claim, once the claim's row is written (``insert_claim``, or
    the compare-and-set of ``update_claim``).

    The tally rows are the ones every writer shares. On PostgreSQL their locks are taken in
    this statement, which comes last before COMMIT; so a unit of work that calls it adds no
    tally moves of its own afterwards (``tally_moves`` would lock rows in a second order)."""
    if is_sqlite(session):
        insert_event(session, event)
        insert_evidence(session, list(evidence))
        write_topics(session, claim_id, list(topics))
        if moves:
            tally_moves(session, claim_id, list(moves))
        return
    pending: dict[TallyKey, int] = {}
    add_moves(pending, session, claim_id, list(moves))
    counts = tally_rows(pending)
    topics = list(dict.fromkeys(topics))
    stmt = _statement(frozenset(event), len(evidence), len(counts), len(topics))
    params: dict[str, Any] = {f"e_{k}": v for k, v in event.items()}
    for i, topic in enumerate(topics):
        params.update({f"p{i}_claim_id": claim_id, f"p{i}_topic": topic})
    for i, row in enumerate(evidence):
        params.update({f"v{i}_{k}": v for k, v in row.items()})
    for i, row in enumerate(counts):
        params.update({f"t{i}_{k}": v for k, v in row.items()})
    stmt.execute(session, params)


_STATEMENTS: dict[tuple[frozenset[str], int, int, int], Prepared] = {}


def _statement(event_columns: frozenset[str], evidence: int, tallies: int, topics: int) -> Prepared:
    key = (event_columns, evidence, tallies, topics)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = Prepared(_build(*key))
    return stmt


def _rows(table: sa.Table, names: list[str], prefixes: list[str]) -> sa.Executable:
    """One SELECT of bound values per row (the row's parameters named ``prefix + column``)."""
    selects = [
        sa.select(*[sa.bindparam(f"{p}{c}", type_=table.c[c].type) for c in names])
        for p in prefixes
    ]
    return selects[0] if len(selects) == 1 else sa.union_all(*selects)


def _build(
    event_columns: frozenset[str], evidence: int, tallies: int, topics: int
) -> sa.Executable:
    names = sorted(event_columns)
    stmt: Any = sa.insert(event_t).from_select(names, _rows(event_t, names, ["e_"]))
    ctes = []
    if evidence:
        names = [c.name for c in evidence_t.c if c.name != "id"]
        rows = _rows(evidence_t, names, [f"v{i}_" for i in range(evidence)])
        # Its rows cite the event inserted beside them: foreign keys are checked at the end of
        # the statement, when the event is there.
        ctes.append(sa.insert(evidence_t).from_select(names, rows).cte("evidence_rows"))
    if tallies:
        names = ["status", "due_key", "shard", "count"]
        rows = _rows(tally_t, names, [f"t{i}_" for i in range(tallies)])
        upsert = pg_insert(tally_t).from_select(names, rows)
        upsert = upsert.on_conflict_do_update(
            index_elements=["status", "due_key", "shard"],
            set_={"count": tally_t.c.count + upsert.excluded.count},
        )
        ctes.append(upsert.cte("tally"))
    if topics:
        names = ["claim_id", "topic"]
        rows = _rows(topic_t, names, [f"p{i}_" for i in range(topics)])
        ctes.append(sa.insert(topic_t).from_select(names, rows).cte("topic_rows"))
    # PostgreSQL runs every data-modifying CTE to completion, read or not.
    return stmt.add_cte(*ctes) if ctes else stmt
