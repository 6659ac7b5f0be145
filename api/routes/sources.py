"""Source endpoints: the articles and documents claims come from."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import Path, Request
from starlette.responses import Response

from api import answers, etags, queries
from api.deps import (
    ClaimWriter,
    IdempotencyKeyDep,
    ReadAccess,
    SessionDep,
    SettingsDep,
    WritesDep,
)
from api.errors import responses as problems
from claims import shapes, sources
from claims.clock import today
from claims.models import MAX_ID, SourceCreate, SourceList, SourcePublic

router = queries.api_router(prefix="/v1", tags=["sources"])


@router.get(
    "/sources", response_model=SourceList, dependencies=[ReadAccess], responses=problems(401, 503)
)
def list_sources(session: SessionDep) -> Response:
    """Every source, oldest first."""
    rows = sources.list_sources(session)
    return answers.json_response(
        {"items": [shapes.source(r) for r in rows]}, headers={"Cache-Control": answers.NO_CACHE}
    )


@router.post(
    "/sources",
    status_code=201,
    response_model=SourcePublic,
    responses=problems(400, 401, 403, 409, 413, 415, 422, 503),
)
async def add_source(
    body: SourceCreate,
    writes: WritesDep,
    actor: ClaimWriter,
    key: IdempotencyKeyDep,
    settings: SettingsDep,
) -> Response:
    """Add a source (reviewers and editors); an Idempotency-Key makes retries safe."""
    row = await writes.run(
        sources.add_source, body, actor=actor, idempotency_key=key, today=today(settings.zone)
    )
    return answers.json_response(
        shapes.source(row), status=201, headers={"Location": f"/v1/sources/{row.id}"}
    )


@router.get(
    "/sources/{source_id}",
    response_model=SourcePublic,
    dependencies=[ReadAccess],
    responses=problems(304, 401, 404, 503),
)
def get_source(
    request: Request,
    source_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
) -> Response:
    """One source. Sources never change, so their tag is their id."""
    row = sources.get_source(session, source_id)
    return answers.conditional(
        etags.quoted(f"S{row.id}"),
        request.headers.get("if-none-match"),
        lambda: orjson.dumps(shapes.source(row)),
    ).response()
