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
The API's rules on dates (nothing that happened lies in the future, no deadline in the year
9999) are not applied: they came later than some histories, and an export copies the past.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from claims.clock import as_utc, iso
from claims.models import (
    REFUSED_CHARS,
    Article,
    Certainty,
    ClaimUpdate,
    Condition,
    Criteria,
    Day,
    DueText,
    EventKind,
    HttpUrl,
    Id,
    Name,
    Note,
    Quote,
    QuoteKind,
    Slug,
    Stance,
    Statement,
    Title,
    TokenName,
    TopicSlug,
    error_message,
)
from claims.quotes import default_kind
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
    text: Article | None
    created_at: UTC


class ClaimData(_Model):
    """A ``claim`` row; ``claim_topic`` is rebuilt from ``topics``."""

    id: Id
    slug: Slug
    statement: Statement
    quote: Quote | None
    quote_kind: QuoteKind | None = None
    """Absent from files exported before migration 0011: then direct for a quote (as the
    migration did), else null."""
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
    # Since migration 0012 (older exports lack them): the deadline watcher's marks.
    due_soon_noted_on: date | None = None
    overdue_noted_on: date | None = None

    @model_validator(mode="after")
    def _quote_kind_follows_quote(self) -> ClaimData:
        if "quote_kind" not in self.model_fields_set:
            self.quote_kind = default_kind(self.quote)  # type: ignore[assignment]
        elif (self.quote is None) != (self.quote_kind is None):
            raise ValueError("quote_kind: must be null exactly when quote is null")
        return self


class ActorData(_Model):
    """Who made a change."""

    name: TokenName
    role: Role


class CitedEvidence(_Model):
    """A piece of evidence as an event cites it (what ``EvidenceIn`` took in)."""

    url: HttpUrl
    title: Title
    publisher: Name | None = None
    published_on: date | None = None
    quote: Quote | None = None
    stance: Stance


# The type of each field an edit may change, as ClaimUpdate declares it; but the due window's
# days without the bound on their year (``LAST_DUE_YEAR``), as the claim record takes them: the
# bound came later, and an export is a copy of what was written.
_EDITABLE: dict[str, TypeAdapter[Any]] = {
    name: TypeAdapter(
        Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    )
    for name, field in ClaimUpdate.model_fields.items()
    if name != "reason"
} | {name: TypeAdapter(Day | None) for name in ("due_from", "due_by")}
_REFUSED = re.compile(f"[{REFUSED_CHARS}]")


def _checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Hold an event's ``[before, after]`` values to the types of the fields they belong to
    (any other string to the text rule); the values themselves stay as written (hashed)."""
    for name, pair in changes.items():
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"{name}: must be [before, after]")
        for value in pair:
            if value is None:
                continue
            if name in _EDITABLE:
                try:
                    _EDITABLE[name].validate_python(value)
                except ValidationError as exc:
                    raise ValueError(f"{name}: {error_message(exc.errors()[0])}") from None
            elif any(_REFUSED.search(text) for text in _strings(value)):
                raise ValueError(f"{name}: must not contain control or bidirectional characters")
    return changes


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | dict):
        items = value.values() if isinstance(value, dict) else value
        return [text for item in items for text in _strings(item)]
    return []


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
    evidence: list[CitedEvidence]
    changes: Annotated[dict[str, Any], AfterValidator(_checked_changes)]
    status: Status
    version: Id
    prev_hash: Hash | None
    hash: Hash

    def row(self) -> dict[str, Any]:
        """The ``event`` table row this record stands for."""
        values = self.model_dump(exclude={"actor", "evidence"})
        # As the file wrote them (and the hash covers): only the keys it gave, JSON values.
        evidence = [e.model_dump(mode="json", exclude_unset=True) for e in self.evidence]
        return {
            **values,
            "evidence": evidence,
            "actor_name": self.actor.name,
            "actor_role": self.actor.role,
        }


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
