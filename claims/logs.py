"""Log formats: one line per record, readable text or JSON (``CLAIMS_LOG_FORMAT``).

The access log (logger ``claims.access``) gets one record per request with its fields in
``record.access`` (see ``api.observability``); other records carry ``request_id`` when they
were logged while serving a request (``attribution.RequestIdFilter``). ``uvicorn_config``
is the logging configuration ``claims serve`` hands to uvicorn, so every worker process
logs the same way. Tokens never reach a log: only their names do.
"""

from __future__ import annotations

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


def access_json(fields: dict[str, Any], created: float) -> str:
    """One access line as JSON (what JsonFormatter writes for an access record)."""
    return orjson.dumps({"time": _stamp(created), "level": "info", **fields}).decode()


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
        "duration_ms": round(seconds * 1000, 2),
        "token": token,
    }


def access_text(fields: dict[str, Any], created: float) -> str:
    """One access line as text (what TextFormatter writes for an access record)."""
    stamp = _stamp(created)
    return (
        f"{stamp} {fields['request_id']} {fields['method']} {fields['route']} "
        f"{fields['status']} {fields['duration_ms']}ms "
        f"token={fields['token'] or '-'} path={fields['path']}"
    )


_CHUNK = 100  # lines formatted at a time by the flusher (~0.2 ms)


class AccessLines(logging.Handler):
    """The access log's handler: lines written in batches, a few times a second.

    The server's access layer hands it each request's fields directly (``write``), skipping
    the LogRecord, the formatter and a write and flush per request: together they cost the
    polling reads about a third of their throughput. Other records (if any reach it) are
    formatted as usual and join the same batch. Lines wait at most ``interval`` seconds.
    """

    def __init__(self, log_format: str = "text", interval: float = 0.2) -> None:
        super().__init__()
        self.setFormatter(FORMATTERS[log_format]())
        self.line = access_json if log_format == "json" else access_text
        self.interval = interval
        self.stream: TextIO = sys.stderr
        self._lines: list[str | tuple] = []  # formatted records, or a request's fields
        self._flusher: threading.Thread | None = None

    def add(self, request: tuple) -> None:
        """Queue one request's line: ``request`` holds ``access_fields``'s arguments. Only they
        are kept here, on the serving loop; the flusher thread formats a batch at once (a line
        formatted between two requests cost the loop twice what the same line costs in a
        batch: cold caches)."""
        self._lines.append((time.time(), request))
        if self._flusher is None:
            self._start()

    def emit(self, record: logging.LogRecord) -> None:
        self._lines.append(self.format(record))
        if self._flusher is None:
            self._start()

    def _start(self) -> None:
        with self.lock or contextlib.nullcontext():
            if self._flusher is None:
                self._flusher = threading.Thread(
                    target=self._run, name="claims-access-log", daemon=True
                )
                self._flusher.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            self.flush()

    def flush(self) -> None:
        items, self._lines = self._lines, []  # one swap: appends go to the new list
        parts = []
        for start in range(0, len(items), _CHUNK):
            if start:
                # Give the GIL back between chunks: formatting a busy server's 0.2 s of lines
                # at once held it for a whole switch interval (5 ms) while requests waited.
                time.sleep(0)
            chunk = items[start : start + _CHUNK]
            parts.append("".join(f"{i if isinstance(i, str) else self._line(i)}\n" for i in chunk))
        if parts:
            with contextlib.suppress(ValueError, OSError):  # a closed stream at exit
                self.stream.write("".join(parts))
                self.stream.flush()

    def _line(self, item: tuple) -> str:
        created, request = item
        return self.line(access_fields(*request), created)

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
