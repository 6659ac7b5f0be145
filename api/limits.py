"""Request-body guard: refuse bodies over the size limit (413), bodies that are not JSON (415),
a Content-Length that is not a byte count or does not match the body (400), and bodies that
stop arriving (408).

Plain ASGI middleware, so an oversized body is refused while it streams in, before anything
reads or parses it. A body shorter than its Content-Length would otherwise hold the request
open until the client gave up; the pause allowed between two parts of a body is
CLAIMS_BODY_TIMEOUT_SECONDS. (A Content-Length the HTTP server itself cannot parse never
reaches the app: ``api.protocol`` answers those.)
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_LENGTH_DIGITS = 18  # more digits than any body could have: refused as too large, not parsed


class BodyGuard:
    """Buffer at most ``max_bytes`` of a request body, then hand it on."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 10.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and not length.isdigit():
            await _bad_length(send, f"is {_shown(length)}; it must be a number of bytes")
            return
        if length is not None and (len(length) > _LENGTH_DIGITS or int(length) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                async with asyncio.timeout(self.timeout):
                    message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > self.max_bytes:
                    await self._too_large(scope, receive, send)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        except TimeoutError:
            await _timed_out(send, self.timeout)
            return
        if length is not None and total != int(length):
            await _bad_length(send, f"says {int(length)} bytes but the body has {total}")
            return
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and content_type != b"application/json" and not content_type.endswith(b"+json"):
            response = problem(
                415,
                "send the request body as JSON (Content-Type: application/json)",
                type_slug="unsupported-media-type",
            )
            await response.send(send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            f"the request body is over the limit of {self.max_bytes} bytes",
            type_slug="body-too-large",
        )
        await response.send(send)


def _shown(value: bytes) -> str:
    return repr(value[:40].decode("latin-1"))


async def _bad_length(send: Send, what: str) -> None:
    # The connection cannot be trusted to hold the next request where this one says it ends.
    response = problem(
        400,
        f"Content-Length {what}",
        type_slug="bad-content-length",
        headers={"Connection": "close"},
    )
    await response.send(send)


async def _timed_out(send: Send, timeout: float) -> None:
    response = problem(
        408,
        f"the request body stopped arriving for {timeout:g} s before it was complete (is "
        "Content-Length larger than the body?)",
        type_slug="body-timeout",
        title="Request timeout",
        headers={"Connection": "close"},
    )
    await response.send(send)
