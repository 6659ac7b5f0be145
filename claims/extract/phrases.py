"""Time phrases the extractor knows, and the window each one denotes.

One pattern and one handler per kind of phrase: relative periods ("next year", "later this
week"), month days ("Nov. 17", "24 March"), months, years, seasons, quarters and halves,
weekdays and holidays, plus those of :mod:`.durations` ("within 90 days", "for a year",
"soon"). Each handler returns the window of the bare phrase with a reason; prefixes such as
"by" or "before" are applied by :mod:`.dates`. Absolute month days go through the maintained
normaliser (:mod:`.backends`); calendar facts come from :mod:`.periods`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from . import durations, period_phrases, periods, spelled_days
from .backends import backend
from .periods import ONE_DAY, Window

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = {
    "January": 1, "Jan.": 1, "February": 2, "Feb.": 2, "March": 3, "April": 4, "May": 5,
    "June": 6, "July": 7, "August": 8, "Aug.": 8, "September": 9, "Sept.": 9, "Sep.": 9,
    "October": 10, "Oct.": 10, "November": 11, "Nov.": 11, "December": 12, "Dec.": 12,
}
_MONTH_RE = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True))
_WD_RE = "|".join(WEEKDAYS)
_MOD = (
    r"(?:(?P<mod>early|mid|late|later|the end of|end of|the beginning of|the start of|"
    r"the middle of|the first half of|the second half of|the rest of)\s+|(?P<modh>mid)-)?"
)
_I = re.IGNORECASE

_HOLIDAYS = [
    "Lunar New Year", "Chinese New Year", "Spring Festival", "Christmas Eve", "Christmas Day",
    "Christmas", "New Year’s Eve", "New Year's Eve", "New Year’s Day", "New Year's Day",
    "Thanksgiving Day", "Thanksgiving", "Easter Sunday", "Easter", "Independence Day",
    "July Fourth", "Fourth of July", "Labor Day", "Memorial Day", "Halloween", "Veterans Day",
    "Valentine’s Day", "Valentine's Day", "Presidents Day", "Martin Luther King Day",
    "Ramadan", "Eid al-Fitr", "Eid al-Adha", "Diwali", "Hanukkah", "Passover", "New Year",
]


@dataclass(frozen=True)
class Core:
    """A recognised phrase: span, bare window, kind and whether it names a period's end."""

    start: int
    end: int
    window: Window
    kind: str  # "period", "day", "open", "deadline", "point"
    end_modifier: bool = False


Handler = Callable[[re.Match[str], date], tuple[Window, str, bool] | None]


def _fmt(value: date) -> str:
    return f"{WEEKDAYS[value.weekday()]} {value.isoformat()}"


# --- core handlers: each returns (window, kind, end_modifier) ---------------------------------


def _apply_mod(window: Window, match: re.Match[str], pub: date, what: str) -> tuple[Window, bool]:
    mod = (match.group("mod") or match.group("modh") or "").lower()
    if not mod:
        return window.with_reason(f"{what} → {window.label()}"), False
    if mod in {"early", "mid", "late", "the middle of"}:
        which = "mid" if mod == "the middle of" else mod
        cut = periods.thirds(window, which)
        return cut.with_reason(f"{mod} {what} → {which} third → {cut.label()}"), False
    if mod in {"the end of", "end of"}:
        cut = periods.edge(window, "end")
        return cut.with_reason(f"the end of {what} → {cut.label()}"), True
    if mod in {"the beginning of", "the start of"}:
        cut = periods.edge(window, "beginning")
        return cut.with_reason(f"the beginning of {what} → {cut.label()}"), False
    if mod in {"the first half of", "the second half of"}:
        assert window.start is not None
        assert window.end is not None
        middle = window.start + (window.end - window.start) / 2
        cut = Window(window.start, middle) if "first" in mod else Window(
            middle + ONE_DAY, window.end
        )
        if (window.end - window.start).days >= 364:
            cut = periods.half_window(window.start.year, 1 if "first" in mod else 2)
        return cut.with_reason(f"{mod} {what} → {cut.label()}"), False
    # "later this week", "the rest of the year": from the next day to the period's end
    assert window.end is not None
    cut = Window(max(pub + ONE_DAY, window.start or pub), window.end)
    return cut.with_reason(f"{mod} {what} → after {pub.isoformat()} → {cut.label()}"), False


def _relative(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    rel = match.group("rel").lower()
    unit = match.group("unit").lower()
    step = {"this": 0, "last": -1}.get(rel, 1)
    what = f"{rel} {unit}"
    if unit in {"week", "weekend"}:
        base = periods.current_week(pub)
        assert base.start is not None
        monday = base.start + timedelta(weeks=step)
        if step == 1 and pub.weekday() == 6:
            monday = base.start  # on a Sunday, "next week" starts tomorrow
        window = Window(monday, monday + timedelta(days=6))
        if unit == "weekend":
            window = Window(monday + timedelta(days=5), monday + timedelta(days=6))
        what += f" (weeks run Monday–Sunday; published {_fmt(pub)})"
    elif unit == "month":
        first = periods.add_months(pub.replace(day=1), step)
        window = periods.month_window(first.year, first.month)
    elif unit == "year":
        window = periods.year_window(pub.year + step)
    elif unit == "quarter":
        quarter = (pub.month - 1) // 3 + step
        window = periods.quarter_window(pub.year + quarter // 4, quarter % 4 + 1)
    else:
        season = "fall" if unit == "autumn" else unit
        if step == -1:
            window = periods.season_containing_or_next(
                season, pub - timedelta(days=365), strictly_next=False
            )
        else:
            window = periods.season_containing_or_next(season, pub, strictly_next=step == 1)
        what += " (astronomical season)"
    window, end_mod = _apply_mod(window, match, pub, what)
    return window, "period", end_mod


def _the_period(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    if not (match.group("mod") or match.group("modh")):
        return None
    unit = match.group("unit").lower()
    window = {
        "week": periods.current_week(pub),
        "month": periods.month_window(pub.year, pub.month),
        "year": periods.year_window(pub.year),
        "quarter": periods.quarter_window(pub.year, (pub.month - 1) // 3 + 1),
    }[unit]
    window, end_mod = _apply_mod(window, match, pub, f"the {unit} (of {pub.isoformat()})")
    return window, "period", end_mod


def _year_end(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    window = periods.month_window(pub.year, 12)
    return window.with_reason(f"year-end → {window.label()}"), "period", True


def _month_day(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    phrase = match.group(0)
    month = _MONTHS[match.group("month")]
    dom = int(match.group("dom"))
    year_text = match.group("year")
    core = re.sub(r"\s*[-–]\s*\d{1,2}\b", "", phrase)
    window = backend().resolve(core, pub)
    via = backend().name
    if window is None or window.start != window.end:
        year = int(year_text) if year_text else pub.year
        when = date(year, month, dom)
        if not year_text and when < pub:
            when = date(year + 1, month, dom)
        window, via = periods.day(when), "calendar"
    assert window.start is not None
    if not year_text and window.start < pub:  # no year given: the next one, not a past one
        window = periods.day(date(window.start.year + 1, month, dom))
    last = match.groupdict().get("dom2") or match.groupdict().get("dom3")
    if last and int(last) > dom:  # "July 29-30", "October 8, 10 and 16": through the last
        window = Window(window.start, window.start.replace(day=int(last)))
    reason = f"{phrase} → {window.label()} ({via}, next on or after {pub.isoformat()})"
    return window.with_reason(reason), "day", False


def _month(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    if not (match.group("mod") or match.group("modh") or match.group("year")
            or match.group("mrel") or _preposition_before(match)):
        return None
    month = _MONTHS[match.group("month")]
    if match.group("year"):
        year = int(match.group("year"))
    else:
        year = pub.year if month >= pub.month else pub.year + 1
        if (match.group("mrel") or "").lower() == "next" and month <= pub.month:
            year = pub.year + 1
    window = periods.month_window(year, month)
    window, end_mod = _apply_mod(window, match, pub, f"{match.group('month')} {year}")
    return window, "period", end_mod


def _week_of_month(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    month = _MONTHS[match.group("month")]
    year = int(match.group("year")) if match.group("year") else (
        pub.year if month >= pub.month else pub.year + 1
    )
    last = periods.month_end(year, month)
    which = match.group("which").lower()
    first_day = {"first": 1, "second": 8, "third": 15, "fourth": 22}.get(which, last.day - 6)
    window = Window(date(year, month, first_day), date(year, month, first_day + 6))
    return window.with_reason(f"{match.group(0)} → {window.label()}"), "period", False


def _year(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    if not (match.group("mod") or match.group("modh") or _preposition_before(match)):
        return None
    year = int(match.group("year"))
    window, end_mod = _apply_mod(periods.year_window(year), match, pub, str(year))
    return window, "period", end_mod


def _season(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    if not (match.group("mod") or match.group("year") or _preposition_before(match)
            or match.group("the")):
        return None
    if match.group("season").lower() == "fall" and _fall_is_verb(match):
        return None  # "likely to fall this year", "will fall back": the verb, not autumn
    return _season_window(match, pub)


# "to / will / could (quickly) fall": the verb; "from spring to fall" keeps the season
_FALL_VERB = re.compile(
    r"\b(?:to|will|would|could|may|might|can|should|must|not|did|does)(?:\s+\w+ly)?\s+$", _I
)
_SEASON_RANGE = re.compile(r"\bfrom\s+(?:the\s+)?(?:spring|summer|winter)\s+to\s+$", _I)


def _fall_is_verb(match: re.Match[str]) -> bool:
    if match.group("mod") or match.group("the") or match.group("year"):
        return False  # "late fall", "the fall", "fall 2026": the season
    before = match.string[max(0, match.start() - 40) : match.start()]
    return bool(_FALL_VERB.search(before)) and not _SEASON_RANGE.search(before)


def _season_window(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    name = match.group("season").lower()
    name = "fall" if name == "autumn" else name
    if match.group("year"):
        window = periods.season_window(name, int(match.group("year")))
    else:
        window = periods.season_containing_or_next(name, pub, strictly_next=False)
    window, end_mod = _apply_mod(window, match, pub, f"{name} (astronomical season)")
    return window, "period", end_mod


def _quarter(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    ordinal = (match.group("ord") or match.group("qn") or "").lower()
    number = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
              "4th": 4}.get(ordinal) or int(ordinal)
    year_text = (match.group("qy") or match.group("qy2") or match.group("qy3") or "").lower()
    if year_text:
        year = _year_word(year_text, pub)
        window = periods.quarter_window(year, number)
    else:
        window = periods.quarter_window(pub.year, number)
        if window.end is not None and window.end < pub:
            window = periods.quarter_window(pub.year + 1, number)
    reason = f"{match.group(0)} → {window.label()}"
    return window.with_reason(reason), "period", False


def _half(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    half = 1 if (match.group("hord") or match.group("hn") or "").lower() in {"first", "1"} else 2
    year = _year_word((match.group("hy") or match.group("hy2") or "").lower(), pub)
    window = periods.half_window(year, half)
    return window.with_reason(f"{match.group(0)} → {window.label()}"), "period", False


def _year_word(text: str, pub: date) -> int:
    if text.isdigit():
        return int(text)
    return pub.year + (1 if text.startswith("next") else 0)


def _weekday(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    name = match.group("wd")
    target = WEEKDAYS.index(name)
    rel = (match.group("wrel") or "").lower()
    if rel == "last":
        back = (pub.weekday() - target) % 7 or 7
        when = pub - timedelta(days=back)
        return periods.day(when, f"last {name} before {_fmt(pub)} → {when}"), "day", False
    if rel == "next":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=1)
        when = monday + timedelta(days=target)
        reason = (f"next {name} = {name} of the week after {_fmt(pub)} (weeks run Monday–Sunday)"
                  f" → {when.isoformat()}")
        return periods.day(when, reason), "day", False
    same_day = rel in {"", "this"}
    when = periods.next_weekday(pub, target, same_day=same_day)
    if when == pub:
        reason = f"{name} = the publication day ({_fmt(pub)}; news names today by its weekday)"
    else:
        reason = f"{name} after {_fmt(pub)} → {when.isoformat()}"
    return periods.day(when, reason), "day", False


def _holiday(match: re.Match[str], pub: date) -> tuple[Window, str, bool] | None:
    name = match.group("hol")
    key = name.lower().replace("’", "'")
    when = periods.next_holiday(key, pub)
    if when is not None:
        source = "holidays, China calendar" if key in periods.LUNAR_NEW_YEAR else "calendar"
        return periods.day(when, f"{name} {when.year} is {when} ({source})"), "day", False
    window = backend().resolve(name, pub)
    if window is None:
        return None
    return window.with_reason(f"{name} → {window.label()} ({backend().name})"), "day", False


def _today(match: re.Match[str], pub: date) -> tuple[Window, str, bool]:
    word = match.group(0).lower()
    offset = {"today": 0, "tonight": 0, "tomorrow": 1, "the day after tomorrow": 2}[word]
    when = pub + timedelta(days=offset)
    return periods.day(when, f"{word} after {_fmt(pub)} → {when}"), "day", False


def _preposition_before(match: re.Match[str]) -> bool:
    before = match.string[max(0, match.start() - 30) : match.start()]
    return bool(re.search(
        r"\b(?:in|by|before|until|till|through|during|from|after|since|of|for|over|this|next|"
        r"ahead of|prior to|early|late|mid|starting|beginning|around|and|or|to|as early as|past|"
        r"beyond|later than|"
        r"as late as|as soon as)\s+(?:the\s+)?$",
        before, _I,
    ))


_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(_MOD + r"(?P<rel>this|next|the coming|coming|the following|last|the next)\s+"
                r"(?:calendar\s+)?(?P<unit>week|weekend|month|year|quarter|spring|summer|fall|autumn|winter)\b",
                _I), _relative),
    (re.compile(_MOD + r"the\s+(?P<unit>week|month|year|quarter)\b", _I), _the_period),
    (re.compile(r"\b(?:year[-\s]end|year[’']s end|end[-\s]of[-\s](?:the[-\s])?year)\b", _I),
     _year_end),
    (re.compile(rf"(?:(?:{_WD_RE}),?\s+)?(?P<month>{_MONTH_RE})\s+(?P<dom>\d{{1,2}})"
                r"(?:st|nd|rd|th)?\b(?!:)(?:\s*(?:[-–]|to|through)\s*(?P<dom2>\d{1,2})\b(?!\s*%)|"
                r"(?:,\s*\d{1,2}\b(?!,?\s*\d{3})){0,6},?\s+(?:and|&)\s+(?P<dom3>\d{1,2})\b(?!\s*%))?"
                r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"), _month_day),
    (re.compile(r"\b(?P<dom>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                rf"(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"), _month_day),
    (spelled_days.pattern(_MONTH_RE), partial(spelled_days.month_day, _MONTHS)),
    (re.compile(r"(?:(?P<mod>early|mid|late|the end of|end of|the beginning of|the start of|"
                r"[Ee]arly|[Ll]ate)\s+|(?P<modh>mid)-)?(?:(?P<mrel>next|this)\s+)?"
                rf"\b(?P<month>{_MONTH_RE})(?!\s+\d{{1,2}}\b)(?:\s+(?P<year>(?:19|20)\d\d))?(?![\w’'])"),
     _month),
    (re.compile(r"(?:\bthe\s+)?\b(?P<which>first|second|third|fourth|last|final)\s+week\s+of\s+"
                rf"(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?", _I), _week_of_month),
    (re.compile(_MOD + r"\b(?P<year>(?:19|20)\d\d)\b(?![-–]\d|\s*%)"), _year),
    (re.compile(_MOD + r"(?:(?P<the>the|this coming)\s+)?\b(?P<season>spring|summer|fall|autumn|"
                r"winter)\b(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?", _I), _season),
    (re.compile(r"(?:\bthe\s+)?\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter"
                r"(?:\s+of\s+(?P<qy>this year|next year|the year|(?:19|20)\d\d)"
                r"|\s+(?P<qy3>(?:19|20)\d\d)\b)?"
                r"|\bQ(?P<qn>[1-4])(?:\s+(?P<qy2>(?:19|20)\d\d))?\b", _I), _quarter),
    (re.compile(r"(?:\bthe\s+)?\b(?P<hord>first|second)\s+half\s+of\s+"
                r"(?P<hy>this year|next year|the year|(?:19|20)\d\d)"
                r"|\bH(?P<hn>[12])\s+(?P<hy2>(?:19|20)\d\d)\b", _I), _half),
    (re.compile(r"(?:\b(?P<wrel>this coming|this|next|coming|last)\s+)?\b(?P<wd>"
                + _WD_RE + r")\b(?:[’']s)?(?:\s+(?:morning|afternoon|evening|night))?"), _weekday),
    (re.compile(r"(?:\bthe\s+)?\b(?P<hol>" + "|".join(re.escape(h) for h in _HOLIDAYS)
                + r")\b(?:\s+holidays?)?"), _holiday),
    (re.compile(r"\b(?:the day after tomorrow|today|tonight|tomorrow)\b", _I), _today),
    *durations.PATTERNS,
    *period_phrases.PATTERNS,
]


def _capitalised_title(match: re.Match[str]) -> bool:
    """Tell whether a match is a title in capitals mid-sentence ('This Week'), not a date."""
    first = match.group(0).split(maxsplit=1)[0]
    return first in {"This", "Next", "Last", "Coming"} and match.start() > 0 and not re.search(
        r"(?:^|[.!?:“\"]\s*)$", match.string[: match.start()]
    )


def cores(text: str, pub: date) -> list[Core]:
    """Return the non-overlapping phrases of ``text`` (longest first), in text order."""
    found: list[Core] = []
    for pattern, handler in _PATTERNS:
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            if _capitalised_title(match):
                continue
            result = handler(match, pub)
            if result is None:
                continue
            window, kind, end_mod = result
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            found.append(Core(start, match.end(), window, kind, end_mod))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Core] = []
    for core in sorted(found, key=lambda c: -(c.end - c.start)):
        if all(core.end <= k.start or core.start >= k.end for k in kept):
            kept.append(core)
    return sorted(kept, key=lambda c: c.start)

