"""Who made a claim: attribution in a sentence, quotations, tweets and pronouns.

:class:`Attributor` finds who speaks in a sentence: "X said (that) CLAIM", "CLAIM, X said",
"CLAIM, said X", "according to X", "X told reporters", a quotation's speaker (even when the
quotation spans sentences or is split around "she said"), a tweet's ".@handle:", and "he"/"she"
resolved to the last named speaker or subject before, and the actor a paragraph opens with; the
author of "X's threatened …" and the subject of "X expects / plans / promised to …" are read by
its half in :mod:`.claim_subjects`. Names are resolved by :mod:`.names`. Nothing here decides
what is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import institutions
from .claim_subjects import PASSIVE, ClaimSubjects
from .name_words import ROLE_NOUNS, SUBJECT_FORM
from .names import (
    CORPORATE,
    ORG_SUFFIX,
    PRONOUNS,
    ROLE_TAIL,
    RUN,
    SPEECH_VERBS,
    TITLES,
    UNATTRIBUTED,
    Registry,
    Speaker,
    clean_run,
)
from .noun_phrases import speaker_from_np
from .speaker_phrases import (
    ADJUNCT,
    AFTERTHOUGHT,
    BY_AGENT,
    DATELINE,
    INTRODUCES,
    TOLD_OBJECT,
    described_head,
    speaker_after,
    speaker_before,
)
from .stand_ins import stand_in

__all__ = ["UNATTRIBUTED", "Attribution", "Attributor", "Registry", "Speaker"]

_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")


_ORG_SUBJECT = re.compile(r"[A-Z][\w.-]+(?: (?:of |for |and )?[A-Z][\w.-]+){1,5}$")
_ORG_FOLLOWS = re.compile(r"\s*(?:\([A-Z]{2,8}\)\s*)?(?:(?:on|late|early)\s+[A-Z]\w+day\s+)?"
                          r"(?:has|have|had|is|are|was|were|will|would|[a-z]{3,}ed|"
                          r"said|says|plans|expects|approved|announced|agreed|decided)\b")
_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z.]{1,9}\)\s*$")
_CLAUSE_WORD = re.compile(
    r"\b(?:will|would|could|may|might|can|should|shall|is|are|was|were|has|have|had|to|"
    r"plans?|expects?|wants?)\b"
)
_COMPANY = re.compile(r"(?:the\s+)?(?:[a-z]+\s+)?(?:company|firm|group|carmaker|automaker|"
                      r"maker|retailer|airline|lender|bank|insurer|manufacturer|producer|"
                      r"organi[sz]ation|body|agency|alliance|bloc|cartel|coalition)")
# A verb right after a sentence's opening name (so the name is its subject, not a modifier).
_ACTS = re.compile(r"\s*(?:\([A-Z]{2,8}\)\s*)?(?:(?:on|late|early)\s+[A-Z]\w+day\s+)?"
                   r"(?:also\s+|has\s+|have\s+)?(?:[a-z]+ed|has|have|had|is|are|was|were|will|"
                   r"would|said|says|plans|expects|aims|signs|announces|intends)\b")
_PLACE_ASIDE = re.compile(r",\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2},")
# How far around a quotation its attribution is looked for (keeps every search bounded).
_REACH = 400
_HANDLE = re.compile(r"^\s*\.?@(?P<handle>\w+)\b[^“”\"]{0,150}?:\s*$")


@dataclass
class Attribution:
    """Who a stretch of text is credited to, and which characters say so."""

    speaker: Speaker
    start: int
    end: int
    rule: str


# A sentence opening with a title before the name: "ISRO chairman S Somanath", "the state's
# energy minister Nitin Raut" (an owner or qualifier, then lowercase title words, then a name).
_TITLED_OPENING = re.compile(
    rf"(?:(?:The|the)\s+)?(?:[A-Z][\w.’'-]*\s+){{0,3}}(?:[a-z][\w’'-]*\s+){{0,2}}"
    rf"(?:{ROLE_NOUNS})\s+(?P<name>{RUN.pattern})"
)
# A few words after "…, X said" closing the sentence ("said separately", "said Tuesday
# night"): the claim came before, not after.
_SHORT_TAIL = re.compile(r"(?:\s+[\w’'-]+){1,3}\s*[.!?]?\s*")


class Attributor(ClaimSubjects):
    """Find the claimant of each sentence in order, remembering speakers for pronouns."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self.history: list[tuple[Speaker | None, Speaker | None]] = []  # (speaker, subject)
        self.sentence = (0, 0)  # the sentence being read, for the institutions near a speaker
        self.actor: Speaker | None = None  # the claimant of the sentence's earlier claim
        self.closing: Speaker | None = None  # the speaker of a closing "…, X said."
        self.lead: tuple[int, Speaker | None] | None = None  # a paragraph's opening subject

    # -- pronouns and subjects ------------------------------------------------------------
    def resolve_pronoun(self, pronoun: str) -> Speaker | None:
        """Resolve he/she/they to the last named speaker, else the last named subject."""
        for speaker, subject in reversed(self.history[-6:]):
            for candidate in (speaker, subject):
                if candidate is None:
                    continue
                if pronoun.lower() == "they" and candidate.kind == "person":
                    continue
                if pronoun.lower() in {"he", "she"} and candidate.kind != "person":
                    continue
                if pronoun.lower() == "it" and candidate.kind != "org":
                    continue
                return candidate
        if pronoun.lower() in {"he", "she"}:
            # nobody near: the person who last spoke, further back ("Cuong said … [seven
            # sentences of paraphrase] … The ministry is ready, he said.")
            return next((s for s, _ in reversed(self.history[-30:-6])
                         if s is not None and s.kind == "person"), None)
        return None

    def recent_speaker(self, sentences: int = 2) -> Speaker | None:
        """Return the speaker of one of the last ``sentences`` sentences: news goes on
        paraphrasing its source ("the health service said … From 12 May, anyone …")."""
        for speaker, _ in reversed(self.history[-sentences:]):
            if speaker is not None and speaker.kind != "unattributed":
                return speaker
        return None

    def remember(self, speaker: Speaker | None, subject: Speaker | None) -> None:
        """Record a sentence's speaker and subject for later pronouns."""
        self.history.append((speaker, subject))

    def subject(self, start: int, end: int) -> Speaker | None:
        """Return the named person a sentence opens with ("President Trump sounded …"), or the
        named organisation ("The Electoral Board (EB) has approved …")."""
        sentence = DATELINE.sub("", self.text[start:end])
        match = RUN.match(sentence)
        if (
            match is None
            or match.group(0).split()[0] in {"A", "An", "But", "And"}
            or institutions.NOT_A_NAME.match(match.group(0))
        ):
            return None
        run = clean_run(match.group(0))
        found = self._subject(sentence, match, run)
        if found is None:
            found = self._titled_subject(sentence)
        para = self.text.rfind("\n", 0, start) + 1
        if not self.text[para:start].strip():  # the paragraph's lead: who its details are of
            self.lead = (para, found)
        return found

    def _titled_subject(self, sentence: str) -> Speaker | None:
        """The person a sentence opens with behind a lowercase title ("ISRO chairman S
        Somanath met …", "state energy minister Nitin Raut said …"), known to the registry."""
        titled = _TITLED_OPENING.match(sentence)
        if titled is None:
            return None
        return self.registry.person(clean_run(titled.group("name")))

    def _subject(self, sentence: str, match: re.Match[str], run: str) -> Speaker | None:
        if run.split()[0] == "The":
            run = run[4:]
            if not run or not _ORG_FOLLOWS.match(sentence, match.end()):
                return None
            holder = self.registry.by_role(run) if run.split()[-1] in TITLES else None
            if not _ORG_SUBJECT.match(run):
                return holder  # "The President signed …": whoever holds the office
            return self.registry.person(run) or holder or Speaker(run, None, "org")
        person = self.registry.person(run)
        aside = _PLACE_ASIDE.match(sentence, match.end())  # "Oslo Airport, Norway, has …"
        if person is None and aside and " " in run and _ACTS.match(sentence, aside.end()):
            return Speaker(run, None, "org")
        if person is None and _ACTS.match(sentence, match.end()) and (
            ORG_SUFFIX.search(run) or run == self.registry.main_org(self.text)
            or any(run == name for _, name in self.registry.orgs[:200])
        ):
            return Speaker(run, None, "org")  # "Halvorsen Oil signed …": for a later "it"
        return person

    def lead_actor(self, position: int) -> Speaker | None:
        """Return who the sentence opening ``position``'s paragraph names as acting ("Oslo
        Airport has launched its expansion. … The new pier will open in 2027."): the details
        that follow describe their plan."""
        para = self.text.rfind("\n", 0, position) + 1
        if self.lead is None or self.lead[0] != para:
            return None
        return self.lead[1]

    def resolve(self, np: str, position: int) -> Speaker | None:
        """Resolve a speaker noun phrase, pronouns included."""
        bare = np.strip(" ,").lower()
        bare = SUBJECT_FORM.get(bare, bare)
        if bare in PRONOUNS:
            if bare in {"i", "we"}:
                return None
            return self.resolve_pronoun(bare)
        sentence = self.sentence if self.sentence[0] <= position <= self.sentence[1] else (
            position, position)
        np = _ACRONYM.sub("", np)  # "the Westland News Agency (WNA)"
        behind = stand_in(np, text=self.text, registry=self.registry, sentence=sentence,
                          position=position, resolve=self.resolve, pronoun=self.resolve_pronoun)
        if behind is not None:  # "The statement added …", "its sources": who issued them
            return behind
        described = self.described(np, position)
        if described is not None:
            return described
        institution = institutions.as_institution(np)  # "U.S. central bank officials"
        if institution is not None:
            found = Speaker(institution, None, "org")
            return institutions.vet(found, self.text, self.registry, sentence, position)
        found = speaker_from_np(np, self.registry, position)
        if found is not None and found.kind == "person" and found.name.islower():
            # "The diplomat said …" after "Deputy Foreign Minister Zhang Hanhui told …": a
            # role named by no one's title is the person who last spoke
            found = self.resolve_pronoun("he") or found
        if found is None:
            found = institutions.unnamed(np, self.text, self.registry, sentence, position)
        if found is None and _COMPANY.fullmatch(bare):
            # "the company" with no company name near: the last that spoke, else the article's
            found = self.resolve_pronoun("it")
            main = None if found else self.registry.main_org(self.text)
            found = Speaker(main, None, "org") if main else found
        return institutions.vet(found, self.text, self.registry, sentence, position)

    def described(self, np: str, position: int) -> Speaker | None:
        """Resolve an organisation described, not named ("the Oslo-based company", "the
        world's largest oil producer", "world football's governing body"): an organisation
        named before whose name holds the head word, else the last organisation that spoke,
        else the one the article is about."""
        head = described_head(np)
        if head is None:
            return None
        earlier = [name for start, name in self.registry.orgs if start < position]
        name = next((n for n in reversed(earlier) if head.lower() in n.lower()), None)
        if name is None and head.lower() not in {"agency", "bank"}:
            # a company is a corporate name ("… Motors", "… Inc."), not a ministry or commission
            corporate = [n for n in earlier if CORPORATE.search(n)]
            name = self.registry.org_before(position, head) if corporate else None
            spoke = self.resolve_pronoun("it") if name is None else None
            if spoke is not None:
                return spoke
            name = name or self.registry.main_org(self.text)
        return Speaker(name, None, "org") if name else None

    # -- attribution ------------------------------------------------------------------------
    def in_sentence(self, start: int, end: int,
                    quotes: list[tuple[int, int]]) -> Attribution | None:
        """Return the speech attribution of a sentence, outside its quotations.

        Three shapes: "X said (that) CLAIM" (the attribution precedes the claim), "CLAIM, X
        said." and "CLAIM, said X." (it follows); the span returned is what to cut away.
        """
        text = self.text
        self.sentence = (start, end)
        for agent in BY_AGENT.finditer(text, start, end):  # "plans announced by X"
            if any(qs <= agent.start() < qe for qs, qe in quotes):
                continue
            if _VERB.search(text, start, agent.start()):
                continue  # "X says …, as in the plan outlined by Y": X speaks, Y only wrote
            speaker = self.resolve(agent.group("np"), agent.start("np"))
            if speaker is not None and speaker.kind != "group":
                if re.match(r"\s*(?:This|That|It)\s+(?:was|were|has been|is)\s+\w+\s+by\s",
                            text[start : agent.end()]):  # "This was reported by X.": a closing
                    return Attribution(speaker, start, end, "CLAIM, X said")  # attribution
                # Nothing is cut: "The plan announced by X will start …" keeps its subject
                return Attribution(speaker, agent.start(), agent.start(), "announced by X")
        for verb in _VERB.finditer(text, start, end):
            if any(qs <= verb.start() < qe for qs, qe in quotes):
                continue
            if text.startswith(" by ", verb.end()):
                continue  # a passive: its agent was read above
            if PASSIVE.search(text[max(start, verb.start() - 14) : verb.start()]):
                continue  # "will be announced": an event, not a speaker
            left_start = max([start] + [qe for qs, qe in quotes if qe < verb.start()])
            left = text[left_start : verb.start()]
            stop = verb.end()
            if verb.group(0) in {"told", "tells", "tell"}:
                told = TOLD_OBJECT.match(text, stop)
                stop = told.end() if told else stop
            adjunct = ADJUNCT.match(text, stop)
            stop = adjunct.end() if adjunct else stop
            trailing = re.match(r"\s*(?:[,.;!?]|$)", text[stop:end]) is not None
            if re.search(r"(?:,|[”\"])\s*$", left) and not trailing:
                np = speaker_after(text[verb.end() : end])
                head = np.split(",")[0]
                if np and len(head.split()) <= 8 and not _CLAUSE_WORD.search(head):
                    speaker = self.resolve(np, verb.start())
                    if speaker is not None:
                        cut = left_start + len(left.rstrip().rstrip(",”\"").rstrip())
                        return Attribution(speaker, cut, end, "CLAIM, said X")
            np = speaker_before(left)
            speaker = self.resolve(np, verb.start()) if np else None
            joined = re.search(r"\s+and\s+(?P<np>(?:[\w’'.-]+\s+){0,3}[\w’'.-]+)$", np)
            if speaker is None and joined:
                # "X held rates steady and policymakers signaled …": the second clause's subject
                np = joined.group("np")
                speaker = self.resolve(np, verb.start())
            if speaker is None:
                continue
            found_at = left.rfind(np)
            np_start = left_start + found_at if found_at >= 0 else verb.start() - len(np)
            if trailing and np_start > start + 3:
                return Attribution(speaker, max(start, np_start - 2), stop, "CLAIM, X said")
            if np_start > start + 3 and text[max(start, np_start - 2) : np_start] == ", " and (
                AFTERTHOUGHT.match(text, stop, end) or _SHORT_TAIL.fullmatch(text, stop, end)
            ):  # "CLAIM, officials said on Monday about a plan …": the rest is context
                return Attribution(speaker, np_start - 2, end, "CLAIM, X said")
            return Attribution(speaker, start, stop, "X said CLAIM")
        according = re.search(r"\b[Aa]ccording to\s+(?P<np>[^.;:“”\"]{1,160})", text[start:end])
        if according:
            chunks = according.group("np").split(",")
            for size in (2, 1):
                if len(chunks) <= size and size == 2:
                    continue
                np = ",".join(chunks[:size])
                speaker = self.resolve(np, start + according.start())
                if speaker is None or (size == 2 and not ROLE_TAIL.search(chunks[0].strip())
                                       and not ROLE_TAIL.search(chunks[1].strip())):
                    continue
                a_start = start + according.start()
                a_end = start + according.start("np") + len(np) + 1
                if text[a_start - 2 : a_start] == ", ":
                    a_start -= 2
                return Attribution(speaker, a_start, min(a_end, end), "according to X")
        return None

    def of_quote(self, quote: tuple[int, int], para_start: int,
                 para_end: int) -> Attribution | None:
        """Return who a direct quotation is credited to: "…,” X said" / "X said: “…"."""
        qs, qe = quote
        after = self.text[qe + 1 : min(para_end, qe + 1 + _REACH)]  # bounded: linear time
        match = re.match(rf"\s*,?\s*(?P<np>[^,.;“”\"!?]{{1,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b",
                         after)
        if match and len(match.group("np").split()) <= 8:
            speaker = self.resolve(match.group("np"), qe)
            if speaker is not None:
                return Attribution(speaker, qe + 1, qe + 1 + match.end(), "“…,” X said")
        match = re.match(rf"\s*,?\s*(?P<verb>{SPEECH_VERBS})\s+", after)
        if match:
            speaker = self.resolve(speaker_after(after[match.end() :]), qe)
            if speaker is not None:
                return Attribution(speaker, qe + 1, para_end, "“…,” said X")
        cut = qs - 1 - _REACH > para_start
        para_start = max(para_start, qs - 1 - _REACH)
        before = self.text[para_start : qs - 1]
        handle = None if cut else _HANDLE.search(before)  # a handle opens the paragraph
        if handle:
            speaker = self.registry.by_handle(handle.group("handle"))
            name = speaker or Speaker("@" + handle.group("handle"), None, "person")
            return Attribution(name, para_start + handle.start(), qs - 1, ".@handle: “…”")
        match = re.search(rf"(?P<np>[^.;“”\"!?]{{1,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b"
                          rf"[^“”\".]{{0,40}}?[,:]?\s*$", before)
        if match and not PASSIVE.search(match.group("np")[-14:] + " "):
            # not "… could be announced “as early as Sunday”": an event, not a speaker
            speaker = self.resolve(speaker_before(match.group("np")), qs)
            if speaker is not None:
                return Attribution(speaker, para_start + match.start(), qs - 1, "X said: “…”")
        return None

    def introduced(self, para_start: int, quote_start: int) -> Attribution | None:
        """Return the speaker a paragraph ending in a colon introduces for the quotation that
        opens the next ("X issued the following statement from Y, …:" / "Y said:")."""
        end = para_start - 1
        before = self.text[max(0, end - _REACH) : end].rstrip()
        if not before.endswith(":"):
            return None
        match = INTRODUCES.search(before)
        if match is None:
            return None
        np = speaker_before(match.group("np2")) if match.group("verb") else match.group("np")
        speaker = self.resolve(np, end)
        return Attribution(speaker, quote_start, quote_start, "introduced") if speaker else None
