"""Dates an article gives once and refers back to: an event dated earlier ("the visit").

News dates an event once ("Xi's upcoming visit to Russia at the beginning of June") and then
refers to it by its noun ("… will sign two communiques during the visit"). An
:class:`ArticleDates` goes through the article's sentences in order with :func:`.dates.find`:
it remembers the date next to each event noun, and dates "during / at / before the <event>"
in a later sentence that gives it no date of its own, saying so in the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import TimeExpression
from .periods import ONE_DAY, Window

_I = re.IGNORECASE

# Events news dates once and names again: general nouns, no names.
_EVENTS = (
    r"visit|trip|tour|meeting|summit|talks|negotiations|conference|session|forum|ceremony|"
    r"election|vote|referendum|launch|opening|signing|congress|assembly|summit meeting"
)
_EVENT = re.compile(rf"\b(?P<noun>{_EVENTS})\b", _I)
_BACK = re.compile(
    r"\b(?P<pre>during|at|on the sidelines of|before|ahead of|in the run-up to)\s+"
    r"(?:the|this|that|his|her|their|its)\s+(?:(?:upcoming|planned|expected|coming|same)\s+)?"
    rf"(?P<noun>{_EVENTS})\b(?!\s+(?:of|on|in|at|for|with|to|between)\b)",
    _I,
)
# What a visitor does on a visit: "he will meet …", "will also address Parliament"
_ACTIVITY = re.compile(
    r"\b(?:will|is\s+to|are\s+to|is\s+set\s+to|are\s+set\s+to|is\s+scheduled\s+to|"
    r"are\s+scheduled\s+to)\s+(?:also\s+)?(?:meet|attend|address|visit|tour|hold\s+talks|"
    r"speak\s+at|inspect|lay\s+a\s+wreath|pay\s+(?:a\s+)?(?:call|visit|tribute))\b",
    _I,
)
_ORDINAL = re.compile(r"\b(?:first|second|third|last|only)\s+(?:[\w-]+\s+){0,2}$", _I)
_LENGTH = re.compile(r"(?:in|for)\s+(?:a|an|\d+|two|three|four|five|ten|many|several)\s+"
                     r"(?:decades?|years?|months?|weeks?|generation)\b", _I)
_TRAVEL = ("visit", "trip", "tour")
# A visit dated to a span longer than this is not the frame of its days' activities.
_VISIT_DAYS = 14
# A date that is the event's own (not "by", "before", "after" it).
_PLAIN = re.compile(r"(?:(?:on|in|at|during|this|for)\s+|[A-Z0-9]|the\s|early|mid|late)", _I)
# "from Oct 19 to 23": the event's own span (a bare "from May 1" only opens it)
_RANGE = re.compile(r"\s(?:to|until|till|through|thru)\s|[-–]", _I)


@dataclass
class ArticleDates:
    """The events an article has dated so far, by noun (the latest mention wins)."""

    events: dict[str, TimeExpression] = field(default_factory=dict)

    def remember(self, text: str, expressions: list[TimeExpression], pub: date) -> None:
        """Note the date nearest each event noun of a sentence (within its clause)."""
        dated = [
            e
            for e in expressions
            if not e.open_ended
            and e.window.end is not None
            and e.window.end >= pub
            and _PLAIN.match(e.text)
            and not re.match(r"(?:by|before|after|until|within)\b", e.text, _I)
            and (not re.match(r"from\b", e.text, _I) or _RANGE.search(e.text))
        ]
        for match in _EVENT.finditer(text):
            if _ORDINAL.search(text, max(0, match.start() - 40), match.start()):
                # "the first visit by a president in a decade": a length counted back, no date
                dated_here = [e for e in dated if not _LENGTH.match(e.text)]
            else:
                dated_here = dated
            near = [e for e in dated_here if _distance(match, e, text) is not None]
            if near:
                best = min(near, key=lambda e: _distance(match, e, text) or 0)
                self.events[match.group("noun").lower()] = best

    def recall(
        self, text: str, expressions: list[TimeExpression], pub: date
    ) -> list[TimeExpression]:
        """Date "during / at / before the <event>" by the event's earlier date."""
        found: list[TimeExpression] = []
        for match in _BACK.finditer(text):
            known = self.events.get(match.group("noun").lower())
            if known is None or any(
                e.start < match.end() + 40 and e.end > match.start() for e in expressions
            ):
                continue  # not dated before, or dated here ("during the visit in June")
            window = known.window
            pre = match.group("pre").lower()
            why = f"“the {match.group('noun')}” is the one dated earlier: {known.reason}"
            if pre in {"before", "ahead of", "in the run-up to"}:
                first = window.start or window.end
                assert first is not None
                last = first - ONE_DAY
                window = Window(None, last, f"{why}; {pre} it → due by {last}")
            else:
                window = window.with_reason(why)
            found.append(
                TimeExpression(match.start(), match.end(), match.group(0), window, False, "period")
            )
        return found

    def activity(self, text: str, pub: date) -> list[TimeExpression]:
        """Date an undated visit activity ("he will meet the prime minister") by the end of the
        visit the article dated before: what a visitor does, he does during the visit."""
        match = _ACTIVITY.search(text)
        visits = [self.events[n] for n in _TRAVEL if n in self.events]
        if match is None or not visits:
            return []
        known = visits[-1] if len(visits) == 1 else max(visits, key=lambda e: e.window.end or pub)
        window = known.window
        if window.start is None or window.end is None or window.end < pub or (
            (window.end - window.start).days > _VISIT_DAYS
        ):
            return []
        why = f"an activity of the visit dated earlier: {known.reason}"
        return [TimeExpression(match.start(), match.end(), match.group(0),
                               window.with_reason(why), False, "period")]


def _distance(event: re.Match[str], expression: TimeExpression, text: str) -> int | None:
    low, high = (
        (event.end(), expression.start)
        if event.end() <= expression.start
        else (expression.end, event.start())
    )
    if low > high or high - low > 80 or re.search(r"[;.!?]", text[low:high]):
        return None
    return high - low
