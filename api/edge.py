"""The edge: the one layer every HTTP request passes once, whichever door answers it.

uvicorn → ``TrackerApp`` (FastAPI) → ``Edge`` → either the front door or FastAPI's stack.
For each HTTP request the edge, in this order:

1. believes ``X-Forwarded-*`` from trusted proxies (``api.forwarded``, when configured);
2. begins the request's record (``api.observability``: request id, attribution, gauges);
3. runs a HEAD as the GET it mirrors, and sends the headers only (RFC 9110 9.3.2);
4. answers a request to a declared endpoint itself: the body read under the limits
   (``api.limits``), ``FrontDoor.answer`` (``api.contract.respond``), and the answer sent
   straight to the server — no middleware and no send wrapper between, which is what makes the
   polling reads fast; everything else goes on to FastAPI's stack (its error handlers, CORS, the
   body guard, the routes) through one send wrapper;
5. gives every response start, from either side, the same finish (``_finished``): the
   security headers (``api.security``), ``X-Request-ID``, and the request id in a 5xx problem;
6. ends the record: one access-log line and the metrics.

With CORS on, the front door runs inside FastAPI's stack behind CORS instead, so its answers
carry the CORS headers; with ``CLAIMS_FAST_PATH=false`` FastAPI's generated routes answer the
declared endpoints (through the same ``respond``).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answers import Answer
from api.errors import PROBLEM
from api.forwarded import TrustedProxies
from api.frontdoor import FrontDoor
from api.limits import BodyLimits
from api.observability import Observer, Visit, is_problem, with_request_id
from api.security import add_security_headers


class Edge:
    """The outer layer of every HTTP request (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        observer: Observer,
        limits: BodyLimits,
        door: FrontDoor | None,
        proxies: TrustedProxies | None,
    ) -> None:
        self.app = app
        self.observer = observer
        self.limits = limits
        self.door = door
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.proxies is not None and scope["type"] in ("http", "websocket"):
            self.proxies.believe(scope)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        visit = self.observer.begin(scope)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        door = self.door
        try:
            endpoint = door.find(scope["method"], scope["path"]) if door is not None else None
            if door is not None and endpoint is not None:
                body = await self.limits.read(scope, receive)
                if body is None:
                    return  # the client left before its body was complete
                if not isinstance(body, Answer):  # else the limits refused it
                    body = await door.answer(endpoint, scope, body)
                await self._send_answer(body, visit, send, head)
            else:
                await self._pass_on(scope, receive, send, visit, head)
        except Exception:
            if visit.status == 0:  # nothing was answered: answer 500 here, with the id
                start = {"type": "http.response.start", "status": 500, "headers": []}
                await self._send_problem(start, b"", visit, send, head)
            raise
        finally:
            self.observer.end(scope, visit)

    async def _send_answer(self, answer: Answer, visit: Visit, send: Send, head: bool) -> None:
        headers = answer.raw_headers()
        start = {"type": "http.response.start", "status": answer.status, "headers": headers}
        if answer.status >= 500 and answer.media_type == PROBLEM:
            await self._send_problem(start, answer.body, visit, send, head)
            return
        visit.status = answer.status
        _finished(visit, headers)
        await send(start)
        await send({"type": "http.response.body", "body": b"" if head else answer.body})

    async def _send_problem(
        self, start: Message, body: bytes, visit: Visit, send: Send, head: bool
    ) -> None:
        """A 5xx problem, sent with the request id in its body."""
        visit.status = start["status"]
        headers = list(start.get("headers", ()))
        _finished(visit, headers)
        start, body = with_request_id({**start, "headers": headers}, body, visit.request_id)
        await send(start)
        await send({"type": "http.response.body", "body": b"" if head else body})

    async def _pass_on(
        self, scope: Scope, receive: Receive, send: Send, visit: Visit, head: bool
    ) -> None:
        """FastAPI's stack answers; its response start gets the edge's finish."""
        held: Message | None = None  # a 5xx problem's start, sent with its body at the end
        chunks: list[bytes] = []
        done = False  # a HEAD's headers are out: the rest of the answer is dropped

        async def finishing(message: Message) -> None:
            nonlocal held, done
            if done:
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if message["status"] >= 500 and is_problem(headers):
                    held = message
                    return
                visit.status = message["status"]
                _finished(visit, headers)
                await send({**message, "headers": headers})
                return
            if message["type"] == "http.response.body":
                if held is not None:
                    chunks.append(message.get("body", b""))
                    if message.get("more_body", False):
                        return
                    start, held = held, None
                    await self._send_problem(start, b"".join(chunks), visit, send, head)
                    done = head
                    return
                if head:
                    # The headers are out: end the response, and stop a streaming one (SSE).
                    done = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
            await send(message)

        async def until_done() -> Message:
            if done:
                return {"type": "http.disconnect"}
            return await receive()

        await self.app(scope, until_done if head else receive, finishing)


def _finished(visit: Visit, headers: list[tuple[bytes, bytes]]) -> None:
    """What every response start gets at the edge: security headers and the request id."""
    add_security_headers(visit.path, headers)
    headers.append(visit.echoed())


class TrackerApp(FastAPI):
    """FastAPI with the edge in front of its middleware stack (``edge`` set by create_app)."""

    edge: dict | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """FastAPI's stack (error handlers, user middleware, router) behind the edge."""
        stack = super().build_middleware_stack()
        return stack if self.edge is None else Edge(stack, **self.edge)
