"""The fast path: well-formed polling GETs answered before FastAPI's routing.

Measured on the benchmark machine, FastAPI's routing and dependency solving alone cost more
than half of the time of a cached answer (bench/README.md). For the four polling reads this
ASGI layer parses the query itself and asks ``api.reads.HotReads`` — the very methods the
documented routes call — for the answer. Anything it does not fully understand (a bad value,
an error of any kind, reads that need a token) falls through to the FastAPI route, which
validates, documents and reports problems as usual; so the fast path only ever produces the
responses the routes would.
"""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from api.reads import Answer, HotReads
from claims.listing import ClaimQuery

_CLAIM_PREFIX = "/v1/claims/"


class FastReads:
    """Answer well-formed GETs of list, claim, summary and changes straight from ``HotReads``."""

    def __init__(self, app: ASGIApp, reads: HotReads) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not self.reads.settings.reads_require_token
        ):
            answer = None
            # Whatever goes wrong (a bad value, a missing claim, a database failure) is left to
            # the route, which reports it as a problem: the fast path only answers successes.
            with contextlib.suppress(Exception):
                answer = await self._answer(scope)
            if answer is not None:
                await _send(answer, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope) -> Answer | None:
        path: str = scope["path"]
        if path == "/v1/claims":
            return await self.reads.claims_page(_query(scope), _if_none_match(scope))
        if path == "/v1/summary":
            return await self.reads.summary(_query(scope), _if_none_match(scope))
        if path == "/v1/changes":
            params = _params(scope)
            since = int(params.get("since", "0"))
            limit = int(params.get("limit", "100"))
            wait = float(params.get("wait", "0"))
            if not (0 <= since < 2**63 and 1 <= limit <= 1000 and 0 <= wait <= 30):
                return None
            return await self.reads.changes(since, limit, wait)
        if path.startswith(_CLAIM_PREFIX):
            ref = path[len(_CLAIM_PREFIX) :]
            if ref and "/" not in ref and len(ref) <= 200:
                return self.reads.claim(ref, _if_none_match(scope))
        return None


def _params(scope: Scope) -> dict[str, str]:
    # As Starlette does: the raw query string is latin-1, values are percent-decoded UTF-8.
    return dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))


def _query(scope: Scope) -> ClaimQuery:
    return ClaimQuery.model_validate(_params(scope))


def _if_none_match(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return value.decode("latin-1")
    return None


async def _send(answer: Answer, send: Send) -> None:
    headers = [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()
    ]
    if answer.status != 304:
        headers.append((b"content-type", b"application/json"))
        headers.append((b"content-length", str(len(answer.body)).encode("ascii")))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
