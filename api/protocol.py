"""The HTTP/1.1 protocol of ``claims serve``: uvicorn's, answering what it cannot parse with
problem+json.

uvicorn refuses a request it cannot parse (a Content-Length that is not a number or is
negative, a malformed request line or header) itself, before the app sees it, with a bare
``text/plain`` 400. ``ProblemProtocol`` sends the API's problem+json instead, so every error a
client meets has the one shape of SPEC section 3. It is uvicorn's own choice of protocol
(httptools where installed, else h11) with only that answer changed.
"""

from __future__ import annotations

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
    """uvicorn's HTTP/1.1 protocol whose unparseable-request answer is problem+json."""

    def send_400_response(self, msg: str) -> None:
        """Answer a request the parser refused, then close the connection (nothing after it
        on this connection can be trusted to start where the refused request ends)."""
        self.transport.write(_ANSWER)
        self.transport.close()
