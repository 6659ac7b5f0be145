"""The fast path for the busiest write: ``POST /v1/claims/{id}/status``, before FastAPI's routing.

Reviewers and editors move claims through the workflow all day. On the benchmark machine
FastAPI's routing, dependency solving and body validation took about a third of each status
change (bench/README.md). This ASGI layer parses a well-formed request itself, with the same
pieces the route uses (``StatusChange``, ``deps.bearer`` and ``deps.authenticate``,
``etags.version_from_if_match``), runs the same use case through ``api.writes.Writes``, and
answers with ``responses.written_claim``. A request it does not fully understand (a missing or
malformed token, If-Match, id or body, an unknown token) goes on unchanged to the route, which
validates and reports it as usual; the use case's own refusals are rendered by the app's error
handler's function. So it only ever gives the answers the route would give.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import deps, etags, responses
from api.errors import claims_problem, database_problem
from claims import services
from claims.errors import ClaimsError
from claims.models import Actor, StatusChange

_PREFIX = "/v1/claims/"
_SUFFIX = "/status"
_LARGEST_ID = 2**31 - 1


class FastStatusChanges:
    """Run well-formed status changes straight through ``Writes`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not path.startswith(_PREFIX)
            or not path.endswith(_SUFFIX)
        ):
            await self.app(scope, receive, send)
            return
        # BodyGuard, further out, has already buffered the whole body into one message.
        message = await receive()
        request = await self._parse(scope, path, message)
        if request is None:
            await self.app(scope, _replay(message, receive), send)
            return
        claim_id, change, version, actor = request
        try:
            written = await self.state.writes.run(
                services.change_status, claim_id, change, expected_version=version, actor=actor
            )
        except ClaimsError as exc:
            response = claims_problem(exc, self.state.settings)
        except (DBAPIError, PoolTimeout) as exc:
            # The route's handler would answer these 503 too; anything else is a 500.
            problem = database_problem(exc, self.state.settings)
            if problem is None:
                raise
            response = problem
        else:
            response = responses.written_claim(written, self.state.settings)
        await response(scope, receive, send)

    async def _parse(
        self, scope: Scope, path: str, message: Message
    ) -> tuple[int, StatusChange, int, Actor] | None:
        """The request's parts, or None when the route should see it."""
        if message["type"] != "http.request" or message.get("more_body", False):
            return None
        ref = path[len(_PREFIX) : -len(_SUFFIX)]
        if not ref.isascii() or not ref.isdigit() or not 1 <= int(ref) <= _LARGEST_ID:
            return None
        headers = _headers(scope)
        if_match = headers.get(b"if-match", b"").decode("latin-1").strip()
        try:
            token = deps.bearer(headers.get(b"authorization", b"").decode("latin-1"))
            if token is None or not if_match:
                return None
            change = StatusChange.model_validate(orjson.loads(message.get("body", b"")))
            actor = await deps.authenticate(self.state, token)
        except Exception:  # any refusal here is the route's to report, as it would
            return None
        return int(ref), change, etags.version_from_if_match(if_match), actor


def _headers(scope: Scope) -> dict[bytes, bytes]:
    # Repeated headers are the route's business: it sees the request when one is repeated.
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in (b"authorization", b"if-match"):
            if name in found:
                return {}
            found[name] = value
    return found


def _replay(message: Message, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return message
        return await receive()

    return replay
