"""Who made a claim: named people and organisations, their roles, and attribution in a sentence.

:class:`Registry` reads the whole article once and learns each person's full name and role from
titles ("Treasury Secretary Scott Bessent"), lowercase role prefixes ("council president Mark
Heller") and appositions ("China's top trade negotiator, Li Chenggang,"), so that a later
"Bessent" or "the Treasury Secretary" resolves to "Scott Bessent" with his role, and a tweet
handle ".@SecScottBessent" to the same person. :class:`Attributor` finds who speaks in a
sentence: "X said", "said X", "according to X", "X told reporters", a quotation's speaker
(even when the quotation spans sentences), a tweet's ".@handle:", and "he"/"she" resolved to
the last named speaker or subject before. Nothing here decides what is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TITLES = {
    "President", "Secretary", "Minister", "Chancellor", "Governor", "Gov.", "Senator", "Sen.",
    "Representative", "Rep.", "Mayor", "Chairman", "Chairwoman", "Chair", "Commissioner",
    "Director", "Ambassador", "Envoy", "General", "Gen.", "Admiral", "Adm.", "Judge", "Justice",
    "Speaker", "Leader", "Premier", "King", "Queen", "Prince", "Princess", "Pope", "CEO",
    "Executive", "Officer", "Spokesman", "Spokeswoman", "Spokesperson", "Dr.", "Mr.", "Mrs.",
    "Ms.", "Professor", "Prof.", "Founder", "Sheriff", "Negotiator", "Deputy", "Treasurer",
    "Councilman", "Councilwoman", "Councillor", "Councilor", "Attorney", "Prosecutor", "Coach",
}
_ROLE_NOUNS = (
    r"negotiator|minister|secretary|president|director|envoy|spokesman|spokeswoman|spokesperson|"
    r"official|adviser|advisor|ambassador|governor|chairman|chairwoman|chair|executive|"
    r"economist|analyst|nurse|leader|chief|head|commissioner|mayor|senator|representative|"
    r"lawmaker|professor|researcher|founder|manager|officer|general|ceo|aide|diplomat|"
    r"candidate|challenger|incumbent|member|deputy|treasurer|judge|attorney|lawyer|coach|owner|"
    r"partner|strategist|chancellor|premier|governor|prosecutor|councilman|councilwoman|"
    r"councillor|councilor|teacher|worker|resident|farmer|student|expert"
)
_ROLE_TAIL = re.compile(rf"\b(?:{_ROLE_NOUNS})s?$", re.IGNORECASE)
_KEEP_DOT = {"Jr.", "Sr.", "Inc.", "Corp.", "Co.", "Ltd.", "Gov.", "Sen.", "Rep.", "Gen.", "Dr.",
             "Mr.", "Mrs.", "Ms.", "Prof.", "Adm.", "St."}
_PARTICLES = {"de", "da", "del", "van", "von", "bin", "al", "la", "le", "di", "du"}
_ORG_SUFFIX = re.compile(
    r"\b(?:Motors|Bank|Department|Ministry|Authority|Council|Research|Capital|Group|Inc\.?|"
    r"Corp\.?|Co\.|Ltd\.?|Holdings|Agency|Commission|Committee|Party|Association|Union|Reserve|"
    r"Fund|Institute|University|Administration|Office|House|Treasury|Pentagon|Kremlin|Airlines|"
    r"Industries|Technologies|Systems|Partners|Securities|Federation|Organization|"
    r"Organisation|Nations|Board|Court|Congress|Senate|Parliament|Police|Service|Network|"
    r"Energy|Power|Pharma|Foods|Labs|Media|Mining|Steel|Oil|Gas|Electric|Software|Insurance|"
    r"Entertainment|Studios|Logistics|Automotive|Aerospace|Telecom|Communications|Networks|FC|"
    r"Club|League|Commission|Council)$"
)
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*[\w.]|[A-Z])"
_RUN = re.compile(rf"{_NAME_TOKEN}(?:[ ]+(?:(?:of|for|the|de|da|van|von|bin|al)[ ]+)?"
                  rf"{_NAME_TOKEN})*")
_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_GENERIC_ORG = {
    "company", "firm", "carmaker", "automaker", "group", "retailer", "airline", "bank",
    "ministry", "department", "agency", "authority", "council", "government", "commission",
    "committee", "administration", "central bank", "lender", "insurer", "club", "team", "city",
    "state", "county", "university", "school", "hospital", "union", "board", "campaign",
}
_CORPORATE = re.compile(r"\b(?:Motors|Inc\.?|Corp\.?|Co\.|Ltd\.?|Group|Holdings|Airlines|"
                        r"Technologies|Systems|Industries|Bank|Capital|Research|Energy|Power|"
                        r"Pharma|Foods|Labs|Media|Mining|Steel|Oil|Gas|Electric|Software|"
                        r"Insurance|Entertainment|Studios|Logistics|Automotive|Aerospace|"
                        r"Telecom|Communications|Networks|FC|Club)$")
_SPOKES = re.compile(r"^(?:an?\s+|the\s+)?(?P<org>[\w’'-]+(?:\s+[A-Z][\w’'-]*)*\s+)?"
                     r"(?P<role>spokes(?:man|woman|person)|representative|official|statement)$",
                     re.IGNORECASE)
_GROUP = re.compile(
    r"^(?P<group>(?:[\w’'-]+\s+){0,2}(?:officials|analysts|economists|traders|diplomats|sources|"
    r"aides|experts|investors|lawmakers|executives|people|residents|groups|researchers|"
    r"strategists|observers|critics|organizers|organisers|leaders|negotiators|advisers|advisors|"
    r"spokespeople|members|scientists|doctors|activists|unions))"
    r"(?:\s+(?:at|from|with|of|for)\s+(?P<org>.+))?$",
    re.IGNORECASE,
)
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|noted|stated|explained|argued|wrote|tweeted|posted|"
    r"announced|declared|confirmed|insisted|stressed|warned|claimed|suggested|indicated|"
    r"signaled|signalled|revealed|acknowledged|asserted|maintained|remarked|replied|responded|"
    r"continued|cautioned|hinted|reiterated|emphasized|emphasised|underscored|contended|"
    r"disclosed|estimated|projected|asked"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_ADJUNCT = re.compile(
    r"(?:\s+(?:on\s+\w+day|on\s+[A-Z][a-z]+\.?\s+\d{1,2}|in\s+an?\s+(?:statement|speech|interview|"
    r"post|briefing|news release|letter|email|note|televised address)(?:\s+(?:to|on|with)\s+"
    r"[^,;“\"]{1,40}?)?|at\s+an?\s+(?:news|press)\s+conference|at\s+a\s+(?:briefing|rally|"
    r"hearing|summit|event)|to\s+reporters|to\s+[A-Z][\w’']*(?:\s+[A-Z][\w’']*)*(?:\s+'[^']+')?))*"
    r"(?:\s+that\b)?"
)
_OBJECT = re.compile(
    r"\s+(?:reporters|analysts|supporters|investors|lawmakers|journalists|employees|workers|"
    r"staff|members|(?:the\s+)?[A-Z]\w+(?:\s+[A-Z]\w+)*)(?=\s+(?:that\s+|[a-z])|\s*[,.;]|$)"
)


@dataclass(frozen=True)
class Speaker:
    """A resolved claimant: display name, optional role and what kind of thing it is."""

    name: str
    role: str | None = None
    kind: str = "person"  # person, org, group, unattributed


UNATTRIBUTED = Speaker("unattributed", None, "unattributed")


@dataclass
class Registry:
    """The people and organisations an article names, with aliases and roles."""

    people: dict[str, Speaker] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, text: str, title: str | None = None) -> Registry:
        """Read an article (and its title, if apart) and learn who is who."""
        registry = cls()
        if title and title not in text:
            for match in _RUN.finditer(title):
                registry._learn_run(title, match)
        for match in _RUN.finditer(text):
            registry._learn_run(text, match)
        for _, name in registry.orgs:
            short = name.split()[0]
            registry.mentions[name] = len(re.findall(rf"\b{re.escape(short)}\b", text))
        for match in re.finditer(
            rf"(?P<role>(?:[\w’'-]+[ ]+){{0,4}}?(?:{_ROLE_NOUNS})),[ ]+(?P<name>{_RUN.pattern}),",
            text, re.IGNORECASE,
        ):
            registry._add(match.group("name"), _clean_role(match.group("role")), weak=True)
        for match in re.finditer(
            rf"(?P<name>{_RUN.pattern}),[ ]+(?P<role>(?:an?|the)[ ]+(?:[\w’'-]+[ ]+){{0,3}}?"
            rf"(?:{_ROLE_NOUNS}))\b", text,
        ):
            registry._add(match.group("name"), _clean_role(match.group("role")), weak=True)
        return registry

    def _learn_run(self, text: str, match: re.Match[str]) -> None:
        tokens = _clean_run(match.group(0)).split()
        last_title = max((i for i, t in enumerate(tokens) if t in _TITLES), default=-1)
        run = " ".join(tokens)
        if _ORG_SUFFIX.search(run) or (
            len(tokens) >= 3 and tokens[1] in {"of", "for"} and last_title < 0
        ):
            self.orgs.append((match.start(), _strip_article(run)))
            return
        if last_title >= 0 and last_title < len(tokens) - 1:
            name = " ".join(tokens[last_title + 1 :])
            self._add(name, " ".join(tokens[: last_title + 1]))
            return
        prefix = text[max(0, match.start() - 40) : match.start()]
        role = re.search(rf"(?:^|\s)(?P<role>(?:[A-Z][\w’'-]*\s+)?(?:[a-z][\w’'-]*\s+){{0,2}}"
                         rf"(?:{_ROLE_NOUNS}))\s+$", prefix)
        if role and len(tokens) in {2, 3}:
            self._add(run, _clean_role(role.group("role")))

    def _add(self, name: str, role: str | None, *, weak: bool = False) -> None:
        tokens = [t for t in name.split() if t not in _TITLES]
        if not tokens or len(tokens) > 4 or any(t.islower() and t not in _PARTICLES
                                                 for t in tokens):
            return
        full = " ".join(tokens)
        canonical = self.aliases.get(full.lower(), full)
        if len(tokens) == 1 and canonical == full:
            return  # a bare surname with a title ("President Trump") only adds a role
        known = self.people.get(canonical)
        if known is None:
            self.people[canonical] = Speaker(canonical, role)
        elif known.role is None and role:
            self.people[canonical] = Speaker(canonical, role)
        elif weak:
            return
        self.aliases.setdefault(canonical.lower(), canonical)
        self.aliases.setdefault(tokens[-1].lower(), canonical)
        self.aliases.setdefault(tokens[0].lower(), canonical)

    def person(self, mention: str) -> Speaker | None:
        """Return the known person a mention ("Bessent", "President Trump") refers to."""
        tokens = [t for t in _strip_article(mention).replace("’s", "").split()
                  if t not in _TITLES]
        if not tokens:
            return None
        for key in (" ".join(tokens), tokens[-1], tokens[0]):
            canonical = self.aliases.get(key.lower())
            if canonical:
                return self.people[canonical]
        return None

    def by_role(self, role: str) -> Speaker | None:
        """Return the person whose role matches ("the Treasury Secretary" → Scott Bessent)."""
        wanted = _strip_article(role).lower()
        exact = [p for p in self.people.values() if p.role and p.role.lower() == wanted]
        if exact:
            return exact[0]
        ending = [p for p in self.people.values() if p.role and p.role.lower().endswith(wanted)]
        return ending[0] if len(ending) == 1 else None

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

    def org_before(self, position: int, head: str) -> str | None:
        """Return the organisation named before ``position`` that ``the <head>`` means.

        A head word in the name wins ("the bank" → "Bank of Westland"); "the company" is the
        most-mentioned corporate name (the story's subject), else the last one named.
        """
        earlier = [name for start, name in self.orgs if start < position][::-1]
        for name in earlier:
            if head and head.lower() in name.lower():
                return name
        if head.lower() in {"company", "firm", "carmaker", "automaker", "group", "retailer",
                            "airline", "lender", "insurer", "club", "team", ""}:
            corporate = [n for n in earlier if _CORPORATE.search(n)] or earlier
            if corporate:
                return max(corporate, key=lambda n: (self.mentions.get(n, 0), -earlier.index(n)))
        return None


def _clean_run(run: str) -> str:
    """Drop a sentence's final period from a name run ("Mark Heller." → "Mark Heller")."""
    last = run.split()[-1]
    if last.endswith(".") and len(last) > 2 and last not in _KEEP_DOT:
        return run[:-1]
    return run


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _clean_role(role: str) -> str:
    role = re.sub(r"^(?:the|a|an|and|but|said|says|by|of|with|to)\s+", "", role.strip(),
                  flags=re.IGNORECASE)
    return role.strip(" ,")


def speaker_from_np(np: str, registry: Registry, position: int) -> Speaker | None:
    """Resolve a speaker noun phrase (no pronouns) to a :class:`Speaker`, or None."""
    np = np.strip(" ,.;:“”\"")
    np = re.sub(r"\s+(?:also|later|then|again|previously|earlier|recently|separately)$", "", np)
    if not np or len(np.split()) > 12:
        return None
    parts = [p.strip() for p in np.split(",") if p.strip()]
    if len(parts) >= 2:
        first, second = parts[-2], parts[-1]
        for name_part, role_part in ((first, second), (second, first)):
            person = registry.person(name_part) if _RUN.fullmatch(
                _strip_article(name_part)) else None
            if person is not None:
                return person
            if _RUN.fullmatch(_strip_article(name_part)) and _ROLE_TAIL.search(role_part):
                return Speaker(_strip_article(name_part), _clean_role(role_part))
        np = parts[-1]
    bare = _strip_article(np)
    if bare.startswith("@") or bare.startswith(".@"):
        return registry.by_handle(bare.lstrip(".@"))
    group = _GROUP.match(bare)
    if group:
        if group.group("org"):
            return Speaker(_strip_article(group.group("org")), group.group("group"), "org")
        return Speaker(group.group("group"), None, "group")
    spokes = _SPOKES.match(np)
    if spokes:
        named = (spokes.group("org") or "").strip()
        role = spokes.group("role")
        if named:
            org = registry.org_before(position, named) or (
                named if named[:1].isupper() else f"the {named}"
            )
            return Speaker(org, f"{named} {role}", "org")
        org = registry.org_before(position, "")
        return Speaker(org, role, "org") if org else Speaker(np, None, "group")
    if bare.lower() in _GENERIC_ORG:
        org = registry.org_before(position, bare)
        return Speaker(org, None, "org") if org else None
    runs = list(_RUN.finditer(np))
    if runs:
        run_text = _clean_run(runs[-1].group(0))
        person = registry.person(run_text)
        if person is not None:
            return person
        role_only = registry.by_role(np)
        if role_only is not None:
            return role_only
        tokens = run_text.split()
        name = " ".join(t for t in tokens if t not in _TITLES) or run_text
        kind = "org" if _ORG_SUFFIX.search(name) or len(tokens) == 1 else "person"
        before = np[: runs[-1].start()].strip()
        role = " ".join(t for t in tokens if t in _TITLES) or (before if _ROLE_TAIL.search(
            before) else None)
        return Speaker(_strip_article(name), _clean_role(role) if role else None, kind)
    role_only = registry.by_role(np)
    if role_only is not None:
        return role_only
    return None


_BOUNDARY = re.compile(r"[;“”\"]|\bthat\s|:\s|—|–")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:\([^)]*\))?\s*(?:[—–-]+|:)\s*")
_POSSESSIVE = re.compile(
    rf"(?P<np>{_RUN.pattern})[’']s\s+(?:threatened|promised|pledged|planned|proposed|vowed)\b"
)
_CLAUSE_WORD = re.compile(
    r"\b(?:will|would|could|may|might|can|should|shall|is|are|was|were|has|have|had|to|"
    r"plans?|expects?|wants?)\b"
)
_HANDLE = re.compile(r"^\s*\.?@(?P<handle>\w+)\b[^“”\"]{0,150}?:\s*$")


def speaker_before(left: str) -> str:
    """Return the speaker noun phrase that ends ``left`` (text up to a speech verb)."""
    cut = max((m.end() for m in _BOUNDARY.finditer(left)), default=0)
    left = _DATELINE.sub("", left[cut:]).rstrip()
    closed = left.endswith(",")
    chunks = [c.strip() for c in left.rstrip(",").split(",")]
    if closed and len(chunks) >= 2:
        np = f"{chunks[-2]}, {chunks[-1]}"
    else:
        np = chunks[-1]
    words = np.split()
    return " ".join(words[-10:])


def speaker_after(right: str) -> str:
    """Return the speaker noun phrase that starts ``right`` (text after an inverted verb)."""
    match = re.match(r"\s*(?P<np>[^.;:“”\"!?]{1,120})", right)
    return match.group("np").strip() if match else ""


@dataclass
class Attribution:
    """Who a stretch of text is credited to, and which characters say so."""

    speaker: Speaker
    start: int
    end: int
    rule: str


class Attributor:
    """Find the claimant of each sentence in order, remembering speakers for pronouns."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self.history: list[tuple[Speaker | None, Speaker | None]] = []  # (speaker, subject)

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
                return candidate
        return None

    def remember(self, speaker: Speaker | None, subject: Speaker | None) -> None:
        """Record a sentence's speaker and subject for later pronouns."""
        self.history.append((speaker, subject))

    def subject(self, start: int, end: int) -> Speaker | None:
        """Return the named person a sentence opens with ("President Trump sounded …")."""
        sentence = _DATELINE.sub("", self.text[start:end])
        match = _RUN.match(sentence)
        if match is None or match.group(0).split()[0] in {"The", "A", "An", "But", "And"}:
            return None
        person = self.registry.person(match.group(0))
        if person is not None:
            return person
        if _ORG_SUFFIX.search(match.group(0)):
            return Speaker(_strip_article(match.group(0)), None, "org")
        return None

    def resolve(self, np: str, position: int) -> Speaker | None:
        """Resolve a speaker noun phrase, pronouns included."""
        bare = np.strip(" ,").lower()
        if bare in _PRONOUNS:
            if bare in {"i", "we", "it"}:
                return None
            return self.resolve_pronoun(bare)
        return speaker_from_np(np, self.registry, position)

    # -- attribution ------------------------------------------------------------------------
    def in_sentence(self, start: int, end: int,
                    quotes: list[tuple[int, int]]) -> Attribution | None:
        """Return the speech attribution of a sentence, outside its quotations.

        Three shapes: "X said (that) CLAIM" (the attribution precedes the claim), "CLAIM, X
        said." and "CLAIM, said X." (it follows); the span returned is what to cut away.
        """
        text = self.text
        for verb in _VERB.finditer(text, start, end):
            if any(qs <= verb.start() < qe for qs, qe in quotes):
                continue
            left_start = max([start] + [qe for qs, qe in quotes if qe < verb.start()])
            left = text[left_start : verb.start()]
            stop = verb.end()
            if verb.group(0) in {"told", "tells", "tell"}:
                told = _OBJECT.match(text, stop)
                stop = told.end() if told else stop
            adjunct = _ADJUNCT.match(text, stop)
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
            if speaker is None:
                continue
            found_at = left.rfind(np)
            np_start = left_start + found_at if found_at >= 0 else verb.start() - len(np)
            if trailing and np_start > left_start + 3:
                return Attribution(speaker, max(start, np_start - 2), stop, "CLAIM, X said")
            return Attribution(speaker, start, stop, "X said CLAIM")
        according = re.search(r"\b[Aa]ccording to\s+(?P<np>[^.;:“”\"]{1,160})", text[start:end])
        if according:
            chunks = according.group("np").split(",")
            for size in (2, 1):
                if len(chunks) <= size and size == 2:
                    continue
                np = ",".join(chunks[:size])
                speaker = self.resolve(np, start + according.start())
                if speaker is None or (size == 2 and not _ROLE_TAIL.search(chunks[0].strip())
                                       and not _ROLE_TAIL.search(chunks[1].strip())):
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
        after = self.text[qe + 1 : para_end]
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
        before = self.text[para_start : qs - 1]
        handle = _HANDLE.search(before)
        if handle:
            speaker = self.registry.by_handle(handle.group("handle"))
            name = speaker or Speaker("@" + handle.group("handle"), None, "person")
            return Attribution(name, para_start + handle.start(), qs - 1, ".@handle: “…”")
        match = re.search(rf"(?P<np>[^.;“”\"!?]{{1,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b"
                          rf"[^“”\".]{{0,40}}?[,:]?\s*$", before)
        if match:
            speaker = self.resolve(speaker_before(match.group("np")), qs)
            if speaker is not None:
                return Attribution(speaker, para_start + match.start(), qs - 1, "X said: “…”")
        return None

    def commissive_subject(self, unit: str, cue_start: int, position: int) -> Speaker | None:
        """Return the subject of "X expects / plans / promised to …" (not passives)."""
        before = unit[:cue_start]
        if _PASSIVE.search(before):
            return None
        np = speaker_before(before)
        if not np or len(np.split()) > 8:
            return None
        return self.resolve(np, position)

    def possessive(self, unit: str, position: int) -> Speaker | None:
        """Return X of "X's threatened / promised …" (the author of the threat)."""
        match = _POSSESSIVE.search(unit)
        if match is None:
            return None
        return self.registry.person(match.group("np")) or Speaker(match.group("np"))
