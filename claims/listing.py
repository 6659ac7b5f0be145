"""The claim list: its query parameters, their validation, and one page of results.

A list's fingerprint is decided without running the list query: it depends only on the
latest ``seq`` (every write bumps it), the normalised query and the calendar day (overdue
and due-soon marks change at midnight). Equal fingerprints mean equal pages.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from claims import shapes, storage
from claims.models import Day
from claims.status import OPEN, VERDICTS, Status

SortKey = Literal[
    "due_by", "-due_by", "stated_on", "-stated_on", "created_at", "-created_at",
    "updated_at", "-updated_at", "status_changed_at", "-status_changed_at", "id", "-id",
]  # fmt: skip


_STATUS_WORD = "(" + "|".join(["open", "verdict", *(s.value for s in Status)]) + ")"
STATUS_PATTERN = f"^{_STATUS_WORD}( *, *{_STATUS_WORD})*$"
TOPICS_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*( *, *[a-z0-9]+(-[a-z0-9]+)*)*$"
NO_NUL = r"^[^\x00]*$"


class ClaimQuery(BaseModel):
    """Filters, sort and paging of ``GET /v1/claims`` (and, without paging, the summary)."""

    # Unknown query parameters are ignored: dashboards add cache-busters such as ``_=123``.
    model_config = ConfigDict(extra="ignore")

    status: str | None = Field(
        default=None,
        pattern=STATUS_PATTERN,
        description="Comma-separated statuses, or `open` (pending, in_progress, stalled) or "
        "`verdict` (fulfilled, partially_fulfilled, broken, void).",
        examples=["open", "fulfilled,broken"],
    )
    topic: str | None = Field(
        default=None,
        max_length=400,
        pattern=TOPICS_PATTERN,
        description="A topic slug, or several comma-separated (any).",
    )
    claimant: str | None = Field(
        default=None,
        max_length=200,
        pattern=NO_NUL,
        description="Exact claimant name, e.g. `Scott Bessent`.",
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
        pattern=NO_NUL,
        description="Words that must each start a word of the statement, quote or claimant.",
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
        """The search words of ``q`` (None: no text filter)."""
        if self.q is None:
            return None
        return tuple(w.lower() for w in re.findall(r"\w+", self.q))[:10]

    def to_filter(self, today: date, due_soon_days: int) -> storage.ClaimFilter:
        """Translate into the storage filter for the given calendar day."""
        topics = tuple(t.strip() for t in (self.topic or "").split(",") if t.strip())
        return storage.ClaimFilter(
            statuses=self.statuses(),
            topics=topics,
            claimant=self.claimant,
            overdue=self.overdue,
            due_soon_until=today + timedelta(days=due_soon_days) if self.due_soon else None,
            due_before=self.due_before,
            due_after=self.due_after,
            words=self.words(),
            today=today,
        )

    def fingerprint(self, seq: int, today: date, due_soon_days: int, *, paged: bool = True) -> str:
        """Return a short hash that changes whenever this query's answer may have changed."""
        fields = self.model_dump(exclude=set() if paged else {"limit", "cursor", "sort"})
        normal = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
        raw = f"{seq}|{today.isoformat()}|{due_soon_days}|{normal}"
        return f"{seq}-{hashlib.sha256(raw.encode()).hexdigest()[:16]}"


def fingerprint(
    db: storage.Executor, query: ClaimQuery, today: date, due_soon_days: int, *, paged: bool = True
) -> str:
    """Fingerprint of a list query's answer from the database's latest seq (no list query)."""
    return query.fingerprint(storage.latest_seq(db), today, due_soon_days, paged=paged)


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


def claim_page(
    session: storage.Executor, query: ClaimQuery, *, today: date, due_soon_days: int
) -> dict[str, Any]:
    """Return one page: ``{"items": [...], "next_cursor": ...}``. Raises InvalidInput."""
    after = storage.decode_cursor(query.cursor, query.sort) if query.cursor else None
    rows = storage.list_claims(
        session,
        query.to_filter(today, due_soon_days),
        sort=query.sort,
        limit=query.limit,
        after=after,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more:
        last = rows[-1]
        column = storage.SORTS[query.sort][0]
        next_cursor = storage.encode_cursor(query.sort, getattr(last, column), last.id)
    return {
        "items": [shapes.claim(r, today, due_soon_days) for r in rows],
        "next_cursor": next_cursor,
    }
