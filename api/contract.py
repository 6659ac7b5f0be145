"""Endpoint declarations: each endpoint of the front door said once, and the one validation.

An ``Endpoint`` names its method and path template, its query-string model, its body model,
its access rule (a read, or a write that needs a token), whether it needs ``If-Match`` or takes
an ``Idempotency-Key``, its handler and what it documents. ``respond`` is the only code path
from a request to its answer: it parses the request against the declaration, runs the handler
and renders any failure with ``api.errors.render``. The dispatcher (``api.frontdoor``) and the
FastAPI routes generated from the same declarations both call it, so a check added here, or to
a declaration, holds for every request whichever door it came through.

Checks run in this order, and the first failure answers: a body that is not JSON (400), the
token (401), a missing If-Match (428), a malformed one (412), then every invalid parameter and
body field at once (422); the use case's own rules come after (403, 404, 409, 412).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ValidationError
from starlette.datastructures import State
from starlette.types import Scope

from api import access, etags
from api.answers import Answer
from api.errors import InvalidRequest, render
from claims import idempotency
from claims.errors import PreconditionRequired
from claims.models import Actor
from claims.queries import QueryModel
from claims.refs import ClaimRef, parse_claim_ref
from claims.status import ensure_claim_writer


class Access(StrEnum):
    """Who may call an endpoint: readers (public unless reads need a token) or token holders."""

    READ = "read"
    WRITE = "write"


Handler = Callable[["Call"], Awaitable[Answer]]


@dataclass(frozen=True)
class Endpoint:
    """One endpoint, declared once (see the module docstring)."""

    method: str
    path: str
    handler: Handler
    access: Access
    query: type[QueryModel] | None = None
    body: type[BaseModel] | None = None
    if_match: bool = False
    idempotency_key: bool = False
    status_code: int = 200
    response_model: type[BaseModel] | None = None
    problems: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)
        object.__setattr__(self, "regex", re.compile(f"^{pattern}$"))

    @property
    def name(self) -> str:
        """The endpoint's name (its handler's): the OpenAPI operation id."""
        return self.handler.__name__

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when ``path`` is this endpoint's, else None."""
        found = self.regex.match(path)
        return found.groupdict() if found is not None else None


@dataclass(slots=True)  # not frozen: made for every request, and a frozen init costs twice
class Call:
    """A request that passed its endpoint's checks: what the handler gets."""

    state: State
    ref: ClaimRef | None
    query: Any
    body: Any
    actor: Actor | None
    version: int | None
    idempotency_key: str | None
    if_none_match: str | None

    @property
    def settings(self) -> Any:
        """The app's settings."""
        return self.state.settings


class Endpoints:
    """A group of declarations, written like a router: ``@claims.get("/v1/claims", …)``."""

    def __init__(self, *, tags: tuple[str, ...]) -> None:
        self.tags = tags
        self.all: list[Endpoint] = []

    def get(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a read."""
        return self._declare("GET", path, Access.READ, options)

    def post(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a write sent with POST."""
        return self._declare("POST", path, Access.WRITE, options)

    def patch(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a write sent with PATCH."""
        return self._declare("PATCH", path, Access.WRITE, options)

    def _declare(
        self, method: str, path: str, rule: Access, options: dict[str, Any]
    ) -> Callable[[Handler], Handler]:
        def declare(handler: Handler) -> Handler:
            self.all.append(Endpoint(method, path, handler, rule, tags=self.tags, **options))
            return handler

        return declare


async def respond(endpoint: Endpoint, state: State, scope: Scope, body: bytes) -> Answer:
    """Answer one request to ``endpoint``: parse it, run the handler, render any failure."""
    try:
        call = await parse(endpoint, state, scope, body)
        return await endpoint.handler(call)
    except Exception as exc:  # every failure, expected or not, ends as problem+json here
        return render(exc, state.settings)


async def parse(endpoint: Endpoint, state: State, scope: Scope, body: bytes) -> Call:
    """Check a request against its declaration and return the call. Raises what the checks
    refuse with: InvalidRequest, Unauthenticated, PreconditionRequired, MalformedETag,
    InvalidInput."""
    headers = _headers(scope)
    payload = _json(body) if endpoint.body is not None else None
    actor = None
    if endpoint.access is Access.WRITE:
        actor = await access.require_actor(state, headers.get("authorization"))
        ensure_claim_writer(actor.role)
    else:
        await access.check_read(state, headers.get("authorization"))
    version = None
    if endpoint.if_match:
        if_match = headers.get("if-match", "").strip()
        if not if_match:
            raise PreconditionRequired(
                "writes to a claim need If-Match with the claim's current ETag (from GET)"
            )
        version = etags.version_from_if_match(if_match)
    key = headers.get("idempotency-key") if endpoint.idempotency_key else None
    if key is not None:
        idempotency.check_key(key)
    errors: list[Any] = []
    query = _query(endpoint.query, scope, errors)
    data = None
    if payload is _NO_BODY:
        errors.append({"type": "missing", "loc": ("body",), "msg": "Field required"})
    elif endpoint.body is not None:
        data = _validated(endpoint.body, payload, "body", errors)
    if errors:
        raise InvalidRequest(errors)
    path = endpoint.match(scope["path"]) or {}
    return Call(
        state=state,
        ref=parse_claim_ref(path["ref"]) if "ref" in path else None,
        query=query,
        body=data,
        actor=actor,
        version=version,
        idempotency_key=key,
        if_none_match=headers.get("if-none-match"),
    )


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        # The first of a repeated header counts, as with Starlette's Headers.get.
        found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


_NO_BODY = object()


def _json(body: bytes) -> Any:
    if not body.strip():
        return _NO_BODY  # a 422 among the other invalid fields, after the token is checked
    try:
        # The standard library's parser, as FastAPI's: it keeps a lone surrogate ("\ud800")
        # for the model to refuse naming its field, where orjson refuses the whole body.
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack
        raise InvalidRequest([{"type": "json_invalid", "loc": ("body",), "msg": ""}]) from None


def _params(scope: Scope, errors: list[Any]) -> dict[str, str]:
    # As Starlette reads them: the raw query string is latin-1, values percent-decoded UTF-8.
    params: dict[str, str] = {}
    for name, value in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
        if name in params:
            errors.append(
                {
                    "type": "repeated",
                    "loc": ("query", name),
                    "msg": "is given more than once (give it once; lists are comma-separated)",
                }
            )
        params[name] = value
    return params


_QUERIES: dict[tuple[type[QueryModel], bytes], QueryModel] = {}
_QUERIES_KEPT = 1024


def _query(model: type[QueryModel] | None, scope: Scope, errors: list[Any]) -> Any:
    """The validated query of ``model``, or None with its errors added to ``errors``.

    Dashboards poll the same few query strings: a valid one is validated once and its (frozen)
    query handed to every later request with the same string. Invalid ones are not kept, so
    every refusal is worked out, and named, afresh.
    """
    raw = scope["query_string"]
    if model is None:
        return _validated(None, _params(scope, errors), "query", errors) if raw else None
    key = (model, raw)
    found = _QUERIES.get(key)
    if found is not None:
        return found
    failed = len(errors)
    query = _validated(model, _params(scope, errors), "query", errors)
    if len(errors) == failed:
        if len(_QUERIES) >= _QUERIES_KEPT:
            _QUERIES.clear()  # bounded: arbitrary query strings cannot fill memory
        _QUERIES[key] = query
    return query


def _validated(model: type[BaseModel] | None, raw: Any, where: str, errors: list[Any]) -> Any:
    if model is None:
        if raw:  # an endpoint without query parameters still refuses unknown ones
            errors.extend(
                {"type": "extra_forbidden", "loc": (where, name), "msg": "unknown"} for name in raw
            )
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors.extend({**e, "loc": (where, *e["loc"])} for e in exc.errors(include_url=False))
        return None
