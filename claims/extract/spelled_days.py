"""A day of the month written in words: "the first of July", "the twenty-first of March 2027".

:mod:`.phrases` lists the pattern with its own (it passes its month names in); the handler
returns the day like the numeric "July 1" (the next one on or after publication, when no year
is given).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from . import periods
from .periods import Window

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
]  # fmt: skip
ORDINAL_DAYS = {
    **{w: i + 1 for i, w in enumerate(_UNITS)},
    **{w: i + 10 for i, w in enumerate(_TEENS)},
    "twentieth": 20,
    **{f"twenty-{w}": 21 + i for i, w in enumerate(_UNITS)},
    "thirtieth": 30,
    "thirty-first": 31,
}
_ORDINAL_RE = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True))


def pattern(month_re: str) -> re.Pattern[str]:
    """The pattern of a day in words before one of ``month_re``'s months (months keep their
    capital: "the first of may be" is no date)."""
    return re.compile(
        rf"\b(?:[Tt]he\s+)?(?P<odom>(?i:{_ORDINAL_RE}))\s+of\s+(?P<month>{month_re})"
        r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    )


def month_day(
    months: Mapping[str, int], match: re.Match[str], pub: date
) -> tuple[Window, str, bool] | None:
    """Return the day a :func:`pattern` match names (None for "the thirty-first of June")."""
    month = months[match.group("month")]
    dom = ORDINAL_DAYS[match.group("odom").lower()]
    year_text = match.group("year")
    year = int(year_text) if year_text else pub.year
    try:
        when = date(year, month, dom)
        if not year_text and when < pub:  # no year given: the next one, not a past one
            when = date(year + 1, month, dom)
    except ValueError:
        return None
    reason = f"{match.group(0)} → {when} (calendar, next on or after {pub.isoformat()})"
    return periods.day(when, reason), "day", False
