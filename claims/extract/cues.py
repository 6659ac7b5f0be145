"""Forward-looking cues, their certainty class, negation and past reference.

A cue is a word or phrase that says something will or may happen: modals ("will", "could"),
verbs of expectation and commitment ("expect", "plans to", "agreed to"), scheduling ("set to",
"scheduled for") and, as a last resort, a present-tense scheduling verb next to a future date
("Polls close on May 22"). Each cue carries the certainty class of SPEC section 2:

- ``asserted``: will, shall, 'll, plans to, set/scheduled to, agreed/pledged/promised to, …;
- ``expected``: expect, anticipate, going to, likely, aim to, forecast, and any cue hedged by
  "I think" / "I believe" / "probably";
- ``possible``: could, may, might, hope to, considering, …;
- ``conditional``: any of these under "if", "unless", "provided that", "depending on", …
  (found by :mod:`.conditions`).

A cue is dropped when it is negated ("will not", "no plans to", "does not expect"), when it
refers to the past ("had promised", "would have", "said last year it would", "was expected
to" with no future date), or when it sits in an indirect question ("did not say whether it
would"). Nothing here knows about speakers or dates beyond "is there a future date here".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .certainty import RANK, certainty_of, hedge
from .cue_table import TABLE
from .sentences import TIMETABLE_LINE

__all__ = ["RANK", "Cue", "certainty_of", "find", "hedge", "idiom", "reported", "schedule_cue"]

_I = re.IGNORECASE
_SPEECH = (
    r"said|says|say|told|tells|added|adds|noted|stated|explained|argued|wrote|tweeted|posted|"
    r"announced|declared|confirmed|insisted|stressed|warned|predicted|claimed|suggested|"
    r"indicated|signaled|signalled|revealed|acknowledged|asserted|maintained|remarked|replied|"
    r"responded|continued|cautioned|estimated|projected|hinted|reiterated|emphasized|emphasised|"
    r"underscored|contended|disclosed|reported|believes|believed|thinks|thought|expects|expected|"
    r"according to|promised|pledged|vowed|agreed|hopes|hoped|anticipates|anticipated|told|"
    r"confident|optimistic|hopeful|sure|certain|confidence|assured|assures|reassured|reassures"
)
SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b", _I)

_CUES = [(re.compile(p), c, k) for p, c, k in TABLE]

_SCHEDULE = re.compile(
    r"\b(?:begins?|starts?|opens?|closes?|ends?|expires?|resumes?|takes? effect|"
    r"go(?:es)? into effect|comes? into force|kicks? off|launch(?:es)?|arrives?|travels?|heads?|"
    r"meets?|votes?|visits?|hosts?|holds?|debates?|convenes?|returns?)\b"
    r"|\b(?:is|are)\b(?=\s+(?:(?:now|still|also)\s+)?(?:on|in|at|next|this|due|set|"
    r"scheduled|slated|tomorrow|tonight|until|from)\b)"
    r"|\b(?:is|are)\s+\w+ing\b",
    _I,
)
_NOUN_SLOT = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|our|of|for|first|next|orbital|test|new|narrow|this|"
    r"that)|[’']s|\d)\s+$", _I)  # "orbital launches", "the launch pad", "a 5-4 vote": nouns
_PAST_TENSE = re.compile(r"\b(?:was|were|had|did)\b", _I)
_MONTH_NUMBER = {
    name: number for number, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"], start=1)
}
_IN_MONTH = re.compile(r"\b(?:in|since|on)\s+(" + "|".join(_MONTH_NUMBER) + r")\b(?!\s+\d)")
_NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|none|neither|nor|unlikely|hardly)\b|n['’]t\b", _I
)
_DENIED_BELIEF = re.compile(
    r"(?:\bnot|n['’]t|\bnever)\s+(?:\w+\s+)?(?:think|believe|expect|say\s+for\s+sure|"
    r"say\s+for\s+certain)\b(?:\s+that)?[^,;.:“”\"]{0,80}$", _I)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", _I)
_AS_EXPECTED = re.compile(r"\b(?:as|than|had)\s+(?:\w+\s+)?$", _I)
_PAST_PERFECT = re.compile(r"\bhad\s+(?:\w+\s+){0,2}$", _I)
_REPORTING = re.compile(r"\b(?:said|says|promised|pledged|vowed|told|tells|announced|"
                        r"predicted|claimed|insisted|agreed|added|reported)\b", _I)
_SAID_IN = re.compile(r"(?<!\bbe\s)(?<!\bbeen\s)" + _REPORTING.pattern + r"\s+$", _I)
_HAD_SAID = re.compile(
    r"\bhad\s+(?:\w+\s+)?(?:said|suggested|predicted|forecast|expected|promised|reported|"
    r"stated|signalled|signaled|indicated|argued|projected)\s+(?:that\s+)?[^.;:“”\"]{0,100}$", _I)
_WAS = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?$", _I)
_MODAL_HAVE = re.compile(r"^\s+(?:not\s+|also\s+|never\s+)?have\s+\w+(?:ed|en|wn|ne|ught)\b", _I)
_PAST_MARKER = re.compile(
    r"\b(?:last\s+(?:year|month|week|spring|summer|fall|autumn|winter)|"
    r"(?:years?|months?|decades?)\s+ago|previously|earlier\s+this\s+year|at the time|"
    r"an?\s+earlier\s+(?:announcement|statement|pledge|promise|forecast|decision)|"
    r"back\s+in|in the past|during\s+(?:the|his|her|their)\s+(?:\d{4}\s+)?campaign|"
    r"in\s+(?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+)?(?P<year>(?:19|20)\d\d))\b",
    _I,
)
_QUESTION = re.compile(
    r"\b(?:specify|specified|say|said|know|knew|decide|decided|reveal|revealed|disclose|"
    r"disclosed|confirm|confirmed|tell|told|clear|unclear|formulate|formulated|indicate|"
    r"indicated|teased|hinted|of|about|over|on)\s+(?:exactly\s+)?(?:which|when)\b|"
    r"\bwhether\b|\b(?:ask|asked|asks|know|knows|knew|see|sure|unclear|clear|decide|decided|"
    r"wonder|wondered|say|said)\s+if\b|\b(?:where|how|what|why)\b",
    _I,
)
_IDIOM = re.compile(
    r"\b(?:I|we)(?:['’]ll|\s+will)\s+(?:believe it when|see what happens|see\b)|time will tell|"
    r"\bwe['’]ll see\b|\bI['’]ll (?:tell|let) you\b|remains to be seen|(?:will|would) you\b|"
    r"\b(?:we|I)(?:['’]ll|\s+will)\s+know more\b|"
    r"\beverything\s+(?:we|I|they)\s+(?:possibly\s+)?can\b|"
    r"\b(?:may|might|could)\s+(?:also\s+)?be\s+(?:partly\s+|partially\s+|largely\s+)?to\s+blame\b",
    _I,
)
_NOUN_WILL = re.compile(
    r"\b(?:the|a|political|good|free|popular|own|its|his|her|their|of|public)\s+$", _I
)
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|our|rate|growth|earnings|revenue|profit|price|sales|"
    r"previous|new|latest|annual|official|weather|economic|budget|its own)|[’'](?:s)?)\s+$", _I)
_RELATIVE = re.compile(
    r"(?<!\bsaid)(?<!\bsays)(?<!\bsay)(?<!\bnoted)(?<!\bwarned)(?<!\bclear)(?<!\bsure)"
    r"(?<!\bbelieve)(?<!\bexpects)(?<!\bexpect)(?<!\bthink)(?<!\bhope)(?<!\bso)"
    r"(?<!\bnow)(?<!\bagreed)(?<!\bconfirmed)(?<!\bannounced)(?<!\bfact)"
    r"(?<![”\"])\s+(?:that|which|who)\s+$", _I)
_CONTENT_NOUN = re.compile(
    r"\b(?:[Pp]redictions|[Ee]xpectations|[Ss]peculation|[Bb]ets|[Ff]ears|[Cc]oncerns|[Ww]orries|"
    r"[Rr]umou?rs)\s+that\b[^,;:“”\"]{0,80}$")
_NOT_UNTIL = re.compile(
    r"[^,;.]{0,60}?\b(?:until|till|before)\b"
    # "will not be sold in the UK from 2030": a ban, a claim about when a change comes
    r"|(?:\s+(?:not|no\s+longer))[^,;.]{0,60}?\b(?:from|after)\s+(?:the\s+end\s+of\s+)?"
    r"(?:\d|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|next)\b)", _I)
_NOUN_AFTER = re.compile(r"\s+(?:for|of|from|are|is|were|was|have|has|by)\b", _I)
_BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+|now\s+|still\s+)?$",
                        _I)
_FROM_DATE = re.compile(r"\W{0,3}(?:From|Starting|Beginning|As\s+of|Effective)\s[^,;]{2,40},")
# "an updated cross-economy plan to meet …", "the bank's plan to …": "plan" is a noun after a
# determiner, a possessive or an adjective-like word
_PLAN_NOUN = re.compile(
    r"(?:\b(?:a|an|the|its|our|their|his|her|this|that|new|first|long|short|own)|[’']s?|"
    r"\w-[\w-]+|\w(?:ed|al|ic|ive|ary|term))\s+$", _I)
_NOMINAL = re.compile(
    r"(?:[’']s|\bthe|\ba|\ban|\bits|\bhis|\bher|\btheir)\s+$", _I
)


@dataclass(frozen=True)
class Cue:
    """One forward-looking cue in a text: span, certainty class and how it was judged."""

    start: int
    end: int
    text: str
    certainty: str
    kind: str
    negated: bool = False
    past: bool = False

    @property
    def live(self) -> bool:
        """Tell whether the cue still counts (neither negated nor about the past)."""
        return not (self.negated or self.past)


def _clause_before(text: str, position: int) -> str:
    cut = max(text.rfind(mark, 0, position) for mark in (",", ";", "—", "“", "\"", ":"))
    return text[cut + 1 : position]


def _negated(text: str, cue_start: int, cue_end: int, kind: str) -> bool:
    if _NOT_UNTIL.match(text, cue_end):
        return False  # "will not open until next year": a claim about when, not a denial
    before = _clause_before(text, cue_start)
    words = before.split()[-3:]
    window = " ".join(words)
    if _NEGATION.search(window) and not _NOT_ONLY.search(window + " " + text[cue_start:cue_end]):
        return True
    if kind in {"modal", "would", "weak"}:
        after = text[cue_end : cue_end + 16]
        if re.match(r"\s+(?:also\s+|still\s+|ever\s+)?(?:not|never)\b(?!\s+only)", after, _I):
            return True
    if _DENIED_BELIEF.search(text[max(0, cue_start - 120) : cue_start]):
        return True
    return bool(re.search(r"n['’]t$", text[cue_start:cue_end]))


def _same_clause(text: str, start: int, end: int, anchor: int) -> bool:
    """Tell whether a past marker qualifies the verb at ``anchor``: it opens the sentence, or
    no comma separates them ("who had pledged in January to …, said" is another clause)."""
    if start <= 1:
        return True
    low, high = (end, anchor) if end <= anchor else (anchor, start)
    return "," not in text[low:high]


def _past(text: str, cue: re.Match[str], kind: str, *, future_start: bool,
          published_on: date | None, context: str, dated: bool = False) -> bool:
    before = text[: cue.start()]
    word = cue.group(0).lower()
    if _PAST_PERFECT.search(before[-30:]):
        return True
    if kind in {"modal", "would", "weak"} and _MODAL_HAVE.match(text[cue.end() :]) and (
        not word.startswith("will")
    ):
        return True
    past_commissive = kind == "would" or re.match(
        r"(?:pledged|promised|vowed|agreed|planned|intended|expected|anticipated|hoped|"
        r"threatened|wanted|predicted|committed)\b", word
    )
    if past_commissive:
        governing = list(_REPORTING.finditer(context + before))
        if kind == "would" and governing and re.search(
            r"\bhad\s+(?:\w+\s+)?$", (context + before)[: governing[-1].start()]
        ):
            return True  # "had promised that the line would open": an old promise
        whole = context + text
        anchor = len(context) + cue.start()
        if kind == "would" and governing:
            anchor = governing[-1].start()
            if not dated and re.search(
                r"\b(?:after|when|since|because|as|before)\s+(?:\w+\s+){0,3}$", whole[:anchor]
            ):  # "broke down after Britain said it would …": a past event (unless dated ahead)
                return True
        for marker in _PAST_MARKER.finditer(whole):
            year = marker.group("year")
            if year is not None and (published_on is None or int(year) >= published_on.year):
                continue
            if _same_clause(whole, marker.start(), marker.end(), anchor):
                return True
        if published_on is not None:
            for month in _IN_MONTH.finditer(whole):
                if month.start() > len(context) + cue.start() and not _SAID_IN.search(
                    whole[max(0, month.start() - 20) : month.start()]
                ):  # "would be ready … in June", "would be announced in March": the claim's
                    continue  # own month, ahead (not "said in March that it would")
                if _MONTH_NUMBER[month.group(1)] < published_on.month and _same_clause(
                    whole, month.start(), month.end(), anchor
                ):
                    return True  # "said in January it would …": history
    if _HAD_SAID.search((context + before)[-160:]):
        return True  # "X had suggested that rates should fall next year": an old view
    if re.search(r"\b(?:originally|initially)\s+$", before[-30:]):
        return True  # "was originally scheduled to ship in December": the old plan
    # "was expected to sign … this summer, but talks stalled" is past unless a date lies ahead
    if _NOT_UNTIL.match(text, cue.end()) and _NEGATION.search(before[-12:]):
        return False  # "was not expected to open until next year": still ahead
    return not future_start and bool(_WAS.search(before[-20:])) and kind in {"verb", "modal"}


def find(text: str, *, reported: bool, has_future_time: bool,
         published_on: date | None = None, context: str = "",
         future_start: bool | None = None) -> list[Cue]:
    """Return every cue in ``text`` (a clause), marking the negated and past ones.

    ``reported`` says a speech or thought verb governs the text (so "would" is a backshifted
    "will"); ``has_future_time`` says a future date is in it (which licenses "can"/"should"
    and time-only cues, and keeps "was expected to … next week" forward-looking);
    ``context`` is the sentence before ``text`` (where "said last year" may sit);
    ``future_start`` says a dated window opens after publication ("next week", not "this
    summer"), which alone keeps "was expected to …" forward-looking (default: has_future_time).
    """
    if future_start is None:
        future_start = has_future_time
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for pattern, class_, kind in _CUES:
        for match in pattern.finditer(text):
            certainty = class_
            if any(match.start() < e and match.end() > s for s, e in taken):
                continue
            span = match.span("cue") if "cue" in pattern.groupindex else match.span()
            word = match.group(0).lower()
            if kind in {"weak", "decision"} and not has_future_time:
                continue
            if kind == "would" and not reported and (not has_future_time or re.search(
                r"\b(?:meant|was|were|had|did|could|\w+ed)\b", _clause_before(text, match.start())
            )):  # "would" with a date ahead and no past verb before it is a future ("polls
                continue  # would be held on …"), not "the rules meant exporters would …"
            if word.startswith(("expect", "plan", "anticipat")) and _AS_EXPECTED.search(
                text[max(0, match.start() - 12) : match.start()]
            ):
                continue
            if word == "will" and (
                (match.start() > 0 and text[match.start()] == "W")  # a name: "Will Smith"
                or _NOUN_WILL.search(text[max(0, match.start() - 12) : match.start()])
            ):
                continue
            if word.startswith(("forecast", "predict")) and re.search(
                r"\bto\s+(?:\w+ly\s+)?$", text[max(0, match.start() - 20) : match.start()]
            ):
                continue  # "it is difficult to accurately predict …": no forecast made
            if word.startswith(("forecast", "aim")) and (_NOUN_BEFORE.search(
                text[max(0, match.start() - 16) : match.start()]
            ) or _NOUN_AFTER.match(text, match.end())):
                continue  # "the bank's growth forecasts": a noun
            if re.match(r"plan\s", word) and _PLAN_NOUN.search(
                text[max(0, match.start() - 12) : match.start()]
            ):
                continue  # "an updated plan to meet the targets": a noun
            cue_kind = kind
            if _RELATIVE.search(text[max(0, match.start() - 40) : match.start()]) or (
                _CONTENT_NOUN.search(text[max(0, match.start() - 100) : match.start()])
            ):
                cue_kind = "relative"  # "risks that could delay …": not the sentence's claim
            if kind == "verb" and re.fullmatch(r"(?:expected|planned|anticipated)", word) and (
                _NOMINAL.search(text[max(0, match.start() - 12) : match.start()])
            ):
                cue_kind = "nominal"
            if word == "planned" and not _BE_BEFORE.search(text[: match.start()]):
                certainty = "expected"  # "a meeting planned before …": a plan, not a promise
            if word == "can" and _FROM_DATE.match(text):
                certainty = "asserted"  # "From Monday, passengers can buy tickets online"
            negated = _negated(text, match.start(), match.end(), kind)
            past = _past(text, match, kind, future_start=future_start,
                         published_on=published_on, context=context, dated=has_future_time)
            if _QUESTION.search(_clause_before(text, match.start())):
                negated = True
            cues.append(Cue(span[0], span[1], text[span[0] : span[1]], certainty, cue_kind,
                            negated, past))
            taken.append((match.start(), match.end()))
    return sorted(cues, key=lambda c: c.start)


def schedule_cue(text: str) -> Cue | None:
    """Return a present-tense scheduling verb ("close", "begins"), for time-only claims.

    None when the text is in the past tense ("were supposed to meet in December").
    """
    if TIMETABLE_LINE.match(text):  # "2025: Start of tunnel drilling", a line of a plan's timetable
        return Cue(0, 4, text[:4], "asserted", "timetable")
    if _PAST_TENSE.search(text):
        return None
    match = next((m for m in _SCHEDULE.finditer(text)
                  if not re.search(r"\bto\s+$", text[: m.start()])
                  and not _NOUN_SLOT.search(text[max(0, m.start() - 20) : m.start()])), None)
    if match is None:
        return None
    return Cue(match.start(), match.end(), match.group(0), "asserted", "time")


def idiom(text: str) -> bool:
    """Tell whether the text is a stock phrase, not a claim ("we'll see", "time will tell")."""
    return bool(_IDIOM.search(text))


def reported(text: str) -> bool:
    """Tell whether a speech or thought verb appears (licensing a backshifted "would")."""
    return bool(SPEECH_RE.search(text))
