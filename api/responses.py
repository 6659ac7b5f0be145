"""JSON responses serialized with orjson, and the conditional-GET shortcut."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from api import etags
from api.reads import Answer

NO_CACHE = "no-cache"


def json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialize ``body`` with orjson into an application/json response."""
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


class BodyCache:
    """The last few response bodies by ETag. Tags embed the latest seq, so a hit is never stale."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._bodies: OrderedDict[str, bytes] = OrderedDict()

    def get(self, tag: str) -> bytes | None:
        """Return the body cached under ``tag``, if any."""
        body = self._bodies.get(tag)
        if body is not None:
            self._bodies.move_to_end(tag)
        return body

    def put(self, tag: str, body: bytes) -> None:
        """Remember a body; the least recently used one goes when full."""
        self._bodies[tag] = body
        if len(self._bodies) > self._size:
            self._bodies.popitem(last=False)


def conditional(
    request: Request, tag: str, build: Callable[[], Any], *, cache: BodyCache | None = None
) -> Response:
    """Answer 304 when If-None-Match names ``tag``; otherwise send the (cached) body."""
    headers = {"ETag": tag, "Cache-Control": NO_CACHE}
    if etags.none_match(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    body = cache.get(tag) if cache is not None else None
    if body is None:
        body = orjson.dumps(build())
        if cache is not None:
            cache.put(tag, body)
    return Response(body, media_type="application/json", headers=headers)


def answer(result: Answer) -> Response:
    """Turn a hot read's answer into a response."""
    media = "application/json" if result.status == 200 else None
    return Response(
        result.body, status_code=result.status, media_type=media, headers=result.headers
    )
