"""Every table model; each mirrors the Alembic migrations exactly (a test compares them).

Nothing here talks to the database; the queries are in ``claims.storage``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from claims.models.fields import (
    CONDITION_MAX,
    CRITERIA_MAX,
    DUE_TEXT_MAX,
    NAME_MAX,
    QUOTE_MAX,
    SLUG_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    TOKEN_NAME_MAX,
    TOPIC_MAX,
    URL_MAX,
)

UTCDateTime = sa.DateTime(timezone=True)


class Source(SQLModel, table=True):
    """An article or document claims come from."""

    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=sa.String(TITLE_MAX))
    url: str | None = Field(default=None, sa_type=sa.String(URL_MAX))
    publisher: str | None = Field(default=None, sa_type=sa.String(NAME_MAX))
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
    statement: str = Field(sa_type=sa.String(STATEMENT_MAX))
    quote: str | None = Field(default=None, sa_type=sa.String(QUOTE_MAX))
    quote_kind: str | None = Field(default=None, sa_type=sa.String(10))
    """``direct`` or ``reported`` (``fields.QuoteKind``); null exactly when ``quote`` is."""
    claimant: str = Field(sa_type=sa.String(NAME_MAX))
    claimant_role: str | None = Field(default=None, sa_type=sa.String(NAME_MAX))
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    stated_on: date
    certainty: str = Field(sa_type=sa.String(20))
    condition: str | None = Field(default=None, sa_type=sa.String(CONDITION_MAX))
    condition_claim_id: int | None = Field(default=None, foreign_key="claim.id")
    due_from: date | None = None
    due_by: date | None = None
    due_text: str | None = Field(default=None, sa_type=sa.String(DUE_TEXT_MAX))
    resolution_criteria: str | None = Field(default=None, sa_type=sa.String(CRITERIA_MAX))
    topics: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(sa_type=sa.String(30))
    version: int
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    status_changed_at: datetime = Field(sa_type=UTCDateTime)
    # The day the deadline watcher wrote this claim's due_soon / overdue event; cleared when an
    # edit moves the deadline (it re-arms them). Internal bookkeeping, not in the public shape.
    due_soon_noted_on: date | None = None
    overdue_noted_on: date | None = None


class ClaimTopic(SQLModel, table=True):
    """Index table for the topic filter; storage keeps it equal to ``claim.topics``."""

    __tablename__ = "claim_topic"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    topic: str = Field(sa_type=sa.String(TOPIC_MAX), primary_key=True, index=True)


class ClaimTally(SQLModel, table=True):
    """How many claims have each (status, deadline); the summary sums these rows.

    ``due_key`` is ``due_by``, or 9999-12-31 for open-ended claims (a key cannot be null).
    ``shard`` spreads one (status, deadline) over several rows, so that concurrent writers do
    not queue on one row lock (migration 0016): only the sum over shards is a count.
    """

    __tablename__ = "claim_tally"

    status: str = Field(sa_type=sa.String(30), primary_key=True)
    due_key: date = Field(primary_key=True)
    shard: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    count: int


class Event(SQLModel, table=True):
    """One entry of a claim's append-only, hash-chained history; ``seq`` is the global order."""

    __tablename__ = "event"
    __table_args__ = (sa.Index("ix_event_claim_id_seq", "claim_id", "seq"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    claim_id: int = Field(foreign_key="claim.id")
    kind: str = Field(sa_type=sa.String(20))
    at: datetime = Field(sa_type=UTCDateTime)
    actor_name: str = Field(sa_type=sa.String(TOKEN_NAME_MAX))
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
    url: str = Field(sa_type=sa.String(URL_MAX))
    title: str = Field(sa_type=sa.String(TITLE_MAX))
    publisher: str | None = Field(default=None, sa_type=sa.String(NAME_MAX))
    published_on: date | None = None
    quote: str | None = Field(default=None, sa_type=sa.String(QUOTE_MAX))
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


class SeqGap(SQLModel, table=True):
    """A seq no event was ever given, brought in by an import from a database whose seqs have
    gaps (PostgreSQL's rolled-back writes): on SQLite, where every write takes the next seq, a
    gap is otherwise a removed event (``claims verify``)."""

    __tablename__ = "seq_gap"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class ApiToken(SQLModel, table=True):
    """An access token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(TOKEN_NAME_MAX), unique=True)
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
    actor_name: str = Field(sa_type=sa.String(TOKEN_NAME_MAX))
    operation: str = Field(sa_type=sa.String(40))
    key: str = Field(sa_type=sa.String(255))
    request_hash: str = Field(sa_type=sa.String(64))
    state: str = Field(sa_type=sa.String(10))
    result_id: int | None = None
    result_body: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LogLeaf(SQLModel, table=True):
    """A leaf of the transparency log (``claims.translog``): the ``idx``-th event in seq order
    and its leaf hash. Derived from the events, appended when a checkpoint is asked for."""

    __tablename__ = "log_leaf"

    idx: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = Field(unique=True)
    hash: bytes = Field(sa_type=sa.LargeBinary)


class LogNode(SQLModel, table=True):
    """A perfect subtree of the log above the leaves: ``2**level`` leaves from
    ``idx * 2**level``, and its hash."""

    __tablename__ = "log_node"

    level: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    idx: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    hash: bytes = Field(sa_type=sa.LargeBinary)


class LogCheckpoint(SQLModel, table=True):
    """A tree head the log has published: its size, root hash and when it was made (the
    signature is made from these, with the key of the moment, when one is served)."""

    __tablename__ = "log_checkpoint"

    size: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    root_hash: bytes = Field(sa_type=sa.LargeBinary)
    made_at: datetime = Field(sa_type=UTCDateTime)


class Webhook(SQLModel, table=True):
    """A subscription: where to deliver which changes, signed with its own secret."""

    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.String(2000))
    secret: str = Field(sa_type=sa.String(100))
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    statuses: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    topics: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    description: str | None = Field(default=None, sa_type=sa.String(300))
    active: bool
    since_seq: int
    """Changes after this seq are delivered (the latest seq when subscribed or re-enabled)."""
    cursor_seq: int = Field(sa_column_kwargs={"server_default": sa.text("0")})
    """The last event this subscription has been through (sent, queued behind a failure, or
    not matching its filters); its lease holder moves it with the deliveries it records."""
    lease_owner: str | None = Field(default=None, sa_type=sa.String(80))
    """The process sending this subscription's deliveries (one at a time, see claims.dispatch)."""
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, sa_type=sa.String(500))
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str = Field(sa_type=sa.String(100))
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One message to one subscription: its signed id is the same on every attempt."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint("webhook_id", "seq", name="uq_webhook_delivery_webhook_seq"),
        sa.Index("ix_webhook_delivery_state_next", "state", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_webhook_id_id", "webhook_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id")
    msg_id: str = Field(sa_type=sa.String(64), unique=True)
    event_type: str = Field(sa_type=sa.String(40))
    seq: int | None = None
    claim_id: int | None = None
    payload: str = Field(sa_type=sa.Text)
    state: str = Field(sa_type=sa.String(12))
    attempts: int
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One try at sending a delivery: what the receiver answered, or why it could not."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = None
    duration_ms: int
    error: str | None = Field(default=None, sa_type=sa.String(500))
    response_excerpt: str | None = Field(default=None, sa_type=sa.String(1000))
