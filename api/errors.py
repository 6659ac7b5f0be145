"""The only map from errors to HTTP: every 4xx and 5xx leaves as ``application/problem+json``.

RFC 9457 members ``type``, ``title``, ``status``, ``detail``; validation problems add
``errors: [{"field", "message"}]``. A 500 says nothing about what went wrong inside.

``render(exc, settings)`` is the one renderer: the front door's dispatcher and FastAPI's
exception handlers (installed by ``install``) both call it, so an error reads the same
whichever door answered.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from api import etags
from api.answers import Answer
from claims import storage
from claims.config import Settings
from claims.errors import (
    ClaimsError,
    Conflict,
    ExtractorBusy,
    ExtractTimeout,
    FieldError,
    Forbidden,
    FutureSeq,
    InvalidInput,
    MalformedETag,
    NotFound,
    PreconditionRequired,
    Unauthenticated,
    Unavailable,
    VersionConflict,
)
from claims.models import error_message

log = logging.getLogger("claims.api")

PROBLEM = "application/problem+json"

# Domain error → (status, type slug, title). Subclasses are found through the MRO.
STATUS_OF: dict[type[ClaimsError], tuple[int, str, str]] = {
    FutureSeq: (400, "future-seq", "That seq has not happened yet"),
    ExtractTimeout: (422, "extract-timeout", "The article took too long to extract"),
    # One title per type (RFC 9457): a rule the domain checks and a field the models refuse
    # are both invalid input.
    InvalidInput: (422, "invalid-input", "Invalid input"),
    NotFound: (404, "not-found", "Not found"),
    Unauthenticated: (401, "unauthenticated", "A valid token is required"),
    Forbidden: (403, "forbidden", "Your role may not do this"),
    Conflict: (409, "conflict", "Conflict with the current state"),
    PreconditionRequired: (428, "precondition-required", "If-Match is required"),
    VersionConflict: (412, "version-conflict", "The claim has changed"),
    MalformedETag: (412, "malformed-if-match", "If-Match is not an ETag of this claim"),
    ExtractorBusy: (503, "extractor-busy", "Every extraction worker is busy"),
    Unavailable: (503, "unavailable", "The database is busy or unreachable"),
}

TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    500: "Internal server error",
}


def problem(
    status: int,
    detail: str,
    *,
    type_slug: str | None = None,
    title: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Answer:
    """Build one problem+json answer."""
    body: dict[str, Any] = {
        "type": f"/problems/{type_slug or str(status)}",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    if extra:
        body.update(extra)
    return Answer(status, orjson.dumps(body), headers or {}, PROBLEM)


class InvalidRequest(Exception):
    """A request whose parameters or body fail validation; ``errors`` are pydantic's, located
    like FastAPI's (``("query", "since")``, ``("body", "evidence", 0, "url")``)."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("invalid request")
        self.errors = errors


def render(exc: BaseException, settings: Settings) -> Answer:
    """The problem answer for any exception: domain errors, invalid requests, a database that
    is busy or unreachable (503), and anything unexpected (500, logged, never described)."""
    if isinstance(exc, ClaimsError):
        return claims_problem(exc, settings)
    if isinstance(exc, InvalidRequest):
        return invalid_request(exc.errors)
    if isinstance(exc, RequestValidationError):
        return invalid_request(list(exc.errors()))
    if isinstance(exc, ValidationError):
        return invalid_request(exc.errors(include_url=False))
    unavailable = storage.unavailable_from(exc)
    if unavailable is not None:
        log.warning("database unavailable: %s", type(exc).__name__)
        return claims_problem(unavailable, settings)
    log.error("unexpected error", exc_info=exc)
    return problem(
        500, "something went wrong on our side; it has been logged", type_slug="internal"
    )


def _lookup(exc: ClaimsError) -> tuple[int, str, str]:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]  # type: ignore[index]
    return 500, "internal", TITLES[500]


def claims_problem(exc: ClaimsError, settings: Settings) -> Answer:
    """The problem answer for a domain error."""
    status, slug, title = _lookup(exc)
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    errors = getattr(exc, "errors", None) or None
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="claims"'
    elif isinstance(exc, Unavailable):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, VersionConflict):
        tag = etags.for_claim(exc.current, settings)
        headers["ETag"] = tag
        extra = {"current_version": exc.current.version, "current_etag": tag}
        errors = [FieldError("If-Match", "does not match the claim's current ETag")]
    elif isinstance(exc, MalformedETag):
        errors = [FieldError("If-Match", 'must be an ETag as the API sends it, like "3.n"')]
    elif isinstance(exc, PreconditionRequired):
        errors = [FieldError("If-Match", "is required")]
    return problem(
        status, exc.detail, type_slug=slug, title=title, errors=errors, headers=headers, extra=extra
    )


def invalid_request(raw: list[Any]) -> Answer:
    """The answer to a request whose parameters or body fail validation (pydantic's errors,
    located like FastAPI's: ``("query", "since")``, ``("body", "evidence", 0, "url")``)."""
    if any(e.get("type") == "json_invalid" for e in raw):
        return problem(400, "the request body is not valid JSON", type_slug="malformed-json")
    errors = [FieldError(_field_name(tuple(e.get("loc", ()))), _message(e)) for e in raw]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return problem(422, detail, type_slug="invalid-input", title="Invalid input", errors=errors)


def _message(err: dict[str, Any]) -> str:
    loc = tuple(err.get("loc", ()))
    if err.get("type") == "extra_forbidden" and loc[:1] == ("query",):
        return "is not a query parameter of this endpoint"
    if err.get("type") == "repeated":
        return str(err["msg"])
    return error_message(err)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "body"


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: Any, path: str) -> list[str]:
    """Every method some route of ``app`` answers on ``path`` (HEAD wherever GET is).

    Each method is tried against the routes' own ``matches``: FastAPI keeps the routes of an
    included router inside it (no ``methods`` or ``path_regex`` of its own), so only asking
    the routes finds them all.
    """
    methods: set[str] = set()
    for method in _METHODS:
        scope = {"type": "http", "path": path, "root_path": "", "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


# Starlette's own refusals under the types the domain's errors use for the same status.
_HTTP_TYPES = {404: ("not-found", "Not found"), 405: ("method-not-allowed", "Method not allowed")}


async def _error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; a path may have several.
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
            if detail == "Method Not Allowed":
                detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
        slug, title = _HTTP_TYPES.get(exc.status_code, (None, None))
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing is at {request.url.path}"  # no route: the same type as no claim
        return problem(
            exc.status_code, detail, type_slug=slug, title=title, headers=headers
        ).response()
    return render(exc, request.app.state.settings).response()


def install(app: FastAPI) -> None:
    """Register the handlers on an app: every one ends in ``render``."""
    for kind in (ClaimsError, RequestValidationError, HTTPException, DBAPIError, PoolTimeout):
        app.add_exception_handler(kind, _error)
    app.add_exception_handler(Exception, _error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Describe problem responses for OpenAPI (``responses=errors.responses(404, 412)``)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 304:
            out[304] = {"description": "Not modified: the If-None-Match tag is current."}
            continue
        out[status] = {
            "description": DESCRIPTIONS.get(status, TITLES.get(status, "Error")),
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return out


DESCRIPTIONS = {
    400: "Malformed request (e.g. unparseable JSON).",
    401: "No token, or an unknown or revoked one.",
    403: "The token's role may not do this.",
    404: "No such resource.",
    409: "Conflicts with the current state (same status, slug taken, request in progress).",
    412: "If-Match is stale or weak; the body carries current_version and current_etag.",
    413: "Request body over the size limit.",
    415: "Request body is not JSON.",
    422: "Invalid input; `errors` names each field.",
    428: "If-Match is required for this write.",
    503: "Database busy or unreachable; retry after Retry-After seconds.",
}
