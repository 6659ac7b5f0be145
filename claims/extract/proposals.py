"""Turn an article into proposed claims: the :class:`Proposal` model and :func:`extract`.

The pipeline, per sentence: skip headings and tweet credit lines; find time expressions
(:mod:`.dates`) and the speaker (:mod:`.claimants`); cut the sentence into claim units —
each direct quotation that carries a cue, and the reported text outside quotations, split at
clause boundaries ("; ", ", with …", ", and that …", ", and the …") and around an embedded
event ("before Xi's expected visit …" yields the visit as a claim of its own); keep the units
with a live forward-looking cue (:mod:`.cues`); date each unit by the first future expression
after its cue. Pure: no database, no network, no clock (dates are relative to
``published_on``). The CLI command and the ``POST /v1/extract`` route are thin calls to
:func:`extract`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import cues as cue_rules
from . import dates, sentences, topics
from .claimants import UNATTRIBUTED, Attribution, Attributor, Registry, Speaker
from .dates import TimeExpression

Certainty = Literal["asserted", "expected", "possible", "conditional"]

_SPLIT = re.compile(
    r";\s+|\s+[—–]\s+|,\s+(?=(?:with|while|whereas|but|although|though)\s)"
    r"|,?\s+(?=and\s+that\s)|,\s+(?=and\s+(?:I|we|he|she|they|it|the|[A-Z]\w+)\b)"
)
_LEAD = re.compile(
    r"(?:(?:and|but|with|while|whereas|although|though|so|that|also)\s+)+", re.IGNORECASE
)
_TRAIL = " \t,;:.!?—–\"“”'’"
_HEDGE_LEAD = re.compile(
    r"^(?:(?:I|we)(?:['’]m|\s+am|\s+are|['’]re)?\s+(?:also\s+)?(?:think|believe|anticipating|"
    r"expecting|expect|anticipate|hope|suspect|confident|guess)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
_NOMINAL_START = re.compile(
    r"(?:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*[’']s|\b(?:the|a|an|its|his|her|their))\s+$"
)


class Proposal(BaseModel):
    """One proposed claim, ready for review; fields named as the tracker's ClaimCreate."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(description="Verbatim words from the article (an exact substring).")
    quote_kind: Literal["direct", "reported"] = Field(
        description="direct: the quote lies inside quotation marks (the speaker's words); "
        "reported: the article's own words about what was said."
    )
    statement: str = Field(max_length=500, description="The checkable proposition.")
    claimant: str = Field(description="Who made the claim ('unattributed' if nobody is named).")
    claimant_role: str | None = None
    certainty: Certainty
    condition: str | None = Field(default=None, description="For conditional claims.")
    due_text: str | None = Field(default=None, description="The time expression as written.")
    due_from: date | None = None
    due_by: date | None = None
    due_reason: str | None = Field(default=None, description="How the dates were derived.")
    stated_on: date
    topics: list[str] = Field(default_factory=list)
    slug: str = Field(max_length=80)
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)
    quote_start: int = Field(ge=0)
    quote_end: int = Field(ge=0)


@dataclass
class _Unit:
    start: int  # absolute offsets
    end: int
    in_quote: bool
    exclude: tuple[int, int] | None = None  # a nested unit's span, for its time expressions


def extract(text: str, *, published_on: date, title: str | None = None,
            url: str | None = None) -> list[Proposal]:
    """Propose the forward-looking claims of an article, dated against ``published_on``.

    ``title`` helps name people when it is not the article's first line; ``url`` is accepted
    for the caller's source record and does not change the proposals.
    """
    del url  # the source is attached by the caller (CLI --apply)
    registry = Registry.build(text, title)
    attributor = Attributor(text, registry)
    proposals: list[Proposal] = []
    for paragraph in sentences.split(text):
        quote_speakers = {
            quote: attributor.of_quote(quote, paragraph.start, paragraph.end)
            for quote in paragraph.quotes
        }
        for sentence in paragraph.sentences:
            if sentence.heading or sentence.credit or not sentences.is_prose(sentence.text):
                continue
            proposals.extend(_from_sentence(text, sentence, paragraph, quote_speakers,
                                            attributor, published_on))
    taken: dict[str, int] = {}
    return [p.model_copy(update={"slug": topics.unique(p.slug, taken)}) for p in proposals]


def _from_sentence(text: str, sentence: sentences.Sentence, paragraph: sentences.Paragraph,
                   quote_speakers: dict[tuple[int, int], Attribution | None],
                   attributor: Attributor, pub: date) -> list[Proposal]:
    s_start, s_end = sentence.start, sentence.end
    times = [
        TimeExpression(e.start + s_start, e.end + s_start, e.text, e.window, e.open_ended)
        for e in dates.find(sentence.text, pub)
    ]
    future = [e for e in times if not e.is_past(pub)]
    quotes = [(max(qs, s_start), min(qe, s_end)) for qs, qe in paragraph.quotes
              if qs < s_end and qe > s_start]
    cue_quotes = [q for q in quotes if _live_cues(text, q[0], q[1], future, pub, False)]
    attribution = attributor.in_sentence(s_start, s_end, quotes)
    subject = attributor.subject(s_start, s_end)
    units: list[_Unit] = []
    for qs, qe in cue_quotes:
        units.extend(_split(text, qs, qe, in_quote=True))
    for start, end in _outside(s_start, s_end, cue_quotes, attribution):
        units.extend(_split(text, start, end, in_quote=False))
    units = _nest(text, units, pub)
    reported = cue_rules.reported(sentence.text)
    proposals = []
    for unit in units:
        proposals.extend(_propose(text, sentence, unit, times, pub, reported, attribution,
                                  quote_speakers, attributor, subject))
    speaker = attribution.speaker if attribution else None
    if speaker is None and cue_quotes:
        first = next((quote_speakers.get(q) for q in paragraph.quotes if q[0] <= cue_quotes[0][0]
                      < q[1] + 1), None)
        speaker = first.speaker if first else None
    attributor.remember(speaker, subject)
    return proposals


def draft(proposals: list[Proposal], *, published_on: date, title: str | None = None,
          url: str | None = None) -> dict[str, Any]:
    """Return the reviewable draft: the source and its proposed claims, as JSON-ready data."""
    return {
        "source": {"title": title, "url": url, "published_on": published_on.isoformat()},
        "claims": [p.model_dump(mode="json") for p in proposals],
    }


def _live_cues(text: str, start: int, end: int, future: list[TimeExpression], pub: date,
               reported: bool) -> list[cue_rules.Cue]:
    has_future = any(start <= e.start < end and not e.open_ended for e in future)
    found = cue_rules.find(text[start:end], reported=reported, has_future_time=has_future,
                           published_on=pub)
    return [c for c in found if c.live]


def _gaps(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for hole_start, hole_end in sorted(holes):
        if hole_start > cursor:
            pieces.append((cursor, hole_start))
        cursor = max(cursor, hole_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _outside(start: int, end: int, quotes: list[tuple[int, int]],
             attribution: Attribution | None) -> list[tuple[int, int]]:
    holes = [(qs - 1, qe + 1) for qs, qe in quotes]
    if attribution is not None and start <= attribution.start < end:
        holes.append((attribution.start, attribution.end))
    return _gaps(start, end, holes)


def _split(text: str, start: int, end: int, *, in_quote: bool) -> list[_Unit]:
    units, cursor = [], start
    for match in _SPLIT.finditer(text, start, end):
        units.append(_Unit(cursor, match.start(), in_quote))
        cursor = match.end()
    units.append(_Unit(cursor, end, in_quote))
    return [u for u in (_trim(text, u) for u in units) if u.end > u.start]


def _trim(text: str, unit: _Unit) -> _Unit:
    start, end = unit.start, unit.end
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    while start < end and text[start] in _TRAIL:
        start += 1
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    if text.count("“", start, end) > text.count("”", start, end) and text[end:end + 1] == "”":
        end += 1  # keep a quotation closed: "will come “in the coming weeks”"
    return _Unit(start, end, unit.in_quote, unit.exclude)


def _nest(text: str, units: list[_Unit], pub: date) -> list[_Unit]:
    """Carve an embedded event ("before Xi's expected visit … next fall") into its own unit."""
    result: list[_Unit] = []
    for unit in units:
        found = cue_rules.find(text[unit.start : unit.end], reported=True,
                               has_future_time=True, published_on=pub)
        live = [c for c in found if c.live]
        nominal = [c for c in live if c.kind == "nominal"]
        others = [c for c in live if c.kind != "nominal"]
        if not nominal or not others or nominal[0].start < others[0].start:
            result.append(unit)
            continue
        head = _NOMINAL_START.search(text, unit.start, unit.start + nominal[0].start)
        inner_start = head.start() if head else unit.start + nominal[0].start
        inner = _Unit(inner_start, unit.end, unit.in_quote)
        result.append(_Unit(unit.start, unit.end, unit.in_quote, (inner_start, unit.end)))
        result.append(inner)
    return result


def _propose(text: str, sentence: sentences.Sentence, unit: _Unit, times: list[TimeExpression],
             pub: date, reported: bool, attribution: Attribution | None,
             quote_speakers: dict[tuple[int, int], Attribution | None],
             attributor: Attributor, subject: Speaker | None) -> list[Proposal]:
    unit_text = text[unit.start : unit.end]
    if unit_text.rstrip(_TRAIL).endswith("?") or text[unit.end : unit.end + 1] == "?":
        return []
    if cue_rules.idiom(unit_text):
        return []
    mine = [e for e in times if unit.start <= e.start < unit.end
            and not (unit.exclude and unit.exclude[0] <= e.start < unit.exclude[1])]
    future = [e for e in mine if not e.is_past(pub)]
    has_future = any(not e.open_ended for e in future)
    opens_later = any(e.window.start is not None and e.window.start > pub for e in future)
    found = cue_rules.find(unit_text, reported=reported and not unit.in_quote,
                           has_future_time=has_future, published_on=pub,
                           context=text[sentence.start : unit.start], future_start=opens_later)
    if unit.exclude:
        cut = unit.exclude[0] - unit.start
        found = [c for c in found if c.start < cut]
    live = [c for c in found if c.live]
    if not live:
        if found or not has_future:
            return []
        schedule = cue_rules.schedule_cue(unit_text)
        if schedule is None:
            return []
        live = [schedule]
    first = live[0]
    condition = cue_rules.condition(unit_text, first.start)
    certainty = cue_rules.certainty_of(live, unit_text, condition is not None)
    in_cues = [(unit.start + c.start, unit.start + c.end) for c in live]
    future = [e for e in future if not any(s <= e.start and e.end <= t for s, t in in_cues)]
    speaker = _claimant(text, unit, unit_text, first, attribution, quote_speakers, attributor,
                        subject)
    proposals = []
    for start, end in _coordinated(text, unit, future, unit.start + first.start):
        quote = text[start:end]
        due_text, window = _due(text, [e for e in future if start <= e.start < end],
                                max(start, unit.start + first.start))
        statement = _statement(quote)
        proposals.append(Proposal(
            quote=quote,
            quote_kind="direct" if unit.in_quote else "reported",
            statement=statement,
            claimant=speaker.name,
            claimant_role=speaker.role,
            certainty=certainty,
            condition=condition.text if condition else None,
            due_text=due_text,
            due_from=window.start if window else None,
            due_by=window.end if window else None,
            due_reason=window.reason if window else None,
            stated_on=pub,
            topics=topics.guess_topics(quote),
            slug=topics.slugify(statement),
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            quote_start=start,
            quote_end=end,
        ))
    return proposals


def _coordinated(text: str, unit: _Unit, future: list[TimeExpression],
                 cue_at: int) -> list[tuple[int, int]]:
    """Split "will close X by 2032 and reach Y by 2050" into one span per dated goal."""
    dated = [g for g in dates.combine([e for e in future if not e.open_ended], text)
             if g[0].start > cue_at]
    spans, start = [], unit.start
    for before, after in pairwise(dated):
        gap = text[before[-1].end : after[0].start]
        joint = re.search(r"\s+and\s+(?=[a-z])", gap)
        if joint is None or re.search(r"[,;]", gap[: joint.start()]):
            continue
        spans.append((start, before[-1].end + joint.start()))
        start = before[-1].end + joint.end()
    spans.append((start, unit.end))
    return spans


def _due(text: str, future: list[TimeExpression], cue_at: int) -> tuple[str | None, dates.Window
                                                                         | None]:
    if not future:
        return None, None
    groups = dates.combine(future, text)
    after = [g for g in groups if g[-1].end > cue_at]
    dated = [g for g in after if not g[0].open_ended] or after
    if dated:
        chosen = dated[0]
    else:
        before = [g for g in groups if not g[0].open_ended] or groups
        chosen = before[-1]
    due_text, window = dates.intersect(chosen, text)
    return due_text, window


def _claimant(text: str, unit: _Unit, unit_text: str, first: cue_rules.Cue,
              attribution: Attribution | None,
              quote_speakers: dict[tuple[int, int], Attribution | None],
              attributor: Attributor, subject: Speaker | None) -> Speaker:
    if unit.in_quote:
        for (qs, qe), found in quote_speakers.items():
            if qs <= unit.start < qe + 1 and found is not None:
                return found.speaker
    if attribution is not None and attribution.speaker.kind == "group" and (
        attribution.rule == "according to X" and first.kind == "verb"
    ):
        # "X has threatened to …, according to officials": the sources report X's claim
        found_subject = attributor.commissive_subject(unit_text, first.start, unit.start)
        if found_subject is not None:
            return found_subject
    if attribution is not None:
        return attribution.speaker
    if first.kind in {"verb", "nominal"}:
        found_subject = attributor.commissive_subject(unit_text, first.start, unit.start)
        if found_subject is not None:
            return found_subject
    owner = attributor.possessive(unit_text, unit.start)
    if owner is not None:
        return owner
    pronoun = re.match(r"(He|She|They)\b", unit_text)
    if pronoun:
        resolved = attributor.resolve_pronoun(pronoun.group(1))
        if resolved is not None:
            return resolved
    if subject is not None:
        return subject
    if unit.in_quote:
        resolved = attributor.resolve_pronoun("he") or attributor.resolve_pronoun("they")
        if resolved is not None:
            return resolved
    return UNATTRIBUTED


def _statement(quote: str) -> str:
    statement = _HEDGE_LEAD.sub("", quote.strip())
    statement = re.sub(r"\s+", " ", statement).strip(_TRAIL)
    statement = statement[:1].upper() + statement[1:]
    if statement and statement[-1] not in ".!?":
        statement += "."
    return statement[:500]
