"""The condition a claim is stated under: "if", "unless", "provided that", "When X, …".

:func:`condition` returns the governing clause verbatim ("Beijing follows through on
restricting exports of rare earth minerals"); "unless", "depending on", "subject to" … keep
their marker because they state the other case. Not conditions: "even if", "as if", "asked if",
"will be subject to a 5% levy", "for as long as necessary". A claim with a condition is
``conditional`` (:func:`.cues.certainty_of`). Nothing here finds cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE
_CONDITION = re.compile(
    r"^(?P<when>When)\b(?=[^,]{3,80},)|"  # "When the truce holds, there will be …"
    r"\b(?P<marker>only if|if|unless|provided(?:\s+that)?|as long as|so long as|"
    r"on (?:the )?condition(?:\s+that)?|in the event(?:\s+that)?|depending on|subject to|"
    r"assuming)\b",
    _I,
)
_NOT_CONDITION = re.compile(
    r"(?:\beven|\bas|\bwhat|\b(?:ask|asked|know|see|sure|unclear|wonder|decide)|"
    r"\b(?:be|is|are|was|were|been|remain|remains)|\bfor)\s+$",
    _I,
)  # "will be subject to a 5% levy", "for as long as necessary": no condition
_NOT_CONDITION_AFTER = re.compile(r"\s*(?:necessary|needed|required|it takes|possible)\b", _I)


@dataclass(frozen=True)
class Condition:
    """The condition a claim is stated under, verbatim."""

    start: int
    end: int
    text: str


def condition(text: str, cue_start: int) -> Condition | None:
    """Return the condition governing the cue at ``cue_start``, verbatim, or None.

    "If X, we will Y" and "Y if X" both give X; "unless X" keeps its marker ("unless demand
    recovers") since it states the opposite case; "even if", "as if" and "asked if" are not
    conditions.
    """
    for match in _CONDITION.finditer(text):
        if _NOT_CONDITION.search(text[max(0, match.start() - 12) : match.start()]) or (
            _NOT_CONDITION_AFTER.match(text, match.end())
        ):
            continue
        marker = (match.group("marker") or match.group("when")).lower()
        body_start = match.end()
        while body_start < len(text) and text[body_start] == " ":
            body_start += 1
        if match.start() < cue_start:
            stop = _first(text, (",", " then ", ";", "—"), body_start)
            if stop > cue_start:
                stop = cue_start
        else:
            stop = _first(text, (",", ";", "—", ".", "”", '"'), body_start)
        if marker in {
            "unless",
            "depending on",
            "subject to",
            "provided",
            "provided that",
            "as long as",
            "so long as",
            "assuming",
        }:
            body_start = match.start()
        body = text[body_start:stop].rstrip(" ,;.")
        if len(body.split()) >= 1:
            return Condition(body_start, body_start + len(body), body)
    return None


def _first(text: str, marks: tuple[str, ...], start: int) -> int:
    found = [text.find(m, start) for m in marks]
    found = [f for f in found if f >= 0]
    return min(found) if found else len(text)
