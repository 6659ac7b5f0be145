"""Answers: a finished response as plain data, and the few ways the API builds one.

Every endpoint of the front door (``api.frontdoor``) returns an ``Answer``; the same value is
sent straight over ASGI by the edge (``api.edge``) or wrapped in a Starlette ``Response`` by
the FastAPI route, so both doors send the same bytes and headers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Send

from api import etags
from claims import shapes
from claims.clock import today
from claims.config import Settings
from claims.services import Written

JSON = "application/json"
NO_CACHE = "no-cache"


@dataclass(slots=True)  # not frozen: made for every request, and a frozen init costs twice
class Answer:
    """A finished response: status, body, headers and the body's media type."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = JSON

    def response(self) -> Response:
        """The Starlette response for FastAPI's door."""
        media = self.media_type if self.status != 304 else None
        return Response(self.body, status_code=self.status, media_type=media, headers=self.headers)

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers as ASGI sends them, Content-Type and Content-Length included."""
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in self.headers.items()
        ]
        if self.status != 304:
            if self.media_type is not None:
                headers.append((b"content-type", self.media_type.encode("latin-1")))
            headers.append((b"content-length", str(len(self.body)).encode("ascii")))
        return headers

    async def send(self, send: Send) -> None:
        """Send over ASGI as it is (an answer of a middleware, further in than the edge)."""
        headers = self.raw_headers()
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """Serialize ``body`` with orjson into a JSON answer."""
    return Answer(status, orjson.dumps(body), headers or {})


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``json`` as a Starlette response, for FastAPI routes."""
    return json(body, status=status, headers=headers).response()


def conditional(
    tag: str,
    if_none_match: str | None,
    build: Callable[[], bytes],
    *,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Answer 304 when If-None-Match names ``tag``; otherwise build the body and send it."""
    if etags.none_match(if_none_match, tag):
        return not_modified(tag)
    return Answer(
        200, build(), {"ETag": tag, "Cache-Control": NO_CACHE, **(headers or {})}, media_type
    )


def not_modified(tag: str) -> Answer:
    """The 304 answer for ``tag``."""
    return Answer(304, b"", {"ETag": tag, "Cache-Control": NO_CACHE}, None)


def written_claim(written: Written, settings: Settings, *, status: int = 200) -> Answer:
    """The answer to a write: the claim as it now is, with its new ETag."""
    row, day = written.claim, today(settings.zone)
    headers = {"ETag": etags.for_claim(row, settings, day), "Cache-Control": NO_CACHE}
    if status == 201:
        headers["Location"] = f"/v1/claims/{row.id}"
    body = shapes.claim(row, day, settings.due_soon_days)
    return json(body, status=status, headers=headers)
