"""The export format (version 1): one JSON object a line, a header first, then the records.

::

    {"counts": {...}, "format": "claims-export", "seq": 57, "version": 1}     the header
    {"data": {...source row...}, "type": "source"}                          every source, by id
    {"data": {...claim row...}, "type": "claim"}                            then each claim, by id,
    {"data": {...history event...}, "type": "event"}                          its events by seq,
    {"data": {...evidence row...}, "type": "evidence"}                        and its evidence by id

Each line is canonical (keys sorted, no whitespace, UTF-8, nothing escaped that need not be),
so the same database always exports to the same bytes. An event's ``data`` is exactly its
public form (``GET /v1/claims/{id}/history``), hash included. Tokens are never exported.
The models below validate a line on import; they mirror the table limits, so a file that
passes them fits PostgreSQL as well as SQLite.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from claims.clock import as_utc, iso
from claims.models import Certainty, EventKind, Stance
from claims.status import Role, Status

FORMAT = "claims-export"
VERSION = 1
KINDS = ("source", "claim", "event", "evidence")


def dumps(value: Any) -> bytes:
    """Serialize one line of the export (canonical: sorted keys, compact, UTF-8), with newline."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0)]
UTC = Annotated[AwareDatetime, AfterValidator(as_utc)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


Text40 = Annotated[str, Field(max_length=40)]
Text100 = Annotated[str, Field(max_length=100)]
Text200 = Annotated[str, Field(max_length=200)]
Text300 = Annotated[str, Field(max_length=300)]
Text500 = Annotated[str, Field(max_length=500)]
Text1000 = Annotated[str, Field(max_length=1000)]
Text2000 = Annotated[str, Field(max_length=2000)]


class Counts(_Model):
    """How many records of each kind the file holds."""

    source: Count
    claim: Count
    event: Count
    evidence: Count


class Header(_Model):
    """The first line: what the file is, the last ``seq`` and how many records follow."""

    format: Literal["claims-export"]
    version: Literal[1]
    seq: Count
    counts: Counts


class SourceData(_Model):
    """A ``source`` row."""

    id: Id
    title: Text300
    url: Text2000 | None
    publisher: Text200 | None
    published_on: date | None
    text: str | None
    created_at: UTC


class ClaimData(_Model):
    """A ``claim`` row; ``claim_topic`` is rebuilt from ``topics``."""

    id: Id
    slug: Annotated[str, Field(min_length=1, max_length=120)]
    statement: Text500
    quote: Text2000 | None
    claimant: Text200
    claimant_role: Text200 | None
    source_id: Id | None
    stated_on: date
    certainty: Certainty
    condition: Text1000 | None
    condition_claim_id: Id | None
    due_from: date | None
    due_by: date | None
    due_text: Text300 | None
    resolution_criteria: Text2000 | None
    topics: list[Text40]
    status: Status
    version: Id
    created_at: UTC
    updated_at: UTC
    status_changed_at: UTC


class ActorData(_Model):
    """Who made a change."""

    name: Text100
    role: Role


class EventData(_Model):
    """A history event in its public form, hash included."""

    seq: Id
    claim_id: Id
    kind: EventKind
    at: UTC
    actor: ActorData
    note: str | None
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
    url: Text2000
    title: Text300
    publisher: Text200 | None
    published_on: date | None
    quote: Text2000 | None
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
