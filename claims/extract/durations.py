"""Time phrases that give a length of time rather than a date, and open-ended words.

Three kinds, each anchored to the publication date (:mod:`.dates` re-anchors a span to the
event it follows, "from November 10 for a year"):

- a **deadline**: "within two weeks", "over the next three years", "in the next decade" end
  that long after publication; "in two weeks" is that one day (a point);
- a **span**: "for a year", "for 90 days", "annually for three years" — something that lasts
  that long (a pause, a purchase programme) is due at its end;
- **open-ended**: "in the coming months", "in a few weeks", "soon", "in the near future" name
  no last day, and the reason says so.

Each handler returns (window, kind, end_modifier) like those of :mod:`.phrases`, which lists
these patterns with its own. Nothing here looks outside the phrase.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from . import periods
from .periods import Window

_I = re.IGNORECASE
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
_VAGUE = {"a few", "a couple of", "several", "few", "couple of", "coming", "next few"}
_NUMBER_RE = "|".join(sorted(NUMBERS, key=len, reverse=True))


def after(pub: date, count: int, unit: str) -> date:
    """Return the day ``count`` units (day, week, month, year, decade) after ``pub``."""
    if unit == "day":
        return pub + timedelta(days=count)
    if unit == "week":
        return pub + timedelta(weeks=count)
    months = {"month": 1, "year": 12, "decade": 120}[unit]
    return periods.add_months(pub, months * count)


def _count(amount: str) -> int:
    return int(amount) if amount.isdigit() else NUMBERS.get(amount, 0)


def _duration(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    prep = re.sub(r"\s+", " ", match.group("dprep").lower())
    # "the upcoming months" reads as "the coming months"
    rel = (match.group("drel") or "").lower().replace("upcoming", "coming")
    amount = (match.group("num") or "").lower()
    unit = match.group("dunit").lower().rstrip("s")
    if rel in {"past", "last"}:
        return None
    if (
        not amount
        and rel in {"next", "coming", "following"}
        and not match.group("dunit").lower().endswith("s")
    ):
        amount = "one"  # "in the next decade", "over the coming year": one unit
    if (
        not amount
        or amount in _VAGUE
        or (rel == "coming" and not amount.isdigit() and (amount not in NUMBERS))
    ):
        text = match.group(0)
        return Window(None, None, f"“{text}” names no last day: open-ended"), "open", False
    count = _count(amount)
    upper = _count((match.group("num2") or "").lower())
    if count == 0:
        return None
    ranged = upper > count  # "in 4-5 days", "within the next 12 to 18 months": by the later
    count = upper if ranged else count
    when = after(pub, count, unit)
    span = f"{count} {unit}{'s' if count != 1 else ''} after {pub.isoformat()} → {when}"
    if prep == "in" and not rel and not ranged:
        return periods.day(when, f"in {span}"), "point", False
    return Window(None, when, f"within {span}"), "deadline", False


def _taking(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    count = _count(match.group("tnum").lower())
    unit = match.group("tunit").lower().rstrip("s")
    if count == 0:
        return None
    when = after(pub, count, unit)
    what = re.sub(r"\s+", " ", match.group(0).strip())
    return Window(None, when, f"“{what}”: done within {count} {unit}{'s' if count != 1 else ''}"
                              f" of {pub.isoformat()} → {when}"), "deadline", False


def _span(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    count = _count(match.group("snum").lower())
    unit = match.group("sunit").lower().rstrip("s")
    if count == 0:
        return None
    when = after(pub, count, unit)
    what = re.sub(r"\s+", " ", match.group(0).strip())
    reason = (
        f"“{what}”: lasts {count} {unit}{'s' if count != 1 else ''} from "
        f"{pub.isoformat()} → due at its end, {when}"
    )
    return Window(None, when, reason), "span", False


_SPAN_LENGTH = re.compile(
    rf"\bfor\s+(?:\w+\s+){{0,3}}?(?P<n>\d+|{_NUMBER_RE})\s+"
    r"(?:more\s+|full\s+)?(?P<u>day|week|month|year)s?\b",
    _I,
)


def span_length(phrase: str) -> tuple[int, str] | None:
    """Return (count, unit) of a span phrase ("for a year" → (1, "year")), or None."""
    match = _SPAN_LENGTH.search(phrase)
    if match is None or not _count(match.group("n").lower()):
        return None
    return _count(match.group("n").lower()), match.group("u").lower()


def _open(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    text = match.group(0)
    return Window(None, None, f"“{text}” names no date: open-ended"), "open", False


PATTERNS = [
    (
        re.compile(
            r"\b(?P<dprep>within|in|over|during|inside)\s+(?:the\s+)?"
            # "over a two-year period": the article before a hyphenated length
            rf"(?:a\s+(?=(?:\d+|{_NUMBER_RE})-(?:day|week|month|year)\b))?"
            r"(?:(?P<drel>next|upcoming|coming|following|past|last)\s+)?"
            r"(?:(?:about|around|roughly|approximately|some|up to)\s+)?"
            rf"(?P<num>\d+|a few|a couple of|several|few|couple of|{_NUMBER_RE})?"
            rf"(?:\s*(?:-|–|to|or)\s*(?P<num2>\d+|{_NUMBER_RE}))?(?:\s*|-)"
            r"(?P<dunit>days?|weeks?|months?|years?|decades?)\b"
            # "the next 12-month period": the length names the period
            r"(?:(?<=[a-z])(?:-long)?\s+(?:period|span|window|timeframe|time frame)\b)?",
            _I,
        ),
        _duration,
    ),
    # "it will take about 10 days to …": done that long after publication
    (
        re.compile(
            r"\btak(?:e|es|ing)\s+(?:(?:about|around|roughly|approximately|some|up to|at most)"
            rf"\s+)?(?P<tnum>\d+|{_NUMBER_RE})\s+(?:more\s+)?(?P<tunit>days?|weeks?|months?)\b"
            r"(?=\s+(?:to|for|before|until)\b)",
            _I,
        ),
        _taking,
    ),
    # "for a year", "annually for three years", "for another 90 days" (not "for years")
    (
        re.compile(
            r"(?:\b(?:annually|yearly|monthly|each|every|a|per)\s+(?:year\s+|month\s+)?)?"
            r"\bfor\s+(?:(?:another|a further|an additional|a period of)\s+)?"
            rf"(?P<snum>\d+|{_NUMBER_RE})\s+(?:more\s+|full\s+)?"
            r"(?P<sunit>days?|weeks?|months?|years?)\b(?!\s+(?:ago|old|running|in a row))",
            _I,
        ),
        _span,
    ),
    (
        re.compile(
            r"(?<!as )\b(?:soon|shortly|in the near future|in the not-too-distant future|"
            r"in the near term|in due course|before long|in the months ahead|"
            r"in the weeks ahead|in the days ahead|in the coming period|"
            r"in the years ahead)\b(?!\s+(?:after|before|as))",
            _I,
        ),
        _open,
    ),
]
