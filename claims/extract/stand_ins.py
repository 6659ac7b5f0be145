"""Speakers that stand in for another: a document for its issuer, "its sources" for "it",
"his spokesman" for "he".

News often credits a claim to a document ("The statement added that …", "the ministry's
written statement") or to an organisation's own sources ("According to its sources, …"). The
claimant is the organisation behind them: the owner the phrase names, else the institution
named nearest before (:func:`.institutions.nearest`), or what "it" / "they" stands for.
:mod:`.claimants` asks :func:`stand_in` before reading a noun phrase as a speaker.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import institutions
from .names import RUN, Registry, Speaker

_DOCUMENT = re.compile(
    r"(?:the|this|that|its|their|a|an|(?P<owner>[\w’'. -]{1,60}?)[’']s)\s+"
    r"(?:(?:joint|official|written|brief|short|separate|latest|new|final|same|earlier)\s+){0,2}"
    r"(?P<issuer>(?:[\w.&-]+\s+){1,3}?)??"  # "a foreign ministry statement": the ministry's
    r"(?:statement|communiqu[eé]|report|document|release|press release|notice|announcement|"
    r"readout|filing|decree|resolution|declaration)",
    re.IGNORECASE,
)
# The head of an institution issuing a document, lowercase ("a ministry statement").
_ISSUER_HEAD = re.compile(
    r"\b(?:ministry|government|office|department|agency|embassy|military|army|police|"
    r"cabinet|presidency|central bank|regulator|committee|commission|council|board|authority|"
    r"company|party|league|federation|union|court|bank)$",
    re.IGNORECASE,
)
# Who reported something: "the Westland Courier reported", "a report by the Courier".
_REPORTED = re.compile(
    rf"(?:the\s+)?(?P<np>{RUN.pattern})\s+(?:has\s+|had\s+)?reported\b|"
    rf"(?:reported\s+by|report\s+(?:by|in|from))\s+(?:the\s+)?(?P<by>{RUN.pattern})"
)
_OWN_SOURCES = re.compile(
    r"(?P<pronoun>its|their|his|her)\s+(?:own\s+)?(?:sources|informants|officials|spokes(?:man|"
    r"woman|person|people)|representatives?|aides?|office)",
    re.IGNORECASE,
)
# "his spokesman" speaks for whoever "he" stands for.
_PRONOUN_OF = {"its": "it", "their": "they", "his": "he", "her": "she"}


def stand_in(
    np: str,
    *,
    text: str,
    registry: Registry,
    sentence: tuple[int, int],
    position: int,
    resolve: Callable[[str, int], Speaker | None],
    pronoun: Callable[[str], Speaker | None],
) -> Speaker | None:
    """Return the organisation a document or "its sources" stands for, or None when ``np`` is
    neither (or nobody behind it is found: then the phrase is read as usual)."""
    bare = np.strip(" ,")
    sources = _OWN_SOURCES.fullmatch(bare)
    if sources:
        return pronoun(_PRONOUN_OF[sources.group("pronoun").lower()])
    document = _DOCUMENT.fullmatch(bare)
    if document is None:
        return None
    owner = document.group("owner")
    if owner:  # "the ministry's written statement": the ministry, resolved as a speaker
        found = resolve(owner, position)
        if found is not None:
            return found
    issuer = (document.group("issuer") or "").strip()
    if issuer and (issuer[:1].isupper() or _ISSUER_HEAD.search(issuer)):
        # "a White House statement", "a separate foreign ministry statement"
        found = resolve(issuer, position)
        return found if found is not None else Speaker(issuer, None, "org")
    if bare.lower().startswith(("its ", "their ")):
        return pronoun("it" if bare.lower().startswith("its ") else "they")
    issuer = institutions.nearest(text, registry, sentence, position, None)
    if issuer:
        return Speaker(issuer, None, "org")
    # "…, the report said": nobody named near, so the outlet that reported it before, else
    # the organisation that last spoke
    if document.group(0).lower().endswith("report"):
        outlets = list(_REPORTED.finditer(text, max(0, position - 3_000), position))
        if outlets:
            outlet = outlets[-1]
            found = resolve(outlet.group("np") or outlet.group("by"), outlet.start())
            if found is not None:
                return found
    return pronoun("it")
