"""Claim units: the pieces of a sentence that may each hold one claim.

Each direct quotation that carries a cue is a unit; so is the reported text outside quotations,
once the attribution is cut away (:func:`outside`). Units are split at clause boundaries
(:func:`split`: "; ", dashes, ", with …", ", while …", ", but …", ", and that …", ", and the …",
", where …", ", as it …", ", at which time …", ", and is expected …", a participle clause
", firing the …") and trimmed of their leading conjunction; an event embedded in a claim
("planned before Xi's expected visit …") becomes a unit of its own (:func:`nest`). Nothing
here decides what is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import cues as cue_rules
from .claimants import Attribution

_SPLIT = re.compile(
    r";\s+|\s+(?:[—–]|--)\s+|,\s+(?=(?:with|while|whereas|but|although|though|where)\s)"
    r"|,\s+(?=adding\s+that\s)"
    r"|,\s+(?=as\s+(?:\w+\s+){1,3}?(?:is|are|will|would)\s|as\s+(?:it|they|he|she|we)\s)"
    r"|,\s+(?=(?:at which (?:time|point)|by which time|after which)\s)"
    r"|,\s+(?=and\s+(?:is|are|will|would|could|may|might|plans?|expects?)\s)"
    r"|,\s+(?=(?!depending|according|assuming|including|pending|following|starting|beginning)"
    r"[a-z]+ing\s+(?:the|a|an|its|his|her|their|on|up|off)\s)"
    r"|,?\s+(?=and\s+that\s)|,\s+(?=and\s+(?:I|we|he|she|they|it|the|(?!"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b)[A-Z]\w+)\b)"
)
_LEAD = re.compile(
    r"(?:(?:and|but|with|while|whereas|although|though|so|that|also|where|as|adding|"
    r"at which (?:time|point)|by which time|after which)\s+)+",
    re.IGNORECASE,
)
TRAIL = " \t,;:.!?—–\"“”'’"
_NOMINAL_START = re.compile(
    r"(?:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*[’']s|\b(?:the|a|an|its|his|her|their))\s+$"
)


@dataclass
class Unit:
    """A clause of a sentence that may carry one claim (``in_quote``: inside quotation marks)."""

    start: int  # absolute offsets
    end: int
    in_quote: bool
    exclude: tuple[int, int] | None = None  # a nested unit's span, for its time expressions


def _gaps(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for hole_start, hole_end in sorted(holes):
        if hole_start > cursor:
            pieces.append((cursor, hole_start))
        cursor = max(cursor, hole_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def outside(
    start: int, end: int, quotes: list[tuple[int, int]], attribution: Attribution | None
) -> list[tuple[int, int]]:
    """The spans of ``start``–``end`` outside its quotations and its attribution."""
    holes = [(qs - 1, qe + 1) for qs, qe in quotes]
    if attribution is not None and start <= attribution.start < min(end, attribution.end):
        holes.append((attribution.start, attribution.end))
    return _gaps(start, end, holes)


# Only a time ahead ("By 2015", "Over the next year"): "Earlier this week, X said …" and
# "In making the announcement Wednesday, …" date the statement, not the claim.
_FRONTED = re.compile(
    r"\s*(?P<phrase>(?:by|over|within|during|before|until|through|in\s+the\s+(?:next|coming)|"
    r"for\s+the\s+(?:next|rest))\b[^.;:!?,“”\"]{1,60}),\s",
    re.IGNORECASE,
)


def fronted(
    text: str, sentence_start: int, unit_start: int, attribution: Attribution | None
) -> tuple[int, int] | None:
    """The span of a phrase fronted before the attribution that the unit follows ("By 2015,
    GM said it expects …", "Over the next year, according to him, prices will …"): its time
    is the unit's, though the attribution cut them apart. None when there is none."""
    if attribution is None or not sentence_start <= attribution.start < unit_start:
        return None
    between = text[attribution.end : unit_start]
    if attribution.end > unit_start or between.strip(TRAIL + " ") not in {"", "that"}:
        return None
    match = _FRONTED.match(text, sentence_start, attribution.end)
    if match is None:
        return None
    return match.start("phrase"), match.end("phrase")


def split(text: str, start: int, end: int, *, in_quote: bool) -> list[Unit]:
    """Cut ``text[start:end]`` into units at the clause boundaries of ``_SPLIT``."""
    units, cursor = [], start
    for match in _SPLIT.finditer(text, start, end):
        units.append(Unit(cursor, match.start(), in_quote))
        cursor = match.end()
    units.append(Unit(cursor, end, in_quote))
    return [u for u in (_trim(text, u) for u in units) if u.end > u.start]


def _trim(text: str, unit: Unit) -> Unit:
    start, end = unit.start, unit.end
    while end > start and text[end - 1] in TRAIL:
        end -= 1
    while start < end and text[start] in TRAIL:
        start += 1
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    if text.count("“", start, end) > text.count("”", start, end) and text[end : end + 1] == "”":
        end += 1  # keep a quotation closed: "will come “in the coming weeks”"
    return Unit(start, end, unit.in_quote, unit.exclude)


def nest(text: str, units: list[Unit], pub: date) -> list[Unit]:
    """Carve an embedded event ("before Xi's expected visit … next fall") into its own unit."""
    result: list[Unit] = []
    for unit in units:
        found = cue_rules.find(
            text[unit.start : unit.end], reported=True, has_future_time=True, published_on=pub
        )
        live = [c for c in found if c.live]
        nominal = [c for c in live if c.kind == "nominal"]
        others = [c for c in live if c.kind != "nominal"]
        if not nominal or not others or nominal[0].start < others[0].start:
            result.append(unit)
            continue
        head = _NOMINAL_START.search(text, unit.start, unit.start + nominal[0].start)
        inner_start = head.start() if head else unit.start + nominal[0].start
        inner = Unit(inner_start, unit.end, unit.in_quote)
        result.append(Unit(unit.start, unit.end, unit.in_quote, (inner_start, unit.end)))
        result.append(inner)
    return result
