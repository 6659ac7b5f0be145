"""The request bodies of the API: unknown fields are an error, every limit from ``fields``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as Limits

from claims.models.fields import (
    AS_SENT,
    EVIDENCE_MAX,
    Article,
    Certainty,
    Condition,
    Criteria,
    Day,
    DueDay,
    DueText,
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
    Topics,
    text,
)
from claims.status import Role, Status
from claims.webhook_events import EventType


class RequestModel(BaseModel):
    """Base of every request body: unknown fields are an error, never silently dropped.

    Every free text is one of the text types of ``fields`` (``Text`` and its sized kin), every
    address an ``HttpUrl``: the import (``claims.interop.records``) and the CLI use the same.
    """

    model_config = ConfigDict(extra="forbid")


class EvidenceIn(RequestModel):
    """A piece of evidence as a client sends it."""

    url: HttpUrl
    title: Title
    publisher: Name | None = None
    published_on: Day | None = None
    quote: Quote | None = None
    stance: Stance


class ClaimCreate(RequestModel):
    """A new claim. ``stated_on`` defaults to the source's date, else today."""

    slug: Slug | None = None
    statement: Statement
    quote: Quote | None = None
    quote_kind: QuoteKind | None = Limits(
        default=None,
        description="Whose words the quote is: `direct` (the claimant's own) or `reported` "
        "(the outlet's paraphrase). Defaults to `direct` when a quote is sent; refused "
        "without a quote.",
    )
    claimant: Name
    claimant_role: Name | None = None
    source_id: Id | None = None
    stated_on: Day | None = None
    certainty: Certainty = Certainty.ASSERTED
    condition: Condition | None = None
    condition_claim_id: Id | None = None
    due_from: DueDay | None = None
    due_by: DueDay | None = None
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
    quote_kind: QuoteKind | None = Limits(
        default=None,
        description="`direct` or `reported`. Follows the quote when not sent: removing the "
        "quote clears it, adding a quote to a claim without one makes it `direct`.",
    )
    claimant: Name = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    claimant_role: Name | None = None
    source_id: Id | None = None
    stated_on: Day = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    certainty: Certainty = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    condition: Condition | None = None
    condition_claim_id: Id | None = None
    due_from: DueDay | None = None
    due_by: DueDay | None = None
    due_text: DueText | None = None
    resolution_criteria: Criteria | None = None
    topics: Topics = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    reason: Note | None = Limits(
        default=None,
        description="Why the claim is edited: the history event's note (required to edit a "
        "claim that carries a verdict: that edit is a correction).",
    )

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values (the reason is not a field)."""
        return {name: getattr(self, name) for name in self.model_fields_set - {"reason"}}


class StatusChange(RequestModel):
    """Move a claim to another status, with a note and, for verdicts, evidence."""

    status: Status
    note: Note | None = None
    evidence: Annotated[list[EvidenceIn], Limits(max_length=EVIDENCE_MAX)] = Limits(
        default_factory=list
    )
    occurred_on: Day | None = None


class SourceCreate(RequestModel):
    """A new source document."""

    title: Title
    url: HttpUrl | None = None
    publisher: Name | None = None
    published_on: Day | None = None
    text: Article | None = None


class ExtractRequest(RequestModel):
    """An article to propose claims from (``POST /v1/extract``, ``claims extract``)."""

    # Not stripped: the proposals' offsets count from the text exactly as sent.
    text: Article
    published_on: Day
    title: Title | None = None
    url: HttpUrl | None = None


class PassageIn(RequestModel):
    """One proposal of an article, as the intake checks it: its quote and slug."""

    quote: Quote
    slug: Slug


class IntakeCheck(RequestModel):
    """An article's source (title, URL) and its proposals: which does the tracker hold?"""

    title: Title
    url: HttpUrl | None = None
    proposals: Annotated[list[PassageIn], Limits(max_length=500)]


class NoteCreate(RequestModel):
    """An internal note on a claim."""

    body: Note


class AssignmentSet(RequestModel):
    """Assign a claim to a person (a token's name), or clear it with ``null``."""

    assignee: TokenName | None


class TokenCreate(RequestModel):
    """A new access token for a named person or program."""

    name: TokenName
    role: Role


class WebhookCreate(RequestModel):
    """A new subscription: where to send which changes (empty filters: everything)."""

    url: HttpUrl
    events: Annotated[list[EventType], Limits(max_length=20)] = Limits(default_factory=list)
    statuses: Annotated[list[Status], Limits(max_length=20)] = Limits(default_factory=list)
    topics: Topics = Limits(default_factory=list)
    description: Annotated[str, text(300), AS_SENT] | None = None


class WebhookUpdate(RequestModel):
    """A partial change of a subscription; ``active: true`` re-enables a disabled one."""

    url: HttpUrl = None  # type: ignore[assignment]  # absent: unchanged; null: refused
    events: Annotated[list[EventType], Limits(max_length=20)] = None  # type: ignore[assignment]
    statuses: Annotated[list[Status], Limits(max_length=20)] = None  # type: ignore[assignment]
    topics: Topics = None  # type: ignore[assignment]
    description: Annotated[str, text(300), AS_SENT] | None = None
    active: bool = None  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (null refused where a value is needed)."""
        return {name: getattr(self, name) for name in self.model_fields_set}
