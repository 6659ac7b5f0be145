"""JSON responses serialized with orjson, the answer to a claim write, conditional GETs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from api import etags
from api.reads import Answer
from claims import shapes
from claims.clock import today
from claims.config import Settings
from claims.services import Written

NO_CACHE = "no-cache"


def json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialize ``body`` with orjson into an application/json response."""
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def written_claim(written: Written, settings: Settings, *, status: int = 200) -> Response:
    """The answer to a write: the claim as it now is, with its new ETag."""
    row = written.claim
    headers = {"ETag": etags.for_claim(row, settings), "Cache-Control": NO_CACHE}
    if status == 201:
        headers["Location"] = f"/v1/claims/{row.id}"
    body = shapes.claim(row, today(settings.zone), settings.due_soon_days)
    return json(body, status=status, headers=headers)


def conditional(request: Request, tag: str, build: Callable[[], Any]) -> Response:
    """Answer 304 when If-None-Match names ``tag``; otherwise build the body and send it."""
    headers = {"ETag": tag, "Cache-Control": NO_CACHE}
    if etags.none_match(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(orjson.dumps(build()), media_type="application/json", headers=headers)


def answer(result: Answer) -> Response:
    """Turn a hot read's answer into a response."""
    media = "application/json" if result.status == 200 else None
    return Response(
        result.body, status_code=result.status, media_type=media, headers=result.headers
    )
