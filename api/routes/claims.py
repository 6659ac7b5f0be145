"""Claim endpoints: list, create, read, edit, change status, attach evidence, history.

Declared for the front door (``api.contract``): each declaration is the whole contract of its
endpoint, and each handler calls one use case. Reads come from the polling caches
(``api.polling``); writes run through ``api.writes.Writes`` (on the event loop, inline on
SQLite, on asyncio connections on PostgreSQL, where creates and status changes are committed
in groups).
Every per-claim path takes the claim's id or its slug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.answers import Answer, written_claim
from api.contract import Call, Endpoints
from claims import creates, services, status_changes
from claims.clock import today
from claims.creates import CreateRequest
from claims.models import (
    ClaimCreate,
    ClaimPage,
    ClaimPublic,
    ClaimUpdate,
    EvidenceIn,
    History,
    StatusChange,
)
from claims.queries import ClaimQuery, HistoryQuery
from claims.services import Written
from claims.status_changes import StatusRequest

claims = Endpoints(tags=("claims",))

WRITE_PROBLEMS = (400, 401, 403, 404, 412, 413, 415, 422, 428, 503)


@claims.get("/v1/claims", query=ClaimQuery, response_model=ClaimPage, problems=(304, 401, 422, 503))
async def list_claims(call: Call) -> Answer:
    """List claims with filters, a sort and keyset pagination (follow `next_cursor`)."""
    return await call.state.reads.claims_page(call.query, call.if_none_match)


@claims.post(
    "/v1/claims",
    body=ClaimCreate,
    idempotency_key=True,
    status_code=201,
    response_model=ClaimPublic,
    problems=(400, 401, 403, 409, 413, 415, 422, 503),
)
async def create_claim(call: Call) -> Answer:
    """Create a claim (reviewers and editors); it starts `pending`.
    Send an Idempotency-Key to make retries safe."""
    request = CreateRequest(
        call.body, call.actor, call.idempotency_key, today=today(call.settings.zone)
    )
    written = await call.state.writes.run_grouped(creates.create_claims, request)
    return written_claim(written, call.settings, status=201)


@claims.get("/v1/claims/{ref}", response_model=ClaimPublic, problems=(304, 401, 404, 422, 503))
async def get_claim(call: Call) -> Answer:
    """Read one claim by id or slug."""
    return await call.state.reads.claim(call.ref, call.if_none_match)


@claims.patch(
    "/v1/claims/{ref}",
    body=ClaimUpdate,
    if_match=True,
    response_model=ClaimPublic,
    problems=WRITE_PROBLEMS,
)
async def edit_claim(call: Call) -> Answer:
    """Edit a claim's fields (not its status); needs If-Match."""
    return await _write(call, services.edit_claim, due_soon_days=call.settings.due_soon_days)


@claims.post(
    "/v1/claims/{ref}/status",
    body=StatusChange,
    if_match=True,
    response_model=ClaimPublic,
    problems=(409, *WRITE_PROBLEMS),
)
async def change_claim_status(call: Call) -> Answer:
    """Move a claim through the workflow (verdicts: editors, with evidence); needs If-Match."""
    request = StatusRequest(
        call.ref, call.body, call.version, call.actor, today=today(call.settings.zone)
    )
    written = await call.state.writes.run_grouped(status_changes.change_statuses, request)
    return written_claim(written, call.settings)


@claims.post(
    "/v1/claims/{ref}/evidence",
    body=EvidenceIn,
    if_match=True,
    response_model=ClaimPublic,
    problems=WRITE_PROBLEMS,
)
async def add_evidence(call: Call) -> Answer:
    """Attach a piece of evidence without changing the status; needs If-Match."""
    return await _write(call, services.add_evidence)


@claims.get(
    "/v1/claims/{ref}/history",
    query=HistoryQuery,
    response_model=History,
    problems=(304, 401, 404, 422, 503),
)
async def claim_history(call: Call) -> Answer:
    """A claim's history, oldest first, with hashes; page with `after` = `next_after`."""
    return await call.state.reads.history(call.ref, call.query, call.if_none_match)


async def _write(call: Call, use_case: Callable[..., Written], **extra: Any) -> Answer:
    """Run a write to an existing claim (the ref, the body, If-Match's version, the actor, the
    newsroom's day, which no date of something that happened may follow, and ``extra``)."""
    written = await call.state.writes.run(
        use_case,
        call.ref,
        call.body,
        expected_version=call.version,
        actor=call.actor,
        today=today(call.settings.zone),
        **extra,
    )
    return written_claim(written, call.settings)
