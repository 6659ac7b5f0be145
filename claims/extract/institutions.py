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

import bisect
import re

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
    r"diplomats?|negotiators?|people|persons?|insiders?|staff|authorities|government"
)
_GENERIC = re.compile(
    rf"^(?:(?:the|a|an|one|two|three|four|several|some|other|many|senior|top|government|"
    rf"administration|anonymous|unnamed|familiar)\s+)*(?P<qual>(?:[\w.’'-]+\s+){{0,2}}?)"
    rf"(?:(?:senior|top|government|administration|trade|military|security|industry|"
    rf"ministry|diplomatic|official)\s+)?(?P<head>{_INSIDERS})"
    rf"(?:\s+(?:familiar|close|briefed|involved|with|who|in|at|of|from|told)\b.*)?$",
    _I,
)
_HEADS = (
    r"ministry|ministries|government|office|department|agency|embassy|military|army|police|"
    r"cabinet|parliament|presidency|central bank|regulator|committee|commission|council|board|"
    r"authority|administration|secretariat|bank|court|senate|congress|legislature|"
    r"foreign ministry|state council|white house|kremlin"
)
_OWNED = re.compile(
    rf"\b(?P<owner>[A-Z][\w.-]{{0,30}}(?:[ ][A-Z][\w.-]{{0,30}}){{0,3}})[’']s\s+"
    rf"(?:[a-z][\w-]{{0,20}}\s+){{0,3}}?(?:{_HEADS})\b"
)
_NAMED = re.compile(
    r"\b(?:the\s+)?(?P<name>(?:[A-Z][\w.&-]{0,30}\s){0,4}(?:Ministry|Department|Agency|"
    r"Commission|Committee|Council|Bank|Reserve|Board|Authority|Office|Government|Cabinet|"
    r"Parliament|Senate|Congress|House|Kremlin|Treasury|Fed|ECB|OPEC\+?|Secretariat|Court)"
    r"(?:\s(?:of|for)\s(?:the\s)?[A-Z][\w.-]{0,30}(?:\s[A-Z][\w.-]{0,30}){0,3})?)"
)
_HEAD_AT_END = re.compile(rf"\b(?:{_HEADS})$", _I)
_REACH = 1_500  # how far back the paragraph before is read (keeps every search bounded)


def insider(name: str) -> bool:
    """Tell whether a speaker is an unnamed insider ("officials", "people familiar with …")."""
    return _GENERIC.match(re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=_I)) is not None


def is_date_word(name: str) -> bool:
    """Tell whether a would-be speaker is only a date word ("Thursday", "Nov.")."""
    words = re.sub(r"[’']s$", "", name.strip(" .,")).lower().split()
    return bool(words) and all(w.strip(".") in DATE_WORDS or w.isdigit() for w in words)


def country_of(word: str) -> str | None:
    """Return the country a demonym or a short country name stands for ("Chinese" → China)."""
    return DEMONYMS.get(word.strip().lower())


def mentions(text: str, low: int, high: int, registry: Registry) -> list[tuple[int, str]]:
    """Return the institutions named in ``text[low:high]``, as (position, name), in order."""
    found = {m.start(): m.group(0) for m in _OWNED.finditer(text, low, high)}
    for match in _NAMED.finditer(text, low, high):
        if not any(s <= match.start("name") < s + len(n) for s, n in found.items()):
            found[match.start("name")] = match.group("name")
    first = bisect.bisect_left(registry.orgs, (low, ""))  # in text order: no full scan
    for position, name in registry.orgs[first : first + 50]:
        if position >= high:
            break
        if not any(s <= position < s + len(n) for s, n in found.items()):
            found[position] = name
    return sorted(found.items())


def _paragraph_before(text: str, position: int) -> int:
    line_start = text.rfind("\n", 0, position) + 1
    previous = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return max(previous, position - _REACH)


def nearest(
    text: str, registry: Registry, sentence: tuple[int, int], position: int, country: str | None
) -> str | None:
    """Return the institution nearest ``position``: in its sentence (before it, then after),
    else the last one named in the paragraph so far or the paragraph before."""
    start, end = sentence
    low = _paragraph_before(text, start)
    found = mentions(text, low, end, registry)
    if country is not None:
        keys = {country.lower()} | {d for d, c in DEMONYMS.items() if c == country and len(d) > 3}
        found = [(p, n) for p, n in found if any(k in n.lower() for k in keys)]
    before = [n for p, n in found if start <= p < position]
    after = [n for p, n in found if p >= position]
    earlier = [n for p, n in found if p < start]
    for pool, pick in ((before, -1), (after, 0), (earlier, -1)):
        if pool:
            return re.sub(r"^the\s+", "", pool[pick])
    return None


def named_earlier(text: str, phrase: str, position: int) -> str | None:
    """Return the owner-named form of a lowercase institution mentioned earlier ("the commerce
    ministry" → "Tokyo's trade ministry"), matched on its last two words."""
    key = " ".join(phrase.split()[-2:])
    pattern = re.compile(
        rf"\b[A-Z][\w-]{{0,30}}(?:[ ][A-Z][\w-]{{0,30}}){{0,3}}[’']s[ ]+"
        rf"{re.escape(key)}\b"
    )
    found = list(pattern.finditer(text, max(0, position - 3 * _REACH), position))
    return found[-1].group(0) if found else None


def vet(
    speaker: Speaker | None, text: str, registry: Registry, sentence: tuple[int, int], position: int
) -> Speaker | None:
    """Return ``speaker`` if it can speak; resolve a generic one; None for a date word."""
    if speaker is None or is_date_word(speaker.name):
        return None
    single = re.match(r"(?:a|an|one)\s", speaker.name, _I) is not None
    owner = re.match(r"(?:the\s+)?([A-Z][\w ]+?)[’']s\s", speaker.name)
    if owner and owner.group(1) in CAPITALS:
        speaker = Speaker(
            CAPITALS[owner.group(1)] + speaker.name[owner.end(1) :], speaker.role, speaker.kind
        )
    name = re.sub(r"^(?:the|a|an)\s+", "", speaker.name.strip(), flags=_I)
    if not re.search(r"[A-Z]", name) and _HEAD_AT_END.search(name):
        # "the trade ministry": the one named earlier, else the nearest institution
        found = named_earlier(text, name, position) or nearest(
            text, registry, sentence, position, None
        )
        return (
            vet(Speaker(found, speaker.role, "org"), text, registry, sentence, position)
            if found
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
        if qualifier and country is None and qualifier[:1].isupper():
            return Speaker(qualifier, generic.group("head").lower(), "org")  # "Fed officials"
    found = nearest(text, registry, sentence, position, country)
    if found is not None:
        return Speaker(found, speaker.role or name, "org")
    if country is not None:
        return Speaker(country, None, "org")
    return speaker


_BARE_HEAD = re.compile(rf"(?:the\s+)?(?:[a-z]+\s+)?(?:{_HEADS})", _I)


def unnamed(
    np: str, text: str, registry: Registry, sentence: tuple[int, int], position: int
) -> Speaker | None:
    """Resolve "the ministry" / "the committee" (no name given) to the nearest institution."""
    if not _BARE_HEAD.fullmatch(np.strip(" ,")):
        return None
    found = nearest(text, registry, sentence, position, None)
    return Speaker(found, None, "org") if found else None
