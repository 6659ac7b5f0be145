"""What dashboards poll: the change feed (with long-poll), the summary, the SSE stream.

The feed and the summary are front-door declarations (``api.contract``); the stream, a
long-lived response, is a FastAPI route. When reads need a token, a stream checks its token
again every ``TOKEN_RECHECK_SECONDS`` and ends once it has been revoked (by the API or by
``claims token revoke`` in another process): one indexed read per stream, only while it is
open and only on servers whose reads are private.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.responses import Response

from api import access, queries
from api.answers import Answer
from api.contract import Call, Endpoints
from api.deps import ReadAccess, ReaderConn, SettingsDep
from api.errors import responses as problems
from claims import feed as change_feed
from claims import tokens
from claims.errors import InvalidInput, Unavailable
from claims.models import ChangePage, Summary
from claims.notify import ChangeHub
from claims.queries import ChangesQuery, ClaimQuery, StreamQuery
from claims.storage import LoopReads

feed = Endpoints(tags=("dashboards",))
router = queries.api_router(prefix="/v1", tags=["dashboards"])

STREAM_BATCH = 500
TOKEN_RECHECK_SECONDS = 2.0


@feed.get(
    "/v1/changes", query=ChangesQuery, response_model=ChangePage, problems=(400, 401, 422, 503)
)
async def list_changes(call: Call) -> Answer:
    """Changes with `seq > since`, in order, and `next` (the seq to ask from next time)."""
    return await call.state.reads.changes(call.query)


@feed.get("/v1/summary", query=ClaimQuery, response_model=Summary, problems=(304, 401, 422, 503))
async def summary(call: Call) -> Answer:
    """Counts for a dashboard: total, by status, overdue, due soon, and the seq they are at."""
    return await call.state.reads.summary(call.query, call.if_none_match)


@router.get(
    "/stream",
    dependencies=[ReadAccess],
    responses={
        **problems(400, 401, 503),
        200: {"description": "Server-Sent Events", "content": {"text/event-stream": {}}},
    },
)
async def stream(
    request: Request,
    reader: ReaderConn,
    settings: SettingsDep,
    query: Annotated[StreamQuery, Query()],
    last_event_id: Annotated[
        str | None, Header(description="Set by EventSource on reconnect; wins over `since`.")
    ] = None,
) -> Response:
    """Server-Sent Events: `id:` is the seq, `event:` the kind, `data:` the change.

    When reads need a token, the stream ends within seconds of the token's revocation."""
    hub: ChangeHub = request.app.state.hub
    private = settings.reads_require_token
    token = access.bearer(request.headers.get("authorization")) if private else None
    start = _start_position(last_event_id, query.since)
    latest = await reader.read(change_feed.check_since, start) if start is not None else hub.latest
    if not hub.open_stream():
        raise Unavailable("too many open streams; try again shortly", retry_after=5)
    events = _events(hub, reader, start if start is not None else latest, token)
    return EventSourceResponse(
        events,
        ping=settings.heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _start_position(last_event_id: str | None, since: int | None) -> int | None:
    if last_event_id is not None and last_event_id.strip():
        value = last_event_id.strip()
        if not value.isdigit() or len(value) > 18:
            # not a seq at all: bad input, not a position still to come
            raise InvalidInput.on("Last-Event-ID", "must be a seq this server sent (digits)")
        return int(value)
    return since


async def _events(
    hub: ChangeHub, reader: LoopReads, last: int, token: str | None
) -> AsyncIterator[ServerSentEvent]:
    loop = asyncio.get_running_loop()
    pause = TOKEN_RECHECK_SECONDS if token is not None else 30
    check_at = loop.time() + TOKEN_RECHECK_SECONDS
    try:
        while True:
            if token is not None and loop.time() >= check_at:
                if not await reader.read(tokens.is_active, token):
                    return  # revoked: end the stream (EventSource's reconnect then gets 401)
                check_at = loop.time() + TOKEN_RECHECK_SECONDS
            page = await reader.read(change_feed.changes, last, STREAM_BATCH, upto=hub.latest)
            batch = page["changes"]
            for change in batch:
                yield ServerSentEvent(
                    data=orjson.dumps(change).decode(), event=change["kind"], id=str(change["seq"])
                )
                last = change["seq"]
            if len(batch) < STREAM_BATCH:
                await hub.wait_beyond(last, pause)
    finally:
        hub.close_stream()
