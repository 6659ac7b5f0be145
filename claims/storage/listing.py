"""The claim list's queries: filters, keyset pages and their cursors, summary counts, and the
distinct topics and claimants the board offers as filter choices."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Row

from claims.errors import InvalidInput
from claims.status import OPEN
from claims.storage.claims import OPEN_ENDED
from claims.storage.engine import Executor, is_sqlite
from claims.storage.tables import (
    assignment_t,
    claim_t,
    event_t,
    evidence_t,
    tally_t,
    topic_t,
)

SORTS: dict[str, tuple[str, bool]] = {
    "due_by": ("due_by", False),
    "-due_by": ("due_by", True),
    "stated_on": ("stated_on", False),
    "-stated_on": ("stated_on", True),
    "created_at": ("created_at", False),
    "-created_at": ("created_at", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
    "status_changed_at": ("status_changed_at", False),
    "-status_changed_at": ("status_changed_at", True),
    "id": ("id", False),
    "-id": ("id", True),
}


@dataclass(frozen=True)
class ClaimFilter:
    """The list's filters, already validated (see ``claims.listing``)."""

    statuses: frozenset[str] | None = None
    topics: tuple[str, ...] = ()
    claimant: str | None = None
    claimant_names: tuple[str, ...] = ()
    """Exact names (a claimant's page: every spelling with its slug); ``claimant`` is part of a
    name, any case."""
    source_id: int | None = None
    overdue: bool | None = None
    due_soon_until: date | None = None
    due_before: date | None = None
    due_after: date | None = None
    words: tuple[str, ...] | None = None
    symbols: tuple[str, ...] | None = None
    """Texts without a letter or digit (emoji, punctuation), each to be found as written: the
    word indexes do not hold them."""
    today: date | None = None
    updated_before: datetime | None = None
    """Only claims last changed before this moment (the review queue's untouched claims)."""
    due_later_than: date | None = None
    """Only claims due after this date, or open-ended."""
    assignee: str | None = None
    """Only claims assigned to this person (a token's name)."""


def folded(db: Executor, column: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """``column`` in lower case, every letter folded as Python's ``str.lower`` folds the search
    term (PostgreSQL's lower() does; SQLite's folds ASCII only, so it gets its own function)."""
    return sa.func.unicode_lower(column) if is_sqlite(db) else sa.func.lower(column)


def _filter_conditions(session: Executor, f: ClaimFilter) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    c = claim_t.c
    if f.statuses is not None:
        conds.append(c.status.in_(sorted(f.statuses)))
    if f.topics:
        conds.append(c.id.in_(sa.select(topic_t.c.claim_id).where(topic_t.c.topic.in_(f.topics))))
    if f.claimant is not None:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", f.claimant.lower()) + "%"
        conds.append(folded(session, c.claimant).like(pattern, escape="\\"))
    if f.claimant_names:
        conds.append(c.claimant.in_(f.claimant_names))
    if f.source_id is not None:
        conds.append(c.source_id == f.source_id)
    if f.overdue is not None and f.today is not None:
        # "is not null" first: a claim with no deadline is not late, so overdue=false lists it
        # (NOT over a null comparison would drop it, and the summary counts it)
        late = sa.and_(c.due_by.is_not(None), c.due_by < f.today, c.status.in_(sorted(OPEN)))
        conds.append(late if f.overdue else sa.not_(late))
    if f.due_soon_until is not None and f.today is not None:
        conds.append(
            sa.and_(c.due_by >= f.today, c.due_by <= f.due_soon_until, c.status.in_(sorted(OPEN)))
        )
    if f.due_before is not None:
        conds.append(c.due_by <= f.due_before)
    if f.due_after is not None:
        conds.append(c.due_by >= f.due_after)
    if f.words is not None:
        conds.append(_text_match(session, f.words))
    if f.symbols is not None:
        conds.append(_symbols_match(session, f.symbols))
    if f.updated_before is not None:
        conds.append(c.updated_at < f.updated_before)
    if f.due_later_than is not None:
        conds.append(sa.or_(c.due_by.is_(None), c.due_by > f.due_later_than))
    if f.assignee is not None:
        mine = sa.select(assignment_t.c.claim_id).where(assignment_t.c.assignee == f.assignee)
        conds.append(c.id.in_(mine))
    return conds


def _text_match(session: Executor, words: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """Every word must start a word of the claim's own text or of one of its notes or
    evidence titles (each word may be found in a different one)."""
    if not words:
        return sa.false()
    sqlite = is_sqlite(session)
    return sa.and_(*(_word_match(w, sqlite=sqlite) for w in words))


def _word_match(word: str, *, sqlite: bool) -> sa.ColumnElement[bool]:
    if sqlite:
        # FTS5 prefix query on the claim's columns, and on its notes and evidence titles.
        match = '"' + word.replace('"', '""') + '"*'
        own = sa.select(sa.column("rowid")).select_from(sa.table("claim_fts"))
        # A bind name of its own per word: with one shared name every word's clause took
        # the last word's value (only the last word searched for, on SQLite alone).
        own = own.where(
            sa.text("claim_fts MATCH :m").bindparams(sa.bindparam("m", match, unique=True))
        )
        related = sa.select(sa.column("claim_id")).select_from(sa.table("claim_text_fts"))
        related = related.where(
            sa.text("claim_text_fts MATCH :m").bindparams(sa.bindparam("m", match, unique=True))
        )
        return claim_t.c.id.in_(sa.union(own, related))
    tsq = sa.func.to_tsquery("simple", re.sub(r"[^\w]", "", word) + ":*")
    own_text = sa.literal_column(
        "to_tsvector('simple', coalesce(claim.statement, '') || ' ' || coalesce(claim.quote, '')"
        " || ' ' || claim.claimant || ' ' || coalesce(claim.resolution_criteria, ''))"
    )
    note = sa.literal_column("to_tsvector('simple', coalesce(event.note, ''))")
    title = sa.literal_column("to_tsvector('simple', evidence.title)")
    return sa.or_(
        own_text.op("@@")(tsq),
        claim_t.c.id.in_(sa.select(event_t.c.claim_id).where(note.op("@@")(tsq))),
        claim_t.c.id.in_(sa.select(evidence_t.c.claim_id).where(title.op("@@")(tsq))),
    )


def _symbols_match(session: Executor, symbols: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """Every text must occur, as written (any case), in the claim's own text or in one of its
    notes or evidence titles (each may be found in a different one), as the words do.

    A scan, not an index: FTS5's tokenizer and PostgreSQL's text search both read symbols and
    emoji as spaces, so their indexes hold none. Only a ``q`` without a letter or digit comes
    here; any word takes the indexed search.
    """
    if not symbols:
        return sa.false()  # only controls were left, and no stored text holds one
    c, notes, titles = claim_t.c, event_t.c, evidence_t.c

    def holds(column: sa.ColumnElement[str], symbol: str) -> sa.ColumnElement[bool]:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", symbol) + "%"
        return folded(session, column).like(pattern, escape="\\")

    def found(symbol: str) -> sa.ColumnElement[bool]:
        own = (c.statement, c.quote, c.claimant, c.resolution_criteria)
        return sa.or_(
            *(holds(column, symbol) for column in own),
            c.id.in_(sa.select(notes.claim_id).where(holds(notes.note, symbol))),
            c.id.in_(sa.select(titles.claim_id).where(holds(titles.title, symbol))),
        )

    return sa.and_(*(found(symbol) for symbol in symbols))


def list_claims(
    session: Executor, f: ClaimFilter, *, sort: str, limit: int, after: tuple[Any, int] | None
) -> Sequence[Row]:
    """Return up to ``limit`` + 1 claim rows after the keyset position ``after`` (value, id).

    Rows whose sort value is null (an open-ended ``due_by``) always come last. They are read
    in a second, separate query: "nulls last" as one ORDER BY expression would defeat the
    (column, id) indexes and sort the whole table for every page.
    """
    column_name, descending = SORTS[sort]
    col, ident = claim_t.c[column_name], claim_t.c.id
    conds = _filter_conditions(session, f)
    value, last_id = after if after is not None else (None, None)

    def page(extra: list[sa.ColumnElement[bool]], order: list[Any], n: int) -> list[Row]:
        stmt = sa.select(claim_t).where(*conds, *extra).order_by(*order).limit(n)
        return list(session.execute(stmt).all())

    id_order = ident.desc() if descending else ident.asc()
    if column_name == "id":
        extra = [] if last_id is None else [ident < last_id if descending else ident > last_id]
        return page(extra, [id_order], limit + 1)
    rows: list[Row] = []
    if after is None or value is not None:
        extra = [col.is_not(None)]
        if after is not None:
            position = sa.tuple_(col, ident)
            extra.append(
                position < sa.tuple_(value, last_id)
                if descending
                else position > sa.tuple_(value, last_id)
            )
        rows = page(extra, [col.desc() if descending else col.asc(), id_order], limit + 1)
    if len(rows) <= limit and col.nullable:
        extra = [col.is_(None)]
        if after is not None and value is None:
            extra.append(ident < last_id if descending else ident > last_id)
        rows += page(extra, [id_order], limit + 1 - len(rows))
    return rows


def encode_cursor(sort: str, value: Any, claim_id: int) -> str:
    """Make the opaque keyset cursor for the position after a row."""
    if isinstance(value, datetime | date):
        value = value.isoformat()
    raw = orjson.dumps([sort, value, claim_id])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Read a cursor back into (sort value, id). Raises InvalidInput naming ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, claim_id = orjson.loads(raw)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    if kind != sort:
        raise InvalidInput.on("cursor", f"was issued for sort={kind}, not sort={sort}")
    if not isinstance(claim_id, int) or (value is not None and not isinstance(value, str | int)):
        raise InvalidInput.on("cursor", "is not a cursor this server issued")
    column_name = SORTS[sort][0]
    if value is not None and column_name in ("due_by", "stated_on"):
        try:
            value = date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    elif value is not None and column_name != "id":
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    return value, claim_id


def summary_counts(db: Executor, f: ClaimFilter, today: date, soon_until: date) -> list[Row]:
    """Per status: how many claims, how many overdue, how many due soon (under the filter)."""
    c = claim_t.c
    is_open = c.status.in_(sorted(OPEN))
    overdue = sa.case((sa.and_(is_open, c.due_by < today), 1), else_=0)
    soon = sa.case((sa.and_(is_open, c.due_by >= today, c.due_by <= soon_until), 1), else_=0)
    stmt = (
        sa.select(c.status, sa.func.count(), sa.func.sum(overdue), sa.func.sum(soon))
        .where(*_filter_conditions(db, f))
        .group_by(c.status)
    )
    return list(db.execute(stmt).all())


def tally_counts(db: Executor, f: ClaimFilter, today: date, soon_until: date) -> list[Row] | None:
    """``summary_counts`` from the tally, or None when the filter needs the claims themselves."""
    needs_claims = (
        f.claimant,
        f.claimant_names or None,
        f.source_id,
        f.words,
        f.symbols,
        f.updated_before,
        f.due_later_than,
        f.assignee,
    )
    if f.topics or any(v is not None for v in needs_claims):
        return None
    t = tally_t.c
    is_open = t.status.in_(sorted(OPEN))
    real = t.due_key != OPEN_ENDED
    conds: list[sa.ColumnElement[bool]] = [t.count != 0]
    if f.statuses is not None:
        conds.append(t.status.in_(sorted(f.statuses)))
    if f.overdue is not None:
        late = sa.and_(is_open, real, t.due_key < today)
        conds.append(late if f.overdue else sa.not_(late))
    if f.due_soon_until is not None:
        conds += [is_open, t.due_key >= today, t.due_key <= f.due_soon_until]
    if f.due_before is not None:
        conds += [real, t.due_key <= f.due_before]
    if f.due_after is not None:
        conds += [real, t.due_key >= f.due_after]
    late_n = sa.case((sa.and_(is_open, real, t.due_key < today), t.count), else_=0)
    soon_n = sa.case(
        (sa.and_(is_open, t.due_key >= today, t.due_key <= soon_until), t.count), else_=0
    )
    stmt = (
        sa.select(t.status, sa.func.sum(t.count), sa.func.sum(late_n), sa.func.sum(soon_n))
        .where(*conds)
        .group_by(t.status)
    )
    return list(db.execute(stmt).all())


def distinct_topics(db: Executor, limit: int) -> list[str]:
    """Return the first ``limit`` topics in use, in order (a skip scan of the topic index)."""
    return _skip_scan(db, "claim_topic", "topic", limit)


def distinct_claimants(db: Executor, limit: int) -> list[str]:
    """Return the first ``limit`` claimants, in order (a skip scan of the claimant index)."""
    return _skip_scan(db, "claim", "claimant", limit)


def claims_per_claimant(db: Executor, names: Sequence[str]) -> dict[str, int]:
    """Return how many claims each of ``names`` made."""
    stmt = (
        sa.select(claim_t.c.claimant, sa.func.count())
        .where(claim_t.c.claimant.in_(names))
        .group_by(claim_t.c.claimant)
    )
    return {name: count for name, count in db.execute(stmt).all()}


def claimants_like(db: Executor, words: Sequence[str], limit: int) -> list[str]:
    """Return up to ``limit`` distinct claimants whose name holds ``words`` in order, any case."""
    pattern = "%" + "%".join(re.sub(r"([\\%_])", r"\\\1", w.lower()) for w in words) + "%"
    stmt = (
        sa.select(claim_t.c.claimant)
        .where(folded(db, claim_t.c.claimant).like(pattern, escape="\\"))
        .group_by(claim_t.c.claimant)
        .order_by(claim_t.c.claimant)
        .limit(limit)
    )
    return list(db.execute(stmt).scalars())


def _skip_scan(db: Executor, table: str, column: str, limit: int) -> list[str]:
    # A recursive "loose index scan": one index seek per distinct value, where DISTINCT would
    # read every row (a million claims) on both databases. Names are ours, never input.
    sql = sa.text(
        f"WITH RECURSIVE v(x) AS ("  # noqa: S608
        f"SELECT min({column}) FROM {table} "
        f"UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {column} > v.x) "
        f"FROM v WHERE v.x IS NOT NULL) "
        f"SELECT x FROM v WHERE x IS NOT NULL LIMIT :n"
    )
    return [row[0] for row in db.execute(sql, {"n": limit})]
