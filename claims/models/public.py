"""The response models: the public shapes of SPEC section 3 (the hot read paths build the same
dicts directly, and tests hold them to these models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from claims.models.fields import Certainty, EventKind, QuoteKind, Stance
from claims.status import Role, Status


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
    quote_kind: QuoteKind | None
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


class CheckpointPublic(BaseModel):
    """A signed tree head of the history log (docs/history.md): the log's size (events), the
    Merkle root, when it was first published; ``signature`` (base64 Ed25519 over the
    checkpoint text) and ``key_id`` are null when the tracker has no signing key."""

    size: int
    root_hash: str
    timestamp: datetime
    signature: str | None
    key_id: str | None


class LogKeyPublic(BaseModel):
    """The public key that signs the log's checkpoints."""

    algorithm: str
    key_id: str
    public_key: str
    public_key_pem: str


class ConsistencyProof(BaseModel):
    """RFC 9162 consistency proof: the log of ``from`` events is a prefix of the log of
    ``to`` events (hex hashes, in proof order)."""

    from_: int = Field(alias="from")
    to: int
    proof: list[str]


class InclusionProof(BaseModel):
    """RFC 9162 inclusion proof of one event (leaf ``index``) in the log of ``size`` events."""

    seq: int
    index: int
    size: int
    leaf_hash: str
    event: EventPublic
    proof: list[str]
