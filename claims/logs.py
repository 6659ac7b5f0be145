"""Log formats: one line per record, readable text or JSON (``CLAIMS_LOG_FORMAT``).

The access log (logger ``claims.access``) gets one record per request with its fields in
``record.access`` (see ``api.observability``); other records carry ``request_id`` when they
were logged while serving a request (``attribution.RequestIdFilter``). ``uvicorn_config``
is the logging configuration ``claims serve`` hands to uvicorn, so every worker process
logs the same way. Tokens never reach a log: only their names do.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

ACCESS_LOGGER = "claims.access"


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message or the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": _time(record), "level": record.levelname.lower()}
        access = getattr(record, "access", None)
        if access is not None:
            line.update(access)
        else:
            line["logger"] = record.name
            line["message"] = record.getMessage()
            request_id = getattr(record, "request_id", None)
            if request_id:
                line["request_id"] = request_id
            if record.exc_info:
                line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """A readable line: ``time id METHOD route status duration token=name``."""

    def format(self, record: logging.LogRecord) -> str:
        access = getattr(record, "access", None)
        if access is not None:
            return (
                f"{_time(record)} {access['request_id']} {access['method']} {access['route']} "
                f"{access['status']} {access['duration_ms']}ms "
                f"token={access['token'] or '-'} path={access['path']}"
            )
        request_id = getattr(record, "request_id", None)
        text = f"{_time(record)} {record.levelname} {record.name}: {record.getMessage()}"
        if request_id:
            text += f" [request {request_id}]"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


FORMATTERS = {"json": JsonFormatter, "text": TextFormatter}


_second: list[Any] = [None, ""]  # the last whole second formatted, and its text
_milli: list[Any] = [None, ""]  # the last millisecond formatted, and its text


def _stamp(created: float) -> str:
    """``created`` as ISO 8601 UTC with milliseconds; each second and each millisecond is
    formatted once (a busy server writes many lines in the same millisecond)."""
    milli = int(created * 1000)
    if _milli[0] == milli:
        return _milli[1]
    whole = milli // 1000
    if _second[0] != whole:
        _second[1] = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second[0] = whole
    text = f"{_second[1]}.{milli % 1000:03d}+00:00"
    _milli[0], _milli[1] = milli, text
    return text


def access_fields(
    request_id: str,
    method: str,
    route: str,
    path: str,
    status: int,
    seconds: float,
    token: str | None,
) -> dict[str, Any]:
    """One request's access-log fields, as both line formats and the log records carry them."""
    return {
        "request_id": request_id,
        "method": method,
        "route": route,
        "path": path,
        "status": status,
        "duration_ms": _milliseconds(seconds),
        "token": token,
    }


def _milliseconds(seconds: float) -> float:
    # To two decimals; round(x, 2) costs ten times as much (it goes through a decimal string).
    return int(seconds * 100_000 + 0.5) / 100


def access_json(request: tuple, created: float) -> str:
    """One access line as JSON: ``{"time", "level", **access_fields(*request)}`` as orjson
    writes it (the line ``access_json_lines`` writes for it)."""
    return access_json_lines([(created, request)])[:-1]


_BETWEEN = b'},{"time":'


def access_json_lines(items: list[tuple]) -> str:
    """The JSON access lines of ``(time, request)`` pairs, each ending in a newline: every
    line ``{"time", "level", **access_fields(*request)}`` as orjson writes it.

    A busy server writes one per request, so the batch is one ``orjson.dumps`` of a list, cut
    into lines where one object ends and the next begins (``},{"time":``, which cannot occur
    inside a string: orjson escapes every quotation mark in one) — two-thirds of the cost
    of a line written on its own."""
    stamp = _stamp
    rows = [
        {
            "time": stamp(created),
            "level": "info",
            "request_id": request_id,
            "method": method,
            "route": route,
            "path": path,
            "status": status,
            "duration_ms": int(seconds * 100_000 + 0.5) / 100,  # _milliseconds, inlined
            "token": token,
        }
        for created, (request_id, method, route, path, status, seconds, token) in items
    ]
    text = orjson.dumps(rows)[1:-1].replace(_BETWEEN, b'}\n{"time":')
    return text.decode() + "\n"


def access_text(request: tuple, created: float) -> str:
    """One access line as text (what TextFormatter writes for an access record)."""
    fields = access_fields(*request)
    return (
        f"{_stamp(created)} {fields['request_id']} {fields['method']} {fields['route']} "
        f"{fields['status']} {fields['duration_ms']}ms "
        f"token={fields['token'] or '-'} path={fields['path']}"
    )


def _text_lines(items: list[tuple]) -> str:
    return "".join([f"{access_text(request, created)}\n" for created, request in items])


_CHUNK = 100  # lines formatted in one go on the loop (~0.2 ms)


class AccessLines(logging.Handler):
    """The access log's handler: lines formatted in batches and written a few times a second.

    The server's access layer hands it requests' fields directly, skipping the LogRecord, the
    formatter and a write and flush per request: together they cost the polling reads about a
    third of their throughput. Either one at a time (``add``): every ``interval`` seconds the
    serving loop formats what piled up, ``_CHUNK`` lines per callback so requests interleave;
    or already batched on the loop (``add_formatted``, what ``api.observability`` does). A
    thread writes the text (a write to a full pipe blocks, and must not block the loop).

    Why the loop formats: a line formatted at the end of its own request cost the loop twice
    what the same line costs in a batch (cold caches), and a batch formatted by the writing
    thread cost that thread three times as much again (~6 µs a line), the two threads handing
    the GIL back and forth on a two-core machine. Other records (if any reach it) are
    formatted as usual and join the text to write. Lines wait at most about ``interval``
    seconds; ``flush`` formats and writes everything now.
    """

    def __init__(self, log_format: str = "text", interval: float = 0.2) -> None:
        super().__init__()
        self.setFormatter(FORMATTERS[log_format]())
        self.lines = access_json_lines if log_format == "json" else _text_lines
        self.interval = interval
        self.stream: TextIO = sys.stderr
        self._pending: list[tuple] = []  # (time, request fields) not yet formatted
        self._scheduled: asyncio.AbstractEventLoop | None = None  # the loop that will format
        self._batch: list[tuple] = []  # the batch being formatted, chunk by chunk
        # Formatted, to write: a deque, whose appends (the loop's, ``emit``'s) and the writer's
        # pops are each atomic, so no line slips into a list the writer has already taken.
        self._text: collections.deque[str] = collections.deque()
        self._writer: threading.Thread | None = None

    def add(self, request: tuple) -> None:
        """Queue one request's line: ``request`` holds ``access_fields``'s arguments. Called on
        the serving loop; with no loop running, the line is formatted at once."""
        self._pending.append((time.time(), request))
        scheduled = self._scheduled
        if scheduled is None or scheduled.is_closed():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self._format(self._take())
                return
            self._scheduled = loop
            loop.call_later(self.interval, self._format_pending)
        if self._writer is None:
            self._start()

    def add_formatted(self, items: list[tuple]) -> None:
        """Format these lines now and queue them for the writer: ``items`` are ``(time,
        request)`` pairs, ``request`` holding ``access_fields``'s arguments. For a caller
        that batches on the loop itself (``api.observability.Observer``)."""
        self._format(items)
        if self._writer is None:
            self._start()

    def emit(self, record: logging.LogRecord) -> None:
        self._text.append(self.format(record) + "\n")
        if self._writer is None:
            self._start()

    def _take(self) -> list[tuple]:
        items, self._pending = self._pending, []  # one swap: appends go to the new list
        return items

    def _format_pending(self) -> None:
        """Format one chunk of the batch on the loop; the rest waits for the next callback."""
        if not self._batch:
            self._scheduled = None  # the next ``add`` schedules the next batch
            self._batch = self._take()
        chunk, self._batch = self._batch[:_CHUNK], self._batch[_CHUNK:]
        self._format(chunk)
        if self._batch:
            asyncio.get_running_loop().call_soon(self._format_pending)

    def _format(self, items: list[tuple]) -> None:
        if items:
            self._text.append(self.lines(items))

    def _start(self) -> None:
        with self.lock or contextlib.nullcontext():
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._run, name="claims-access-log", daemon=True
                )
                self._writer.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            self._write()

    def _write(self) -> None:
        # Taken and written under one lock: a flush from another thread while the writer
        # thread writes must not put its (later) lines first.
        with self.lock or contextlib.nullcontext():
            text, parts = self._text, []
            while text:
                parts.append(text.popleft())
            if parts:
                with contextlib.suppress(ValueError, OSError):  # a closed stream at exit
                    self.stream.write("".join(parts))
                    self.stream.flush()

    def flush(self) -> None:
        """Format whatever is pending, here and now, and write it."""
        batch, self._batch = self._batch, []
        self._format(batch)
        self._format(self._take())
        self._write()

    def close(self) -> None:
        self.flush()
        super().close()


def uvicorn_config(log_format: str, *, access: bool) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of ``claims serve``: our lines on standard error."""
    formatter = f"{__name__}.{FORMATTERS[log_format].__name__}"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "claims.attribution.RequestIdFilter"}},
        "formatters": {"claims": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "claims",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            },
            "access": {"()": f"{__name__}.AccessLines", "log_format": log_format},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "claims": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            ACCESS_LOGGER: {
                "handlers": ["access"],
                "level": "INFO" if access else "WARNING",
                "propagate": False,
            },
        },
    }
