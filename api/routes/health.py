"""Liveness: the process answers, and whether the database does."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import answers
from api.errors import problem
from claims import storage

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (still JSON) when it does not."""
    if storage.check_database(request.app.state.engine):
        return answers.json_response(
            {"status": "ok", "database": "ok"}, headers={"Cache-Control": "no-store"}
        )
    return problem(
        503,
        "the server is up but the database does not answer",
        type_slug="unavailable",
        title="The database is busy or unreachable",
        headers={"Retry-After": "5", "Cache-Control": "no-store"},
        extra={"database": "unreachable"},
    ).response()
