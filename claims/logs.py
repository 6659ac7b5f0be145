"""Log formats: one line per record, readable text or JSON (``CLAIMS_LOG_FORMAT``).

The access log (logger ``claims.access``) gets one record per request with its fields in
``record.access`` (see ``api.observability``); other records carry ``request_id`` when they
were logged while serving a request (``attribution.RequestIdFilter``). ``uvicorn_config``
is the logging configuration ``claims serve`` hands to uvicorn, so every worker process
logs the same way. Tokens never reach a log: only their names do.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

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
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "claims": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            ACCESS_LOGGER: {
                "handlers": ["stderr"],
                "level": "INFO" if access else "WARNING",
                "propagate": False,
            },
        },
    }
