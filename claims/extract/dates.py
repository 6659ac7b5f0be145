"""Find time expressions in a sentence and normalise them to deadlines, with a reason.

:mod:`.phrases` recognises what a time phrase denotes ("on Thursday", "early next year", "the
Lunar New Year", "within 90 days"); this module adds what surrounds it and what news means by
it, finds expressions the phrase grammar does not know through the maintained normaliser of
:mod:`.backends` (Duckling, or dateparser where Duckling has no wheel), and combines them.

- a weekday is the first one after the publication date; the publication's own weekday is the
  publication day itself (AP style names the current day by its weekday); "next Monday" is the
  Monday of the following Monday–Sunday week; "last Monday" is past;
- "by X" / "in time for X" end on X's last day; "before X" / "ahead of X" / "prior to X" end
  the day before X starts ("before the end of X" is "by the end of X"); "before <event> <X>"
  ("before the harvest festival on March 20") dates the event by X;
- "after X" starts the day after X; "from/starting/as early as X" starts on X's first day;
- "early/mid/late X" are X's thirds (a year: Jan–Apr, May–Aug, Sep–Dec); "the end of the year"
  is December, so "by the end of the year" is 12-31;
- "within N days" ends N days after publication; "in N days" is that one day;
- "in the coming weeks", "soon", "in the near future" are open-ended: no due dates;
- expressions in apposition ("early next year, just ahead of the Lunar New Year") intersect;
- a window that starts on or before the publication date keeps no ``start`` (it is open now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from . import date_context, durations
from .backends import backend, dates_found
from .periods import ONE_DAY, Window
from .phrases import Core, cores
from .sentences import TIMETABLE_LINE

if TYPE_CHECKING:
    from .article_dates import ArticleDates

_I = re.IGNORECASE

# Prefixes that turn a period into a deadline or a start, by kind.
_BY = {
    "by",
    "no later than",
    "not later than",
    "by no later than",
    "until",
    "till",
    "through",
    "in time for",
    "within",
    "sometime within",
    "at some point in",
}
_BEFORE = {
    "before",
    "ahead of",
    "prior to",
    "in advance of",
    "in the run-up to",
    "in the lead-up to",
}
_AFTER = {"after", "following", "past", "beyond", "later than"}
_FROM = {"as early as", "no earlier than", "not before"}  # an earliest date, no deadline
# A start: "effective from May 2" is checkable on May 2 (due by the period's last day).
_STARTS = {
    "from",
    "starting",
    "starting on",
    "starting in",
    "starting from",
    "beginning",
    "beginning in",
    "beginning on",
    "as of",
    "effective",
    "effective from",
    "with effect from",
}
_OPENING = re.compile(r"(?:the\s+)?(?:start|beginning|outset)\s+of\b", _I)
_STARTING = re.compile(r"(?:from|starting|beginning|as of|effective|with effect)\b", _I)
_PLAIN = {"on", "in", "at", "during", "over", "for", "this coming", "sometime in", "some time in"}
_PREFIX = re.compile(
    r"\b(?P<pre>(?:(?:just|shortly|right|well|sometime|some time)\s+)?(?:"
    + "|".join(
        sorted(
            (re.escape(p) for p in _BY | _BEFORE | _AFTER | _FROM | _STARTS | _PLAIN),
            key=len,
            reverse=True,
        )
    )
    + r"))\s+(?:the\s+)?$",
    _I,
)
_LINK = re.compile(
    r"(?P<pre>(?:(?:just|shortly|right|well)\s+)?(?:before|ahead of|prior to|in advance of|"
    r"in the run-up to|in the lead-up to|in time for|after|following))\s+"
    r"(?P<np>[^,;.!?—–()“”\"]{1,90}?)\s+(?:on\s+|in\s+|at\s+|during\s+|this\s+)?$",
    _I,
)
# "ahead of the season and will drive a strong second half": a coordinated verb ends the event
_NEW_PREDICATE = re.compile(r"\b(?:and|but|or|then)\s+(?:will|would|shall|could|may|might)\b", _I)
# "before its scheduled time of August 2024": the noun is the date itself, not an event in it
_TIME_OF = re.compile(r"\b(?:time|date|deadline|target|timeline|timetable|schedule)\s+of\s*$", _I)
_APPOSITION = re.compile(
    r"^[\s,]*(?:(?:just|right|shortly|well|probably|possibly|likely|perhaps|maybe|sometime|"
    r"some time|or so)\s+)*$",
    _I,
)


@dataclass(frozen=True)
class TimeExpression:
    """A time expression in a sentence: verbatim span, window and why (``reason``)."""

    start: int
    end: int
    text: str
    window: Window
    open_ended: bool = False
    kind: str = ""  # the phrase's kind (phrases.Core.kind): "span" lasts from its anchor

    @property
    def reason(self) -> str:
        """Explain how the window was derived."""
        return self.window.reason

    def is_past(self, published_on: date) -> bool:
        """Tell whether the window ended before the publication date."""
        return self.window.end is not None and self.window.end < published_on


def _with_prefix(core: Core, text: str, pub: date, lower: int) -> TimeExpression:
    before = text[lower : core.start]
    window = core.window
    start = core.start
    prefix = _PREFIX.search(before)
    link = _LINK.search(before)
    if link is not None and _NEW_PREDICATE.search(link.group("np")):
        link = None  # "ahead of the season and will drive …": the date is the other verb's
    if prefix is not None and (link is None or _is_plain(prefix)):
        link = None if link is None or not _is_plain(prefix) else link
    if link is not None:
        prefix = None
    if (prefix is None and link is None) or core.kind == "open":
        return _finish(core.start, core.end, text, window, pub, core.kind == "open", core.kind)
    match = prefix or link
    assert match is not None
    word = re.sub(
        r"^(?:just|shortly|right|well|sometime|some time)\s+", "", match.group("pre").lower()
    )
    start = lower + match.start()
    reason = window.reason
    event = link is not None and not _TIME_OF.search(link.group("np"))
    if link is not None and not event:
        reason = f"{reason}; “{link.group('np').strip()}” is that date"
    elif link is not None:
        reason = f"{reason}; “{link.group('np').strip()}” dated by it"
    if word in _BY and _OPENING.match(text, core.start) and window.start is not None:
        window = Window(None, window.start, f"{reason}; {word} the start → due by {window.start}")
    elif word in _BY or (word in _BEFORE and core.end_modifier):
        window = Window(None, window.end, f"{reason}; {word} → due by {window.end}")
    elif (
        word in _BEFORE
        and event
        and window.start is not None
        and (window.end is not None and window.end > window.start)
    ):
        # an event dated only by a period may fall on its last day: before it, at the latest,
        # is the day before that ("before Xi's visit … next fall" is not due in September)
        last = window.end - ONE_DAY
        window = Window(
            None,
            last,
            f"{reason}; the event may fall as late as {window.end}; {word} it → due by {last}",
        )
    elif word in _BEFORE and window.start is not None:
        last = window.start - ONE_DAY
        window = Window(None, last, f"{reason}; {word} → ends the day before: {last}")
    elif word in _AFTER and event and window.start is not None:
        first = window.start + ONE_DAY  # an event inside the window: the earliest day after it
        window = Window(first, None, f"{reason}; {word} → from {first}")
    elif word in _AFTER and window.end is not None:
        first = window.end + ONE_DAY
        window = Window(first, None, f"{reason}; {word} → from {first}")
    elif word in _FROM:
        window = Window(window.start, None, f"{reason}; {word} → from {window.start}")
    elif word in _STARTS:
        window = Window(
            window.start, window.end, f"{reason}; {word} → starts then: due by {window.end}"
        )
    return _finish(start, core.end, text, window, pub, False, core.kind)


def _is_plain(prefix: re.Match[str]) -> bool:
    return prefix.group("pre").lower() in _PLAIN


def _finish(
    start: int, end: int, text: str, window: Window, pub: date, open_ended: bool, kind: str = ""
) -> TimeExpression:
    if (
        window.start is not None
        and window.start <= pub
        and (window.end is None or window.end >= pub)
    ):
        window = Window(None, window.end, window.reason)
    return TimeExpression(start, end, text[start:end], window, open_ended, kind)


_TALLY = re.compile(r"\d{1,2}[-–]\d{1,2}")


def find(text: str, published_on: date, known: ArticleDates | None = None) -> list[TimeExpression]:
    """Return the time expressions of ``text`` (one sentence or clause) with their windows;
    ``known`` holds the events the article dated before (``.article_dates``)."""
    found_cores = cores(text, published_on)
    expressions: list[TimeExpression] = []
    lower = 0
    for core in found_cores:
        floor = max(lower, _clause_start(text, core.start))
        expression = _with_prefix(core, text, published_on, floor)
        expressions.append(expression)
        if expression.start < core.start and "dated by it" in expression.reason:
            # the event's own date stays available to a claim about the event itself
            expressions.append(_with_prefix(core, text, published_on, core.start))
        lower = core.end
    for found in dates_found(text, published_on):
        if any(found.start < e.end and found.end > e.start for e in expressions):
            continue
        if _TALLY.fullmatch(found.text):
            continue  # "a 7-2 vote", "a 2-3-2 layout", "4-3-3": a tally or a pattern, no day
        assert found.window is not None
        why = f"; {found.window.reason}" if found.window.reason else ""
        window = found.window.with_reason(
            f"{found.text} → {found.window.label()} ({backend().name}{why})"
        )
        expressions.append(_finish(found.start, found.end, text, window, published_on, False))
    line = TIMETABLE_LINE.match(text)  # "2025: Start of tunnel drilling": dated by its year
    year = normalise(f"in {line.group(1)}", published_on) if line else None
    if line and year and not any(e.start < line.end(1) for e in expressions):
        expressions.append(TimeExpression(line.start(1), line.end(1), line.group(1), year.window))
    expressions = [
        date_context.undated(e) if date_context.is_dateline(e, text) else e
        for e in expressions
        if not date_context.dates_the_saying(e, text)
    ]
    ordered = _anchor_spans(sorted(expressions, key=lambda e: e.start), text)
    ordered = date_context.widen(ordered, text, published_on)
    if known is not None:
        ordered = sorted(ordered + known.recall(text, ordered, published_on), key=lambda e: e.start)
        known.remember(text, ordered, published_on)
        if not ordered:  # after remembering: an activity does not date its visit again
            ordered = known.activity(text, published_on)
    return _join(date_context.next_day(ordered, text), text)


# Two dates joined as one stretch: a range ("from October 1 to October 5", "between May 4
# and May 9", "Q3 2024 through Q4 2024") or alternatives ("September/October", "this week, or
# at the latest early next week"). Either way the claim is checkable only at the later end.
_RANGE_GAP = re.compile(r"^\s*(?:to|through|until|till|and|[-–])\s*(?:the\s+)?$", _I)
_OPEN_RANGE = re.compile(r"(?:\b(?:from|between)\s+(?:the\s+)?)$", _I)
_ALTERNATIVE_GAP = re.compile(
    r"^\s*(?:,\s*)?(?:/|or)\s*(?:,\s*)?(?:(?:at the latest|possibly|perhaps|maybe)\s*,?\s*)?$",
    _I,
)


def _join(expressions: list[TimeExpression], text: str) -> list[TimeExpression]:
    """Join a range or alternatives of two dates into one expression ending at the later."""
    result: list[TimeExpression] = []
    for expression in expressions:
        last = result[-1] if result else None
        if (
            last is None
            or last.open_ended
            or expression.open_ended
            or (last.window.end is None or expression.window.end is None)
            or expression.window.end <= last.window.end
        ):
            result.append(expression)
            continue
        gap = text[last.end : expression.start]
        opened = _OPEN_RANGE.search(text, 0, last.start) or re.match(
            r"(?:from|between)\b", last.text, _I
        )
        # "on June 30 and July 1", "in 2026 and 2027": two dates side by side, one stretch
        ranged = _RANGE_GAP.match(gap) and (
            opened
            or gap.strip() in {"and", "to"}  # "the 12th May to 11 August"
            or (not re.search(r"\bto\b", gap) and "and" not in gap)
        )
        if not ranged and not _ALTERNATIVE_GAP.match(gap):
            result.append(expression)
            continue
        what = "range" if ranged else "alternatives"
        window = Window(
            last.window.start,
            expression.window.end,
            f"{last.reason}; {expression.reason}; {what} → due by the later: "
            f"{expression.window.end}",
        )
        result[-1] = TimeExpression(
            last.start, expression.end, text[last.start : expression.end], window, False, last.kind
        )
    return result


def _anchor_spans(expressions: list[TimeExpression], text: str) -> list[TimeExpression]:
    """Re-anchor "for a year" to the start it follows or precedes ("from November 10")."""
    result = list(expressions)
    for span in [e for e in expressions if e.kind == "span"]:
        starts = [
            e
            for e in result
            if e is not span
            and e.window.start is not None
            and _STARTING.match(e.text)
            and _near(span, e, text)
        ]
        length = durations.span_length(span.text)
        if not starts or length is None:
            continue
        anchor = starts[0]
        first = anchor.window.start
        assert first is not None
        last = durations.after(first, *length) - ONE_DAY
        low, high = min(span.start, anchor.start), max(span.end, anchor.end)
        reason = f"{anchor.reason}; “{span.text}” from then → its last day {last}"
        joined = TimeExpression(
            low, high, text[low:high], Window(first, last, reason), False, "span"
        )
        result = [e for e in result if e is not span and e is not anchor] + [joined]
    return sorted(result, key=lambda e: e.start)


def _near(one: TimeExpression, other: TimeExpression, text: str) -> bool:
    low, high = (one.end, other.start) if one.end <= other.start else (other.end, one.start)
    return high - low <= 80 and not re.search(r"[;.]", text[low:high])


def _clause_start(text: str, position: int) -> int:
    cut = max(text.rfind(mark, 0, position) for mark in (",", ";", "—", "–", "(", ":", "“"))
    return cut + 1 if cut >= 0 else 0


def combine(expressions: list[TimeExpression], text: str) -> list[list[TimeExpression]]:
    """Group expressions in apposition ("early next year, just ahead of …") for intersecting."""
    groups: list[list[TimeExpression]] = []
    for expression in expressions:
        if groups and expression.end <= groups[-1][-1].end:
            continue  # nested in the previous one ("next fall" in "before … next fall")
        # "for three days in April": how long it lasts does not intersect when it happens
        lasting = bool(groups) and "span" in {expression.kind, groups[-1][-1].kind}
        gap = text[groups[-1][-1].end : expression.start] if groups else ""
        if groups and not lasting and _APPOSITION.match(gap):
            groups[-1].append(expression)
        else:
            groups.append([expression])
    return groups


def intersect(group: list[TimeExpression], text: str) -> tuple[str, Window]:
    """Return the due text and the intersection of a group (the first alone if disjoint)."""
    first = group[0]
    window = first.window
    used = [first]
    for other in group[1:]:
        start = max((d for d in (window.start, other.window.start) if d), default=None)
        end = min((d for d in (window.end, other.window.end) if d), default=None)
        if start is not None and end is not None and start > end:
            break
        if other.open_ended:
            break
        window = Window(start, end, "")
        used.append(other)
    due_text = text[first.start : used[-1].end]
    if len(used) == 1:
        return due_text, first.window
    reasons = "; ".join(e.reason for e in used)
    return due_text, Window(window.start, window.end, f"{reasons}; together → {window.label()}")


def normalise(phrase: str, published_on: date) -> TimeExpression | None:
    """Normalise one time phrase ("next fall", "by the end of the year") against a date."""
    found = find(phrase, published_on)
    if not found:
        return None
    due_text, window = intersect(combine(found, phrase)[0], phrase)
    return TimeExpression(
        found[0].start, found[0].start + len(due_text), due_text, window, found[0].open_ended
    )
