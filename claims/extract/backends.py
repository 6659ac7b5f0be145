"""Date normalisers behind one small interface: Duckling first, dateparser as the fallback.

Duckling (the ``pyduckling-native-phihos`` wheel: Haskell's Duckling compiled in, no network)
resolves absolute dates ("November 1", "Dec. 15, 2026"), named holidays and anything the news
rules in :mod:`claims.extract.dates` do not cover. Where no Duckling wheel exists for the
platform (or the time-zone database is missing), ``dateparser`` resolves absolute dates instead
and :meth:`Backend.scan` finds nothing extra; with neither installed, plain calendar arithmetic
in :mod:`.phrases` resolves month days. Which one is in use is ``backend().name``.
Nothing here applies news conventions; it only turns a phrase into a :class:`Window`.
"""

from __future__ import annotations

import atexit
import calendar
import json
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from claims.config import Settings

from .periods import Window, day, month_window, quarter_window, week_window, year_window

_ZONEINFO_DIRS = ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo")


@dataclass(frozen=True)
class Found:
    """A time expression a backend found in a text: its span and its window (if any)."""

    start: int
    end: int
    text: str
    window: Window | None


class Backend(Protocol):
    """What the news rules need from a date normaliser."""

    name: str

    def resolve(self, phrase: str, ref: date) -> Window | None:
        """Return the window a phrase denotes, relative to ``ref``, or None."""
        ...

    def scan(self, text: str, ref: date) -> list[Found]:
        """Return every time expression found in ``text`` (may be empty)."""
        ...


def _to_date(value: str) -> tuple[date, bool]:
    """Parse Duckling's ISO timestamp; tell whether it falls exactly on midnight."""
    moment = datetime.fromisoformat(value)
    return moment.date(), (moment.hour, moment.minute, moment.second) == (0, 0, 0)


def window_from_duckling(value: dict[str, Any]) -> Window | None:
    """Turn one Duckling time value into an inclusive window (interval ends are exclusive);
    None for a value outside the calendar Python knows ("10,000 m2 by 2026" once read as the
    year 10000)."""
    try:
        return _window(value)
    except ValueError:
        return None


def _window(value: dict[str, Any]) -> Window | None:
    if value.get("type") == "value":
        when, _ = _to_date(value["value"])
        grain = value.get("grain", "day")
        if grain == "week":
            return week_window(when)
        if grain == "month":
            return month_window(when.year, when.month)
        if grain == "quarter":
            return quarter_window(when.year, (when.month - 1) // 3 + 1)
        if grain == "year":
            return year_window(when.year)
        return day(when)
    if value.get("type") == "interval":
        start = _to_date(value["from"]["value"])[0] if "from" in value else None
        end = None
        if "to" in value:
            end, midnight = _to_date(value["to"]["value"])
            if midnight:
                end -= timedelta(days=1)
        return Window(start, end)
    return None


class DucklingBackend:
    """Duckling through ``pyduckling-native-phihos``; one parse context per reference date."""

    name = "duckling"

    def __init__(self, module: Any, zones: Any) -> None:
        self._duckling = module
        self._zones = zones
        self._lock = threading.Lock()  # the Haskell runtime is shared by every thread
        self._dims = module.parse_dimensions(["time"])
        self._locale = module.default_locale_lang(module.parse_lang("EN"))

    @lru_cache(maxsize=256)  # noqa: B019 - one backend per process; contexts are cheap to keep
    def _context(self, ref: date) -> Any:
        stamp = calendar.timegm((ref.year, ref.month, ref.day, 12, 0, 0))
        return self._duckling.Context(
            self._duckling.parse_ref_time(self._zones, "UTC", stamp), self._locale
        )

    def _parse(self, text: str, ref: date) -> list[dict[str, Any]]:
        with self._lock:
            raw = self._duckling.parse_text(text, self._context(ref), self._dims, False)
        return json.loads(raw)

    def scan(self, text: str, ref: date) -> list[Found]:
        """Return Duckling's time entities in ``text``."""
        return [
            Found(e["start"], e["end"], e["body"], window_from_duckling(e["value"]))
            for e in self._parse(text, ref)
        ]

    def resolve(self, phrase: str, ref: date) -> Window | None:
        """Return the window of the entity covering most of ``phrase``."""
        found = [f for f in self.scan(phrase, ref) if f.window is not None]
        if not found:
            return None
        best = max(found, key=lambda f: f.end - f.start)
        return best.window


class DateparserBackend:
    """``dateparser`` for absolute dates; used only where Duckling cannot be loaded."""

    name = "dateparser"
    _DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)")
    _YEAR = re.compile(r"\b(19|20)\d\d\b")

    def resolve(self, phrase: str, ref: date) -> Window | None:
        """Return the day, month or year that ``phrase`` names, preferring future dates."""
        import dateparser  # slow import; only on platforms without Duckling

        settings = {
            "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day, 12),
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": [],
        }
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        if parsed is None:
            return None
        without_year = self._YEAR.sub("", phrase)
        if self._DAY.search(without_year):
            return day(parsed.date())
        if any(m.lower() in phrase.lower() for m in calendar.month_name[1:] if m):
            return month_window(parsed.year, parsed.month)
        return year_window(parsed.year)

    def scan(self, text: str, ref: date) -> list[Found]:
        """Find nothing: without Duckling only the news rules' own patterns detect dates."""
        return []


def _utc_zone_dir() -> str | None:
    """Return a folder holding only the UTC zone file: Duckling loads it in microseconds,
    where the whole system database takes about half a second (all we use is UTC)."""
    sources = [os.path.join(path, "UTC") for path in _ZONEINFO_DIRS]
    try:
        import tzdata  # the PyPI time-zone database, where the OS has none

        sources.append(os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", "UTC"))
    except ImportError:
        pass
    source = next((path for path in sources if os.path.isfile(path)), None)
    if source is None:
        return None
    folder = tempfile.mkdtemp(prefix="claims-tz-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copyfile(source, os.path.join(folder, "UTC"))
    return folder


class RulesOnlyBackend:
    """No normaliser installed: the grammar's own calendar arithmetic resolves month days."""

    name = "rules only"

    def resolve(self, phrase: str, ref: date) -> Window | None:
        """Resolve nothing; the caller falls back to plain calendar arithmetic."""
        return None

    def scan(self, text: str, ref: date) -> list[Found]:
        """Find nothing beyond the grammar's own patterns."""
        return []


@lru_cache(maxsize=1)
def backend() -> Backend:
    """Return the process-wide normaliser: Duckling when it loads, else dateparser.

    The setting ``extract_backend`` (``CLAIMS_EXTRACT_BACKEND``, read once per process):
    ``dateparser`` forces the fallback and ``rules`` no normaliser at all (both used by tests).
    """
    wanted = Settings().extract_backend or "duckling"
    if wanted == "rules":
        return RulesOnlyBackend()
    if wanted != "dateparser":
        zone_dir = _utc_zone_dir()
        try:
            import duckling

            if zone_dir is not None:
                return DucklingBackend(duckling, duckling.load_time_zones(zone_dir))
        except (ImportError, OSError, RuntimeError):
            pass
    try:
        import dateparser  # noqa: F401 - only checks that the fallback is installed
    except ImportError:
        return RulesOnlyBackend()
    return DateparserBackend()


_I = re.IGNORECASE
_DATE_LIKE = re.compile(
    r"\d|[A-Z]|\b(?:days?|weeks?|months?|years?|weekend|morning|afternoon|evening|night|noon|"
    r"midnight|season|quarter|decade|century|today|tonight|tomorrow)\b"
)
_BARE_NUMBER = re.compile(
    r"^(?:by|at|in|on|before|after|until|from|to|around|up to)?\s*[\d.,]+$", _I
)
_DUCKLING_JUNK = re.compile(
    r"^(?:now|the (?:first|second|third|last)|first|second|third|today|this|that|one|\w+ ago|"
    r"at the (?:time|moment)|currently|[\d.]+|\d+ ?%)$",
    _I,
)


def dates_found(text: str, ref: date) -> list[Found]:
    """Return the backend's finds in ``text`` that are dates: not "now", "one", amounts ("by
    15" before "%"), hours ("in two") or a title in capitals ("This Week")."""
    kept = []
    for found in backend().scan(text, ref):
        if found.window is None or _DUCKLING_JUNK.match(found.text.strip()):
            continue
        if (
            not _DATE_LIKE.search(found.text)
            or _BARE_NUMBER.match(found.text)
            or re.match(r"\s*(?:%|percent|per cent)", text[found.end : found.end + 9])
        ):
            continue
        if re.match(r"(?:This|Next|Last)\b", found.text) and found.start > 0:
            continue
        kept.append(_read_as_news(found, ref))
    return kept


# A clock time with no day ("at 1530 AEDT", "by 5 p.m.") is the publication day's: Duckling
# converts the zone and may roll it into the next day.
_CLOCK = re.compile(
    r"(?:at|by|from|before|until)?\s*(?:\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?|\d{4})"
    r"(?:\s*(?:hrs|hours|h|GMT|UTC|local time|[A-Z]{2,5}))?",
    _I,
)
# "by 31-Jul-2025": Duckling's interval ends before the day; "by" a day includes it.
_BY = re.compile(r"by\s+", _I)


def _read_as_news(found: Found, ref: date) -> Found:
    if _CLOCK.fullmatch(found.text.strip()) and re.search(r"\d", found.text):
        return Found(
            found.start, found.end, found.text, day(ref, "a clock time: the publication day")
        )
    by = _BY.match(found.text)
    if by is not None and found.window is not None and found.window.start == ref:
        inner = backend().resolve(found.text[by.end() :], ref)
        if inner is not None and inner.end is not None:
            return Found(
                found.start, found.end, found.text, Window(None, inner.end, "by: its last day")
            )
    return found
