"""Entity tags: how claims and collections are tagged, and how If-Match / If-None-Match read.

A claim's tag is ``"<version>.<state>"`` where state is one letter for the calendar-dependent
marks (``o`` overdue, ``s`` due soon, ``n`` neither), so the tag changes whenever the body does.
If-Match only needs the version part to match.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.engine import Row

from claims import shapes
from claims.clock import today
from claims.config import Settings
from claims.errors import MalformedETag

_CLAIM_TAG = re.compile(r'^"(\d{1,18})\.[nos]"$')


def for_claim(row: Row, settings: Settings, day: date | None = None) -> str:
    """Return a claim's strong ETag; ``day`` is the day its body was shaped for (default:
    today), so a body shaped just before midnight never gets the next day's tag."""
    day = today(settings.zone) if day is None else day
    return f'"{row.version}.{shapes.claim_state(row, day, settings.due_soon_days)}"'


def quoted(opaque: str) -> str:
    """Wrap an opaque value into a strong ETag."""
    return f'"{opaque}"'


def version_from_if_match(header: str) -> int:
    """Read the version from an If-Match value. Raises MalformedETag for anything else (an
    unquoted or weak tag, ``*``, a list, another resource's tag)."""
    match = _CLAIM_TAG.match(header.strip())
    if match is None:
        raise MalformedETag(
            f"If-Match must be the claim's ETag exactly as the API sent it, quotes included "
            f'(like "3.n": version 3), not {header.strip()[:40]}; read it from the ETag header '
            "of a GET of the claim or of your last write"
        )
    return int(match.group(1))


def none_match(header: str | None, tag: str) -> bool:
    """Tell whether an If-None-Match header names ``tag`` (weak comparison, RFC 9110 13.1.2)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == tag for t in header.split(","))
