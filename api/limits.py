"""Request-body guard: refuse bodies over the size limit (413), bodies that are not JSON (415),
a Content-Length that is not a byte count or does not match the body (400), and bodies that
stop arriving (408).

``BodyLimits.read`` reads a body under the limits, refusing an oversized one while it streams
in, before anything parses it: the edge calls it for the front door's answers, ``BodyGuard``
(a middleware) for FastAPI's. A body shorter than its Content-Length would otherwise hold the
request open until the client gave up; the pause allowed between two parts of a body is
CLAIMS_BODY_TIMEOUT_SECONDS. (A Content-Length the HTTP server itself cannot parse never
reaches the app: ``api.protocol`` answers those.)
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answers import Answer
from api.errors import problem

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_LENGTH_DIGITS = 18  # more digits than any body could have: refused as too large, not parsed


class BodyLimits:
    """How large a request body may be, and how long a pause between two of its parts."""

    def __init__(self, max_bytes: int, timeout: float = 10.0) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def read(self, scope: Scope, receive: Receive) -> bytes | Answer | None:
        """The whole body of a POST, PUT or PATCH within the limits (b"" for other methods),
        the problem that refuses it, or None when the client left before it was complete."""
        if scope["method"] not in _BODY_METHODS:
            return b""
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and not length.isdigit():
            return _bad_length(f"is {_shown(length)}; it must be a number of bytes")
        if length is not None and (len(length) > _LENGTH_DIGITS or int(length) > self.max_bytes):
            return self._too_large()
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                async with asyncio.timeout(self.timeout):
                    message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > self.max_bytes:
                    return self._too_large()
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        except TimeoutError:
            return _timed_out(self.timeout)
        if length is not None and total != int(length):
            return _bad_length(f"says {int(length)} bytes but the body has {total}")
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and content_type != b"application/json" and not content_type.endswith(b"+json"):
            return problem(
                415,
                "send the request body as JSON (Content-Type: application/json)",
                type_slug="unsupported-media-type",
            )
        return body

    def _too_large(self) -> Answer:
        return problem(
            413,
            f"the request body is over the limit of {self.max_bytes} bytes",
            type_slug="body-too-large",
        )


class BodyGuard:
    """Middleware for FastAPI's door: the body read under ``limits``, then replayed."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        body = await self.limits.read(scope, receive)
        if body is None:
            return
        if isinstance(body, Answer):
            await body.send(send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _shown(value: bytes) -> str:
    return repr(value[:40].decode("latin-1"))


def _bad_length(what: str) -> Answer:
    # The connection cannot be trusted to hold the next request where this one says it ends.
    return problem(
        400,
        f"Content-Length {what}",
        type_slug="bad-content-length",
        headers={"Connection": "close"},
    )


def _timed_out(timeout: float) -> Answer:
    return problem(
        408,
        f"the request body stopped arriving for {timeout:g} s before it was complete (is "
        "Content-Length larger than the body?)",
        type_slug="body-timeout",
        title="Request timeout",
        headers={"Connection": "close"},
    )
