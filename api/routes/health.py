"""Health and operations: liveness (``/healthz``), readiness (``/readyz``), ``/metrics``."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.responses import Response

from api import answers, metrics
from api.errors import problem
from claims import migrate, storage

router = APIRouter(tags=["health"])

NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (still JSON) when it does not."""
    if storage.check_database(request.app.state.engine):
        return answers.json_response({"status": "ok", "database": "ok"}, headers=NO_STORE)
    return problem(
        503,
        "the server is up but the database does not answer",
        type_slug="unavailable",
        title="The database is busy or unreachable",
        headers={"Retry-After": "5", **NO_STORE},
        extra={"database": "unreachable"},
    ).response()


@router.get("/readyz")
def readyz(request: Request) -> Response:
    """200 when the database answers and its schema is at the newest migration; else 503."""
    try:
        current = migrate.is_current(request.app.state.engine)
    except (DBAPIError, PoolTimeout):
        return _not_ready("the database does not answer", database="unreachable")
    if not current:
        return _not_ready(
            "the database schema is not at the newest migration: run `claims db upgrade`",
            database="ok",
            migrations="behind",
        )
    return answers.json_response(
        {"status": "ready", "database": "ok", "migrations": "current"}, headers=NO_STORE
    )


def _not_ready(detail: str, **extra: str) -> Response:
    return problem(
        503,
        detail,
        type_slug="not-ready",
        title="Not ready to serve",
        headers={"Retry-After": "5", **NO_STORE},
        extra=extra,
    ).response()


@router.get("/metrics", include_in_schema=False)
async def metrics_page(request: Request) -> Response:
    """Prometheus metrics (CLAIMS_METRICS); behind a bearer token when CLAIMS_METRICS_TOKEN."""
    state = request.app.state
    if state.metrics is None:
        return problem(
            404,
            "metrics are off on this server (CLAIMS_METRICS)",
            type_slug="not-found",
            title="Not found",
        ).response()
    expected = state.settings.metrics_token
    if expected is not None:
        given = request.headers.get("authorization", "")
        wanted = "Bearer " + expected.get_secret_value()
        if not secrets.compare_digest(given.encode(), wanted.encode()):
            return problem(
                401,
                "/metrics needs 'Authorization: Bearer <CLAIMS_METRICS_TOKEN>'",
                type_slug="unauthenticated",
                title="A valid token is required",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            ).response()
    return Response(state.metrics.render(), media_type=metrics.CONTENT_TYPE, headers=NO_STORE)
