"""People and organisations an article names: full names, aliases, roles, handles.

:class:`Registry` reads the whole article once and learns each person's full name and role from
titles ("Treasury Secretary Scott Bessent"), lowercase role prefixes ("council president Mark
Heller") and appositions ("China's top trade negotiator, Li Chenggang,"), so that a later
"Bessent" or "the Treasury Secretary" resolves to "Scott Bessent" with his role, and a tweet
handle ".@SecScottBessent" to the same person. Speaker noun phrases ("a league spokeswoman")
are read by :mod:`.noun_phrases`; attribution in sentences by :mod:`.claimants`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .name_words import (  # noqa: F401  (re-exported: the vocabulary's old home)
    CAPITAL,
    COMPANY_WORDS,
    CORPORATE,
    FUNCTION_WORDS,
    KEEP_DOT,
    LOWER,
    OFFICE_WORDS,
    ORG_HEADS,
    ORG_SUFFIX,
    PARTICLES,
    PRONOUNS,
    ROLE_HEAD,
    ROLE_NOUNS,
    ROLE_TAIL,
    RUN,
    SPEECH_VERBS,
    TITLES,
    clean_role,
    clean_run,
    strip_article,
    without_owner,
)


@dataclass(frozen=True)
class Speaker:
    """A resolved claimant: display name, optional role and what kind of thing it is."""

    name: str
    role: str | None = None
    kind: str = "person"  # person, org, group, unattributed


_SPEECH = re.compile(rf"[ ]{{1,3}}(?:{SPEECH_VERBS})\b")
_COUNTED = 200  # organisations whose mentions are counted (the first named)
_ROLE_NAME = re.compile(
    rf"(?P<role>(?:(?<![\w’'-])[\w’'-]{{1,40}}[ ]+){{0,4}}?(?:{ROLE_NOUNS})),[ ]+"
    rf"(?P<name>(?>{RUN.pattern})),",  # atomic: case-blind, "of" is a name word or a joint
    re.IGNORECASE,
)
_NAME_ROLE = re.compile(
    rf"(?P<name>{RUN.pattern}),[ ]+(?P<role>(?:(?:an?|the)[ ]+)?(?:[\w’'-]{{1,40}}[ ]+){{0,3}}"
    rf"(?:{ROLE_NOUNS})(?:[ ]+(?:at|of|for)[ ]+{RUN.pattern})?)\b"
)
_ROLE_PREFIX = re.compile(rf"(?:^|\s)(?P<role>(?:[A-Z][\w’'-]*\s+)?(?:[a-z][\w’'-]*\s+){{0,2}}"
                          rf"(?:{ROLE_NOUNS}))\s+$")
# A lowercase noun naming a kind of organisation right before a name run.
_KIND_OF_ORG = re.compile(
    r"\b(?:company|firm|carmaker|automaker|retailer|airline|lender|insurer|utility|producer|"
    r"manufacturer|drugmaker|chipmaker|startup|start-up|broadcaster|publisher|conglomerate)"
    r"[ ]+$"
)
_ROLE_WORDS = frozenset(ROLE_NOUNS.split("|"))
_ROLE_ENDINGS = tuple(_ROLE_WORDS)
_KIND_ENDINGS = tuple(_KIND_OF_ORG.pattern.split("(?:")[1].split(")")[0].split("|"))
_OFFICE_ENDINGS = ("to", "of", "for", "the")
_OFFICE = re.compile(
    r"(?P<role>(?:[A-Z][\w-]*[ ]+){0,2}(?:Ambassador|Envoy|Minister|Secretary|"
    r"Representative|Commissioner))[ ]+(?:to|of|for)[ ]+(?:the[ ]+)?$"
)


def _ends_with(prefix: str, words: tuple[str, ...]) -> bool:
    """Whether ``prefix`` is one of ``words`` followed by white space: a test in C that spares
    most of the end-anchored searches below (each tries every start position of the prefix)."""
    stripped = prefix.rstrip()
    return len(stripped) < len(prefix) and stripped.endswith(words)


def _roles_before_commas(text: str) -> list[int]:
    """Where a role noun ends just before ", " (any case, also as the end of a longer word:
    "vice-president, "), found from the commas rather than by trying every position."""
    found = []
    for comma in re.finditer(", ", text):
        end = comma.start()
        start = end
        while start > 0 and end - start < 20 and "a" <= text[start - 1].lower() <= "z":
            start -= 1
        word = text[start:end].lower()
        if any(word[cut:] in _ROLE_WORDS for cut in range(len(word) - 1)):
            found.append(end)
    return found
_NEAR = (500, 1_200)  # how far an apposition reaches before and after its comma


def _around(commas: list[int], size: int) -> list[tuple[int, int]]:
    """Return the merged spans within ``_NEAR`` of the given commas, in order."""
    spans: list[tuple[int, int]] = []
    for comma in commas:
        lo, hi = max(0, comma - _NEAR[0]), min(size, comma + _NEAR[1])
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans
# not in parentheses: a wire credit "(Agency)" or an acronym "(EC)" is not what the story is about
_MID_NAME = re.compile(r"[a-z0-9,;’'] ([A-Z][\w&+-]{0,30})")
_NOT_ORG_LEAD = {"Shares", "Most", "Some", "Many", "All", "Both", "Each", "None", "One", "Two",
                 "Three", "Parts", "Sales", "Prices", "Members", "Residents", "Users"}
_NAME_WORD = re.compile(r"(?<![\w.’'(-])[A-Z][A-Za-z0-9&+-]{1,30}(?![\w’'-])")
_NOT_ORG = TITLES | FUNCTION_WORDS | {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "US", "UK", "EU", "U", "S", "CEO", "What",
    "There", "However", "After", "Before", "From", "With", "Under", "Over", "Mr", "Ms",
}
# A plain name word ("Solberg", "O'Neil"), not a possessive ("Japan's") or an acronym.
_PLAIN_NAME = re.compile(
    rf"[{CAPITAL}][{LOWER}-]{{1,30}}|[{CAPITAL}][’'][{CAPITAL}][{LOWER}-]{{1,30}}"
)
UNATTRIBUTED = Speaker("unattributed", None, "unattributed")


@dataclass
class Registry:
    """The people and organisations an article names, with aliases and roles."""

    people: dict[str, Speaker] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)
    full_names: dict[str, set[str]] = field(default_factory=dict)  # surname → "First Last"
    _main: str | None = None  # main_org's answer, once computed
    _mid: set[str] | None = None  # capitalised words seen mid-sentence, once computed
    spoken: list[tuple[int, str]] = field(default_factory=list)  # "X said": where, and X

    @classmethod
    def build(cls, text: str, title: str | None = None) -> Registry:
        """Read an article (and its title, if apart) and learn who is who."""
        registry = cls()
        if title and title not in text:
            for match in RUN.finditer(title):
                registry._learn_run(title, match)
        ending_at: dict[int, re.Match[str]] = {}
        for match in RUN.finditer(text):
            registry._learn_run(text, match)
            ending_at[match.end()] = match
        for verb in _SPEECH.finditer(text):  # "X said": the run just before the verb
            run = ending_at.get(verb.start())  # a lookup, not a search: linear time
            if run is None:
                continue
            tokens = clean_run(run.group(0)).split()
            if tokens and ROLE_TAIL.fullmatch(tokens[0]):
                tokens = tokens[1:]  # "Contractor Orbital Dynamics said"
            if tokens:
                registry.spoken.append((run.start(), " ".join(tokens)))
            if len(tokens) in {2, 3} and tokens[0] not in FUNCTION_WORDS and not ORG_SUFFIX.search(
                tokens[-1]
            ):
                registry._add(" ".join(tokens), None, weak=True)
        # One count over the text per distinct name, for at most _COUNTED names: a list of
        # thousands of organisations ("Aa Bank, Bb Bank, …") would otherwise cost quadratic time.
        for name in dict.fromkeys(name for _, name in registry.orgs):
            if len(registry.mentions) >= _COUNTED:
                break
            registry.mentions[name] = _count_word(text, name.split()[0])
        # Appositions ("the minister, Li Chenggang," / "Li Chenggang, the minister"): scanned
        # only around the commas where one can be (a role noun just before it, or a name run
        # ending at it), since trying the role nouns at every position of a long article costs
        # more than the rest of this method. A match lies within _NEAR of its comma.
        commas = [m.start() for m in re.finditer(", ", text)]
        # One pass for every role noun just before a comma (a search per comma cost 16 us each:
        # two seconds for 200 KB of ", , , ").
        after_role = _roles_before_commas(text)
        for lo, hi in _around(after_role, len(text)):
            for match in _ROLE_NAME.finditer(text, lo, hi):
                registry._add(match.group("name"), clean_role(match.group("role")), weak=True)
        for lo, hi in _around([c for c in commas if c in ending_at], len(text)):
            for match in _NAME_ROLE.finditer(text, lo, hi):
                registry._add(match.group("name"), clean_role(match.group("role")), weak=True)
        return registry

    def _learn_run(self, text: str, match: re.Match[str]) -> None:
        tokens = clean_run(match.group(0)).split()
        last_title = max((i for i, t in enumerate(tokens) if t in TITLES), default=-1)
        run = " ".join(tokens)
        if ORG_SUFFIX.search(run, max(0, len(run) - 20)) or (  # the suffix is ≤ 15 letters
            len(tokens) >= 3 and tokens[1] in {"of", "for"} and last_title < 0
            and tokens[0] not in _NOT_ORG_LEAD
        ):
            self.orgs.append((match.start(), strip_article(run)))
            return
        before = text[max(0, match.start() - 60) : match.start()]
        office = (
            _OFFICE.search(before)
            if last_title < 0 and len(tokens) >= 3 and _ends_with(before, _OFFICE_ENDINGS)
            else None
        )
        if office:  # "Chinese Ambassador to Russia Li Wei": the run starts after "to"
            name = [t for t in tokens if t not in OFFICE_WORDS]
            if len(name) == len(tokens):
                # a place the word list does not know ("Envoy to the Middle East Steve
                # Witkoff"): the place comes first, the person's first and last name end it
                name = tokens[-2:]
            self._add(" ".join(name), office.group("role"))
            return
        if last_title >= 0 and last_title < len(tokens) - 1:
            rest = tokens[last_title + 1 :]
            office = 0  # "Minister of Health Le Van", "Ambassador to Russia Li Wei": the office
            linking = {"of", "for", "to", "the", "and"}
            while office < len(rest) - 2 and (
                rest[office] in linking or rest[office] in OFFICE_WORDS
                # "Minister of Infrastructure Brian Mason": a word after "of" is the office's
                # even when the word list does not know it; the name is what follows
                or (office > 0 and rest[office - 1] in linking)
            ):
                office += 1
            self._add(" ".join(rest[office:]), " ".join(tokens[: last_title + 1] + rest[:office]))
            return
        if len(tokens) not in {2, 3}:
            return
        prefix = text[max(0, match.start() - 40) : match.start()]
        if _ends_with(prefix, _KIND_ENDINGS) and _KIND_OF_ORG.search(
            text, max(0, match.start() - 40), match.start()
        ):
            # "Danish biotech firm Bavarian Nordic": the noun before the name says it is a
            # company, so a later "the company" or "it" can find it
            self.orgs.append((match.start(), run))
            return
        # "Ryosei Akazawa’s comments": the possessive is no part of the name
        plain = [*tokens[:-1], re.sub(r"[’']s$", "", tokens[-1])]
        if plain[0] not in _NOT_ORG and all(_PLAIN_NAME.fullmatch(t) for t in plain):
            self.full_names.setdefault(plain[-1].lower(), set()).add(" ".join(plain))
        role = _ROLE_PREFIX.search(prefix) if _ends_with(prefix, _ROLE_ENDINGS) else None
        if role:
            self._add(run, clean_role(role.group("role")))

    def _add(self, name: str, role: str | None, *, weak: bool = False) -> None:
        name = re.sub(r"[’']s$", "", name)  # "President Ana Lund’s plan": the name is Ana Lund
        tokens = [t for t in without_owner(name).split() if t not in TITLES]
        if not tokens or len(tokens) > 4 or any(t.islower() and t not in PARTICLES
                                                 for t in tokens):
            return
        full = " ".join(tokens)
        canonical = self.aliases.get(full.lower(), full)
        if len(tokens) == 1 and canonical == full:
            return  # a bare surname with a title ("President Trump") only adds a role
        known = self.people.get(canonical)
        if known is None or (known.role is None and role):
            self.people[canonical] = Speaker(canonical, role)
        elif weak:
            return
        self.aliases.setdefault(canonical.lower(), canonical)
        self.aliases.setdefault(tokens[-1].lower(), canonical)
        self.aliases.setdefault(tokens[0].lower(), canonical)

    def person(self, mention: str) -> Speaker | None:
        """Return the known person a mention ("Bessent", "President Trump") refers to."""
        tokens = [t for t in strip_article(mention).replace("’s", "").split()
                  if t not in TITLES]
        if not tokens:
            return None
        for key in (" ".join(tokens), tokens[-1], tokens[0]):
            canonical = self.aliases.get(key.lower())
            if canonical:
                return self.people[canonical]
        full = self.full_names.get(tokens[0].lower(), set()) if len(tokens) == 1 else set()
        if len(full) == 1:  # "Ingrid Solberg runs the firm. … Solberg said": the surname
            return Speaker(next(iter(full)))
        return None

    def by_role(self, role: str) -> Speaker | None:
        """Return the person whose role matches ("the Treasury Secretary" → Scott Bessent)."""
        wanted = strip_article(role).lower()
        exact = [p for p in self.people.values() if p.role and p.role.lower() == wanted]
        if exact:
            return exact[0]
        ending = [p for p in self.people.values() if p.role and (
            p.role.lower().endswith(wanted)
            or re.split(r"\s+(?:of|at|for|to)\s+", p.role.lower())[0].endswith(wanted))]
        return ending[0] if len(ending) == 1 else None

    def named_later(self, position: int, reach: int = 2_000) -> Speaker | None:
        """Return the person a lead's description introduces ("the country's top negotiator
        said …"): wire copy describes its speaker in the lead and names them when they next
        speak. Only when no person has spoken before ``position`` (else the description may
        be anybody's) and the first one to speak after it does so within ``reach``."""
        for start, run in self.spoken:
            if start < position and self.person(run) is not None:
                return None
            if position < start <= position + reach:
                person = self.person(run)
                if person is not None and person.kind == "person":
                    return person
        return None

    def by_handle(self, handle: str) -> Speaker | None:
        """Return the person a social-media handle names (".@SecScottBessent")."""
        squashed = handle.lower()
        for person in self.people.values():
            joined = re.sub(r"\W", "", person.name.lower())
            if joined and joined in squashed:
                return person
        for person in self.people.values():
            last = re.sub(r"\W", "", person.name.split()[-1].lower())
            if len(last) >= 4 and last in squashed:
                return person
        return None

    def named_mid_sentence(self, text: str, name: str) -> bool:
        """Tell whether ``name`` is capitalised somewhere other than a sentence's start (so a
        name, not "Polls close …"); one pass over the text, then a set lookup."""
        if self._mid is None:
            self._mid = {m.group(1) for m in _MID_NAME.finditer(text)}
        return name in self._mid

    def main_org(self, text: str) -> str | None:
        """Return the organisation the article is about: the capitalised name (not a person,
        a title, a month or a weekday) it repeats most, at least three times; computed once."""
        if self._main is None:
            counts: dict[str, int] = {}
            for match in _NAME_WORD.finditer(text):
                word = match.group(0)
                if word not in _NOT_ORG and word.lower() not in self.aliases:
                    counts[word] = counts.get(word, 0) + 1
            best = max(counts.items(), key=lambda item: item[1], default=("", 0))
            self._main = best[0] if best[1] >= 3 else ""
        return self._main or None

    def org_before(self, position: int, head: str) -> str | None:
        """Return the organisation named before ``position`` that ``the <head>`` means.

        A head word in the name wins ("the bank" → "Bank of Westland"); "the company" is the
        most-mentioned corporate name (the story's subject), else the last one named.
        """
        earlier = [name for start, name in self.orgs if start < position][::-1]
        for name in earlier:
            if head and head.lower() in name.lower():
                return name
        if head.lower() in COMPANY_WORDS:
            corporate = [n for n in earlier if CORPORATE.search(n)] or earlier
            if corporate:
                return max(corporate, key=lambda n: (self.mentions.get(n, 0), -earlier.index(n)))
        return None


def _count_word(text: str, word: str) -> int:
    """Count ``\bword\b`` in ``text``; ``word`` opens with a letter. The pattern starts with
    the word itself, so the regex engine skips ahead by literal search (``\b`` first would
    make it try every position: milliseconds per name on a long article)."""
    return sum(
        1
        for m in re.finditer(rf"{re.escape(word)}\b", text)
        if m.start() == 0 or not _WORD_CHAR.match(text, m.start() - 1)
    )


_WORD_CHAR = re.compile(r"\w")
