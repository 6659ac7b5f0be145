"""Every table model, and the request and response models of the API.

Table models (``table=True``) mirror the Alembic migrations exactly (a test compares them).
Request models forbid unknown fields and carry every field limit; response models are the
public shapes of SPEC section 3. Nothing here talks to the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final

import sqlalchemy as sa
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
)
from pydantic import Field as Limits
from sqlmodel import Field, SQLModel

from claims.status import Role, Status

UTCDateTime = sa.DateTime(timezone=True)

MAX_ID: Final = 2**31 - 1
"""Ids and seqs are 32-bit columns: nothing past this can exist."""
SLUG_MAX: Final = 120


class Certainty(StrEnum):
    """How the claimant hedged (SPEC section 2)."""

    ASSERTED = "asserted"
    EXPECTED = "expected"
    POSSIBLE = "possible"
    CONDITIONAL = "conditional"


class Stance(StrEnum):
    """What a piece of evidence does to the claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class EventKind(StrEnum):
    """The kinds of history event (and of change in the feed)."""

    CREATED = "created"
    EDITED = "edited"
    STATUS_CHANGED = "status_changed"
    EVIDENCE_ADDED = "evidence_added"


# ---------------------------------------------------------------------------------------------
# Tables


class Source(SQLModel, table=True):
    """An article or document claims come from."""

    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=sa.String(300))
    url: str | None = Field(default=None, sa_type=sa.String(2000))
    publisher: str | None = Field(default=None, sa_type=sa.String(200))
    published_on: date | None = None
    text: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Claim(SQLModel, table=True):
    """A forward-looking claim and its current status."""

    __tablename__ = "claim"
    __table_args__ = (
        sa.Index("ix_claim_status_id", "status", "id"),
        sa.Index("ix_claim_due_by_id", "due_by", "id"),
        sa.Index("ix_claim_updated_at_id", "updated_at", "id"),
        sa.Index("ix_claim_created_at_id", "created_at", "id"),
        sa.Index("ix_claim_stated_on_id", "stated_on", "id"),
        sa.Index("ix_claim_claimant", "claimant"),
        sa.Index("ix_claim_status_due_by_id", "status", "due_by", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=sa.String(SLUG_MAX), unique=True)
    statement: str = Field(sa_type=sa.String(500))
    quote: str | None = Field(default=None, sa_type=sa.String(2000))
    claimant: str = Field(sa_type=sa.String(200))
    claimant_role: str | None = Field(default=None, sa_type=sa.String(200))
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    stated_on: date
    certainty: str = Field(sa_type=sa.String(20))
    condition: str | None = Field(default=None, sa_type=sa.String(1000))
    condition_claim_id: int | None = Field(default=None, foreign_key="claim.id")
    due_from: date | None = None
    due_by: date | None = None
    due_text: str | None = Field(default=None, sa_type=sa.String(300))
    resolution_criteria: str | None = Field(default=None, sa_type=sa.String(2000))
    topics: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(sa_type=sa.String(30))
    version: int
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    status_changed_at: datetime = Field(sa_type=UTCDateTime)


class ClaimTopic(SQLModel, table=True):
    """Index table for the topic filter; storage keeps it equal to ``claim.topics``."""

    __tablename__ = "claim_topic"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    topic: str = Field(sa_type=sa.String(40), primary_key=True, index=True)


class ClaimTally(SQLModel, table=True):
    """How many claims have each (status, deadline); the summary sums these rows.

    ``due_key`` is ``due_by``, or 9999-12-31 for open-ended claims (a key cannot be null).
    """

    __tablename__ = "claim_tally"

    status: str = Field(sa_type=sa.String(30), primary_key=True)
    due_key: date = Field(primary_key=True)
    count: int


class Event(SQLModel, table=True):
    """One entry of a claim's append-only, hash-chained history; ``seq`` is the global order."""

    __tablename__ = "event"
    __table_args__ = (sa.Index("ix_event_claim_id_seq", "claim_id", "seq"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    claim_id: int = Field(foreign_key="claim.id")
    kind: str = Field(sa_type=sa.String(20))
    at: datetime = Field(sa_type=UTCDateTime)
    actor_name: str = Field(sa_type=sa.String(100))
    actor_role: str = Field(sa_type=sa.String(20))
    note: str | None = Field(default=None, sa_type=sa.Text)
    from_status: str | None = Field(default=None, sa_type=sa.String(30))
    to_status: str | None = Field(default=None, sa_type=sa.String(30))
    occurred_on: date | None = None
    correction: bool = False
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = Field(sa_type=sa.String(30))
    version: int
    prev_hash: str | None = Field(default=None, sa_type=sa.String(64))
    hash: str = Field(sa_type=sa.String(64))


class Evidence(SQLModel, table=True):
    """A piece of evidence attached to a claim, and to the event that cited it."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    event_seq: int = Field(foreign_key="event.seq")
    url: str = Field(sa_type=sa.String(2000))
    title: str = Field(sa_type=sa.String(300))
    publisher: str | None = Field(default=None, sa_type=sa.String(200))
    published_on: date | None = None
    quote: str | None = Field(default=None, sa_type=sa.String(2000))
    stance: str = Field(sa_type=sa.String(10))


class ClaimNote(SQLModel, table=True):
    """An internal note on a claim, for signed-in staff only: never in the public history,
    feeds or exports. Notes are kept, never edited."""

    __tablename__ = "claim_note"
    __table_args__ = (sa.Index("ix_claim_note_claim_id_id", "claim_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id")
    body: str = Field(sa_type=sa.Text)
    author_name: str = Field(sa_type=sa.String(100))
    author_role: str = Field(sa_type=sa.String(20))
    created_at: datetime = Field(sa_type=UTCDateTime)


class ClaimAssignment(SQLModel, table=True):
    """Who is working on a claim (internal, like notes): one reviewer's token name, or none."""

    __tablename__ = "claim_assignment"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    assignee: str = Field(sa_type=sa.String(100), index=True)
    assigned_by: str = Field(sa_type=sa.String(100))
    assigned_at: datetime = Field(sa_type=UTCDateTime)


class SeqCounter(SQLModel, table=True):
    """The single row holding the last global ``seq``; its row lock orders writes by commit."""

    __tablename__ = "seq_counter"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    value: int


class ApiToken(SQLModel, table=True):
    """An access token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(100), unique=True)
    role: str = Field(sa_type=sa.String(20))
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IdempotencyKey(SQLModel, table=True):
    """The first outcome of a create sent with an Idempotency-Key (per token name and operation)."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        sa.UniqueConstraint("actor_name", "operation", "key", name="uq_idempotency_key"),
        sa.Index("ix_idempotency_key_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor_name: str = Field(sa_type=sa.String(100))
    operation: str = Field(sa_type=sa.String(40))
    key: str = Field(sa_type=sa.String(255))
    request_hash: str = Field(sa_type=sa.String(64))
    state: str = Field(sa_type=sa.String(10))
    result_id: int | None = None
    result_body: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# ---------------------------------------------------------------------------------------------
# Request models


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    # Pydantic's lax mode would also take 0, "1767139200" or a datetime string as a date.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


# Patterns rather than validators where a pattern can say it: they land in the OpenAPI
# document, so clients (and schemathesis) know the rule before they send.
# Character classes spelled out: Python's \s and Rust's (pydantic-core's) differ.
TEXT_PATTERN = r"^[^\x00]*[^\x00 \t\n\r\f\v][^\x00]*$"  # not only spaces; no NUL
SLUG_PATTERN = r"^([a-z0-9]+-)*[a-z0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"  # has a letter
TOPIC_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^ \t\n\r\f\v/?#]+[^ \t\n\r\f\v]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"
_STATUS_WORD = "(" + "|".join(["open", "verdict", *(s.value for s in Status)]) + ")"
STATUS_LIST_PATTERN = f"^{_STATUS_WORD}( *, *{_STATUS_WORD})*$"
TOPIC_LIST_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*( *, *[a-z0-9]+(-[a-z0-9]+)*)*$"

PATTERN_MESSAGES = {
    TEXT_PATTERN: "must not be empty or only spaces, and must not contain NUL characters",
    SLUG_PATTERN: "must be lowercase letters, digits and single hyphens, with at least one letter",
    TOPIC_PATTERN: "must be lowercase letters, digits and single hyphens",
    URL_PATTERN: "must be an http(s) URL",
    NO_NUL_PATTERN: "must not contain NUL characters",
    STATUS_LIST_PATTERN: "must be open, verdict, or one or more of "
    + ", ".join(s.value for s in Status)
    + ", separated by commas",
    TOPIC_LIST_PATTERN: "must be one or more topic slugs (lowercase letters, digits and single "
    "hyphens), separated by commas",
}


def error_message(err: Mapping[str, Any]) -> str:
    """Say what a pydantic validation error means, in words rather than a regular expression."""
    if err.get("type") == "extra_forbidden":
        return "is not a field of this request (unknown fields are refused)"
    if err.get("type") == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern", "")
        return PATTERN_MESSAGES.get(pattern, f"must match the pattern {pattern}")
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=TEXT_PATTERN)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN)]
TopicSlug = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=TOPIC_PATTERN)]
HttpUrl = Annotated[str, StringConstraints(max_length=2000, pattern=URL_PATTERN)]


class RequestModel(BaseModel):
    """Base of every request body: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class EvidenceIn(RequestModel):
    """A piece of evidence as a client sends it."""

    url: HttpUrl
    title: Annotated[Text, StringConstraints(max_length=300)]
    publisher: Annotated[Text, StringConstraints(max_length=200)] | None = None
    published_on: Day | None = None
    quote: Annotated[Text, StringConstraints(max_length=2000)] | None = None
    stance: Stance


Id = Annotated[int, Limits(ge=1, le=MAX_ID)]
SeqNumber = Annotated[int, Limits(ge=0, le=MAX_ID)]
Statement = Annotated[Text, StringConstraints(max_length=500)]
Name = Annotated[Text, StringConstraints(max_length=200)]
Quote = Annotated[Text, StringConstraints(max_length=2000)]
Condition = Annotated[Text, StringConstraints(max_length=1000)]
DueText = Annotated[Text, StringConstraints(max_length=300)]
Criteria = Annotated[Text, StringConstraints(max_length=2000)]
Topics = Annotated[list[TopicSlug], Limits(max_length=20)]


class ClaimCreate(RequestModel):
    """A new claim. ``stated_on`` defaults to the source's date, else today."""

    slug: Slug | None = None
    statement: Statement
    quote: Quote | None = None
    claimant: Name
    claimant_role: Name | None = None
    source_id: Id | None = None
    stated_on: Day | None = None
    certainty: Certainty = Certainty.ASSERTED
    condition: Condition | None = None
    condition_claim_id: Id | None = None
    due_from: Day | None = None
    due_by: Day | None = None
    due_text: DueText | None = None
    resolution_criteria: Criteria | None = None
    topics: Topics = Limits(default_factory=list)


class ClaimUpdate(RequestModel):
    """A partial edit: only the fields present change; ``null`` clears an optional field.

    ``slug`` is not editable: a claim's URL is permanent. ``status`` changes go through
    ``StatusChange``; ``id``, ``version`` and timestamps belong to the server.
    """

    statement: Statement = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    quote: Quote | None = None
    claimant: Name = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    claimant_role: Name | None = None
    source_id: Id | None = None
    stated_on: Day = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    certainty: Certainty = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    condition: Condition | None = None
    condition_claim_id: Id | None = None
    due_from: Day | None = None
    due_by: Day | None = None
    due_text: DueText | None = None
    resolution_criteria: Criteria | None = None
    topics: Topics = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = (
        Limits(default=None, description="Why the claim is edited: the history event's note.")
    )

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values (the reason is not a field)."""
        return {name: getattr(self, name) for name in self.model_fields_set - {"reason"}}


class StatusChange(RequestModel):
    """Move a claim to another status, with a note and, for verdicts, evidence."""

    status: Status
    note: Annotated[str, StringConstraints(max_length=4000)] | None = None
    evidence: Annotated[list[EvidenceIn], Limits(max_length=20)] = Limits(default_factory=list)
    occurred_on: Day | None = None


class SourceCreate(RequestModel):
    """A new source document."""

    title: Annotated[Text, StringConstraints(max_length=300)]
    url: HttpUrl | None = None
    publisher: Name | None = None
    published_on: Day | None = None
    text: Annotated[str, StringConstraints(max_length=200_000, pattern=r"^[^\x00]*$")] | None = None


class ExtractRequest(RequestModel):
    """An article to propose claims from (``POST /v1/extract``, ``claims extract``)."""

    # Not stripped: the proposals' offsets count from the text exactly as sent.
    text: Annotated[str, StringConstraints(min_length=1, max_length=200_000, pattern=r"^[^\x00]*$")]
    published_on: Day
    title: Annotated[Text, StringConstraints(max_length=300)] | None = None
    url: HttpUrl | None = None


class PassageIn(RequestModel):
    """One proposal of an article, as the intake checks it: its quote and slug."""

    quote: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    slug: Slug


class IntakeCheck(RequestModel):
    """An article's source (title, URL) and its proposals: which does the tracker hold?"""

    title: Annotated[Text, StringConstraints(max_length=300)]
    url: HttpUrl | None = None
    proposals: Annotated[list[PassageIn], Limits(max_length=500)]


class NoteCreate(RequestModel):
    """An internal note on a claim."""

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class AssignmentSet(RequestModel):
    """Assign a claim to a person (a token's name), or clear it with ``null``."""

    assignee: Annotated[Text, StringConstraints(max_length=100)] | None


class TokenCreate(RequestModel):
    """A new access token for a named person or program."""

    name: Annotated[Text, StringConstraints(max_length=100)]
    role: Role


# ---------------------------------------------------------------------------------------------
# Response models (the public shapes; the hot read paths build the same dicts directly)


class Actor(BaseModel):
    """Who made a change: the token's name and role."""

    name: str
    role: Role


class EvidencePublic(BaseModel):
    """A piece of evidence as the API shows it."""

    url: str
    title: str
    publisher: str | None
    published_on: date | None
    quote: str | None
    stance: Stance


class ClaimPublic(BaseModel):
    """A claim as the API shows it; ``overdue`` and ``due_soon`` are computed."""

    id: int
    slug: str
    statement: str
    quote: str | None
    claimant: str
    claimant_role: str | None
    source_id: int | None
    stated_on: date
    certainty: Certainty
    condition: str | None
    condition_claim_id: int | None
    due_from: date | None
    due_by: date | None
    due_text: str | None
    resolution_criteria: str | None
    topics: list[str]
    status: Status
    overdue: bool
    due_soon: bool
    version: int
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime


class ClaimPage(BaseModel):
    """One page of the claim list."""

    items: list[ClaimPublic]
    next_cursor: str | None


class Change(BaseModel):
    """One change of the feed and the stream (SPEC section 3)."""

    seq: int
    claim_id: int
    slug: str
    kind: str
    status: Status
    version: int
    at: datetime


class ChangePage(BaseModel):
    """The changes after a seq, and the seq to ask from next time."""

    changes: list[Change]
    next: int


class Summary(BaseModel):
    """Counts for a dashboard, under the list's filters, at ``seq``."""

    total: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    seq: int


class EventPublic(BaseModel):
    """One history event; ``hash`` is SHA-256 over ``prev_hash`` and the rest (docs/history.md)."""

    seq: int
    claim_id: int
    kind: EventKind
    at: datetime
    actor: Actor
    note: str | None
    from_status: Status | None
    to_status: Status | None
    occurred_on: date | None
    correction: bool
    evidence: list[EvidencePublic]
    changes: dict[str, list[Any]]
    status: Status
    version: int
    prev_hash: str | None
    hash: str


class History(BaseModel):
    """A claim's history, oldest first."""

    events: list[EventPublic]
    next_after: int | None = None


class SourcePublic(BaseModel):
    """A source as the API shows it."""

    id: int
    title: str
    url: str | None
    publisher: str | None
    published_on: date | None
    text: str | None
    created_at: datetime


class SourceList(BaseModel):
    """Every source, oldest first."""

    items: list[SourcePublic]


class TokenPublic(BaseModel):
    """A token's metadata; the secret itself is never shown again after creation."""

    name: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    """The answer to creating a token: the only time the secret is shown."""

    token: str


class TokenList(BaseModel):
    """Every token, active and revoked."""

    items: list[TokenPublic]
