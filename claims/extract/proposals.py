"""Turn an article into proposed claims: the :class:`Proposal` model and :func:`extract`.

The pipeline, per sentence: skip headings and tweet credit lines; find time expressions
(:mod:`.dates`) and the speaker (:mod:`.claimants`); cut the sentence into claim units
(:mod:`.units`); keep the units with a live forward-looking cue (:mod:`.cues`, conditions in
:mod:`.conditions`); date each unit by the first future expression after its cue; word the
statement and draft its criteria, and merge one claim proposed twice (:mod:`.statements`).
Pure: no database, no network, no clock (dates are relative to
``published_on``). The CLI command and the ``POST /v1/extract`` route are thin calls to
:func:`extract`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import clauses as clause_runs
from . import conditions, dates, deadlines, institutions, sentences, statements, topics, units
from . import cues as cue_rules
from .article_dates import ArticleDates
from .certainty import RANK, frame
from .claimants import UNATTRIBUTED, Attribution, Attributor, Registry, Speaker
from .dates import TimeExpression

Certainty = Literal["asserted", "expected", "possible", "conditional"]

_DESCRIPTIVE = re.compile(
    r"\s+(?:also\s+)?(?:feature|support|complement|be used|be the|be a|be an|measure|test|"
    r"host|cover|serve|offer|allow|enable|carry|consist|contain|comprise|mark|"
    # what a thing has, uses, can do or measures: "will have 39 spans", "will use biomethane",
    # "will be able to lift 1,000 kg", "will be 25 metres long", "will be its saviour"
    r"have|use|weigh|be able to (?:lift|carry|seat|hold|accommodate|handle|reach|"
    r"produce|generate|travel|fly)|be possible|make it possible|be (?:its|their|his|her|"
    r"our)|be (?:about |around |roughly |some |up to )?\d+|require)\b")
_EXPECTED_OF = re.compile(r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:expected|anticipated|tipped|"
                          r"forecast|predicted|projected|likely)\b")
_PASSIVE = re.compile(r"\s+(?:also\s+|now\s+)?be\s+\w+(?:ed|en|wn|ld|ght|nt)\b")
_REDUCED_SET = re.compile(r"(?:set|slated|scheduled)\s+to", re.IGNORECASE)
_BE_END = re.compile(r"\b(?:is|are|was|were|be|been|being|now|also|still)\s+$", re.IGNORECASE)
_WITH_ABSOLUTE = re.compile(r",\s+with\s+$")
_ING_SUBJECT = re.compile(r"(?:(?!(?:the|a|an)\b)[\w’'-]+\s+){1,4}?[a-z]+ing\b(?<!thing)")


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
    resolution_criteria: str | None = Field(
        default=None, description="Draft: fulfilled / broken / void, for a reviewer to edit.")
    stated_on: date
    topics: list[str] = Field(default_factory=list)
    slug: str = Field(max_length=80)
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)
    quote_start: int = Field(ge=0)
    quote_end: int = Field(ge=0)


def extract(text: str, *, published_on: date, title: str | None = None,
            url: str | None = None) -> list[Proposal]:
    """Propose the forward-looking claims of an article, dated against ``published_on``.

    ``title`` helps name people when it is not the article's first line; ``url`` is accepted
    for the caller's source record and does not change the proposals.
    """
    del url  # the source is attached by the caller (CLI --apply)
    registry = Registry.build(text, title)
    attributor = Attributor(text, registry)
    known = ArticleDates()  # events dated once and named again ("during the visit")
    proposals: list[Proposal] = []
    strengths: dict[int, int] = {}  # id(proposal) → how its claimant was found (for merging)
    last_quoted: Attribution | None = None  # the speaker of the last attributed quotation
    for paragraph in sentences.split(text):
        quote_speakers: dict[tuple[int, int], Attribution | None] = {}
        quoted_here = False
        for quote in paragraph.quotes:
            found = attributor.of_quote(quote, paragraph.start, paragraph.end)
            if found is None and quote[0] - 1 <= paragraph.start:
                found = attributor.introduced(paragraph.start, quote[0])
            if found is None and last_quoted is not None and _opens_sentence(
                text, paragraph.start, quote[0]
            ):  # a quotation running on from the speaker's last one (next sentence/paragraph)
                found = Attribution(last_quoted.speaker, quote[0], quote[0], "continued")
            quote_speakers[quote] = found
            if found is not None:
                last_quoted, quoted_here = found, True
        if not quoted_here and not paragraph.quotes:
            last_quoted = None  # narrative in between: a later bare quotation is not theirs
        pending: list[Proposal] = []  # unattributed claims earlier in the paragraph
        for sentence in paragraph.sentences:
            if sentence.heading or sentence.credit or not sentences.is_prose(sentence.text):
                continue
            found = _from_sentence(text, sentence, paragraph, quote_speakers, attributor,
                                   published_on, strengths, known)
            closing = attributor.closing
            if closing is not None and pending:
                # "X will happen. Y will follow, he said.": the closing attribution covers the
                # paragraph's unattributed claims before it
                for old in pending:
                    new = old.model_copy(update={"claimant": closing.name,
                                                 "claimant_role": closing.role})
                    strengths[id(new)] = strengths[id(old)]
                    proposals[proposals.index(old)] = new
                pending = []
            pending += [p for p in found if p.claimant == UNATTRIBUTED.name]
            proposals.extend(found)
    proposals = statements.merge(proposals, lambda p: strengths[id(p)])
    taken: dict[str, int] = {}
    return [p.model_copy(update={"slug": topics.unique(p.slug, taken)}) for p in proposals]


def _from_sentence(text: str, sentence: sentences.Sentence, paragraph: sentences.Paragraph,
                   quote_speakers: dict[tuple[int, int], Attribution | None],
                   attributor: Attributor, pub: date,
                   strengths: dict[int, int], known: ArticleDates) -> list[Proposal]:
    s_start, s_end = sentence.start, sentence.end
    times = [
        TimeExpression(e.start + s_start, e.end + s_start, e.text, e.window, e.open_ended,
                       e.kind)
        for e in dates.find(sentence.text, pub, known)
    ]
    future = [e for e in times if not e.is_past(pub)]
    quotes = [(max(qs, s_start), min(qe, s_end)) for qs, qe in paragraph.quotes
              if qs < s_end and qe > s_start]
    cue_quotes = [q for q in quotes if _live_cues(text, q[0], q[1], future, pub, False)]
    attribution = attributor.in_sentence(s_start, s_end, quotes)
    attributor.closing = (  # "…, he said." closing the sentence (read by extract)
        attribution.speaker if attribution is not None and attribution.rule == "CLAIM, X said"
        and attribution.end >= s_end - 2 and not quotes else None
    )
    subject = attributor.subject(s_start, s_end)
    pieces: list[units.Unit] = []
    for qs, qe in cue_quotes:
        pieces.extend(units.split(text, qs, qe, in_quote=True))
    for start, end in units.outside(s_start, s_end, cue_quotes, attribution):
        # a quotation whose claim a date carries ("“By May, we are planning …”"): still the
        # speaker's own words, credited as the quotation is
        inside = any(qs - 1 <= start and end <= qe + 1 for qs, qe in quotes)
        pieces.extend(units.split(text, start, end, in_quote=inside))
    pieces = units.nest(text, pieces, pub)
    # "X said the polls would be held … . Counting would take place on October 20": indirect
    # speech runs on into the next sentence when it names a date ahead
    reported = cue_rules.reported(sentence.text) or (
        not quotes and any(not e.open_ended for e in future)
        and attributor.recent_speaker(1) is not None
    )
    proposals: list[Proposal] = []
    claimants: list[Speaker] = []
    attributor.actor = None
    for unit in pieces:
        found = _propose(text, sentence, unit, times, pub, reported, attribution,
                         quote_speakers, attributor, subject)
        if found:
            proposals.extend(found[0])
            claimants.append(found[1])
            if found[1].kind != "unattributed":
                attributor.actor = found[1]
            strengths.update((id(p), found[2]) for p in found[0])
    speaker = attribution.speaker if attribution else None
    if attribution is not None and attribution.rule == "according to X" and (
        attribution.speaker.kind != "person"
    ):  # "…, according to data compiled by X": a source, not the actor "it" stands for
        speaker = None
        claimants = [c for c in claimants if c != attribution.speaker]
    if speaker is None and cue_quotes:
        first = next((quote_speakers.get(q) for q in paragraph.quotes if q[0] <= cue_quotes[0][0]
                      < q[1] + 1), None)
        speaker = first.speaker if first else None
    if speaker is None:  # "Nissan expects …": the claimant of a plan speaks for it later
        speaker = next((c for c in claimants if c.kind != "unattributed"), None)
    attributor.remember(speaker, subject)
    return proposals


def _opens_sentence(text: str, paragraph_start: int, quote_start: int) -> bool:
    """Tell whether a quotation (its first character inside the mark) opens its paragraph or
    follows a finished sentence."""
    before = text[max(paragraph_start, quote_start - 80) : max(paragraph_start, quote_start - 1)]
    before = before.rstrip()
    return quote_start - 1 <= paragraph_start or not before or before[-1] in ".!?”\""


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


def _propose(text: str, sentence: sentences.Sentence, unit: units.Unit, times: list[TimeExpression],
             pub: date, reported: bool, attribution: Attribution | None,
             quote_speakers: dict[tuple[int, int], Attribution | None],
             attributor: Attributor, subject: Speaker | None,
             ) -> tuple[list[Proposal], Speaker, int] | None:
    unit_text = text[unit.start : unit.end]
    if unit_text.rstrip(units.TRAIL).endswith("?") or text[unit.end : unit.end + 1] == "?":
        return None
    if cue_rules.idiom(unit_text):
        return None
    mine = [e for e in times if unit.start <= e.start < unit.end
            and not (unit.exclude and unit.exclude[0] <= e.start < unit.exclude[1])]
    lead = units.fronted(text, sentence.start, unit.start, attribution)
    fronted = [] if lead is None or any(not e.open_ended and not e.is_past(pub) for e in mine) \
        else [e for e in times if lead[0] <= e.start < lead[1]]  # "By 2015, X said …"
    mine += fronted
    future = [e for e in mine if not e.is_past(pub) and not deadlines.not_ahead(text, e)]
    has_future = any(not e.open_ended for e in future)
    opens_later = any(e.window.start is not None and e.window.start > pub for e in future)
    found = cue_rules.find(unit_text, reported=reported and not unit.in_quote,
                           has_future_time=has_future, published_on=pub,
                           context=text[sentence.start : unit.start], future_start=opens_later)
    if unit.exclude:
        cut = unit.exclude[0] - unit.start
        found = [c for c in found if c.start < cut]
    live = [c for c in found if c.live]
    if live and not has_future and all(c.kind in {"nominal", "relative"} for c in live):
        return None  # "the expected overhaul …", "risks that could delay …": undated asides
    live = [c for c in live if c.kind != "relative"] or live
    if live and not has_future and not unit.in_quote and (
        live[0].kind == "modal" or (_REDUCED_SET.fullmatch(live[0].text) and not _BE_END.search(
            unit_text, 0, live[0].start))  # "the pool set to be used for training"
    ) and (
        _DESCRIPTIVE.match(unit_text, live[0].end) and not conditions.condition(unit_text, 0)
    ):
        return None  # "the bridge will feature six lanes": what a thing is, not a claim to check
    if not live and not found and future and _WITH_ABSOLUTE.search(text, 0, unit.start) and (
        _ING_SUBJECT.match(unit_text)
    ):  # "…, with other groups getting theirs in the coming weeks": the next step, scheduled
        live = [cue_rules.Cue(0, 0, "", "asserted", "time")]
    if not live:
        if found or not has_future:
            return None
        schedule = cue_rules.schedule_cue(unit_text)
        if schedule is None:
            return None
        live = [schedule]
    first = live[0]
    condition = conditions.condition(unit_text, first.start) or conditions.leading(
        text[sentence.start : unit.start]) or conditions.proposed_terms(
        text, sentence.start, unit.start, unit.end)  # the terms of a proposal not yet agreed
    certainty = cue_rules.certainty_of(live, unit_text, condition is not None)
    framed = frame(text[sentence.start : unit.start + first.start]) if condition is None else None
    if framed is not None and RANK[framed] < RANK.get(certainty, 3):
        certainty = framed  # "X suggested that it will …": a forecast, not an assertion
    # a date inside a cue ("plans early next year to") dates the claim; the day of a promise
    # ("promised on Friday to") is dropped where dates are found (dates.find)
    if first.kind == "terms":  # "struck a deal in July that sets …": July dates the deal
        future = [e for e in future if e.start >= unit.start + first.start]
    speaker = _claimant(text, unit, unit_text, first, attribution, quote_speakers, attributor,
                        subject)
    strength = 0 if speaker.kind == "unattributed" else 1
    if unit.in_quote or (attribution is not None and speaker == attribution.speaker):
        strength += 1  # quoted or "X said": stronger than a speaker inferred from the subject
    proposals = []
    def cues_in(s: int, e: int) -> list[cue_rules.Cue]:
        return _live_cues(text, s, e, future, pub, reported and not unit.in_quote)

    spans = [piece for span in deadlines.coordinated(text, unit, future, unit.start + first.start)
             for piece in clause_runs.split(text, *span, cues_in, future)]
    for start, end in spans:
        quote = text[start:end]
        own = certainty if len(spans) == 1 else clause_runs.certainty(  # each as sure as its cue
            text, sentence.start, start, end, cues_in(start, end), condition is not None
        ) or certainty
        due_text, window = deadlines.due(
            text, [e for e in future if start <= e.start < end or e in fronted],
            max(start, unit.start + first.start), pub)
        statement = statements.statement(quote, speaker.name, speaker.kind, unit.in_quote)
        proposal = Proposal(
            quote=quote,
            quote_kind="direct" if unit.in_quote else "reported",
            statement=statement,
            claimant=speaker.name,
            claimant_role=speaker.role,
            certainty=own,
            condition=condition.text if condition else None,
            due_text=due_text,
            due_from=window.start if window else None,
            due_by=window.end if window else None,
            due_reason=window.reason if window else None,
            stated_on=pub,
            topics=topics.guess_topics(quote),
            slug=topics.slugify(statements.slug_text(quote)),
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            quote_start=start,
            quote_end=end,
            resolution_criteria=statements.criteria(
                statement, due_from=window.start if window else None,
                due_by=window.end if window else None,
                condition=condition.text if condition else None, certainty=own),
        )
        proposals.append(proposal)
    return proposals, speaker, strength


def _claimant(text: str, unit: units.Unit, unit_text: str, first: cue_rules.Cue,
              attribution: Attribution | None,
              quote_speakers: dict[tuple[int, int], Attribution | None],
              attributor: Attributor, subject: Speaker | None) -> Speaker:
    if unit.in_quote:
        for (qs, qe), found in quote_speakers.items():
            if qs <= unit.start < qe + 1 and found is not None:
                return found.speaker
    if attribution is not None and (
        (attribution.speaker.kind == "group" and attribution.rule == "according to X"
         and first.kind == "verb")
        or institutions.insider(attribution.speaker.name)
    ):
        # "X has threatened to …, according to officials", "people familiar with the matter
        # said X plans to …": the sources report X's claim
        found_subject = (
            attributor.commissive_subject(unit_text, first.start, unit.start)
            if first.kind in {"verb", "decision"}
            else attributor.named_subject(unit_text, first.start, unit.start)
        )
        if found_subject is not None:
            return found_subject
    if attribution is not None and first.kind == "verb":  # "X warned … after Y announced plans"
        own = attributor.clause_subject(unit_text, first.start, unit.start)
        if own is not None and own.kind != "group":
            return own
    if attribution is not None:
        return attribution.speaker
    if first.kind in {"verb", "decision"}:  # not "X’s planned visit": the outlet reports it
        found_subject = attributor.commissive_subject(unit_text, first.start, unit.start,
                                                      first.text)
        if found_subject is not None:
            return found_subject
    if first.kind == "terms":  # "the deal includes a suspension of China's controls": China's
        party = attributor.party(unit_text, first.end, unit.start)
        if party is not None:
            return party
    if first.kind == "would" and not unit.in_quote and attributor.recent_speaker() is not None:
        return attributor.recent_speaker()  # indirect speech running on from "X said …"
    if first.kind in {"modal", "would"} and not unit.in_quote:
        named = attributor.named_subject(unit_text, first.start, unit.start)
        if named is not None:  # "Under the deal, China will suspend …": China committed
            return named
    owner = attributor.possessive(unit_text, unit.start)
    if owner is not None:
        return owner
    pronoun = re.match(r"(He|She|They)\b|(It)\s+(?!(?:is|was|will be|would be|has been|"
                       r"had been|may be|could be|might be|seems|remains)\b)", unit_text)
    if pronoun:
        resolved = attributor.resolve_pronoun(pronoun.group(1) or pronoun.group(2))
        if resolved is not None:
            return resolved
    if subject is not None and not (first.kind == "verb" and _EXPECTED_OF.search(
            unit_text, 0, first.end)):
        return subject
    if subject is not None:  # "The Heads are expected to discuss …": someone else expects it
        return UNATTRIBUTED
    if unit.in_quote:
        resolved = attributor.resolve_pronoun("he") or attributor.resolve_pronoun("they")
        if resolved is not None:
            return resolved
    if attributor.actor is not None and re.match(r"(?:it|they|he|she)\b", unit_text):
        return attributor.actor  # "…, as it works toward …": the sentence's own actor
    if first.kind in {"modal", "would", "timetable"} and first.certainty != "possible" and not (
        _PASSIVE.match(unit_text, first.end) and first.kind == "modal"
    ):  # "… the agency said. The campaign will include …": the source goes on
        return (attributor.actor or attributor.recent_speaker()
                or attributor.lead_actor(unit.start) or UNATTRIBUTED)
    if first.kind == "modal" and first.certainty != "possible":  # "X has launched a project.
        return attributor.lead_actor(unit.start) or UNATTRIBUTED  # … will be completed by May"
    return UNATTRIBUTED

