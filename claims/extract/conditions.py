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
    r"^(?P<when>When|Once|After(?=[^,]{3,80}?\b(?:is|are|has|have|gets|get|becomes|"
    r"begins|ends|takes|comes|goes)\b))\b(?=[^,]{3,80},)|"  # "When the truce holds, there …"
    r"\b(?P<marker>only if|if|unless|once(?!\s+(?:again|more|a|an|every|in|upon|or)\b)|"
    r"provided(?:\s+that)?|as long as|so long as|barring|"
    r"on (?:the )?condition(?:\s+that)?|in the event(?:\s+(?:that|of))?|depending on|subject to|"
    # not "a hearing in the case for June 18" (a court case): bare "the case" needs that/of
    r"in (?:(?:the\s+)?(?:likely|unlikely|event|worst)\s+)?case(?:\s+(?:that|of))?|"
    r"in the case\s+(?:that|of)|assuming)\b",
    _I,
)
_NOT_CONDITION = re.compile(
    r"(?:\bat|\bthan|\beven|\bas|\bwhat|\b(?:ask|asked|know|see|sure|unclear|wonder|decide)|"
    r"\b(?:be|is|are|was|were|been|remain|remains)|\bfor)\s+$",
    _I,
)  # "will be subject to a 5% levy", "for as long as necessary": no condition
# A date of the clause's own: "in 2015", "in June", "next year"
_DATED = re.compile(
    r"\b(?:(?:19|20)\d\d|January|February|March|April|June|July|August|September|October|"
    r"November|December|next\s+(?:year|month|week)|this\s+(?:year|month|week))\b"
)
_ABSOLUTE = re.compile(r",\s+(?:the|its|their)\s+[\w-]+(?:\s+of\s+[\w-]+)?\s+$", _I)
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
        if marker == "depending on" and match.start() > cue_start and _ABSOLUTE.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            continue  # "A cut is likely, the pace depending on inflation": the pace's condition
        if match.group("when") and _DATED.search(text, match.end(), text.find(",", match.end())):
            continue  # "When capacity reaches 5 million in 2015, …": a time, not a condition
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
            "barring",
        }:
            body_start = match.start()
        body = text[body_start:stop].rstrip(" ,;.")
        if len(body.split()) >= 1:
            return Condition(body_start, body_start + len(body), body)
    return None


_LEADING = re.compile(
    r"^\W{0,3}(?:If|Unless|Provided(?:\s+that)?|As long as|So long as|Assuming|Only if|Once|"
    r"In (?:(?:the\s+)?(?:likely|unlikely|event|worst)\s+)?case(?:\s+(?:that|of))?|"
    r"In the case\s+(?:that|of)|"
    r"In the event(?:\s+(?:that|of))?|On (?:the )?condition(?:\s+that)?)\s"
    r"(?P<body>[^,;“”\"]{3,160}),\s*(?:[\w’' .-]{1,60}?\s(?:said|says|told\s+\w+|added|"
    r"expects?|believes?)(?:\s+that)?\s+)?[“\"]?\s*$"
)


def leading(before: str) -> Condition | None:
    """Return the condition that opens a sentence and governs what follows it: "If X, “we
    will …,” she said" (the quotation is the claim, the clause before it its condition)."""
    match = _LEADING.match(before)
    if match is None:
        return None
    body = match.group("body").strip()
    marker = before[: match.start("body")].strip(' "“').lower()
    if marker.startswith(("unless", "provided", "as long", "so long", "assuming", "only")):
        start = before.find(marker.split()[0].capitalize())
        body = before[max(0, start) : match.end("body")].strip()
    return Condition(match.start("body"), match.end("body"), body)


def _first(text: str, marks: tuple[str, ...], start: int) -> int:
    found = [text.find(m, start) for m in marks]
    found = [f for f in found if f >= 0]
    return min(found) if found else len(text)


# The terms of a proposal not yet agreed: "Under the latest initiative presented in Doha, …",
# "… will be released under the proposed agreement". What a proposal would do happens only if
# it is accepted, so its terms are conditional (the news labels' rule), for the rest of the
# paragraph the proposal frames.
_PROPOSED = re.compile(
    r"\b(?:under|according to|in)\s+(?:the|a|this|that|its)\s+"
    r"(?:(?:latest|new|revised|draft|current|proposed|\w+-backed|\w+-brokered)\s+){0,2}"
    r"(?:proposal|initiative|offer|draft)s?\b[^,.;]{0,80}|"
    r"\bunder\s+(?:the|a)\s+(?:draft|proposed)\s+(?:agreement|deal|truce|ceasefire|accord|"
    r"plan|framework)\b",
    _I,
)


def proposed_terms(text: str, sentence_start: int, unit_start: int, unit_end: int,
                   ) -> Condition | None:
    """Return the proposal framing a claim (in its paragraph up to the claim, or in the claim's
    own clause), verbatim: the claim holds only if the proposal is agreed."""
    paragraph = text.rfind("\n", 0, sentence_start) + 1
    found = list(_PROPOSED.finditer(text, paragraph, unit_end))
    if not found:
        return None
    match = found[-1]
    body = match.group(0).strip()
    return Condition(match.start(), match.start() + len(body), f"the proposal is agreed ({body})")
