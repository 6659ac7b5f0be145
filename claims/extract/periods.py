"""Calendar arithmetic for deadlines: windows, weeks, months, quarters, seasons, holidays.

A :class:`Window` is an inclusive date range, either end open (``None``), with a
human-readable ``reason``. The conventions that news needs live here and nowhere else:

- weeks run Monday–Sunday (ISO); on a Sunday, "this week" is the week that starts next day;
- seasons are astronomical and fixed: spring 03-20..06-20, summer 06-21..09-22,
  fall/autumn 09-23..12-20, winter 12-21..03-19 (no overlap between seasons);
- "early/mid/late" cut a period into thirds (a year: Jan–Apr, May–Aug, Sep–Dec);
- holidays come from the ``holidays`` package (Lunar New Year from its China calendar),
  Easter from ``dateutil``; no network, nothing downloaded.
Nothing here parses text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)

SEASONS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "spring": ((3, 20), (6, 20)),
    "summer": ((6, 21), (9, 22)),
    "fall": ((9, 23), (12, 20)),
    "winter": ((12, 21), (3, 19)),
}


@dataclass(frozen=True)
class Window:
    """An inclusive date window; ``start``/``end`` may be open (None)."""

    start: date | None
    end: date | None
    reason: str = ""

    def label(self) -> str:
        """Render the window as ``start..end`` (``…`` for an open end)."""
        if self.start is not None and self.start == self.end:
            return self.start.isoformat()
        left = self.start.isoformat() if self.start else "…"
        right = self.end.isoformat() if self.end else "…"
        return f"{left}..{right}"

    def with_reason(self, reason: str) -> Window:
        """Return the same window with another reason."""
        return replace(self, reason=reason)


def day(value: date, reason: str = "") -> Window:
    """Return the one-day window of ``value``."""
    return Window(value, value, reason)


def month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_window(year: int, month: int) -> Window:
    """Return the whole month."""
    return Window(date(year, month, 1), month_end(year, month))


def year_window(year: int) -> Window:
    """Return the whole calendar year."""
    return Window(date(year, 1, 1), date(year, 12, 31))


def quarter_window(year: int, quarter: int) -> Window:
    """Return calendar quarter ``quarter`` (1–4) of ``year``."""
    first = 3 * (quarter - 1) + 1
    return Window(date(year, first, 1), month_end(year, first + 2))


def half_window(year: int, half: int) -> Window:
    """Return the first (1) or second (2) half of ``year``."""
    return (
        Window(date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else Window(date(year, 7, 1), date(year, 12, 31))
    )


def week_window(ref: date, offset: int = 0) -> Window:
    """Return the ISO week (Mon–Sun) ``offset`` weeks from the week of ``ref``."""
    monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
    return Window(monday, monday + timedelta(days=6))


def current_week(published_on: date) -> Window:
    """Return "this week" as news means it: on a Sunday, the week that starts next day."""
    return week_window(published_on, 1 if published_on.weekday() == 6 else 0)


def season_window(name: str, year: int) -> Window:
    """Return season ``name`` that starts in ``year`` (winter runs into the next year)."""
    (m1, d1), (m2, d2) = SEASONS[name]
    end_year = year + 1 if name == "winter" else year
    return Window(date(year, m1, d1), date(end_year, m2, d2))


def season_containing_or_next(name: str, ref: date, *, strictly_next: bool) -> Window:
    """Return "this <season>" or, with ``strictly_next``, "next <season>" as of ``ref``.

    "This fall" is the fall under way or the next one to start. "Next fall" is the one after
    the fall under way; when none is under way it is the next one to start, unless that one
    starts in ``ref``'s own year (then it is "this" one): on 2025-06-02 "next summer" is 2026's.
    """
    windows = [season_window(name, year) for year in range(ref.year - 1, ref.year + 3)]
    ongoing = next((w for w in windows if w.start <= ref <= w.end), None)  # type: ignore[operator]
    upcoming = [w for w in windows if w.start > ref]  # type: ignore[operator]
    if not strictly_next:
        return ongoing or upcoming[0]
    if ongoing is None and upcoming[0].start.year == ref.year:  # type: ignore[union-attr]
        return upcoming[1]
    return upcoming[0]


def thirds(window: Window, which: str) -> Window:
    """Return the early/mid/late third of a closed window (a year: Jan–Apr/May–Aug/Sep–Dec)."""
    assert window.start is not None
    assert window.end is not None
    start, end = window.start, window.end
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        ranges = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
        first, last = ranges[which]
        return Window(date(start.year, first, 1), month_end(start.year, last))
    if start.day == 1 and end == month_end(start.year, start.month):
        ranges_d = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}
        first, last = ranges_d[which]
        return Window(date(start.year, start.month, first), date(start.year, start.month, last))
    length = (end - start).days + 1
    cut1, cut2 = start + timedelta(days=length // 3), start + timedelta(days=2 * length // 3)
    # "early next week" is Monday to Wednesday, the first half of the working week (Tuesday by
    # plain thirds); midweek stays Wednesday–Thursday and late Friday–Sunday
    first_end = (
        start + timedelta(days=2) if length == 7 and start.weekday() == 0 else cut1 - ONE_DAY
    )
    return {
        "early": Window(start, first_end),
        "mid": Window(cut1, cut2 - ONE_DAY),
        "late": Window(cut2, end),
    }[which]


def edge(window: Window, which: str) -> Window:
    """Return the beginning or end of a period: a year's first/last month, else its third."""
    assert window.start is not None
    assert window.end is not None
    start, end = window.start, window.end
    if (end - start).days >= 364:
        if which == "beginning":
            return month_window(start.year, start.month)
        return month_window(end.year, end.month)
    return thirds(window, "early" if which == "beginning" else "late")


def add_months(value: date, months: int) -> date:
    """Return ``value`` moved by whole months (day clipped to the month's length)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def next_weekday(published_on: date, weekday: int, *, same_day: bool) -> date:
    """Return the first ``weekday`` (0=Monday) after ``published_on`` (or on it if same_day)."""
    ahead = (weekday - published_on.weekday()) % 7
    if ahead == 0 and not same_day:
        ahead = 7
    return published_on + timedelta(days=ahead)


# --- holidays -------------------------------------------------------------------------------

_FIXED = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "new year": (1, 1),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
    "july fourth": (7, 4),
    "fourth of july": (7, 4),
    "veterans day": (11, 11),
}
_US_NAMED = {
    "thanksgiving": "Thanksgiving",
    "thanksgiving day": "Thanksgiving",
    "labor day": "Labor Day",
    "memorial day": "Memorial Day",
    "martin luther king day": "Martin Luther King",
    "presidents day": "Washington's Birthday",
}
LUNAR_NEW_YEAR = {"lunar new year", "chinese new year", "spring festival", "tet"}


@lru_cache(maxsize=64)
def _holiday_table(country: str, year: int) -> dict[date, str]:
    import holidays  # imported lazily: its calendars cost ~0.1 s to build

    return dict(holidays.country_holidays(country, years=year).items())


def lunar_new_year(year: int) -> date:
    """Return the first day of the Lunar New Year in ``year`` (holidays' China calendar)."""
    table = _holiday_table("CN", year)
    days = [d for d, name in table.items() if "Spring Festival" in name]
    return min(days)


def holiday_date(name: str, year: int) -> date | None:
    """Return the date of holiday ``name`` (lowercase, straight apostrophes) in ``year``."""
    if name in LUNAR_NEW_YEAR:
        return lunar_new_year(year)
    if name in _FIXED:
        month, dom = _FIXED[name]
        return date(year, month, dom)
    if name in {"easter", "easter sunday"}:
        from dateutil.easter import easter  # dateutil ships with holidays

        return easter(year)
    if name in _US_NAMED:
        needle = _US_NAMED[name]
        found = [d for d, n in _holiday_table("US", year).items() if needle in n]
        return min(found) if found else None
    return None


def next_holiday(name: str, published_on: date) -> date | None:
    """Return the next occurrence of holiday ``name`` on or after ``published_on``."""
    for year in (published_on.year, published_on.year + 1):
        found = holiday_date(name, year)
        if found is not None and found >= published_on:
            return found
    return None
