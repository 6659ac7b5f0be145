"""The FastAPI application: ``create_app(settings)`` wires routers, error handlers, middleware.

Routes are thin: they parse, call one function of ``claims``, and shape the response.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import Engine

from api import errors
from api.cors import ProblemCORS
from api.edge import TrackerApp
from api.forwarded import TrustedProxies
from api.frontdoor import FrontDoor, add_routes, body_schemas
from api.limits import BodyGuard, BodyLimits
from api.metrics import Metrics
from api.observability import Observer
from api.polling import PollingReads
from api.routes import claims as claim_routes
from api.routes import (
    desk,
    docs,
    extract,
    feed,
    health,
    interop,
    log,
    me,
    newsroom,
    pages,
    sources,
    tokens,
    webhooks,
)
from api.writes import Writes
from claims import storage
from claims.config import Settings, get_settings
from claims.deadlines import DeadlineWatcher
from claims.dispatch import Dispatcher
from claims.extract.workers import ExtractionPool
from claims.notify import ChangeHub

ENDPOINTS = (*claim_routes.claims.all, *feed.feed.all)
"""Every endpoint the front door answers (``api.contract`` declarations)."""

DESCRIPTION = """Track forward-looking claims by officials: status, evidence and public history.

Reads are public unless the server sets `CLAIMS_READS_REQUIRE_TOKEN`; writes need
`Authorization: Bearer <token>`. Every write to a claim needs `If-Match` with its ETag.
Errors are `application/problem+json` (RFC 9457).
"""


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> TrackerApp:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    engine = engine or storage.make_engine(settings)
    hub = ChangeHub(settings, engine)
    reader: storage.LoopReads
    if engine.dialect.name == "sqlite":
        reader = storage.LoopReader(storage.make_engine(settings, pool_size=1))
        writes = Writes(inline=storage.InlineWriter(settings))
    else:
        reader = storage.PooledRuntime(settings)
        writes = Writes(pooled=reader)
    # Worker processes for POST /v1/extract, started on its first use (claims.extract.workers).
    extractor = ExtractionPool(settings.extract_workers, timeout=settings.extract_timeout_s)
    dispatcher = Dispatcher(settings, engine, hub) if settings.webhooks else None
    watcher = DeadlineWatcher(settings, engine) if settings.deadline_watch else None

    @asynccontextmanager
    async def lifespan(app: TrackerApp) -> AsyncIterator[None]:
        await hub.start()
        if isinstance(reader, storage.PooledRuntime):
            reader.keep_connections()
        if dispatcher is not None:
            await dispatcher.start()
        if watcher is not None:
            await watcher.start()
        # Everything built so far lives as long as the app: keep it out of the collector's
        # full passes, which otherwise stalled requests for 25-100 ms under load. Unfrozen at
        # shutdown, so an app's garbage is collected after it (tests build many apps).
        gc.freeze()
        try:
            yield
        finally:
            if app.edge is not None:  # the requests it holds back are counted and logged
                app.edge["observer"].drain()
            gc.unfreeze()
            extractor.close()
            if watcher is not None:
                await watcher.stop()
            if dispatcher is not None:
                await dispatcher.stop()
            await hub.stop()
            await reader.aclose()
            app.state.reads.close()
            writes.close()
            engine.dispose()

    app = TrackerApp(
        title="Claim tracker",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # api.routes.docs serves it, from a package's files rather than a CDN
        swagger_ui_oauth2_redirect_url=None,
        # No OpenTelemetry here; left on, FastAPI looks up three providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.hub = hub
    app.state.reader = reader
    app.state.writes = writes
    app.state.extractor = extractor
    app.state.reads = PollingReads(settings, reader, hub, engine)
    app.state.metrics = Metrics() if settings.metrics else None
    if app.state.metrics is not None:
        app.state.metrics.watch(
            seq=lambda: hub.latest, engine=engine, busy_retries=lambda: writes.busy_retries
        )
    errors.install(app)
    add_routes(app, ENDPOINTS)
    # The API's routes outside the front door refuse unknown query parameters as its endpoints
    # do (their routers come from ``queries.api_router``); pages and probes ignore them, for a
    # shared link may carry tracking parameters. Newsroom before pages: /claims/new before
    # /claims/{ref}. The routers' own routes are added, built once at import: FastAPI would
    # build an included router's routes again for every app, on its first request (~30 ms,
    # which the test suite's thousands of apps each paid).
    api_modules = (feed, sources, tokens, me, interop, extract, log, webhooks, desk)
    for module in (*api_modules, health, docs, newsroom, pages):
        app.router.routes.extend(module.router.routes)
    # The edge (api.edge) sees every request first; FastAPI's stack behind it holds, innermost
    # first, the front door when CORS is on (so that CORS sees its answers; else the edge
    # answers the declared endpoints itself), the body guard and CORS.
    limits = BodyLimits(settings.max_body_bytes, settings.body_timeout_seconds)
    direct = settings.fast_path and not settings.cors_origins
    if settings.fast_path and not direct:
        app.add_middleware(FrontDoor, state=app.state, endpoints=ENDPOINTS)
    app.add_middleware(BodyGuard, limits=limits)
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORS,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                "Last-Event-ID",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
        )
    app.edge = {
        # The app's routes (the front door's generated ones included): templates to label with.
        "observer": Observer(routes=list(app.router.routes), metrics=app.state.metrics),
        "limits": limits,
        "door": FrontDoor(None, app.state, ENDPOINTS) if direct else None,
        "proxies": TrustedProxies(settings.forwarded_allow_ips)
        if settings.forwarded_allow_ips
        else None,
    }
    _add_problem_schema(app)
    return app


def _add_problem_schema(app: TrackerApp) -> None:
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        _problems_everywhere(schema)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, body in body_schemas(ENDPOINTS).items():
            components.setdefault(name, body)
        components["Problem"] = {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problems_everywhere(schema: dict) -> None:
    """Declare every 4xx/5xx response as problem+json (FastAPI's default 422 says JSON)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if code[:1] in "45":
                    response["content"] = {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }
