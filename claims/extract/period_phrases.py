"""Period phrases of business and calendar copy, added to those of :mod:`.phrases`.

- "the week's end", "the month's end": the end of the current week or month, like "the end of
  the week" (with "by", its last day);
- "the whole year", "the full year", "full-year revenue": the current calendar year;
- a year that qualifies an amount or a target ("2026 production", "its 2030 emissions target"):
  that year, so a forecast of it is due at the year's end (not a name, "Vision 2040 growth
  strategy").

Each handler returns (window, kind, end_modifier) like those of :mod:`.phrases`, which lists
these patterns with its own; prefixes ("by", "through") are applied by :mod:`.dates`.
"""

from __future__ import annotations

import re
from datetime import date

from . import periods
from .periods import Window

_I = re.IGNORECASE

# Nouns a year qualifies as the period of an amount, a plan or a target. Not "results" ("2025
# results" are published the year after) nor events ("the 2026 World Cup").
_YEAR_NOUNS = (
    r"production|output|growth|earnings|revenues?|sales|profits?|budget|spending|capex|"
    r"capital\s+spending|guidance|deliveries|shipments|volumes|investments?|targets?|goals?|"
    r"emissions?\s+(?:target|goal|cuts?)|production\s+growth|"
    # a forecast for the year: "its 2024 inflation outlook", "the 2025 growth forecast"
    r"(?:(?:inflation|growth|gdp|deficit|economic)\s+)?(?:outlook|forecasts?|projections?)"
)


def _period_end(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    unit = match.group("unit").lower()
    whole = (
        periods.current_week(pub) if unit == "week" else periods.month_window(pub.year, pub.month)
    )
    cut = periods.edge(whole, "end")
    reason = f"the {unit}’s end (of {pub.isoformat()}) → {cut.label()}"
    return cut.with_reason(reason), "period", True


def _whole_year(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    window = periods.year_window(pub.year)
    reason = f"{match.group(0)} = the current year → {window.label()}"
    return window.with_reason(reason), "period", False


# "Vision 2040 growth", "the Agenda 2030 targets": the year ends a name
_NAME_BEFORE = re.compile(
    r"(?<![.!?:“\"]\s)\b(?!(?:The|Its|Their|His|Her|Our|This|That|Next|Last|In|For)\s)"
    r"[A-Z][\w’'-]*(?<![’']s)\s+$"
)


def _year_of(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    if _NAME_BEFORE.search(match.string, max(0, match.start() - 40), match.start()):
        return None
    year = int(match.group("year"))
    window = periods.year_window(year)
    reason = f"{match.group(0)}: the year of the amount → {window.label()}"
    return window.with_reason(reason), "period", False


PATTERNS = [
    (re.compile(r"\b(?:the\s+)?(?P<unit>week|month)[’']s\s+end\b", _I), _period_end),
    (
        re.compile(
            r"\b(?:the\s+)?(?:whole|entire|full)[\s-](?:calendar\s+)?year\b"
            r"(?!\s+(?:ago|earlier|before))",
            _I,
        ),
        _whole_year,
    ),
    (
        re.compile(
            rf"(?<![\d,.$€£-])\b(?P<year>20\d\d)(?:[’']s)?\s+(?:{_YEAR_NOUNS})\b"
            r"(?!\s+(?:of|strategy|plan|programme|program|agenda|vision)\b)",
            _I,
        ),
        _year_of,
    ),
]
