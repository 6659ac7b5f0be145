"""The certainty class of a claim: the weakest live cue of its own clause, capped by hedges.

A claim is ``conditional`` when a condition governs it (:mod:`.conditions`); otherwise the
weakest live cue of the claim's own clause decides (a later purpose or relative clause does not
hedge it), and a hedge caps it: "I hope", "perhaps" → ``possible``; "I think", "she believes",
"probably", "would likely", "is confident", "the plan is to" → ``expected``. The cue classes
themselves are in :mod:`.cues`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cues import Cue

RANK = {"possible": 0, "expected": 1, "asserted": 2}
_I = re.IGNORECASE
_HEDGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:I|we|he|she|they|it)\s+(?:also\s+)?(?:hope|hopes|hoped|wish|wished)\b|"
            r"\bhopefully\b|\b(?:perhaps|maybe)\b|"
            # "it's also possible Trump will …", "it is conceivable that …"
            r"\bit(?:\s+is|\s+was|['’]s)\s+(?:also\s+|still\s+|quite\s+|entirely\s+)?"
            r"(?:possible|conceivable)\b(?!\s+to\b)|"  # not "where it is possible to plant …"
            # "there is a chance that they will …": a chance is a possibility, whatever its size
            r"\bthere\s+(?:is|was|['’]s|remains)\s+(?:still\s+)?(?:a|an|some)\s+"
            r"(?:(?!good|strong|high|big)\w+\s+)?(?:chance|possibility|risk)\b",
            _I,
        ),
        "possible",
    ),
    (
        re.compile(
            r"\b(?:he|she|they|it)\s+(?:also\s+)?(?:thinks|think|believes|believe|thought|"
            r"believed|suspects|reckons|feels)\b|"
            r"\b(?:will|would|should|most|very|more|quite)\s+likely\b(?!\s+to\b)|"
            r"\b(?:I|we)\s+(?:think|believe|suspect|guess|feel|reckon)\b|\bprobably\b|"
            # "we're confident it will": the speaker's own conviction stands as said (asserted);
            # only hope and optimism hedge it
            r"\b(?:I|we)['’]?(?:m| am| are|['’]re)\s+(?:optimistic|hopeful)\b|"
            r"(?<!\bI\s)(?<!\bwe\s)(?<!\bWe\s)"
            r"\b(?:is|are|was|were|am|remains?|felt|feels?)\s+(?:\w+\s+)?[“\"]?(?:confident|"
            r"optimistic|hopeful)\b|\b(?:full|every|complete|great)\s+confidence\b|"
            r"\bexpress(?:ed|es|ing)\s+(?:\w+\s+)?(?:confidence|optimism)\b|"
            r"\bit\s+(?:appears|seems|looks\s+like)\s+(?:that\s+|there\s+)?|"
            r"\b(?:intention|plan|expectation|goal|aim|target|objective)\s+is\s+(?:that|to)\b",
            _I,
        ),
        "expected",
    ),
]
_CLAUSE_END = re.compile(
    r"[,;:—–(]|\b(?:so that|so|which|who|to ensure|in order to|because|while|whereas|"
    r"and that)\b",
    _I,
)
_RELATIVE_AFTER = re.compile(r",\s+(?:which|who)\b")
_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;]{1,120},")


# "that" and the clause's subject up to its cue, or nothing (the claim starts right after)
_UP_TO_CUE = r"(?:that\b[^,;:.“”\"]{0,100}|[“\"]?)$"
# The verb that frames a reported claim as a forecast or a hope, not a statement of fact:
# "X has strongly suggested that …", "Bank staff project that …", "It is hoped that …". The
# claim's own "will" is the forecast's content, so the frame caps its certainty.
_FRAMES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\b(?:[Ii]t\s+is|[Ii]t\s+was)\s+(?:\w+\s+)?hoped\s+" + _UP_TO_CUE + "|"
                   r"\bexpress(?:ed|es|ing)\s+(?:the\s+)?hope\s+" + _UP_TO_CUE),
        "possible",
    ),
    (
        # "In new economic projections, policymakers sketched …, with growth slowing to 1.4%"
        re.compile(r"\b(?:Under|In)\s+(?:the\s+|its\s+|their\s+)?(?:(?:new|latest|updated|"
                   r"revised|fresh|economic|quarterly|staff)\s+){0,3}(?:projections|forecasts)\b"),
        "expected",
    ),
    (
        re.compile(r"\b(?:suggest|suggests|suggested|hint|hints|hinted|project|projects|projected|"
                   r"predict|predicts|predicted|forecast|forecasts|estimate|estimates|estimated|"
                   r"anticipate|anticipates|anticipated|foresee|foresees)"
                   r"(?:\s+(?:on|last|this|earlier)\s+\w+)?,?\s+" + _UP_TO_CUE),
        "expected",
    ),
]


def frame(before: str) -> str | None:
    """Return the certainty the verb framing a reported claim caps it at ("X suggested that
    CLAIM" → expected, "it is hoped that CLAIM" → possible); ``before`` is the sentence up to
    the claim's first cue."""
    for pattern, certainty in _FRAMES:
        if pattern.search(before[-200:]):
            return certainty
    return None


def hedge(text: str) -> str | None:
    """Return the certainty a hedge ("I think", "probably", "I hope") caps the claim at."""
    for pattern, certainty in _HEDGES:
        if pattern.search(text):
            return certainty
    return None


def certainty_of(cues: list[Cue], text: str, has_condition: bool) -> str:
    """Return the class of a claim: conditional, else the weakest live cue, capped by hedges."""
    if has_condition:
        return "conditional"
    live = [c for c in cues if c.live]
    aside = [m.span() for m in _ASIDE.finditer(text)]  # ", which may be called X,"
    live = [c for c in live if not any(s <= c.start < e for s, e in aside)] or live
    # "will be able to apply …, or can call": a later "can" does not weaken a "will"
    live = [c for c in live if c.kind != "weak" or c is live[0]]
    if live:  # a purpose or relative clause after the claim's verb does not hedge it
        stop = _CLAUSE_END.search(text, live[0].end)
        live = [c for c in live if stop is None or c.start < stop.start()]
    best = min((c.certainty for c in live), key=RANK.__getitem__, default="asserted")
    # "… will open in May, which she believes will help the town": a belief about what follows
    # in a relative clause does not hedge the claim before it
    relative = _RELATIVE_AFTER.search(text, live[0].end) if live else None
    capped = hedge(text[: relative.start()] if relative else text)
    if capped is not None and RANK[capped] < RANK[best]:
        return capped
    return best
