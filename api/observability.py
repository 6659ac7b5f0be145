"""Request ids, one access-log line per request, and the metrics.

The edge (``api.edge``) begins and ends every HTTP request here, whichever door answers it.
For each request:

- takes ``X-Request-ID`` when it is sane (1-128 of ``A-Z a-z 0-9 . _ : / + = @ -``), else
  makes one; returns it in the response's ``X-Request-ID``; puts it in the scope
  (``scope["state"]["request_id"]``) and in ``claims.attribution``'s note, where the token
  look-up records the token's *name* and log records find the id;
- adds ``request_id`` to 5xx problem bodies (the only ones buffered), so a reader can quote it;
- when the request is over, logs one line (``claims.access``, see ``claims.logs``) and counts
  it (``api.metrics``) under its route *template*: ``scope["route"].path`` as set by the
  router, else the template of the first route that matches (the fast paths answer before
  routing), else ``unmatched`` — never the raw path, whose values are unbounded. A request
  whose client left before any answer is logged 499, as nginx does. On a server this is done
  in batches on the loop, a tenth of a second later (``Observer``).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import re
import secrets
import time
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.types import Message, Scope

from api import errors
from api.metrics import Metrics
from claims import attribution
from claims.logs import ACCESS_LOGGER, AccessLines, access_fields

log = logging.getLogger(ACCESS_LOGGER)

HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._:/+=@-]{1,128}")
_PROBLEM = errors.PROBLEM.encode()
UNMATCHED = "unmatched"
_HELD_OPEN = frozenset({"/v1/stream", "/v1/changes"})  # the paths a gauge may count
_MEMO_SIZE = 4096
_CHUNK = 200  # requests counted and logged in one go on the loop
_FIELDS = 8  # a finished request's entries in the held-back list (see ``Observer.end``)


def request_id_of(scope: Scope) -> str | None:
    """The request id of a request this layer has seen (for renderers further in)."""
    state = scope.get("state")
    return state.get("request_id") if isinstance(state, dict) else None


class Visit:
    """One request as the edge sees it: its id, its method, when it began and ended and what
    it answered."""

    __slots__ = (
        "ended",
        "gauge",
        "method",
        "note",
        "path",
        "request_id",
        "started",
        "status",
        "token",
    )

    def __init__(self, scope: Scope, request_id: str) -> None:
        self.request_id = request_id
        self.method: str = scope["method"]
        self.path: str = scope.get("path", "")
        self.started = time.perf_counter()
        self.ended = self.started
        self.status = 0  # nothing answered yet
        self.note, self.token = attribution.begin(request_id)
        self.gauge: Any = None

    def echoed(self) -> tuple[bytes, bytes]:
        """The ``X-Request-ID`` header of the answer."""
        return (HEADER, self.request_id.encode("ascii"))


class Observer:
    """Request ids, access log and metrics for every request (see the module docstring); the
    edge (``api.edge``) calls ``begin`` and ``end`` around each one.

    On a server (the access log's own handler, or no access log) a finished request costs its
    loop one ``extend``: every ``interval`` seconds the loop counts and logs what finished since,
    ``_CHUNK`` requests per callback so that requests interleave. Measured
    (``bench/observability.py``, both servers fully on), this and one ``orjson.dumps`` per
    batch of lines cost a polling read 1-4 % less CPU than the same steps at the end of each
    request. ``drain`` does it all now: a scrape of ``/metrics`` calls it first, so the
    counts it shows are exact, and so does the app's shutdown. Under any other log handler
    (pytest's caplog, a user's) each request is logged and counted as it ends.

    What is held back allocates nothing the garbage collector tracks: each request is eight
    plain values (strings, numbers, the route) added to one flat list, and no collection
    runs while a batch is counted and logged (its rows all live and die within the batch).
    Held back as objects (the ``Visit`` with its note and context token), the requests made
    the collector run four times as often: ~2 µs a request on a polling read, a third of what
    metrics and JSON logs cost it (``bench/README.md``, twelfth session).
    """

    def __init__(
        self, *, routes: Sequence[Any], metrics: Metrics | None, interval: float = 0.1
    ) -> None:
        self.routes = routes
        self.metrics = metrics
        self.interval = interval
        self._templates: dict[tuple[str, str], str] = {}
        # Ended, not yet counted and logged: ``_FIELDS`` entries a request (``end``).
        self._finished: list[Any] = []
        self._batch: list[Any] = []  # being counted and logged, chunk by chunk
        self._scheduled: asyncio.AbstractEventLoop | None = None
        if metrics is not None:
            metrics.before_render = self.drain

    def begin(self, scope: Scope) -> Visit:
        """Start watching an HTTP request: its id is taken or made and put in the scope."""
        request_id = _taken_id(scope["headers"]) or _new_id()
        scope.setdefault("state", {})["request_id"] = request_id
        visit = Visit(scope, request_id)
        if self.metrics is not None and visit.path in _HELD_OPEN:
            visit.gauge = self._gauge(visit.path, scope)
            if visit.gauge is not None:
                visit.gauge.inc()
        return visit

    def end(self, scope: Scope, visit: Visit) -> None:
        """The request is over: count it and log its line (499 if nothing was answered)."""
        if visit.gauge is not None:
            visit.gauge.dec()
        attribution.end(visit.token)
        visit.ended = time.perf_counter()
        logging_on = log.isEnabledFor(logging.INFO)
        if self.metrics is None and not logging_on:
            return
        fields = (
            visit.request_id,
            visit.method,
            visit.path,
            visit.status or 499,
            scope.get("route"),
            visit.started,
            visit.ended,
            visit.note.actor,
        )
        if logging_on and _access_lines() is None:
            self._record(list(fields), time.time() - visit.ended)  # a handler that wants it now
            return
        self._finished.extend(fields)
        scheduled = self._scheduled
        if scheduled is None or scheduled.is_closed():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.drain()
                return
            self._scheduled = loop
            loop.call_later(self.interval, self._drain_chunk)

    def drain(self) -> None:
        """Count and log every finished request now."""
        batch, self._batch = self._batch, []
        finished, self._finished = self._finished, []
        self._record(batch + finished, time.time() - time.perf_counter())

    def _drain_chunk(self) -> None:
        """Count and log one chunk of the batch on the loop; the rest waits for the next
        callback."""
        if not self._batch:
            self._scheduled = None  # the next ``end`` schedules the next batch
            self._batch, self._finished = self._finished, []
        cut = _CHUNK * _FIELDS
        chunk, self._batch = self._batch[:cut], self._batch[cut:]
        self._record(chunk, time.time() - time.perf_counter())
        if self._batch:
            asyncio.get_running_loop().call_soon(self._drain_chunk)

    def _record(self, finished: list[Any], clock: float) -> None:
        """Count and log the requests in ``finished`` (``_FIELDS`` entries each, see
        ``end``); ``clock`` turns a ``perf_counter`` reading into the time of day."""
        if not finished:
            return
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            self._count_and_log(finished, clock)
        finally:
            if collecting:
                gc.enable()

    def _count_and_log(self, finished: list[Any], clock: float) -> None:
        metrics = self.metrics
        lines = _access_lines()
        logging_on = log.isEnabledFor(logging.INFO)
        items: list[tuple] = []
        entries = iter(finished)
        for request_id, method, path, status, route, started, ended, actor in zip(
            *[entries] * _FIELDS, strict=True
        ):
            template = getattr(route, "path", None)
            if not isinstance(template, str):
                template = self._template(method, path)
            seconds = ended - started
            if metrics is not None:
                metrics.observe(template, method, status, seconds)
            if logging_on:
                request = (request_id, method, template, path, status, seconds, actor)
                if lines is not None:  # the server's own handler: no LogRecord
                    items.append((ended + clock, request))
                else:
                    log.info("request", extra={"access": access_fields(*request)})
        if items and lines is not None:
            lines.add_formatted(items)

    def _gauge(self, path: str, scope: Scope) -> Any:
        metrics = self.metrics
        if metrics is None:
            return None
        if path == "/v1/stream":
            return metrics.streams
        if path == "/v1/changes" and b"wait=" in scope.get("query_string", b""):
            return metrics.long_polls
        return None

    def _template(self, method: str, path: str) -> str:
        key = (method, path)
        found = self._templates.get(key)
        if found is None:
            found = self._match(method, path)
            if len(self._templates) >= _MEMO_SIZE:
                self._templates.clear()
            self._templates[key] = found
        return found

    def _match(self, method: str, path: str) -> str:
        """The template of the first route whose path and method match (fast-path answers)."""
        for route in self.routes:
            regex = getattr(route, "path_regex", None)
            methods = getattr(route, "methods", None)
            if regex is not None and regex.match(path) and (not methods or method in methods):
                return route.path
        return UNMATCHED


def _access_lines() -> AccessLines | None:
    """The access log's batching handler when it is the only one (as ``claims serve`` sets)."""
    handlers = log.handlers
    if len(handlers) == 1 and isinstance(handlers[0], AccessLines) and not log.filters:
        return handlers[0]
    return None


# A random prefix per process and a counter: unique across processes and restarts, and
# ten times cheaper than a uuid4 per request. 20 + 12 hex digits.
_PREFIX = secrets.token_hex(10)
_counter = itertools.count(1)


def _new_id() -> str:
    return f"{_PREFIX}{next(_counter) & 0xFFFFFFFFFFFF:012x}"


def _taken_id(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == HEADER:
            return value.decode("ascii") if _SANE.fullmatch(value) else None
    return None


def is_problem(headers: Sequence[tuple[bytes, bytes]]) -> bool:
    """Whether these response headers say problem+json."""
    return any(n == b"content-type" and v.startswith(_PROBLEM) for n, v in headers)


def internal_problem() -> dict[str, Any]:
    """The body of a 500 that nothing else answered."""
    return {
        "type": "/problems/internal",
        "title": "Internal server error",
        "status": 500,
        "detail": "something went wrong on our side; it has been logged",
    }


def with_request_id(start: Message, body: bytes, request_id: str) -> tuple[Message, bytes]:
    """A 5xx problem's start and body with ``request_id`` added to the body (and the length
    made right); a body that is not the JSON it claims to be is left as it was."""
    try:
        problem = orjson.loads(body) if body else internal_problem()
        problem["request_id"] = request_id
        body = orjson.dumps(problem)
    except (orjson.JSONDecodeError, TypeError):
        pass
    headers = [(n, v) for n, v in start.get("headers", ()) if n != b"content-length"]
    if not any(n == b"content-type" for n, _ in headers):
        headers.append((b"content-type", _PROBLEM))
    headers.append((b"content-length", str(len(body)).encode("ascii")))
    return {**start, "headers": headers}, body
