"""Speakers that are not speakers, and the institution a generic one stands for.

A claimant is never a date word ("Thursday", "November"), a bare demonym ("Chinese") or a
generic noun ("officials", "sources", "a spokesman"). Such a speaker is resolved to the nearest
institution the text names — in the sentence, else in the paragraph so far and the paragraph
before — keeping the name as the text gives it ("China's commerce ministry", "the Federal
Reserve"); a demonym or a country in the phrase ("Chinese officials", "U.S. officials") only
accepts an institution of that country, and falls back to the country itself. Analysts,
economists and other outside groups keep their own name. Nothing here reads attributions;
:mod:`.claimants` calls :func:`vet` on each speaker it finds.
"""

from __future__ import annotations

import re

from .institution_names import (
    HEAD_AT_END,
    HEADS,
    REACH,
    fuller,
    mentions,
    named_earlier,
    same_head,
    tidy,
)
from .names import Registry, Speaker

_I = re.IGNORECASE
DATE_WORDS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "jan",
    "feb",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "week",
    "weekend",
    "month",
    "year",
}
DEMONYMS = {
    "american": "United States",
    "chinese": "China",
    "russian": "Russia",
    "japanese": "Japan",
    "korean": "South Korea",
    "south korean": "South Korea",
    "north korean": "North Korea",
    "indian": "India",
    "british": "Britain",
    "french": "France",
    "german": "Germany",
    "italian": "Italy",
    "spanish": "Spain",
    "mexican": "Mexico",
    "canadian": "Canada",
    "brazilian": "Brazil",
    "iranian": "Iran",
    "israeli": "Israel",
    "ukrainian": "Ukraine",
    "turkish": "Turkey",
    "saudi": "Saudi Arabia",
    "egyptian": "Egypt",
    "australian": "Australia",
    "european": "European Union",
    "taiwanese": "Taiwan",
    "pakistani": "Pakistan",
    "polish": "Poland",
    "dutch": "Netherlands",
    "swiss": "Switzerland",
    "syrian": "Syria",
    "iraqi": "Iraq",
    "qatari": "Qatar",
    "venezuelan": "Venezuela",
    "argentine": "Argentina",
    "palestinian": "Palestinian Authority",
    "vietnamese": "Vietnam",
    "thai": "Thailand",
    "indonesian": "Indonesia",
    "nigerian": "Nigeria",
    "south african": "South Africa",
    "u.s.": "United States",
    "u.s": "United States",
    "us": "United States",
    "u.k.": "Britain",
    "u.k": "Britain",
    "uk": "Britain",
    "eu": "European Union",
    "e.u.": "European Union",
}
# A capital standing for its government ("Tokyo's trade ministry" is Japan's).
CAPITALS = {
    "Beijing": "China",
    "Washington": "United States",
    "Moscow": "Russia",
    "Tokyo": "Japan",
    "Seoul": "South Korea",
    "Pyongyang": "North Korea",
    "Kyiv": "Ukraine",
    "Kiev": "Ukraine",
    "London": "Britain",
    "Paris": "France",
    "Berlin": "Germany",
    "Brussels": "European Union",
    "New Delhi": "India",
    "Tehran": "Iran",
    "Ankara": "Turkey",
    "Ottawa": "Canada",
    "Canberra": "Australia",
    "Rome": "Italy",
    "Madrid": "Spain",
    "Taipei": "Taiwan",
}
# Who speaks for an institution (resolved to it), as opposed to outside groups (kept).
_INSIDERS = (
    r"officials?|sources?|spokes(?:man|woman|person|people)|aides?|representatives?|"
    r"policy-?\s?makers?|rate-?setters?|"
    r"diplomats?|negotiators?|people|persons?|insiders?|staff|authorities|government"
)
_QUANTIFIERS = {"Both", "All", "Each", "Some", "Many", "Most", "Neither", "Either", "Several"}
_GENERIC = re.compile(
    rf"^(?:(?:the|a|an|one|two|three|four|several|some|other|many|senior|top|government|"
    rf"administration|anonymous|unnamed|familiar)\s+)*(?P<qual>(?:[\w.’'-]+\s+){{0,2}}?)"
    rf"(?:(?:senior|top|government|administration|trade|military|security|industry|"
    rf"ministry|diplomatic|official)\s+)?(?P<head>{_INSIDERS})"
    rf"(?:\s+(?:familiar|close|briefed|involved|with|who|in|at|of|from|told)\b.*)?$",
    _I,
)


def insider(name: str) -> bool:
    """Tell whether a speaker is an unnamed insider ("officials", "people familiar with …"; not
    "the British government", an institution of its own)."""
    bare = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=_I)
    return _GENERIC.match(bare) is not None and as_institution(bare) is None


def is_date_word(name: str) -> bool:
    """Tell whether a would-be speaker is only a date word ("Thursday", "Nov.")."""
    words = re.sub(r"[’']s$", "", name.strip(" .,")).lower().split()
    return bool(words) and all(w.strip(".") in DATE_WORDS or w.isdigit() for w in words)


def country_of(word: str) -> str | None:
    """Return the country a demonym or a short country name stands for ("Chinese" → China)."""
    return DEMONYMS.get(word.strip().lower())


def _paragraph_before(text: str, position: int) -> int:
    line_start = text.rfind("\n", 0, position) + 1
    previous = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return max(previous, position - REACH)


def nearest(
    text: str,
    registry: Registry,
    sentence: tuple[int, int],
    position: int,
    country: str | None,
    *,
    local: bool = False,
) -> str | None:
    """Return the institution nearest ``position``: in its sentence (before it, then after),
    else (unless ``local``: "sources" speak for one only when the sentence names it) the last
    one named in the paragraph so far or the paragraph before."""
    start, end = sentence
    low = _paragraph_before(text, start)
    found = mentions(text, low, end, registry)
    if country is not None:
        keys = {country.lower()} | {d for d, c in DEMONYMS.items() if c == country and len(d) > 3}
        found = [(p, n) for p, n in found if any(k in n.lower() for k in keys)]
    before = [n for p, n in found if start <= p < position]
    after = [n for p, n in found if p >= position]
    earlier = [n for p, n in found if p < start]
    for pool, pick in ((before, -1), (after, 0), ([] if local else earlier, -1)):
        if pool:
            return re.sub(r"^the\s+", "", pool[pick])
    return None


NOT_A_NAME = re.compile(
    r"(?:In|At|On|From|During|After|Before|Under|Over|With|Since|Until|Through|Across|Amid|"
    r"Among|Despite|Following)\s|[A-Z][\w.-]*[’']s$"
    # a participle opening its sentence: "Scheduled to be completed in 2026, it will …"
    r"|(?:Scheduled|Slated|Expected|Planned|Set|Due|Designed|Built|Launched|Located|Estimated|"
    r"Projected|Targeted|Tipped|Poised|Billed|Touted|Intended|Aimed|Originally|Initially)$"
)


def vet(
    speaker: Speaker | None, text: str, registry: Registry, sentence: tuple[int, int], position: int
) -> Speaker | None:
    """Return ``speaker`` if it can speak; resolve a generic one; None for a date word; an
    organisation under its fullest name ("the Bank" → "Bank of England"), without a ticker."""
    found = _vet(speaker, text, registry, sentence, position)
    if found is None or found.kind in {"group", "unattributed"}:
        return found
    name = tidy(found.name)
    kind = "org" if name != found.name else found.kind  # a ticker or "Ltd." marks a company
    name = fuller(name, text, registry, position) if kind == "org" else name
    return found if name == found.name else Speaker(name, found.role, kind)


def _vet(
    speaker: Speaker | None, text: str, registry: Registry, sentence: tuple[int, int], position: int
) -> Speaker | None:
    if speaker is None or is_date_word(speaker.name) or speaker.name in _QUANTIFIERS:
        return None  # "Thursday", "Both (countries)": no one in particular
    if NOT_A_NAME.match(speaker.name):
        return None  # "In Manchester, the president will …", "Europe's biggest biotech": a
        # place or an owner, not who speaks
    single = re.match(r"(?:a|an|one)\s", speaker.name, _I) is not None
    owner = re.match(r"(?:the\s+)?([A-Z][\w ]+?)[’']s\s", speaker.name)
    if owner and owner.group(1) in CAPITALS:
        speaker = Speaker(
            CAPITALS[owner.group(1)] + speaker.name[owner.end(1) :], speaker.role, speaker.kind
        )
    name = re.sub(r"^(?:the|a|an)\s+", "", speaker.name.strip(), flags=_I)
    based = re.match(r"[A-Z][\w.’'-]*-(?:based|headquartered)\s+(?=[A-Z])", name)
    if based:  # "Glasgow-based CYBG": where it sits is no part of its name
        name = name[based.end() :]
        speaker = Speaker(name, speaker.role, speaker.kind)
    if not re.search(r"[A-Z]", name) and HEAD_AT_END.search(name):
        # "the trade ministry": the one named earlier, else the nearest institution with its
        # head word ("a ministry" is no council named in between), else as written
        found = named_earlier(text, name, position) or same_head(
            text, registry, sentence, position, name, lowercase=False
        )
        return (
            _vet(Speaker(found, speaker.role, "org"), text, registry, sentence, position)
            if found and found != name
            else speaker
        )
    country = country_of(name)
    generic = _GENERIC.match(name)
    if country is None and generic is None:
        return speaker
    if generic is not None:
        qualifier = generic.group("qual").strip()
        if not qualifier and single:
            return speaker  # "a senior official involved in the talks": one unnamed person
        country = country_of(qualifier) if qualifier else None
        if (
            qualifier
            and country is None
            and qualifier[:1].isupper()
            and (
                qualifier.isupper()
                or registry.named_mid_sentence(text, qualifier)
                or any(qualifier in org for _, org in registry.orgs[:200])
            )
        ):
            return Speaker(qualifier, generic.group("head").lower(), "org")  # "Fed officials"
        if qualifier and country is None and qualifier[:1].isupper():
            qualifier = ""  # "Election officials" opening a sentence: a common noun
    local = (
        generic is not None
        and re.match(r"(?:sources?|people|persons?|insiders?)$", generic.group("head"), _I)
        is not None
    )
    found = nearest(text, registry, sentence, position, country, local=local)
    if found is not None:
        return Speaker(found, speaker.role or name, "org")
    if country is not None and as_institution(name) is not None:
        return Speaker(name, None, "org")  # "the British government" is a name of its own
    if country is not None:
        return Speaker(country, None, "org")
    return speaker


# "Most U.S. central bank officials", "Chinese foreign ministry sources": the institution
_INSIDERS_OF = re.compile(
    rf"(?:(?:the|most|many|some|several|other|two|three|four|senior|top)\s+)*"
    rf"(?P<institution>(?:[A-Z][\w.’'-]*\s+){{1,3}}(?:[a-z]+\s+)?(?:{HEADS}))\s+"
    rf"(?:officials?|policy-?\s?makers?|sources?|staff|insiders?|spokes(?:man|woman|person))",
    _I,
)


_GOVERNMENT = re.compile(r"(?:the\s+)?(?P<institution>(?P<country>[A-Z][\w.’'-]*)\s+government)")


def as_institution(np: str) -> str | None:
    """Return the institution a speaker noun phrase names before any other reading: the one a
    group of its insiders is named after ("most U.S. central bank officials" → "U.S. central
    bank"), a country's government ("the British government"); else None."""
    bare = np.strip(" ,")
    match = _INSIDERS_OF.fullmatch(bare)
    if match is not None and match.group("institution")[:1].isupper():
        return match.group("institution")
    match = _GOVERNMENT.fullmatch(bare)
    if match is not None and country_of(match.group("country")):
        return match.group("institution")
    return None


# "the ministry", "the finance ministry", "the ministry of health" (no name given)
_BARE_HEAD = re.compile(
    rf"(?:the\s+)?(?:[a-z]+\s+)?(?:{HEADS})(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?", _I
)


def unnamed(
    np: str, text: str, registry: Registry, sentence: tuple[int, int], position: int
) -> Speaker | None:
    """Resolve "the ministry" / "the committee" (no name given) to the institution named
    nearest before with that head word ("the ministry" → "Westland's foreign ministry", not a
    council named in between); with none named, the words stand as written."""
    bare = np.strip(" ,")
    if not _BARE_HEAD.fullmatch(bare):
        return None
    head = HEAD_AT_END.search(re.sub(r"\s+of\s+[a-z].*$", "", bare))
    found = same_head(text, registry, sentence, position, head.group(0)) if head else None
    if found is None:
        # "the secretariat", "the finance ministry", "the central bank" with no such
        # institution named: the words say which, not the nearest institution of another kind
        # ("Heads of Government" for "the secretariat")
        return Speaker(re.sub(r"^the\s+", "", bare, flags=re.IGNORECASE), None, "org")
    return Speaker(found, None, "org")
