"""The export format (version 1): one JSON object a line, a header first, then the records.

::

    {"checkpoint": {...}, "counts": {...}, "format": "claims-export", "seq": 57, "version": 1}
                                                                            the header
    {"data": {...source row...}, "type": "source"}                          every source, by id
    {"data": {...claim row...}, "type": "claim"}                            then each claim, by id,
    {"data": {...history event...}, "type": "event"}                          its events by seq,
    {"data": {...evidence row...}, "type": "evidence"}                        and its evidence by id

Each line is canonical (keys sorted, no whitespace, UTF-8, nothing escaped that need not be),
so the same database always exports to the same bytes. An event's ``data`` is exactly its
public form (``GET /v1/claims/{id}/history``), hash included. Tokens are never exported. The
header's ``checkpoint`` (since the transparency log; absent from older files) is the history
log's latest checkpoint covering the exported events: an import refuses a file whose events
do not hash to its root.
The models below validate a line on import with the API's own field types
(``claims.models.fields``): a file can hold nothing the API would refuse (a ``javascript:`` URL,
a slug that reads as an id, blank text), and what passes fits the columns of either database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from claims.clock import as_utc, iso
from claims.models import (
    NOTE_MAX,
    TOKEN_NAME_MAX,
    Certainty,
    Condition,
    Criteria,
    DueText,
    EventKind,
    HttpUrl,
    Id,
    Name,
    Quote,
    Slug,
    Stance,
    Statement,
    Text,
    Title,
    TopicSlug,
)
from claims.status import Role, Status

FORMAT = "claims-export"
VERSION = 1
KINDS = ("source", "claim", "event", "evidence")


def dumps(value: Any) -> bytes:
    """Serialize one line of the export (canonical: sorted keys, compact, UTF-8), with newline."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


Count = Annotated[int, Field(ge=0)]
UTC = Annotated[AwareDatetime, AfterValidator(as_utc)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


ActorName = Annotated[Text, Field(max_length=TOKEN_NAME_MAX)]
Note = Annotated[str, Field(max_length=NOTE_MAX, pattern=r"^[^\x00]*$")]


class Counts(_Model):
    """How many records of each kind the file holds."""

    source: Count
    claim: Count
    event: Count
    evidence: Count


class CheckpointData(_Model):
    """The history log's checkpoint the export carries (``GET /v1/log/checkpoint``'s JSON)."""

    size: Count
    root_hash: Hash
    timestamp: Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    signature: Annotated[str, Field(max_length=200)] | None
    key_id: Hash | None


class Header(_Model):
    """The first line: what the file is, the last ``seq`` and how many records follow; since
    the transparency log, also the log's checkpoint (optional: older exports lack it)."""

    format: Literal["claims-export"]
    version: Literal[1]
    seq: Count
    counts: Counts
    checkpoint: CheckpointData | None = None


class SourceData(_Model):
    """A ``source`` row."""

    id: Id
    title: Title
    url: HttpUrl | None
    publisher: Name | None
    published_on: date | None
    text: Annotated[str, Field(pattern=r"^[^\x00]*$")] | None
    created_at: UTC


class ClaimData(_Model):
    """A ``claim`` row; ``claim_topic`` is rebuilt from ``topics``."""

    id: Id
    slug: Slug
    statement: Statement
    quote: Quote | None
    claimant: Name
    claimant_role: Name | None
    source_id: Id | None
    stated_on: date
    certainty: Certainty
    condition: Condition | None
    condition_claim_id: Id | None
    due_from: date | None
    due_by: date | None
    due_text: DueText | None
    resolution_criteria: Criteria | None
    topics: list[TopicSlug]
    status: Status
    version: Id
    created_at: UTC
    updated_at: UTC
    status_changed_at: UTC


class ActorData(_Model):
    """Who made a change."""

    name: ActorName
    role: Role


class EventData(_Model):
    """A history event in its public form, hash included."""

    seq: Id
    claim_id: Id
    kind: EventKind
    at: UTC
    actor: ActorData
    note: Note | None
    from_status: Status | None
    to_status: Status | None
    occurred_on: date | None
    correction: bool
    evidence: list[dict[str, Any]]
    changes: dict[str, Any]
    status: Status
    version: Id
    prev_hash: Hash | None
    hash: Hash

    def row(self) -> dict[str, Any]:
        """The ``event`` table row this record stands for."""
        values = self.model_dump(exclude={"actor"})
        return {**values, "actor_name": self.actor.name, "actor_role": self.actor.role}


class EvidenceData(_Model):
    """An ``evidence`` row."""

    id: Id
    claim_id: Id
    event_seq: Id
    url: HttpUrl
    title: Title
    publisher: Name | None
    published_on: date | None
    quote: Quote | None
    stance: Stance


class SourceRecord(_Model):
    """A line holding a source."""

    type: Literal["source"]
    data: SourceData


class ClaimRecord(_Model):
    """A line holding a claim."""

    type: Literal["claim"]
    data: ClaimData


class EventRecord(_Model):
    """A line holding a history event."""

    type: Literal["event"]
    data: EventData


class EvidenceRecord(_Model):
    """A line holding a piece of evidence."""

    type: Literal["evidence"]
    data: EvidenceData


Record = Annotated[
    SourceRecord | ClaimRecord | EventRecord | EvidenceRecord, Field(discriminator="type")
]
RECORD: TypeAdapter[Record] = TypeAdapter(Record)


def plain(value: Any) -> Any:
    """Make a column value JSON-ready the one way the tracker writes them."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
