"""The HTTP/1.1 protocol of ``claims serve``: uvicorn's, answering what it cannot parse with
problem+json.

uvicorn refuses a request it cannot parse (a Content-Length that is not a number or is
negative, a malformed request line or header) itself, before the app sees it, with a bare
``text/plain`` 400. ``ProblemProtocol`` sends the API's problem+json instead, so every error a
client meets has the one shape of SPEC section 3. It is uvicorn's own choice of protocol
(httptools where installed, else h11) with only that answer changed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Uvicorn
except ImportError:  # pragma: no cover - httptools comes with uvicorn[standard]
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Uvicorn  # type: ignore[assignment]


_BODY = orjson.dumps(
    {
        "type": "/problems/malformed-request",
        "title": "Bad request",
        "status": 400,
        "detail": "the request is not valid HTTP/1.1: check the request line, the headers and "
        "Content-Length (a number of bytes)",
    }
)
_ANSWER = b"".join(
    [
        b"HTTP/1.1 400 Bad Request\r\n",
        b"content-type: application/problem+json\r\n",
        b"content-length: " + str(len(_BODY)).encode("ascii") + b"\r\n",
        b"x-content-type-options: nosniff\r\n",
        b"connection: close\r\n",
        b"\r\n",
        _BODY,
    ]
)


class ProblemProtocol(_Uvicorn):
    """uvicorn's HTTP/1.1 protocol whose unparseable-request answer is problem+json, and whose
    writes of one turn of the event loop go out in one send (``_OneSendPerTurn``)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(_OneSendPerTurn(transport, self.loop))  # type: ignore[arg-type]

    def send_400_response(self, msg: str) -> None:
        """Answer a request the parser refused, then close the connection (nothing after it
        on this connection can be trusted to start where the refused request ends)."""
        self.transport.write(_ANSWER)
        self.transport.close()


class _OneSendPerTurn:
    """A connection's transport whose writes within one turn of the event loop are joined and
    sent at its end, in one system call.

    uvicorn writes an answer's status line and headers, then its body, each at once: two
    sends, and on a loopback or a LAN each send costs the kernel about as much as the whole
    of a small answer's other work (bench/README.md, fifteenth session). Everything but
    ``write`` and ``close`` is the transport's own.
    """

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.BaseTransport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        """Queue ``data``; the turn's writes are sent together when it ends."""
        if self._pending is None:
            self._pending = [data]
            self._loop.call_soon(self._flush)
        else:
            self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending and not self._transport.is_closing():
            self._transport.write(pending[0] if len(pending) == 1 else b"".join(pending))  # type: ignore[attr-defined]

    def close(self) -> None:
        """Send what is queued, then close."""
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
