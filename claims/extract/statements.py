"""What a proposal asks: its statement, draft resolution criteria, and one claim once.

- The **statement** is the quote as a checkable sentence: without its hedge ("I think …"),
  capitalised and ended, and with a subject rather than a pronoun ("they will cut rates" by
  the Federal Reserve → "Federal Reserve will cut rates").
- The **resolution criteria** are a draft — fulfilled / broken / void — built from the
  statement, the deadline and the condition, for a reviewer to edit.
- **Duplicates** are merged: the same event proposed from two sentences (or for two speakers)
  is one claim. Two proposals are the same claim when most content words of the shorter one
  recur in the other, they state the same numbers, and their deadlines can both hold; the one
  kept is the best attributed (a quoted or "said" speaker over an inferred one), then the more
  precisely dated — each keeps the date of its own sentence.
Nothing here reads the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar

_TRAIL = " \t,;:.!?—–\"“”'’"
_HEDGE_LEAD = re.compile(
    r"^(?:(?:I|we)(?:['’]m|\s+am|\s+are|['’]re)?\s+(?:also\s+)?(?:think|believe|anticipating|"
    r"expecting|expect|anticipate|hope|suspect|confident|guess)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"^(?P<p>he|she|they|it|i)(?P<v>['’]m|['’]ll|['’]ve|['’]s|\s+am|"
    r"\s+are|\s+were|\s+have)?\b",
    re.IGNORECASE,
)
_VERB_FOR_NAME = {
    "'m": " is",
    "'ll": " will",
    "'ve": " has",
    "'s": " is",
    " am": " is",
    " are": " is",
    " were": " was",
    " have": " has",
}
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "and",
    "or",
    "but",
    "that",
    "this",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "will",
    "would",
    "could",
    "may",
    "might",
    "can",
    "should",
    "shall",
    "it",
    "its",
    "they",
    "their",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "i",
    "with",
    "by",
    "from",
    "as",
    "also",
    "expected",
    "expects",
    "expect",
    "plans",
    "plan",
    "planned",
    "set",
    "said",
    "says",
    "next",
    "later",
    "week",
    "year",
    "month",
    "new",
    "weeks",
    "years",
    "months",
    "day",
    "days",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "first",
    "second",
    "third",
    "last",
    "early",
    "end",
}
_UNCHANGED = {
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "shall",
    "also",
    "still",
    "now",
    "never",
    "always",
    "just",
    "really",
    "was",
    "had",
    "did",
}
_BARE_VERB = re.compile(
    r"(?:will|would|could|may|might|should|can|shall|plans|expects|intends)\s", re.IGNORECASE
)
_DIGITS = re.compile(r"\d[\d.,]*")
_NEAR = 60


def statement(quote: str, claimant: str, kind: str, in_quote: bool) -> str:
    """Return the checkable sentence of a quote, its leading pronoun replaced by the claimant.

    Only a pronoun that stands for the claimant is replaced: "I" in the speaker's own words;
    in reported speech "he"/"she" for a person, "it" for an organisation, "they" for either an
    organisation or a group ("the ministry said it will …"). ``kind`` is the claimant's
    (person, org, group); a group keeps "are" and "have".
    """
    text = _HEDGE_LEAD.sub("", quote.strip())
    text = re.sub(r"\s+", " ", text).strip(_TRAIL)
    plural = kind == "group"
    pronoun = _PRONOUN.match(text)
    if pronoun and not _stands_for(pronoun.group("p").lower(), kind, in_quote):
        pronoun = None
    if pronoun and claimant != "unattributed":
        verb = (pronoun.group("v") or "").replace("’", "'")
        if verb and not plural:
            verb = _VERB_FOR_NAME.get(verb, verb)
        elif verb.startswith("'"):
            verb = {"'ll": " will", "'ve": " have"}.get(verb, " are")
        rest = text[pronoun.end() :]
        if pronoun.group("p") == "I" and not verb and not plural:
            rest = _third_person(rest)  # "I continue to see" → "X continues to see"
        text = claimant + verb + rest
    elif _BARE_VERB.match(text) and claimant != "unattributed":
        text = f"{claimant} {text}"  # "…, and will study the plans": the subject it continues
    text = text[:1].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return text[:500]


def _stands_for(pronoun: str, kind: str, in_quote: bool) -> bool:
    if in_quote:
        return pronoun == "i" and kind == "person"
    return {
        "he": kind == "person",
        "she": kind == "person",
        "it": kind == "org",
        "they": kind in {"org", "group"},
    }.get(pronoun, False)


def _third_person(rest: str) -> str:
    match = re.match(r"(\s+)([a-z]+)\b", rest)
    if match is None or match.group(2) in _UNCHANGED or match.group(2).endswith("ed"):
        return rest
    word = match.group(2)
    if word in {"have", "am", "do", "go"}:
        third = {"have": "has", "am": "is", "do": "does", "go": "goes"}[word]
    elif word.endswith(("s", "sh", "ch", "x", "z")):
        third = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    return match.group(1) + third + rest[match.end() :]


def slug_text(quote: str) -> str:
    """Return the words a slug is made of: the quote without its hedge (stable across runs)."""
    return _HEDGE_LEAD.sub("", quote.strip())


def criteria(
    statement_text: str,
    *,
    due_from: date | None,
    due_by: date | None,
    condition: str | None,
    certainty: str,
) -> str:
    """Draft resolution criteria (fulfilled / broken / void) for a reviewer to edit."""
    what = statement_text.rstrip(".!?")
    if due_by is not None and due_from is not None and due_from != due_by:
        when = f", between {due_from.isoformat()} and {due_by.isoformat()}"
    elif due_by is not None:
        when = f", on or before {due_by.isoformat()}"
    else:
        when = " (the text gives no date: the reviewer sets one or keeps it open)"
    broken = (
        f"{due_by.isoformat()} passes without it, or it is ruled out before then"
        if due_by is not None
        else "it is ruled out or reversed"
    )
    void = "the claim is withdrawn or overtaken by events before it can be checked"
    if condition:
        void = f"the condition is not met ({condition}), or {void}"
    hedge = "" if certainty == "asserted" else f" (stated as {certainty})"
    return (
        f"Draft — edit before use{hedge}. Fulfilled: {what}{when}. Broken: {broken}. Void: {void}."
    )[:2000]


class _Claim(Protocol):
    quote: str
    quote_start: int
    quote_end: int
    due_from: date | None
    due_by: date | None


Claim = TypeVar("Claim", bound=_Claim)


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z-]+", text.lower())
    return {re.sub(r"(?:ing|ed|es|s)$", "", w) for w in words if w not in _STOP}


def _compatible(one: _Claim, other: _Claim) -> bool:
    if one.due_by is None or other.due_by is None:
        return True
    low = max(d for d in (one.due_from, other.due_from, date.min) if d is not None)
    return low <= min(one.due_by, other.due_by)


def same_claim(one: _Claim, other: _Claim) -> bool:
    """Tell whether two proposals state the same claim (see the module's rule)."""
    if one.quote_start < other.quote_end and other.quote_start < one.quote_end:
        return False  # an event nested in a claim ("planned before Xi's expected visit")
    a, b = _words(one.quote), _words(other.quote)
    if not a or not b or set(_DIGITS.findall(one.quote)) != set(_DIGITS.findall(other.quote)):
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.5 and len(a & b) >= 4 and _compatible(one, other)


def merge(proposals: Sequence[Claim], strength: Callable[[Claim], int]) -> list[Claim]:
    """Keep one proposal per claim: the strongest attributed, then the most precisely dated."""

    def rank(item: Claim) -> tuple[int, int]:
        span = (
            (item.due_by - (item.due_from or item.due_by)).days
            if item.due_by is not None
            else 100_000
        )
        return strength(item), -span

    kept: list[Claim] = []
    for proposal in proposals:
        # the last _NEAR claims kept: an article's duplicates are never further apart, and a
        # flood of proposals costs linear time, not quadratic
        twin = next((k for k in kept[-_NEAR:] if same_claim(k, proposal)), None)
        if twin is None:
            kept.append(proposal)
        elif rank(proposal) > rank(twin):
            kept[kept.index(twin)] = proposal
    return sorted(kept, key=lambda p: proposals.index(p))
