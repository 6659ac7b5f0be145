"""Two claims in one clause run: "is expected to have 500 beds and groundbreaking is slated to
start in three years", "will visit A on Wednesday while on Thursday he will travel to B".

A claim's span is cut where a conjunction opens a clause with a verb of its own, and only when
each side keeps a live cue of its own, so that "the sales and marketing teams will grow" stays
whole. The cut is made on a proposal's span after its speaker has been found, so both pieces
keep the speaker, condition and reading of the whole (nothing about who said it changes, only
how many claims were said). Two verbs of one subject with one date between them stay together:
"will travel to Ankara and meet the president on Friday" is one dated event.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .certainty import RANK, certainty_of, frame
from .cues import Cue
from .dates import TimeExpression

# a verb of the same subject: "… and will be located …", "… and is expected to …"
_SAME_SUBJECT = r"\s+and\s+(?=(?:will|would|could|may|might|is|are|was|were|plans?|expects?)\s)"
# a short lowercase subject and its verb: "… and groundbreaking is slated …", "…, and customers
# will begin …", "… and the second phase will open …"
_NEW_SUBJECT = (
    r",?\s+and\s+(?=(?:the\s+|its\s+|their\s+)?(?:[a-z][\w’'-]*\s+){1,3}"
    r"(?:will|would|could|may|might|is|are|should|can)\s)"
)
# a contrast opening a clause with a subject of its own: "… while on Thursday he will travel
# to B", "… whereas the second will …" (not "where": "in every place where it is possible to
# plant one" describes a place)
_CONTRAST = (
    r",?\s+(?:while|whereas)\s+(?=(?:[\w’'.,-]+\s+){0,8}?"
    r"(?:will|would|could|may|might|is|are|should|can)\s)"
)
_JOINT = re.compile(f"(?P<same>{_SAME_SUBJECT})|{_NEW_SUBJECT}|{_CONTRAST}")


def split(
    text: str,
    start: int,
    end: int,
    cues: Callable[[int, int], list[Cue]],
    future: list[TimeExpression],
) -> list[tuple[int, int]]:
    """Return the spans of the claims joined in ``text[start:end]`` (one span when there is
    only one): cut at a joint when both sides have a live cue of their own (``cues``; a
    relative clause's "who will" is not one), keeping two verbs of one subject together when
    only one side holds a date of ``future``."""

    def has_cue(s: int, e: int) -> bool:
        return any(c.kind != "relative" for c in cues(s, e))

    def dated(s: int, e: int) -> bool:
        return any(s <= x.start < e and not x.open_ended for x in future)

    spans: list[tuple[int, int]] = []
    cursor = start
    for joint in _JOINT.finditer(text, start, end):
        left, right = (cursor, joint.start()), (joint.end(), end)
        if not (has_cue(*left) and has_cue(*right)):
            continue
        if joint.group("same") and dated(*left) != dated(*right):
            continue  # one event: "will travel … and will meet the president on Friday"
        spans.append(left)
        cursor = joint.end()
    spans.append((cursor, end))
    return spans


def certainty(
    text: str, sentence_start: int, start: int, end: int, live: list[Cue], conditional: bool
) -> str | None:
    """Return the certainty of one of several joined claims from its own live cues (capped by
    a framing verb before it, "X suggested that …"), or None when it has none ("… by Friday to
    start generating from Sunday": the first claim's cue governs)."""
    if not live:
        return None
    found = certainty_of(live, text[start:end], conditional)
    framed = None if conditional else frame(text[sentence_start : start + live[0].start])
    return framed if framed is not None and RANK[framed] < RANK[found] else found
