"""How the words around a time expression change what it dates.

:mod:`.dates` finds the time expressions of a sentence; this module reads their frame:

- the day a statement was made, next to a past verb of saying or deciding ("said on Tuesday",
  "promised on Friday to …", "the measures announced on May 9"), is no deadline: dropped (a
  weekday read forward from publication would even put it in the future);
- the dateline's day ("COLOMBO, Jan 27 (Reuters) - …") is when the story was filed: it stays a
  time of its sentence (the cue rules read "can" next to it as before) but dates no claim;
- "the week of Aug. 25" is that day's Monday–Sunday week; "September of this year" the month
  in that year;
- "the next / following day" is the day after the day named before it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import periods
from .periods import ONE_DAY, Window

if TYPE_CHECKING:
    from .dates import TimeExpression

_I = re.IGNORECASE

# Verbs of saying and deciding, past tense: the day next to one is the day of the news ("said
# on Tuesday", "promised on Friday to …", "the bank on Wednesday announced").
_STATING = (
    r"(?:said|says|told\s+(?:[\w’'-]+\s+){0,3}?|announced|stated|added|noted|confirmed|"
    r"declared|warned|promised|pledged|vowed|agreed|decided|revealed|reported|tweeted|wrote|"
    r"indicated|insisted|signalled|signaled|unveiled|predicted|estimated|suggested|reiterated|"
    r"disclosed|reaffirmed|acknowledged|explained|stressed|urged|cautioned|projected|hinted)"
)
_STATED_BEFORE = re.compile(
    # not "will be announced on Friday", "could cut on Friday": those are ahead
    rf"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)(?<!\bto\s)(?<!\bwill\s)(?<!\bcould\s)"
    rf"(?<!\bwould\s)(?<!\bmay\s)\b{_STATING}\s+"
    r"(?:(?:again|also|late|later|earlier|separately|publicly|jointly|formally|\w+ly)\s+){0,2}$",
    _I,
)
_STATED_AFTER = re.compile(
    r"^\s+(?:(?:again|also|formally|\w+ly)\s+)?(?:said|told|announced|confirmed|declared|"
    r"warned|promised|pledged|vowed|agreed|decided|revealed|reported|unveiled|raised|cut|"
    r"lowered|approved|signed|released|issued|published)\b",
    _I,
)
_SAYING_DAY = re.compile(r"(?:(?:on|in)\s+)?(?!(?:Next|This|Last|Coming)\b)(?:[A-Z0-9]|today\b)")


def dates_the_saying(expression: TimeExpression, text: str) -> bool:
    """Tell whether a day or month next to a past verb of saying dates the statement."""
    if expression.open_ended or not _SAYING_DAY.match(expression.text):
        return False  # "next week", "by Friday": relative to the news, or a deadline
    before = text[max(0, expression.start - 60) : expression.start]
    return bool(_STATED_BEFORE.search(before) or _STATED_AFTER.match(text, expression.end))


# "COLOMBO, Jan 27 (Reuters) -", "NEW YORK, Sept. 27 (Yonhap) --", "Jul 2, 2014 - ": the day
# the story was filed (the place may be left out)
_DATELINE_PLACE = re.compile(
    r"^\W*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},(?:\s*[A-Z][\w.]+,)?)?\s*$"
)
_DATELINE_END = re.compile(r"\s*(?:,?\s*\d{4})?\s*(?:\([^()\n]{1,40}\))?\s*(?:--|[-–—])\s")


def is_dateline(expression: TimeExpression, text: str) -> bool:
    """Tell whether a date is the dateline's: after the place that opens the text, before the
    agency and the dash."""
    return bool(
        _DATELINE_PLACE.match(text[: expression.start])
        and _DATELINE_END.match(text, expression.end)
    )


def undated(expression: TimeExpression) -> TimeExpression:
    """Return the expression with no dates, its reason saying why (a dateline's day)."""
    reason = f"{expression.text}: the dateline's day, when the story was filed → no deadline"
    return replace(expression, window=Window(None, None, reason))


_WEEK_OF = re.compile(r"\b(?:the\s+)?week\s+of\s+$", _I)
# "September of this year", "July next year", "May 17 next year"
_OF_YEAR = re.compile(r"\s+(?:of\s+(?:the\s+)?)?$", _I)


def widen(expressions: list[TimeExpression], text: str, pub: date) -> list[TimeExpression]:
    """Read a day or month by the words that frame it: "the week of Aug. 25" is that day's
    Monday–Sunday week (due on its Sunday); "September of this year" / "of next year" is the
    month in that year, not the whole year."""
    result: list[TimeExpression] = []
    for expression in expressions:
        window = expression.window
        week_of = _WEEK_OF.search(text, 0, expression.start)
        if week_of is not None and window.start is not None and window.start == window.end:
            monday = window.start - timedelta(days=window.start.weekday())
            sunday = monday + timedelta(days=6)
            reason = f"{window.reason}; the week of it → {monday}..{sunday}"
            start = week_of.start()
            expression = replace(
                expression,
                start=start,
                text=text[start : expression.end],
                window=Window(monday if monday > pub else None, sunday, reason),
                kind="period",
            )
        last = result[-1] if result else None
        if (
            last is not None
            and last.kind in ("period", "day")
            and _OF_YEAR.fullmatch(text, last.end, expression.start)
            and _is_year(expression)
            and last.window.end is not None
            and expression.window.end is not None
            # one month or one day ("by July", "on May 17"), not a longer stretch
            and (last.window.start is None or (last.window.end - last.window.start).days < 32)
        ):
            year = expression.window.end.year
            if last.kind == "day":  # "on May 17 next year": that day in that year
                when = periods.month_end(year, last.window.end.month)
                end = when.replace(day=min(last.window.end.day, when.day))
                start: date | None = end
            else:
                end = periods.month_end(year, last.window.end.month)
                first = end.replace(day=1)
                start = first if first > pub else None  # a month under way is open now
                if last.window.start is None:
                    start = None  # "by July next year": a deadline, open before it
            reason = f"{last.reason}; {expression.text} → {Window(start, end).label()}"
            result[-1] = replace(
                last,
                end=expression.end,
                text=text[last.start : expression.end],
                window=Window(start, end, reason),
            )
            continue
        result.append(expression)
    return result


def _is_year(expression: TimeExpression) -> bool:
    window = expression.window
    return bool(
        re.fullmatch(r"(?:this|next|the same|the current)\s+year|(?:19|20)\d\d", expression.text)
        and window.end is not None
        and window.end.month == 12
        and window.end.day == 31
    )


_NEXT_DAY = re.compile(
    r"(?:on\s+|in\s+)?(?:the\s+)?(?:following|next)\s+day|(?:on\s+)?the\s+day\s+after", _I
)


def next_day(expressions: list[TimeExpression], text: str) -> list[TimeExpression]:
    """Date "the next / following day" by the day named before it in the sentence ("the winner
    of the June 3 election will be inaugurated the following day" → June 4), not by the
    publication day; "the day" alone dates nothing."""
    result: list[TimeExpression] = []
    for expression in expressions:
        if re.fullmatch(r"the\s+day", expression.text.strip(), _I):
            continue
        if _NEXT_DAY.fullmatch(expression.text.strip()):
            days = [
                e
                for e in result
                if e.window.end is not None
                and e.window.start is not None
                and e.window.start == e.window.end
            ]
            if days:
                when = days[-1].window.end + ONE_DAY
                window = Window(when, when, f"{expression.text} after {days[-1].text} → {when}")
                expression = replace(expression, window=window, open_ended=False, kind="day")
        result.append(expression)
    return result
