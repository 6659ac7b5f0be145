"""Handles on the tables, for the queries of this package (nothing outside it builds SQL)."""

from __future__ import annotations

import sqlalchemy as sa

from claims.models import (
    ApiToken,
    Claim,
    ClaimAssignment,
    ClaimNote,
    ClaimTally,
    ClaimTopic,
    Event,
    Evidence,
    IdempotencyKey,
    LogCheckpoint,
    LogLeaf,
    LogNode,
    SeqCounter,
    SeqGap,
    Source,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)

claim_t: sa.Table = Claim.__table__  # type: ignore[attr-defined]
topic_t: sa.Table = ClaimTopic.__table__  # type: ignore[attr-defined]
event_t: sa.Table = Event.__table__  # type: ignore[attr-defined]
evidence_t: sa.Table = Evidence.__table__  # type: ignore[attr-defined]
seq_t: sa.Table = SeqCounter.__table__  # type: ignore[attr-defined]
gap_t: sa.Table = SeqGap.__table__  # type: ignore[attr-defined]
tally_t: sa.Table = ClaimTally.__table__  # type: ignore[attr-defined]
source_t: sa.Table = Source.__table__  # type: ignore[attr-defined]
token_t: sa.Table = ApiToken.__table__  # type: ignore[attr-defined]
key_t: sa.Table = IdempotencyKey.__table__  # type: ignore[attr-defined]
note_t: sa.Table = ClaimNote.__table__  # type: ignore[attr-defined]
assignment_t: sa.Table = ClaimAssignment.__table__  # type: ignore[attr-defined]
log_leaf_t: sa.Table = LogLeaf.__table__  # type: ignore[attr-defined]
log_node_t: sa.Table = LogNode.__table__  # type: ignore[attr-defined]
log_checkpoint_t: sa.Table = LogCheckpoint.__table__  # type: ignore[attr-defined]
webhook_t: sa.Table = Webhook.__table__  # type: ignore[attr-defined]
delivery_t: sa.Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
attempt_t: sa.Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
