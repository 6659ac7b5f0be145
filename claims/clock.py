"""Time: the one place that reads the clock and the one way timestamps are written as text.

Timestamps are UTC with microseconds, written ``2025-10-26T14:03:07.123456Z`` everywhere (API,
history hashes, exports), so a value read back from either database prints the same.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import orjson

# orjson's options for a naive datetime in UTC, written with a Z.
_AS_UTC = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def now() -> datetime:
    """Return the current time, UTC, at the microsecond precision both databases keep."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime (SQLite returns those) as UTC; convert an aware one to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime) -> str:
    """Format a timestamp the one way the tracker writes them."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # Three on every claim of every read. orjson writes a datetime natively in half the time of
    # ``isoformat`` (which goes through printf), and as ``isoformat`` it writes six digits of
    # microseconds when there are any: only a whole second needs them added.
    text = orjson.dumps(value, option=_AS_UTC)  # b'"2025-10-26T14:03:07.123456Z"'
    if value.microsecond:
        return text[1:-1].decode()
    return text[1:-2].decode() + ".000000Z"


def today(zone: ZoneInfo) -> date:
    """Return today's date in the configured time zone (deadlines end at its midnight)."""
    # Asked on every read, and a datetime in a zone costs ~0.5 µs: the day is worked out once
    # per second and zone. Exact, as zones are offset by whole minutes: a local date changes
    # only where a second begins.
    second = int(time.time())
    known = _days.get(zone)
    if known is not None and known[0] == second:
        return known[1]
    day = datetime.now(zone).date()
    _days[zone] = (second, day)
    return day


_days: dict[ZoneInfo, tuple[int, date]] = {}
