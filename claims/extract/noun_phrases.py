"""Speaker noun phrases: "a league spokeswoman", "Analysts at X", "Egypt's foreign ministry".

:func:`speaker_from_np` turns the noun phrase before or after a speech verb into a
:class:`~.names.Speaker`, using the article's :class:`~.names.Registry` for people and
organisations named elsewhere ("the company" → the most-mentioned company, "the governor" → her
name). Nothing here finds the noun phrase in a sentence; that is :mod:`.claimants`.
"""

from __future__ import annotations

import re

from .names import (
    FUNCTION_WORDS,
    OFFICE_WORDS,
    ORG_HEADS,
    ORG_SUFFIX,
    ROLE_HEAD,
    ROLE_NOUNS,
    ROLE_TAIL,
    RUN,
    TITLES,
    Registry,
    Speaker,
    clean_role,
    clean_run,
    strip_article,
    without_owner,
)

_GENERIC_ORG = {
    "company",
    "firm",
    "carmaker",
    "automaker",
    "group",
    "retailer",
    "airline",
    "bank",
    "utility",
    "operator",
    "producer",
    "manufacturer",
    "maker",
    "developer",
    "chipmaker",
    "startup",
    "broadcaster",
    "publisher",
    "chain",
    "contractor",
    "supplier",
    "insurer",
    "ministry",
    "department",
    "agency",
    "authority",
    "council",
    "government",
    "commission",
    "committee",
    "administration",
    "central bank",
    "lender",
    "club",
    "team",
    "city",
    "state",
    "county",
    "university",
    "school",
    "hospital",
    "union",
    "board",
    "campaign",
}
_SPOKES = re.compile(
    r"^(?:an?\s+|the\s+)?(?P<org>[\w’'-]+(?:\s+[A-Z][\w’'-]*)*\s+)?"
    r"(?P<role>spokes(?:man|woman|person)|representative|official|statement)$",
    re.IGNORECASE,
)
_POSSESSIVES = {"his", "her", "its", "their", "our", "my", "your"}
_RANK = re.compile(r"^(?:(?:senior|top|high-ranking|high-level|junior|another|one)\s*)+",
                   re.IGNORECASE)
_GROUP = re.compile(
    r"^(?P<group>(?:[\w’'-]+\s+){0,2}(?:officials|analysts|economists|traders|diplomats|sources|"
    r"aides|experts|investors|lawmakers|executives|people|residents|groups|researchers|"
    r"strategists|observers|critics|organizers|organisers|leaders|negotiators|advisers|advisors|"
    r"spokespeople|members|scientists|doctors|activists|unions|policymakers))"
    r"(?:\s+(?:polled|surveyed|cited|quoted|interviewed|contacted|consulted)\s+by\s+.+|"
    r"\s+(?:at|from|with|of|for)\s+(?P<org>.+))?$",
    re.IGNORECASE,
)


def speaker_from_np(np: str, registry: Registry, position: int) -> Speaker | None:
    """Resolve a speaker noun phrase (no pronouns) to a :class:`Speaker`, or None."""
    np = np.strip(' ,.;:“”"')
    np = re.sub(r"\s+(?:also|later|then|again|previously|earlier|recently|separately)$", "", np)
    parts = [p.strip() for p in np.split(",") if p.strip()]
    apposed = len(parts) >= 2 and bool(RUN.fullmatch(strip_article(parts[-2]))) and bool(
        _APPOSITIVE.match(parts[-1]))  # "Nigeria, Africa's most populous nation …,"
    if not np or len(np.split()) > (24 if apposed else 12):
        return None
    if len(parts) >= 2:
        first, second = parts[-2], parts[-1]
        for name_part, role_part in ((first, second), (second, first)):
            runs = [r.group(0) for r in RUN.finditer(name_part)]
            person = (
                registry.person(runs[-1])
                if runs and (len(runs[-1].split()) >= 2 or RUN.fullmatch(strip_article(name_part)))
                else None
            )
            if person is not None:
                return person
            if RUN.fullmatch(strip_article(name_part)) and (
                ROLE_TAIL.search(role_part) or ROLE_HEAD.match(role_part)
            ):
                return Speaker(strip_article(name_part), clean_role(role_part))
        if apposed:
            # "Nigeria, Africa's most populous nation … alongside Benin and Eritrea,
            # announced": the name, not a name inside its description
            found = speaker_from_np(first, registry, position)
            if found is not None:
                return found
        np = parts[-1]
    bare = strip_article(np)
    owned_role = _OWNED_ROLE.fullmatch(np)
    if owned_role:  # "Westland's central bank governor": its holder if named, else as written
        holder = (registry.by_role(owned_role.group("role")) or registry.by_role(bare)
                  or registry.named_later(position))  # a lead's description, named later
        return holder or Speaker(bare, None, "person")
    owned = _OWNED.fullmatch(np)
    if owned:
        return Speaker(owned.group(1), None, "org")  # "Egypt’s foreign ministry"
    if bare.startswith("@") or bare.startswith(".@"):
        return registry.by_handle(bare.lstrip(".@"))
    group = _GROUP.match(bare)
    if group:
        if group.group("org"):
            return Speaker(strip_article(group.group("org")), group.group("group"), "org")
        return Speaker(group.group("group"), None, "group")
    spokes = _SPOKES.match(np)
    if spokes:
        # "a senior Metro official": the rank is the official's, not the organisation's name
        named = _RANK.sub("", (spokes.group("org") or "").strip())
        role = spokes.group("role")
        if named.lower() in _POSSESSIVES:  # "his spokesman" names no organisation
            named = ""
        if named:
            org = registry.org_before(position, named) or (
                named if named[:1].isupper() else f"the {named}"
            )
            return Speaker(org, f"{named} {role}", "org")
        org = registry.org_before(position, "")
        return Speaker(org, role, "org") if org else Speaker(np, None, "group")
    anonymous = _ANONYMOUS.match(np)
    if anonymous and not RUN.search(np[anonymous.end() :].split(" of ")[0]):
        return Speaker(np[:1].lower() + np[1:], None, "group")  # "a senior official …"
    if bare.lower() in _GENERIC_ORG:
        org = registry.org_before(position, bare)
        return Speaker(org, None, "org") if org else None
    runs = [r for r in RUN.finditer(np) if r.group(0) not in FUNCTION_WORDS]
    if runs:
        run_text = clean_run(runs[-1].group(0))
        if (
            len(runs) > 1
            and np[runs[-2].end() : runs[-1].start()] == " and "
            and _HEAD_OF.search(runs[-2].group(0))
        ):  # "the Department of Transportation and Development": one name, not two
            run_text = clean_run(np[runs[-2].start() : runs[-1].end()])
        first_word, _, rest = run_text.partition(" ")
        if rest and ROLE_TAIL.fullmatch(first_word):
            run_text = rest  # "Contractor Orbital Dynamics", "Analyst Jane Roe"
        words = without_owner(run_text).split()  # "FECAFOOT’s Dieudenno Happi": the person
        while len(words) > 2 and words[0] in OFFICE_WORDS and not ORG_SUFFIX.search(run_text):
            words.pop(0)  # "…, Electronics and Information Technology Ashwini Vaishnaw"
        run_text = " ".join(words)
        affiliated = re.fullmatch(
            r"([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){1,2}) (?:of|for) (.+)", run_text
        )
        if (
            affiliated
            and not ORG_SUFFIX.search(affiliated.group(1))
            and not (set(affiliated.group(1).split()) & (TITLES | ORG_HEADS))
        ):
            known = registry.person(affiliated.group(1))
            return known or Speaker(affiliated.group(1), affiliated.group(2))  # "Tom Lee of X"
        person = registry.person(run_text)
        if person is not None:
            return person
        role_only = registry.by_role(np)
        if role_only is not None:
            return role_only
        tokens = run_text.split()
        name = " ".join(t for t in tokens if t not in TITLES) or run_text
        before = np[: runs[-1].start()].strip()
        particles = _PARTICLES.search(before)
        if particles:  # "Von der Leyen": a surname with its particles is a person
            name = f"{particles.group(0)} {name}"
            before = before[: particles.start()].strip()
        kind = "org" if ORG_SUFFIX.search(name) or (len(tokens) == 1 and not particles) else (
            "person")
        role = " ".join(t for t in tokens if t in TITLES) or (
            before if ROLE_TAIL.search(before) else None
        )
        return Speaker(strip_article(name), clean_role(role) if role else None, kind)
    role_only = registry.by_role(np)
    if role_only is not None:
        return role_only
    if re.match(r"the\s", np, re.IGNORECASE) and ROLE_HEAD.fullmatch(np) and len(np.split()) <= 5:
        return Speaker(bare, None, "person")  # "the interior minister", named nowhere
    return None


# A description set beside a name: "the …", "a …", "one of …", "Sony Corp.’s chief of …".
_APPOSITIVE = re.compile(
    r"(?:[Tt]he|[Aa]n?|[Oo]ne\s+of|[A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){0,3}[’']s)\s"
)
# An institution named for what it does: "and" goes on with its name.
_HEAD_OF = re.compile(
    r"\b(?:Department|Ministry|Bureau|Office|Agency|Commission|Committee|Council|Institute|"
    r"Centre|Center|Board|Authority|Administration|Academy|Federation|Association|Union)"
    r" (?:of|for) "
)
_OWNED = re.compile(
    r"(?:the\s+)?([A-Z][\w.-]{0,40}(?:\s{1,3}[A-Z][\w.-]{0,40}){0,6}"
    r"[’']s\s+(?:[a-z][\w-]*\s+){0,3}"
    r"(?:ministry|government|office|department|agency|embassy|military|army|"
    r"police|cabinet|parliament|presidency|central bank|regulator|spokesperson))"
)
# "Westland's trade minister", and an owner described ("the Asian nation's top negotiator",
# "the event's top infrastructure official")
_OWNED_ROLE = re.compile(
    rf"(?:(?:the\s+)?[A-Z][\w.-]{{0,40}}(?:\s{{1,3}}[A-Z][\w.-]{{0,40}}){{0,3}}|"
    rf"the\s+(?:[\w-]{{1,30}}\s+){{0,2}}[a-z][\w-]{{0,30}})[’']s\s+"
    rf"(?P<role>(?:[a-z][\w-]*\s+){{0,3}}(?:{ROLE_NOUNS}))"
)
# Lowercase particles that open a surname ("von der Leyen", "de la Cruz"), ending ``before``.
_PARTICLES = re.compile(r"(?:\b[Vv][ao]n(?: de[rn]?)?|\b[Dd]e(?: la)?|\b[Dd][aiu]|\b[Ll][ae])$")
_ANONYMOUS = re.compile(
    rf"(?:an?|one|two|three|several)\s+(?:[\w-]+\s+){{0,2}}?(?:{ROLE_NOUNS})s?\b", re.IGNORECASE
)
