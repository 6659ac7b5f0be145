"""HEAD wherever GET: a HEAD request is answered as the GET would be, without the body.

Plain ASGI, outside both doors, so every GET endpoint (declared, FastAPI or static) answers
HEAD with the GET's status and headers, Content-Length included (RFC 9110 9.3.2).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Run HEAD requests as GET and drop the body of the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if finished:
                return
            if message["type"] == "http.response.body":
                # The headers are out: end the response, and stop a streaming one (SSE).
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        async def until_finished() -> Message:
            if finished:
                return {"type": "http.disconnect"}
            return await receive()

        await self.app({**scope, "method": "GET"}, until_finished, headers_only)
