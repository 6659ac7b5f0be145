"""Who acts in a claim when nobody is quoted: the subject of a commitment, a deal's party.

:class:`ClaimSubjects` is the half of :class:`.claimants.Attributor` that reads the claim
itself rather than its attribution: the subject of "X expects / plans / is set to …"
(:meth:`~ClaimSubjects.commissive_subject`), of "China will suspend …"
(:meth:`~ClaimSubjects.named_subject`), the party a deal's term binds
(:meth:`~ClaimSubjects.party`) and the author of "X's threatened …"
(:meth:`~ClaimSubjects.possessive`). Names are resolved by the attributor's ``resolve``.
"""

from __future__ import annotations

import re

from . import institutions
from .names import FUNCTION_WORDS, RUN, Registry, Speaker
from .speaker_phrases import described_head, speaker_before

PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(
    rf"(?P<np>{RUN.pattern})[’']s\s+(?:threatened|promised|pledged|proposed|vowed)\b"
)
_PARTY = re.compile(
    rf"(?:\b(?:by|from|commits?|requires?|for)\s+(?P<np>{RUN.pattern})(?![’'])|"
    rf"(?P<owner>{RUN.pattern})[’']s\b)"
)
# "X is set / scheduled / due / on track to …": X's own plan, not a passive of someone's
_SCHEDULED = re.compile(r"(?:set|scheduled|slated|due)\b")
_OWN_STATE = re.compile(
    r"(?:set|scheduled|slated|due|poised|on track|on course|ready|prepared|"
    r"willing|targeting|about|planning|preparing|"
    # "X is aiming to …": the progressive of X's own intention
    r"aiming|intending|hoping|seeking|looking|working|expecting|"
    r"considering|weighing|eyeing|mulling)\b",
    re.IGNORECASE,
)
# A plan owned ("His plan, aimed at …, is set to …", "Lund's visit is scheduled for …").
_OWNED_PLAN = re.compile(
    rf"(?:(?P<pronoun>His|Her|Its|Their)|(?P<owner>{RUN.pattern})[’']s)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:plans?|proposals?|visit|trip|tour|intention|goal|aim|target|bid|offer|programme|"
    r"program|project|launch)\b"
)
# People who act for an organisation: "Tesla executives are set to …" is Tesla's plan.
_PEOPLE = re.compile(
    r"\b(?:officials?|executives?|leaders?|managers?|bosses|chiefs?|directors?|staff|workers|"
    r"employees|spokes(?:man|woman|person|people)|sources?|authorities|members|players|team|"
    r"organi[sz]ers?|planners|engineers|negotiators|lawmakers|regulators)$"
)
# A subordinate clause with a subject of its own: "Trump warned … after Carney announced …"
_SUBORDINATE = re.compile(r"\b(?:after|when|since|because|before|while|until|as)\s+(?=[A-Z])")


_PAIR = re.compile(rf"(?P<first>{RUN.pattern}) and (?:{RUN.pattern})")


class ClaimSubjects:
    """The subjects and parties of claims; mixed into :class:`.claimants.Attributor`."""

    text: str
    registry: Registry

    def resolve(self, np: str, position: int) -> Speaker | None:  # pragma: no cover
        """Resolve a speaker noun phrase (the attributor's)."""
        raise NotImplementedError

    def resolve_pronoun(self, pronoun: str) -> Speaker | None:  # pragma: no cover
        """Resolve he/she/it/they (the attributor's)."""
        raise NotImplementedError

    def commissive_subject(
        self, unit: str, cue_start: int, position: int, cue: str = ""
    ) -> Speaker | None:
        """Return the subject of "X expects / plans / promised to …" (not passives: "X is
        expected to" is somebody else's expectation; "X is set / due / on track to" is X's)."""
        before = unit[:cue_start]
        if (PASSIVE.search(before) and not _OWN_STATE.match(cue)) or before.rstrip().endswith(","):
            return None  # a passive, or a participle (", setting a date"): no subject here
        owner = _OWNED_PLAN.match(before)
        if owner and _OWN_STATE.match(cue):  # "His plan, aimed at …, is set to occur in May"
            pronoun = owner.group("pronoun")
            if pronoun:
                return self.resolve_pronoun(
                    {"his": "he", "her": "she", "its": "it"}.get(pronoun.lower(), "they")
                )
            return self.resolve(owner.group("owner"), position)
        # "Ana Costa, has called an election": the auxiliary is not the subject; "policymakers
        # still anticipate …": nor the adverb
        before = re.sub(
            r"\s(?:has|have|had|also|now|just|already|formally|still|currently|[a-z]+ly)"
            r"(?:\s+also)?\s*$",
            " ",
            before,
        )
        np = re.sub(r"\s+(?:is|are|was|were|be|been)(?:\s+\w+ly)?$", "", speaker_before(before))
        if not np or len(np.split()) > 8:
            return None
        if PASSIVE.search(before) and institutions.insider(np.split()[-1]):
            return None  # "League officials are scheduled to meet": actors, not claimants
        if _SCHEDULED.match(cue) and self._capitalised_only(np):
            # "Liftoff is scheduled for …": a capitalised first word, not a name (an event
            # can be scheduled; only an actor is "aiming to …")
            return None
        if self._common_noun_phrase(np):
            return None
        return self.resolve(self._first_of_pair(np), position)

    def _common_noun_phrase(self, np: str) -> bool:
        """Whether ``np`` is a sentence's capitalised first word and the lowercase nouns it
        describes ("Offshore activities", "Commercial flights"): a thing, named nowhere else,
        not an institution ("Maan news agency") or its people ("Tesla executives")."""
        first, _, rest = np.partition(" ")
        words = rest.split()
        return (
            bool(words)
            and len(words) <= 3
            and all(w.islower() and w.isalpha() for w in words)
            and first.isalpha()
            and first not in FUNCTION_WORDS  # "The utility plans …": resolved elsewhere
            and self._capitalised_only(first)
            and institutions.HEAD_AT_END.search(rest) is None
            and _PEOPLE.search(rest) is None
        )

    def _capitalised_only(self, np: str) -> bool:
        """Whether ``np`` is one word that the article capitalises only where a sentence
        starts with it ("Construction", "Polls"): a common word, not a name ("ExxonMobil",
        "NASA" are names wherever they stand)."""
        return (
            " " not in np
            and np[:1].isupper()
            and not any(letter.isupper() for letter in np[1:])
            and not self.registry.named_mid_sentence(self.text, np)
        )

    def _first_of_pair(self, np: str) -> str:
        """The first of two named parties acting together ("Statoil and Statkraft will …"):
        the claimant field holds one name, and the one named first leads. Not one name with
        "and" in it ("Customs and Border Protection"): the first must stand alone elsewhere."""
        pair = _PAIR.fullmatch(np)
        if pair is None:
            return np
        first = pair.group("first")
        alone = self.text.count(first) > self.text.count(f"{first} and ")
        return first if alone or self.registry.person(first) is not None else np

    def named_subject(self, unit: str, cue_start: int, position: int) -> Speaker | None:
        """Return the named subject of "China will suspend …" (a name, not "the tariffs")."""
        np = speaker_before(unit[:cue_start]).strip()
        np = re.sub(r"^(?:and|but|so|then|also|the)\s+", "", np)
        owned = re.fullmatch(rf"(?P<owner>{RUN.pattern})[’']s\s+[\w\s’'-]{{1,60}}", np)
        if owned:  # "Westland Air's new route will open …": the owner, unless a person
            owner = owned.group("owner")
            if self.registry.person(owner) is not None or institutions.is_date_word(owner):
                return None
            np = owner
        if described_head(unit[:cue_start].strip()) is not None:
            # "The space agency will use …": the organisation described, named before
            return self.resolve(unit[:cue_start].strip(), position)
        np = self._first_of_pair(np)
        if not RUN.fullmatch(np) or np.split()[0] in FUNCTION_WORDS:
            return None
        if self._capitalised_only(np):
            return None  # "Polls close at 8 p.m.": a capitalised first word, not a name
        return self.resolve(np, position)

    def party(self, unit: str, cue_end: int, position: int) -> Speaker | None:
        """Return the party of a deal's term: "… suspension of China's export controls",
        "… purchases by China", "… commits Japan to …" (the first one named)."""
        match = _PARTY.search(unit, cue_end)
        if match is None:
            return None
        group = "np" if match.group("np") else "owner"
        return self.resolve(match.group(group), position + match.start(group))

    def possessive(self, unit: str, position: int) -> Speaker | None:
        """Return X of "X's threatened / promised …" (the author of the threat)."""
        match = _POSSESSIVE.search(unit)
        if match is None:
            return None
        return self.registry.person(match.group("np")) or Speaker(match.group("np"))

    def clause_subject(self, unit: str, cue_start: int, position: int) -> Speaker | None:
        """Return the subject of a commitment in a subordinate clause ("Trump warned Canada
        after Carney announced plans to …": Carney's plan, not Trump's warning), or None."""
        clauses = list(_SUBORDINATE.finditer(unit, 0, cue_start))
        if not clauses:
            return None
        start = clauses[-1].end()
        return self.commissive_subject(unit[start:], cue_start - start, position + start)
