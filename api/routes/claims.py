"""Claim endpoints: list, create, read, edit, change status, attach evidence, history.

Reads are ``async`` and run their short queries inline on the event loop's own connection
(the hot path); each write calls one use case, which commits its own transaction, through
``api.writes.Writes`` (on the event loop on SQLite, in a worker thread on PostgreSQL).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api import etags, responses
from api.deps import (
    ActorDep,
    HotReadsDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ReaderConn,
    ReaderDep,
    SettingsDep,
    WritesDep,
)
from api.errors import responses as problems
from claims import listing, services
from claims.models import (
    ClaimCreate,
    ClaimPage,
    ClaimPublic,
    ClaimUpdate,
    EvidenceIn,
    History,
    StatusChange,
)

router = APIRouter(prefix="/v1", tags=["claims"])

ClaimId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The claim's id.")]


@router.get(
    "/claims",
    response_model=ClaimPage,
    dependencies=[ReaderDep],
    responses=problems(304, 401, 422, 503),
)
async def list_claims(
    request: Request, query: Annotated[listing.ClaimQuery, Query()], reads: HotReadsDep
) -> Response:
    """List claims with filters, a sort and keyset pagination (follow `next_cursor`)."""
    return responses.answer(await reads.claims_page(query, request.headers.get("if-none-match")))


@router.post(
    "/claims",
    status_code=201,
    response_model=ClaimPublic,
    responses=problems(400, 401, 403, 409, 413, 415, 422, 503),
)
async def create_claim(
    body: ClaimCreate,
    writes: WritesDep,
    settings: SettingsDep,
    actor: ActorDep,
    key: IdempotencyKeyDep,
) -> Response:
    """Create a claim (reviewers and editors); it starts `pending`. Send an Idempotency-Key
    to make retries safe."""
    written = await writes.run(services.create_claim, body, actor=actor, idempotency_key=key)
    return responses.written_claim(written, settings, status=201)


@router.get(
    "/claims/{ref}",
    response_model=ClaimPublic,
    dependencies=[ReaderDep],
    responses=problems(304, 401, 404, 503),
)
async def get_claim(
    request: Request,
    ref: Annotated[str, Path(max_length=200, description="The claim's id or slug.")],
    reads: HotReadsDep,
) -> Response:
    """Read one claim by id or slug."""
    return responses.answer(reads.claim(ref, request.headers.get("if-none-match")))


@router.patch(
    # Named like the GET's {ref}: one path template, so a client sees both methods on it.
    "/claims/{ref}",
    response_model=ClaimPublic,
    responses=problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 503),
)
async def edit_claim(
    ref: ClaimId,
    body: ClaimUpdate,
    writes: WritesDep,
    settings: SettingsDep,
    actor: ActorDep,
    version: IfMatchDep,
) -> Response:
    """Edit a claim's fields (not its status); needs If-Match."""
    written = await writes.run(
        services.edit_claim, ref, body, expected_version=version, actor=actor
    )
    return responses.written_claim(written, settings)


@router.post(
    "/claims/{claim_id}/status",
    response_model=ClaimPublic,
    responses=problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503),
)
async def change_claim_status(
    claim_id: ClaimId,
    body: StatusChange,
    writes: WritesDep,
    settings: SettingsDep,
    actor: ActorDep,
    version: IfMatchDep,
) -> Response:
    """Move a claim through the workflow (verdicts: editors, with evidence); needs If-Match."""
    written = await writes.run(
        services.change_status, claim_id, body, expected_version=version, actor=actor
    )
    return responses.written_claim(written, settings)


@router.post(
    "/claims/{claim_id}/evidence",
    response_model=ClaimPublic,
    responses=problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 503),
)
async def add_evidence(
    claim_id: ClaimId,
    body: EvidenceIn,
    writes: WritesDep,
    settings: SettingsDep,
    actor: ActorDep,
    version: IfMatchDep,
) -> Response:
    """Attach a piece of evidence without changing the status; needs If-Match."""
    written = await writes.run(
        services.add_evidence, claim_id, body, expected_version=version, actor=actor
    )
    return responses.written_claim(written, settings)


@router.get(
    "/claims/{claim_id}/history",
    response_model=History,
    dependencies=[ReaderDep],
    responses=problems(304, 401, 404, 422, 503),
)
async def claim_history(
    request: Request,
    claim_id: ClaimId,
    reader: ReaderConn,
    after: Annotated[int, Query(ge=0, le=2**31 - 1, description="Only events after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page.")] = 1000,
) -> Response:
    """A claim's history, oldest first, with hashes; page with `after` = `next_after`."""
    # Every event bumps the claim's version, so the version alone tags the whole history.
    version = reader.run(services.claim_version, claim_id)
    tag = etags.quoted(f"H{claim_id}.{version}.{after}.{limit}")
    return responses.conditional(
        request,
        tag,
        lambda: reader.run(services.history_page, claim_id, after_seq=after, limit=limit),
    )
