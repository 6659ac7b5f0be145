"""What dashboards poll: the change feed (with long-poll), the SSE stream, the summary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.responses import Response

from api import responses
from api.deps import HotReadsDep, ReaderConn, ReaderDep, SettingsDep
from api.errors import responses as problems
from claims import feed, listing
from claims.errors import FutureSeq, Unavailable
from claims.notify import ChangeHub
from claims.storage import LoopReader

router = APIRouter(prefix="/v1", tags=["dashboards"])

STREAM_BATCH = 500


@router.get("/changes", dependencies=[ReaderDep], responses=problems(400, 401, 422, 503))
async def list_changes(
    reads: HotReadsDep,
    since: Annotated[int, Query(ge=0, le=2**31 - 1, description="Last seq already seen.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most changes to return.")] = 100,
    wait: Annotated[
        float, Query(ge=0, le=30, description="Seconds to wait when nothing is new (long-poll).")
    ] = 0,
) -> Response:
    """Changes with `seq > since`, in order, and `next` (the seq to ask from next time)."""
    return responses.answer(await reads.changes(since, limit, wait))


@router.get(
    "/stream",
    dependencies=[ReaderDep],
    responses={
        **problems(400, 401, 503),
        200: {"description": "Server-Sent Events", "content": {"text/event-stream": {}}},
    },
)
async def stream(
    request: Request,
    reader: ReaderConn,
    settings: SettingsDep,
    since: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="Replay changes after this seq.")
    ] = None,
    last_event_id: Annotated[
        str | None, Header(description="Set by EventSource on reconnect; wins over `since`.")
    ] = None,
) -> Response:
    """Server-Sent Events: `id:` is the seq, `event:` the kind, `data:` the change."""
    hub: ChangeHub = request.app.state.hub
    start = _start_position(last_event_id, since)
    latest = reader.run(feed.check_since, start) if start is not None else hub.latest
    if not hub.open_stream():
        raise Unavailable("too many open streams; try again shortly", retry_after=5)
    events = _events(hub, reader, start if start is not None else latest)
    return EventSourceResponse(
        events,
        ping=settings.heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _start_position(last_event_id: str | None, since: int | None) -> int | None:
    if last_event_id is not None and last_event_id.strip():
        value = last_event_id.strip()
        if not value.isdigit() or len(value) > 18:
            raise FutureSeq.on("Last-Event-ID", "must be a seq this server sent")
        return int(value)
    return since


async def _events(hub: ChangeHub, reader: LoopReader, last: int) -> AsyncIterator[ServerSentEvent]:
    try:
        while True:
            batch = reader.run(feed.changes, last, STREAM_BATCH)["changes"]
            for change in batch:
                yield ServerSentEvent(
                    data=orjson.dumps(change).decode(), event=change["kind"], id=str(change["seq"])
                )
                last = change["seq"]
            if len(batch) < STREAM_BATCH:
                await hub.wait_beyond(last, 30)
    finally:
        hub.close_stream()


@router.get("/summary", dependencies=[ReaderDep], responses=problems(304, 401, 422, 503))
async def summary(
    request: Request, query: Annotated[listing.ClaimQuery, Query()], reads: HotReadsDep
) -> Response:
    """Counts for a dashboard: total, by status, overdue, due soon, and the seq they are at."""
    return responses.answer(await reads.summary(query, request.headers.get("if-none-match")))
