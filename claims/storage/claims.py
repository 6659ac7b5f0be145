"""Claim queries: rows, the compare-and-set update, topics, the tally, the list and its cursors.

Statements on the hot paths are built once: SQLAlchemy then reuses their compiled form without
rebuilding the expression and its cache key on every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.arrays import as_rows, recordset, rows_of
from claims.storage.engine import Executor, is_sqlite
from claims.storage.prepared import Prepared, row_type
from claims.storage.tables import claim_t, event_t, tally_t, topic_t
from claims.storage.units import RESERVED_SEQ_KEY, before_commit

_CLAIM_BY_ID = sa.select(claim_t).where(claim_t.c.id == sa.bindparam("ref"))
_CLAIM_BY_SLUG = sa.select(claim_t).where(claim_t.c.slug == sa.bindparam("ref"))
_LAST_HASH = (
    sa.select(event_t.c.hash)
    .where(event_t.c.claim_id == claim_t.c.id)
    .order_by(event_t.c.seq.desc())
    .limit(1)
    .scalar_subquery()
    .label("last_hash")
)
_TO_WRITE_BY_ID = sa.select(claim_t, _LAST_HASH).where(claim_t.c.id == sa.bindparam("ref"))
_TO_WRITE_BY_SLUG = sa.select(claim_t, _LAST_HASH).where(claim_t.c.slug == sa.bindparam("ref"))


_FIND = {True: Prepared(_CLAIM_BY_ID), False: Prepared(_CLAIM_BY_SLUG)}
_FIND_TO_WRITE = {True: Prepared(_TO_WRITE_BY_ID), False: Prepared(_TO_WRITE_BY_SLUG)}


def find_claim(session: Executor, id_or_slug: int | str) -> Row | None:
    """Return one claim row by id or slug, or None."""
    return _FIND[isinstance(id_or_slug, int)].first(session, {"ref": id_or_slug})


def find_claim_to_write(session: Executor, id_or_slug: int | str) -> Row | None:
    """Return a claim row and, as ``last_hash``, the hash of its latest event, or None.

    What a write to the claim needs, in one statement; the compare-and-set on ``version``
    then proves no event was appended in between.
    """
    return _FIND_TO_WRITE[isinstance(id_or_slug, int)].first(session, {"ref": id_or_slug})


def _any_ref(*columns: Any) -> Prepared:
    return Prepared(
        sa.select(*columns).where(
            sa.or_(
                claim_t.c.id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.Integer))),
                claim_t.c.slug == sa.any_(sa.bindparam("slugs", type_=ARRAY(sa.String))),
            )
        )
    )


_FIND_MANY = _any_ref(claim_t)
_TO_WRITE_MANY = _any_ref(claim_t, _LAST_HASH)


def find_claims(session: Executor, refs: Sequence[int | str]) -> list[Row | None]:
    """``find_claim`` for each of ``refs``, in their order (None for no claim); on PostgreSQL
    in one statement."""
    if len(refs) <= 1 or is_sqlite(session):
        return [find_claim(session, ref) for ref in refs]
    return _in_order(session, _FIND_MANY, refs)


def find_claims_to_write(session: Executor, refs: Sequence[int | str]) -> list[Row | None]:
    """``find_claim_to_write`` for each of ``refs``, in their order (None for no claim); on
    PostgreSQL in one statement."""
    if len(refs) <= 1 or is_sqlite(session):
        return [find_claim_to_write(session, ref) for ref in refs]
    return _in_order(session, _TO_WRITE_MANY, refs)


def _in_order(session: Executor, plan: Prepared, refs: Sequence[int | str]) -> list[Row | None]:
    ids = [ref for ref in refs if isinstance(ref, int)]
    slugs = [ref for ref in refs if isinstance(ref, str)]
    rows = plan.all(session, {"ids": ids, "slugs": slugs})
    by_id = {row.id: row for row in rows}
    by_slug = {row.slug: row for row in rows}
    return [(by_id if isinstance(ref, int) else by_slug).get(ref) for ref in refs]


def claim_version(session: Executor, claim_id: int) -> int | None:
    """Return a claim's current version, or None if there is no such claim."""
    return session.execute(
        sa.select(claim_t.c.version).where(claim_t.c.id == claim_id)
    ).scalar_one_or_none()


_SLUG_TAKEN = Prepared(sa.select(claim_t.c.id).where(claim_t.c.slug == sa.bindparam("slug")))


def slug_taken(session: Session, slug: str) -> bool:
    """Tell whether a claim already has this slug."""
    return _SLUG_TAKEN.first(session, {"slug": slug}) is not None


def quotes_of_source(session: Session, source_id: int) -> list[str]:
    """Return the quotes of a source's claims (claims without a quote are left out)."""
    return list(
        session.execute(
            sa.select(claim_t.c.quote).where(
                claim_t.c.source_id == source_id, claim_t.c.quote.is_not(None)
            )
        ).scalars()
    )


_CLAIM_ROW = row_type([c.key for c in claim_t.c])
# What an insert or a compare-and-set returns last when the change's event comes next.
_NEXT_SEQ = sa.func.claims_next_seq().label("next_seq")


def _keep_seq(session: Session, row: Row) -> Row:
    """Keep a row's trailing ``next_seq`` for the unit's next ``next_seq``; return the claim's
    row, as without it."""
    session.info[RESERVED_SEQ_KEY] = row.next_seq
    return _CLAIM_ROW._make(row[:-1])  # type: ignore[no-any-return]


_INSERT_CLAIM: dict[tuple[str, frozenset[str], bool], Prepared] = {}
_INSERT_TOPICS = Prepared(sa.insert(topic_t), keys=["claim_id", "topic"])
_INSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}


def insert_claim(session: Session, values: dict[str, Any], *, take_seq: bool = False) -> Row | None:
    """Insert a claim; return its row, or None when a claim has its slug (nothing inserted).

    Its topic index rows and its tally count are the caller's to write (``insert_change``,
    ``tally``). With ``take_seq`` (its ``created`` event comes next), on PostgreSQL the same
    statement takes the seq that the unit's next ``next_seq`` returns: a round trip less.
    """
    dialect = "sqlite" if is_sqlite(session) else "postgresql"
    with_seq = take_seq and dialect == "postgresql"
    key = (dialect, frozenset(values), with_seq)
    insert = _INSERT_CLAIM.get(key)
    if insert is None:
        returning = [*claim_t.c, _NEXT_SEQ] if with_seq else [*claim_t.c]
        # A taken slug inserts nothing instead of failing: a failed statement would abort a
        # PostgreSQL transaction, and a savepoint around the insert cost two round trips.
        stmt = _INSERTS[dialect](claim_t).on_conflict_do_nothing(index_elements=["slug"])
        insert = _INSERT_CLAIM[key] = Prepared(stmt.returning(*returning), keys=sorted(values))
    row = insert.first(session, values)
    return _keep_seq(session, row) if row is not None and with_seq else row


_INSERT_MANY: dict[tuple[str, ...], Prepared] = {}


def insert_claims(
    session: Session, claims: Sequence[dict[str, Any]]
) -> list[tuple[Row, int | None] | None]:
    """``insert_claim(take_seq=True)`` for each claim's values, in order: the row and the seq
    its ``created`` event takes (on SQLite None: ``next_seq`` hands it out), or None where a
    claim has its slug (an earlier one of ``claims`` included; nothing inserted).

    On PostgreSQL claims that set the same columns go in one statement (a group commit)."""
    if len(claims) <= 1 or is_sqlite(session):
        done = []
        for values in claims:
            row = insert_claim(session, values, take_seq=True)
            done.append(None if row is None else (row, session.info.pop(RESERVED_SEQ_KEY, None)))
        return done
    done_by_slug: dict[str, tuple[Row, int | None]] = {}
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    firsts: dict[str, dict[str, Any]] = {}
    for values in claims:
        firsts.setdefault(values["slug"], values)
    for values in firsts.values():
        by_columns.setdefault(tuple(sorted(values)), []).append(values)
    for columns, rows in by_columns.items():
        stmt = _INSERT_MANY.get(columns)
        if stmt is None:
            # A taken slug inserts nothing instead of failing (see ``insert_claim``).
            insert = pg_insert(claim_t).from_select(columns, rows_of(claim_t, columns, "c_"))
            stmt = _INSERT_MANY[columns] = Prepared(
                insert.on_conflict_do_nothing(index_elements=["slug"]).returning(
                    *claim_t.c, _NEXT_SEQ
                )
            )
        for row in stmt.all(session, as_rows("c_", columns, rows)):
            done_by_slug[row.slug] = (_CLAIM_ROW._make(row[:-1]), row.next_seq)
    done: list[tuple[Row, int | None] | None] = []
    for values in claims:
        # A slug asked for twice: the first in order has it, the later ones find it taken.
        done.append(done_by_slug.pop(values["slug"], None))
    return done


_CAS: dict[tuple[frozenset[str], bool], Prepared] = {}


def _cas_statement(columns: frozenset[str], with_seq: bool) -> Prepared:
    stmt = _CAS.get((columns, with_seq))
    if stmt is None:
        # The seq is evaluated for the updated row only: a compare-and-set that loses takes none.
        returning = [*claim_t.c, _NEXT_SEQ] if with_seq else [*claim_t.c]
        stmt = _CAS[columns, with_seq] = Prepared(
            sa.update(claim_t)
            .where(claim_t.c.id == sa.bindparam("_id"), claim_t.c.version == sa.bindparam("_v"))
            .values({c: sa.bindparam(c, type_=claim_t.c[c].type) for c in sorted(columns)})
            .values(version=claim_t.c.version + 1)
            .returning(*returning)
        )
    return stmt


def update_claim(
    session: Session,
    claim_id: int,
    expected_version: int,
    values: dict[str, Any],
    *,
    take_seq: bool = False,
) -> Row | None:
    """Compare-and-set: apply ``values`` and bump the version, only if it is still
    ``expected_version``; return the updated row, or None when another write came first.

    With ``take_seq`` (the change's event comes next), on PostgreSQL the same statement takes
    the seq that the unit's next ``next_seq`` returns: a round trip less."""
    with_seq = take_seq and not is_sqlite(session)
    stmt = _cas_statement(frozenset(values), with_seq)
    row = stmt.first(session, {**values, "_id": claim_id, "_v": expected_version})
    if row is None:
        return None
    if with_seq:
        row = _keep_seq(session, row)
    if "topics" in values:
        session.execute(sa.delete(topic_t).where(topic_t.c.claim_id == claim_id))
        write_topics(session, claim_id, values["topics"])
    return row


# A compare-and-set of ``update_claims``: (claim id, expected version, values).
Cas = tuple[int, int, dict[str, Any]]
_CAS_MANY: dict[tuple[str, ...], Prepared] = {}


def update_claims(session: Session, changes: Sequence[Cas]) -> list[tuple[Row, int | None] | None]:
    """``update_claim(take_seq=True)`` for each ``(claim_id, expected_version, values)``, in
    order: the updated row and the seq its event takes (on SQLite None: ``next_seq`` hands it
    out), or None where another write came first.

    On PostgreSQL several run as one statement (a group commit). They must set the same
    columns, not ``topics``, and name each claim once: two compare-and-sets of one claim in
    one statement would update it once and could not tell which of them won."""
    if len(changes) <= 1 or is_sqlite(session):
        done = []
        for claim_id, expected_version, values in changes:
            row = update_claim(session, claim_id, expected_version, values, take_seq=True)
            done.append(None if row is None else (row, session.info.pop(RESERVED_SEQ_KEY, None)))
        return done
    columns = tuple(sorted(changes[0][2]))
    if "topics" in columns or len({claim_id for claim_id, _, _ in changes}) < len(changes):
        raise ValueError("update_claims: topics, or one claim twice")
    stmt = _CAS_MANY.get(columns)
    if stmt is None:
        stmt = _CAS_MANY[columns] = Prepared(_cas_many(columns))
    # By id: two units of work that lock the same claims lock them in one order (each row is
    # locked as the join reaches it), not in opposite orders that would deadlock.
    by_id = sorted(changes, key=lambda change: change[0])
    rows = [{"_id": claim_id, "_v": version, **values} for claim_id, version, values in by_id]
    params = as_rows("w_", ["_id", "_v", *columns], rows)
    won = {row.id: row for row in stmt.all(session, params)}
    done = []
    for claim_id, _, _ in changes:
        row = won.get(claim_id)
        done.append(None if row is None else (_CLAIM_ROW._make(row[:-1]), row.next_seq))
    return done


def _cas_many(columns: tuple[str, ...]) -> sa.Executable:
    """One compare-and-set per row of ``w``: ``UPDATE claim … FROM json_to_recordset(…)``,
    each row updated taking its event's seq (a compare-and-set that loses takes none)."""
    key = [("_id", sa.Integer()), ("_v", sa.Integer())]
    w = recordset("w_", [*key, *[(c, claim_t.c[c].type) for c in columns]])
    return (
        sa.update(claim_t)
        .where(claim_t.c.id == w.c._id, claim_t.c.version == w.c._v)
        .values({c: w.c[c] for c in columns})
        .values(version=claim_t.c.version + 1)
        .returning(*claim_t.c, _NEXT_SEQ)
    )


OPEN_ENDED = date(9999, 12, 31)


def _tally_statement(insert: Any) -> Any:
    stmt = insert(tally_t).values(
        status=sa.bindparam("status"),
        due_key=sa.bindparam("due_key"),
        shard=sa.bindparam("shard"),
        count=sa.bindparam("count"),
    )
    return stmt.on_conflict_do_update(
        index_elements=["status", "due_key", "shard"],
        set_={"count": tally_t.c.count + stmt.excluded.count},
    )


_TALLY = {
    "sqlite": Prepared(_tally_statement(sqlite_insert)),
    "postgresql": Prepared(_tally_statement(pg_insert)),
}


# Concurrent writers of one status and deadline on PostgreSQL queued on its tally row's lock
# until each committed: a burst of creates with one deadline ran one at a time (~150/s,
# bench/README.md, thirteenth session). The claim's id picks one of this many rows instead.
TALLY_SHARDS = 16


def tally(session: Session, claim_id: int, status: str, due_by: date | None, delta: int) -> None:
    """Add ``delta`` to the count of claims with this status and deadline."""
    tally_moves(session, claim_id, [(status, due_by, delta)])


# A tally move: (status, due_by, delta) of one claim.
Move = tuple[str, date | None, int]
# A tally row's key: (status, due_key, shard).
TallyKey = tuple[str, date, int]


def tally_moves(session: Session, claim_id: int, moves: list[Move]) -> None:
    """Add each ``(status, due_by, delta)`` of claim ``claim_id`` to its count, when the unit of
    work commits (``before_commit``: a row lock taken last is held for the commit alone)."""
    add_moves(before_commit(session, "tally", _TallyMoves).counts, session, claim_id, moves)


def add_moves(
    counts: dict[TallyKey, int], session: Session, claim_id: int, moves: list[Move]
) -> None:
    """Add a claim's moves to ``counts``, per tally row."""
    shard = 0 if is_sqlite(session) else claim_id % TALLY_SHARDS  # SQLite: one writer anyway
    for status, due, n in moves:
        key = (status, due or OPEN_ENDED, shard)
        counts[key] = counts.get(key, 0) + n


def tally_rows(counts: dict[TallyKey, int]) -> list[dict[str, Any]]:
    """The rows to add ``counts`` to, in one order for every writer (two writers locking tally
    rows in opposite orders would deadlock on PostgreSQL); moves that cancel out write
    nothing."""
    return [
        {"status": status, "due_key": due, "shard": shard, "count": n}
        for (status, due, shard), n in sorted(counts.items())
        if n
    ]


class _TallyMoves:
    """The tally moves of one unit of work, written when it commits."""

    def __init__(self) -> None:
        self.counts: dict[TallyKey, int] = {}

    def __call__(self, session: Session) -> None:
        rows = tally_rows(self.counts)
        upsert = _TALLY["sqlite" if is_sqlite(session) else "postgresql"]
        if len(rows) == 1:  # a create's: psycopg's executemany costs a round trip more
            upsert.execute(session, rows[0])
        elif rows:
            upsert.execute_many(session, rows)


def write_topics(session: Session, claim_id: int, topics: list[str]) -> None:
    """Insert the topic index rows of a claim (which has none yet)."""
    if topics:
        _INSERT_TOPICS.execute_many(
            session, [{"claim_id": claim_id, "topic": t} for t in dict.fromkeys(topics)]
        )


def count_claims(session: Session) -> int:
    """Return how many claims there are."""
    return session.execute(sa.select(sa.func.count()).select_from(claim_t)).scalar_one()
