"""The names institutions go by, and finding them in an article.

Where an article names its institutions (:func:`mentions`: "Westland's trade ministry", "the
Bank of Westland", the registry's organisations), the earlier one a lowercase mention stands for
(:func:`named_earlier`, :func:`same_head`: "the ministry" is the ministry named before, not a
council named in between), and the full name of one cut short (:func:`fuller`: "the Bank" →
"Bank of Westland") or dressed up with a ticker (:func:`tidy`: "BP Plc BP.L" → "BP Plc").
:mod:`.institutions` decides which speakers need them.
"""

from __future__ import annotations

import bisect
import re

from .names import Registry

_I = re.IGNORECASE

HEADS = (
    r"ministry|ministries|government|office|department|agency|embassy|military|army|police|"
    r"cabinet|parliament|presidency|central bank|regulator|committee|commission|council|board|"
    r"authority|administration|secretariat|bank|court|senate|congress|legislature|"
    r"foreign ministry|state council|white house|kremlin"
)
_OWNED = re.compile(
    rf"\b(?P<owner>[A-Z][\w.-]{{0,30}}(?:[ ][A-Z][\w.-]{{0,30}}){{0,3}})[’']s\s+"
    rf"(?:[a-z][\w-]{{0,20}}\s+){{0,3}}?(?:{HEADS})\b"
)
_NAMED = re.compile(
    # within a line ("Sydney" closing a dateline is no part of the name), "The" left out
    r"\b(?:[Tt]he[ ]+)?(?P<name>(?:[A-Z][\w.&-]{0,30}[ ]){0,4}(?:Ministry|Department|Agency|"
    r"Commission|Committee|Council|Bank|Reserve|Board|Authority|Office|Government|Cabinet|"
    r"Parliament|Senate|Congress|House|Kremlin|Treasury|Fed|ECB|OPEC\+?|Secretariat|Court)"
    r"(?:[ ](?:of|for)[ ](?:the[ ])?[A-Z][\w.-]{0,30}(?:[ ][A-Z][\w.-]{0,30}){0,3})?)"
)
HEAD_AT_END = re.compile(rf"\b(?:{HEADS})$", _I)
REACH = 1_500  # how far back the paragraph before is read (keeps every search bounded)


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


def named_earlier(text: str, phrase: str, position: int) -> str | None:
    """Return the owner-named form of a lowercase institution mentioned earlier ("the commerce
    ministry" → "Tokyo's trade ministry"), matched on its last two words."""
    key = " ".join(phrase.split()[-2:])
    pattern = re.compile(
        rf"\b[A-Z][\w-]{{0,30}}(?:[ ][A-Z][\w-]{{0,30}}){{0,3}}[’']s[ ]+"
        rf"{re.escape(key)}\b"
    )
    found = list(pattern.finditer(text, max(0, position - 3 * REACH), position))
    return found[-1].group(0) if found else None


# A stock-exchange ticker after a company's name ("BP Plc BP.L", "Orbis AG (ORB.DE)").
_TICKER = re.compile(
    r"\s+\(?(?:[A-Z]{1,6}\.[A-Z]{1,3}|(?:NYSE|NASDAQ|Nasdaq|LSE|TSX):\s*[A-Z.]{1,8})\)?$"
)
_ABBREVIATED = re.compile(r"\b(?:Inc|Corp|Co|Ltd)$")  # the period a sentence's end took away
# Words that only head an institution's name: capitalised alone ("the Bank", "The Reserve")
# they are the article's institution cut short, not a name of their own.
_HEAD_WORDS = {
    "bank",
    "reserve",
    "board",
    "commission",
    "committee",
    "council",
    "ministry",
    "department",
    "agency",
    "authority",
    "office",
    "government",
    "court",
    "parliament",
    "assembly",
    "union",
    "federation",
    "association",
    "league",
    "fund",
    "company",
    "corporation",
    "group",
    "central",
    "federal",
    "national",
    "state",
    "european",
    "international",
}


def tidy(name: str) -> str:
    """Return an organisation's name without a ticker, its abbreviation's period restored
    ("Orbis Ltd" → "Orbis Ltd.")."""
    name = _TICKER.sub("", name)
    return name + "." if _ABBREVIATED.search(name) else name


def fuller(name: str, text: str, registry: Registry, position: int) -> str:
    """Return the fullest name an institution cut to its head words ("Bank", "The Reserve")
    was given before ``position`` ("Bank of England", "Reserve Bank of Australia"), else
    ``name``."""
    words = re.sub(r"^the\s+", "", name, flags=_I).split()
    if not words or len(words) > 2 or any(w.lower() not in _HEAD_WORDS for w in words):
        return name
    low = max(0, position - 4 * REACH)
    names = [n for _, n in mentions(text, low, position, registry)]
    for candidate in reversed(names):
        tokens = re.sub(r"^the\s+", "", candidate, flags=_I).split()
        if len(tokens) > len(words) and tokens[: len(words)] == words:
            return " ".join(tokens)
    return name


# The words a name of each kind of institution holds ("the central bank" is "… Bank …").
_HEAD_KEYS = {"central bank": ("bank", "reserve", "fed"), "foreign ministry": ("ministry",)}


def same_head(
    text: str,
    registry: Registry,
    sentence: tuple[int, int],
    position: int,
    head: str,
    *,
    lowercase: bool = True,
) -> str | None:
    """Return the institution, named within reach before ``position`` (else later in its
    sentence), whose name holds ``head`` ("ministry"): a name ("the Finance Ministry") or, before
    the sentence, a lowercase mention with its modifier ("a foreign ministry statement"; not
    when ``lowercase`` is false: then only a name before ``position``)."""
    head = head.lower()
    keys = _HEAD_KEYS.get(head)
    words = head.split() if keys is None else []  # "trade ministry": both words in the name
    low = max(0, sentence[0] - 4 * REACH)
    found = []
    for p, n in mentions(text, low, sentence[1], registry):
        held = set(n.lower().replace("’s", "").replace("'s", "").split())
        if (keys and held & set(keys)) or (words and held >= set(words)):
            found.append((p, re.sub(r"^the\s+", "", n, flags=_I)))
    if not lowercase:
        found = [(p, n) for p, n in found if re.search(r"[A-Z]", n)]
        before = [n for p, n in found if p < position]
        return before[-1] if before else None
    lowercase = re.compile(
        rf"\b(?:[A-Z][\w.-]{{0,30}}(?:[’']s)?[ ])?"
        rf"(?:(?!the\b|a\b|an\b|its\b|their\b)[a-z]{{3,20}}[ ])"
        rf"{re.escape(head)}\b"
    )
    found += [(m.start(), m.group(0)) for m in lowercase.finditer(text, low, sentence[0])]
    before = sorted((p, n) for p, n in found if p < position)
    after = sorted((p, n) for p, n in found if p >= position)
    return before[-1][1] if before else after[0][1] if after else None
