"""Query-string models of the read endpoints: the list's filters, the change feed, history pages.

Like request bodies, query strings refuse unknown parameters (422 naming them), so a misspelt
filter never silently returns everything. The one exception is ``_``, the cache-buster that
browsers' and dashboards' HTTP helpers append (``?_=1733400000``): it is accepted and ignored.

A list's fingerprint is decided without running the list query: it depends only on the latest
``seq`` (every write bumps it), the normalised query and the calendar day (overdue and due-soon
marks change at midnight). Equal fingerprints mean equal pages.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from claims import storage
from claims.models import (
    INVISIBLE_CHARS,
    NO_NUL_PATTERN,
    SEARCH_PATTERN,
    STATUS_LIST_PATTERN,
    TOPIC_LIST_PATTERN,
    Day,
    IdParam,
    SeqNumber,
)
from claims.status import OPEN, VERDICTS, Status

SortKey = Literal[
    "due_by", "-due_by", "stated_on", "-stated_on", "created_at", "-created_at",
    "updated_at", "-updated_at", "status_changed_at", "-status_changed_at", "id", "-id",
]  # fmt: skip

CACHE_BUSTER = "_"

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_VISIBLE = re.compile(f"[^{INVISIBLE_CHARS}]")


class QueryModel(BaseModel):
    """Base of every query-string model: unknown parameters are an error; ``_`` is ignored.

    Frozen: a validated query is a value, so the front door may hand the same one to every
    request with the same query string (``api.contract``) without one request changing
    another's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    cache_buster: str | None = Field(
        default=None,
        alias=CACHE_BUSTER,
        max_length=100,
        description="Ignored: for clients that append a cache-buster.",
    )


class ClaimQuery(QueryModel):
    """Filters, sort and paging of ``GET /v1/claims`` (and, without paging, the summary)."""

    status: str | None = Field(
        default=None,
        pattern=STATUS_LIST_PATTERN,
        description="Comma-separated statuses, or `open` (pending, in_progress, stalled) or "
        "`verdict` (fulfilled, partially_fulfilled, broken, void).",
        examples=["open", "fulfilled,broken"],
    )
    topic: str | None = Field(
        default=None,
        max_length=400,
        pattern=TOPIC_LIST_PATTERN,
        description="A topic slug, or several comma-separated (any).",
    )
    claimant: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=NO_NUL_PATTERN,
        description="Part of the claimant's name, any case: `bessent` finds Scott Bessent.",
    )
    source: IdParam | None = Field(
        default=None, description="The source's id: one article's claims."
    )
    overdue: bool | None = Field(
        default=None, description="`true`: deadline passed, still open. `false`: the others."
    )
    due_soon: bool | None = Field(
        default=None, description="`true`: open and due within the due-soon window."
    )
    due_before: Day | None = Field(default=None, description="due_by on or before this date.")
    due_after: Day | None = Field(default=None, description="due_by on or after this date.")
    q: str | None = Field(
        default=None,
        max_length=200,
        pattern=SEARCH_PATTERN,
        description="Words that must each start a word of the statement, quote, claimant or "
        "resolution criteria, or of a note or evidence title in the claim's history. A `q` "
        "without a letter or digit (emoji, punctuation) is looked for as written instead: each "
        "of its space-separated parts must occur in one of those texts. Empty or blank: 422.",
    )
    sort: SortKey = Field(
        default="due_by",
        description="Sort key; `-` for descending. Claims without a deadline come last.",
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: str | None = Field(
        default=None,
        max_length=500,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page.",
    )
    _fingerprint: tuple[tuple, str] | None = PrivateAttr(default=None)

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parse_statuses(value)
        return value

    def statuses(self) -> frozenset[str] | None:
        """The set of statuses the ``status`` parameter stands for (None: all)."""
        return parse_statuses(self.status) if self.status is not None else None

    def words(self) -> tuple[str, ...] | None:
        """The search words of ``q`` (None: no word search)."""
        if self.q is None or not _LETTER_OR_DIGIT.search(self.q):
            return None
        return tuple(w.lower() for w in re.findall(r"\w+", self.q))[:10]

    def symbols(self) -> tuple[str, ...] | None:
        """The parts of a ``q`` without a letter or digit, to be found as written (None: no
        such search).

        The word indexes of both databases (FTS5's tokenizer, PostgreSQL's text search) take
        symbols and emoji for spaces: searched as words, such a ``q`` matched nothing.
        """
        if self.q is None or _LETTER_OR_DIGIT.search(self.q):
            return None
        return tuple(p.lower() for p in self.q.split() if _VISIBLE.search(p))[:10]

    def to_filter(self, today: date, due_soon_days: int) -> storage.ClaimFilter:
        """Translate into the storage filter for the given calendar day."""
        topics = tuple(t.strip() for t in (self.topic or "").split(",") if t.strip())
        return storage.ClaimFilter(
            statuses=self.statuses(),
            topics=topics,
            claimant=self.claimant,
            source_id=self.source,
            overdue=self.overdue,
            due_soon_until=today + timedelta(days=due_soon_days) if self.due_soon else None,
            due_before=self.due_before,
            due_after=self.due_after,
            words=self.words(),
            symbols=self.symbols(),
            today=today,
        )

    def fingerprint(
        self, seq: int | str, today: date, due_soon_days: int, *, paged: bool = True
    ) -> str:
        """Return a short hash that changes whenever this query's answer may have changed
        (``seq``: the latest seq, or the change hub's mark)."""
        # Pollers ask the same query again and again between writes: the last answer is kept
        # (the query is frozen, so only the arguments can change it).
        arguments = (seq, today, due_soon_days, paged)
        # Read from the private dict itself: ``self._fingerprint`` goes through pydantic's
        # ``__getattr__``, which cost as much as the rest of this look-up.
        private = self.__pydantic_private__ or {}
        last = private.get("_fingerprint")
        if last is not None and last[0] == arguments:
            return last[1]
        # The fields' values as they are (scalars: what model_dump would give), in name order:
        # polled on every list request, and model_dump cost more than the rest of a 304.
        values = self.__dict__
        normal = "&".join(f"{k}={values[k]}" for k in _fingerprinted(type(self), paged))
        raw = f"{seq}|{today.isoformat()}|{due_soon_days}|{normal}"
        found = f"{seq}-{hashlib.sha256(raw.encode()).hexdigest()[:16]}"
        self._fingerprint = (arguments, found)
        return found


@functools.cache
def _fingerprinted(model: type[ClaimQuery], paged: bool) -> tuple[str, ...]:
    """The names of the fields a query's fingerprint covers, sorted."""
    skip = {"cache_buster"} if paged else {"cache_buster", "limit", "cursor", "sort"}
    return tuple(sorted(name for name in model.model_fields if name not in skip))


class CsvQuery(ClaimQuery):
    """Parameters of ``GET /v1/claims.csv``: the list's filters and sort, and ``safe``."""

    safe: bool = Field(
        default=False,
        description="`true`: cells that start like a spreadsheet formula (`=`, `+`, `-`, `@`, "
        "tab, carriage return) get a leading `'`, so a spreadsheet shows them as text.",
    )


class ChangesQuery(QueryModel):
    """Parameters of ``GET /v1/changes``."""

    since: SeqNumber = Field(default=0, description="Last seq already seen.")
    limit: Annotated[int, Field(ge=1, le=1000, description="Most changes to return.")] = 100
    wait: Annotated[
        float,
        Field(
            ge=0,
            le=30,
            allow_inf_nan=False,
            description="Seconds to wait when nothing is new (long-poll).",
        ),
    ] = 0


class HistoryQuery(QueryModel):
    """Parameters of ``GET /v1/claims/{ref}/history``."""

    after: SeqNumber = Field(default=0, description="Only events after this seq.")
    limit: Annotated[int, Field(ge=1, le=1000, description="Events per page.")] = 1000


class StreamQuery(QueryModel):
    """Parameters of ``GET /v1/stream``."""

    since: SeqNumber | None = Field(
        default=None, description="Replay changes after this seq (Last-Event-ID wins)."
    )


def parse_statuses(value: str) -> frozenset[str]:
    """Read ``open``, ``verdict`` or a comma list of statuses. Raises ValueError."""
    result: set[str] = set()
    for part in (p.strip() for p in value.split(",")):
        if part == "open":
            result |= OPEN
        elif part == "verdict":
            result |= VERDICTS
        elif part in Status._value2member_map_:
            result.add(part)
        else:
            known = ", ".join(["open", "verdict", *(s.value for s in Status)])
            raise ValueError(f"unknown status {part!r}; use one or more of {known}")
    return frozenset(result)
