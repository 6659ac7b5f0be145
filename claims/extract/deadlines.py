"""Which time expressions date a claim: not the present or a past act (:func:`not_ahead`), one
span per dated goal (:func:`coordinated`), and the deadline of a claim (:func:`due`: the first
dated expression after its cue)."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from . import dates, units
from .dates import TimeExpression

# "Right now, the sides are discussing …", "as of January, progress is 55%", "the commission on
# Saturday decided …": the present, a status date, the day of a past act — not a date ahead
_NOW = re.compile(r"(?:right\s+)?now|currently|at\s+present|nowadays", re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\s+$", re.IGNORECASE)
# A baseline the claim is measured against: "… 872 lines, up from 648 this year"
_BASELINE = re.compile(
    r"\b(?:(?:up|down|rising|falling|rose|fell)\s+from|compared\s+(?:with|to)|versus|vs\.?)"
    r"\s+(?:[^,;:.!?\n]|\.(?=\d)){0,40}$",  # within the clause; "3.5" is no full stop
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")
_PAST_VERB_AFTER = re.compile(r"\s+(?:\w+ed|said|told|met|held|made|took|gave|won|lost|kept)\b")


def not_ahead(text: str, expression: TimeExpression) -> bool:
    """Tell whether a time expression dates the present or a past act, not a claim."""
    if _NOW.fullmatch(expression.text.strip()):
        return True
    if _BASELINE.search(text, max(0, expression.start - 60), expression.start):
        return True
    if _AS_OF.search(text[max(0, expression.start - 8) : expression.start]) or re.match(
        r"as\s+of\b", expression.text, re.IGNORECASE
    ):
        return True
    return bool(_WEEKDAY.fullmatch(expression.text.strip())
                and _PAST_VERB_AFTER.match(text, expression.end))


_RANGE_END = re.compile(r"(?:ending|finishing|closing|concluding|running)\b")
# ", and" then at most three words before the next date, none of them a verb of its own
_ELLIPSIS = re.compile(
    r",\s+and\s+(?=(?:(?!(?:will|would|is|are|was|were|be|has|have|had)\b)[\w.,$%€£-]+\s+){0,3}$)"
)


def coordinated(text: str, unit: units.Unit, future: list[TimeExpression],
                cue_at: int) -> list[tuple[int, int]]:
    """Split "will close X by 2032 and reach Y by 2050" (or "do X by Friday to start Y from
    Sunday") into one span per dated goal."""
    dated = [g for g in dates.combine([e for e in future if not e.open_ended], text)
             if g[0].start > cue_at]
    spans, start = [], unit.start
    for before, after in pairwise(dated):
        gap = text[before[-1].end : after[0].start]
        # "… and reach Y by 2050"; a purpose with its own date: "… by Friday to start Z from
        # Sunday" (two steps, each due on its own day)
        joint = re.search(r"\s+and\s+(?=[a-z])", gap) or re.match(r"\s+to\s+(?=[a-z])", gap)
        if joint is not None and _RANGE_END.match(gap, joint.end()):
            continue  # "starting on August 3 and ending on August 4": one stretch
        if joint is None or re.search(r"[,;]", gap[: joint.start()]):
            # "… Nov. 15 in the US, and Nov. 29 in Europe", "13,000 km by 2011, and 16,000 km
            # by 2015": the second goal leaves its verb out
            joint = _ELLIPSIS.search(gap)
            if joint is None:
                continue
        spans.append((start, before[-1].end + joint.start()))
        start = before[-1].end + joint.end()
    spans.append((start, unit.end))
    return spans


def due(text: str, future: list[TimeExpression], cue_at: int,
        pub: date) -> tuple[str | None, dates.Window | None]:
    """Return the deadline of a claim whose cue is at ``cue_at``: the first dated expression
    after it (an open-ended one only if none is dated), as written and as a window."""
    if not future:
        return None, None
    groups = dates.combine(future, text)
    after = [g for g in groups if g[-1].end > cue_at]
    dated = [g for g in after if not g[0].open_ended] or after
    # "agreed on Monday on a vote on May 3": the day of the news is not the deadline
    dated = [g for g in dated if g[-1].window.end is None or g[-1].window.end > pub] or dated
    # "visit for three days in April": how long it lasts is not when it happens
    dated = [g for g in dated if g[0].kind != "span" or g[0].window.start] or dated
    if dated:
        chosen = dated[0]
    else:
        before = [g for g in groups if not g[0].open_ended] or groups
        chosen = before[-1]
    due_text, window = dates.intersect(chosen, text)
    return due_text, window
