"""Who and what the current piece of work is for: its request id and the token's name.

The outermost layer of the server opens a ``Note`` for each request (``begin``); the code
that turns a token into an actor (``claims.tokens.identify``) writes the actor's name into
it, and log records carry the request id (``RequestIdFilter``). The note is a mutable object
held in a ContextVar, so a name recorded in a worker thread (which runs in a copy of the
context) is still seen by the layer that opened it. Nothing here knows about HTTP.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(slots=True)
class Note:
    """What is known about the current request: its id, and the token name once known."""

    request_id: str
    actor: str | None = None


_current: ContextVar[Note | None] = ContextVar("claims_request_note", default=None)


def begin(request_id: str) -> tuple[Note, Token[Note | None]]:
    """Open a note for a new request; pass the token to ``end`` when it is over."""
    note = Note(request_id)
    return note, _current.set(note)


def end(token: Token[Note | None]) -> None:
    """Close the note opened by ``begin``."""
    _current.reset(token)


def record_actor(name: str) -> None:
    """Remember the name of the token the current request acts with (never the secret)."""
    note = _current.get()
    if note is not None:
        note.actor = name


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    note = _current.get()
    return note.request_id if note is not None else None


class RequestIdFilter(logging.Filter):
    """Give every log record a ``request_id`` attribute (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
