"""The vocabulary and the field types: enums, limits, patterns, and how their errors read.

Every limit is declared once here; the table models (``tables.py``) size their columns with
it and the request models (``requests.py``) validate with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final, TypeGuard

from pydantic import AfterValidator, BeforeValidator, Strict, StringConstraints, WithJsonSchema
from pydantic import Field as Limits

from claims import slugs
from claims.status import Status

# Field limits, declared once: the columns and the request types both read them.
MAX_ID: Final = 2**31 - 1
"""Ids and seqs are 32-bit columns: nothing past this can exist."""
SLUG_MAX: Final = 120
STATEMENT_MAX: Final = 500
NAME_MAX: Final = 200  # claimant, claimant_role, publisher
QUOTE_MAX: Final = 2000  # a claim's quote, an evidence quote
CONDITION_MAX: Final = 1000
DUE_TEXT_MAX: Final = 300
CRITERIA_MAX: Final = 2000
TITLE_MAX: Final = 300  # a source's or an evidence item's title
URL_MAX: Final = 2000
TOPIC_MAX: Final = 40
TOPICS_MAX: Final = 20  # topics per claim
NOTE_MAX: Final = 4000
EVIDENCE_MAX: Final = 20  # evidence items per status change
TOKEN_NAME_MAX: Final = 100
ARTICLE_MAX: Final = 200_000  # a source's text, an article to extract from


class Certainty(StrEnum):
    """How the claimant hedged (SPEC section 2)."""

    ASSERTED = "asserted"
    EXPECTED = "expected"
    POSSIBLE = "possible"
    CONDITIONAL = "conditional"


class QuoteKind(StrEnum):
    """Whose words a claim's ``quote`` is (docs/quotes.md): the claimant's own (``direct``,
    shown in quotation marks) or the outlet's paraphrase of them (``reported``, shown as
    plain text labelled "Reported")."""

    DIRECT = "direct"
    REPORTED = "reported"


class Stance(StrEnum):
    """What a piece of evidence does to the claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class EventKind(StrEnum):
    """The kinds of history event (and of change in the feed)."""

    CREATED = "created"
    EDITED = "edited"
    STATUS_CHANGED = "status_changed"
    EVIDENCE_ADDED = "evidence_added"
    # Written by the deadline watcher (claims.deadlines), not by a person: the claim entered
    # its due-soon window, or its deadline passed without a verdict.
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    # Pydantic's lax mode would also take 0, "1767139200" or a datetime string as a date.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]

LAST_DUE_YEAR: Final = 9998
"""The last year a deadline may fall in. The summary's tally files claims without a deadline
under 9999-12-31 (``storage.OPEN_ENDED``: a key cannot be null), so a real deadline there was
counted as none; no newsroom means a year that far, and "no deadline" is ``null``."""


def _due_year(value: date) -> date:
    if value.year > LAST_DUE_YEAR:
        raise ValueError(
            f"must be in {LAST_DUE_YEAR} or earlier (leave it out, or null, for no deadline)"
        )
    return value


# Years 0000-9998, as a pattern the OpenAPI document carries (ECMAScript, no look-ahead).
_DUE_DAY_PATTERN = r"^([0-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-[0-9]{2}-[0-9]{2}$"
DueDay = Annotated[
    Day,
    AfterValidator(_due_year),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DUE_DAY_PATTERN}),
]
"""A day of a claim's due window (``due_from``, ``due_by``): a ``Day`` before the year 9999."""


# Patterns rather than validators where a pattern can say it: they land in the OpenAPI
# document, so clients (and schemathesis) know the rule before they send.
# Character classes spelled out: Python's \s and Rust's (pydantic-core's) differ; \uXXXX reads
# the same in Python, Rust and ECMAScript regular expressions.
REFUSED_CHARS = (
    r"\x00-\x08\x0B\x0C\x0E-\x1F"  # C0 controls but tab, newline and carriage return
    r"\x7F-\x9F"  # DEL and the C1 controls
    r"\u202A-\u202E\u2066-\u2069"  # bidi embeddings, overrides and isolates
    r"\uFFFE\uFFFF"  # not characters
)
"""What no text may hold. Controls are invisible and XML 1.0 (the Atom feed) cannot carry most
of them; PostgreSQL cannot store NUL; bidi overrides make text read other than it is written
("Trojan Source"). The bidi *marks* (U+200E, U+200F, U+061C) stay allowed: RTL text needs them."""
INVISIBLE_CHARS = (
    r" \t\n\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"  # spaces
    r"\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F"  # zero width,
    r"\u2060-\u2064\u206A-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0"  # fillers, marks
)
"""What renders as nothing: a text made only of these is blank."""
# At least one visible character, and nothing refused.
TEXT_PATTERN = f"^[^{REFUSED_CHARS}]*[^{REFUSED_CHARS}{INVISIBLE_CHARS}][^{REFUSED_CHARS}]*$"
SLUG_PATTERN = r"^([a-z0-9]+-)*[a-z0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"  # has a letter
TOPIC_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# http(s), a host, and nothing refused or invisible (a space, a control, a zero-width joiner).
_NOT_IN_URL = REFUSED_CHARS + INVISIBLE_CHARS
URL_PATTERN = f"^[Hh][Tt][Tt][Pp][Ss]?://[^{_NOT_IN_URL}/?#]+[^{_NOT_IN_URL}]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"
# A search (the list's ``q``): something visible to look for, and no NUL.
SEARCH_PATTERN = f"^[^\\x00]*[^\\x00{INVISIBLE_CHARS}][^\\x00]*$"
# A token's name shows in log lines, history and a URL path (DELETE /v1/tokens/{name}): visible
# words with single spaces, no line break, tab or slash.
_NOT_IN_NAME = REFUSED_CHARS + INVISIBLE_CHARS + "/"
TOKEN_NAME_PATTERN = f"^[^{_NOT_IN_NAME}]+( [^{_NOT_IN_NAME}]+)*$"
_STATUS_WORD = "(" + "|".join(["open", "verdict", *(s.value for s in Status)]) + ")"
STATUS_LIST_PATTERN = f"^{_STATUS_WORD}( *, *{_STATUS_WORD})*$"
TOPIC_LIST_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*( *, *[a-z0-9]+(-[a-z0-9]+)*)*$"

PATTERN_MESSAGES = {
    TEXT_PATTERN: "must hold visible text, without control characters or bidirectional "
    "overrides (tab and newline are allowed)",
    SLUG_PATTERN: "must be lowercase letters, digits and single hyphens, with at least one letter",
    TOPIC_PATTERN: "must be lowercase letters, digits and single hyphens",
    URL_PATTERN: "must be an http(s) URL",
    TOKEN_NAME_PATTERN: "must be visible words with single spaces, without line breaks, tabs or "
    "slashes",
    NO_NUL_PATTERN: "must not contain NUL characters",
    SEARCH_PATTERN: "must hold something to search for (not only spaces), without NUL characters",
    STATUS_LIST_PATTERN: "must be open, verdict, or one or more of "
    + ", ".join(s.value for s in Status)
    + ", separated by commas",
    TOPIC_LIST_PATTERN: "must be one or more topic slugs (lowercase letters, digits and single "
    "hyphens), separated by commas",
}


def error_message(err: Mapping[str, Any]) -> str:
    """Say what a pydantic validation error means, in words rather than a regular expression."""
    if err.get("type") == "extra_forbidden":
        return "is not a field of this request (unknown fields are refused)"
    if err.get("type") == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern", "")
        value = err.get("input")
        if pattern in (TEXT_PATTERN, URL_PATTERN) and isinstance(value, str):
            return _text_message(value, url=pattern == URL_PATTERN)
        if pattern == SEARCH_PATTERN and isinstance(value, str) and "\x00" not in value:
            return _BLANK_SEARCH
        return PATTERN_MESSAGES.get(pattern, f"must match the pattern {pattern}")
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")


_REFUSED = re.compile(f"[{REFUSED_CHARS}]")
_NOT_IN_URL_CHAR = re.compile(f"[{_NOT_IN_URL}]")
_BIDI = re.compile(r"[\u202A-\u202E\u2066-\u2069]")


def _text_message(value: str, *, url: bool) -> str:
    """Name what the text (or URL) pattern refused: the first bad character, or the blankness."""
    if url and not _HTTP_START.match(value):
        return PATTERN_MESSAGES[URL_PATTERN]
    found = (_NOT_IN_URL_CHAR if url else _REFUSED).search(value)
    if found is None:
        return PATTERN_MESSAGES[URL_PATTERN] if url else _BLANK
    code = f"U+{ord(found.group()):04X}"
    if _BIDI.match(found.group()):
        return f"must not contain the bidirectional control {code}"
    if url:
        return f"must be an http(s) URL without spaces, controls or invisible characters ({code})"
    return f"must not contain the control character {code} (tab and newline are allowed)"


_BLANK = "must hold visible text (not only spaces or invisible characters)"
_BLANK_SEARCH = (
    "must hold something to search for, not be empty or only spaces (leave it out to list "
    "every claim)"
)
_HTTP_START = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")
_HTTP_URL = re.compile(URL_PATTERN)


def is_http_url(value: object) -> TypeGuard[str]:
    """Tell whether ``value`` is an http(s) URL the API would accept: the only kind a page or a
    feed may turn into a link (rows written before the rule, or by hand, may hold others)."""
    if not isinstance(value, str) or len(value) > URL_MAX or _NOT_IN_URL_CHAR.search(value):
        return False  # checked first: on such text the full pattern would backtrack at length
    return _HTTP_URL.fullmatch(value) is not None


_NOT_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]")


def xml_safe(text: str) -> str:
    """Remove what XML 1.0 cannot carry (most C0 controls, surrogates, U+FFFE, U+FFFF)."""
    return _NOT_XML.sub("", text)


def _no_refused_chars(value: Any) -> Any:
    # Trimming comes before the pattern and takes \x0b, \x0c and \x85 off the ends, so the
    # pattern alone would let "\x0bsigned" through: the text is checked as it was sent.
    if isinstance(value, str) and _REFUSED.search(value):
        raise ValueError(_text_message(value, url=False))
    return value


AS_SENT: Final = BeforeValidator(_no_refused_chars)


def text(max_length: int | None = None) -> StringConstraints:
    """The constraints of a free text of at most ``max_length`` characters: trimmed, visible.

    Use it with ``AS_SENT`` after it, in one ``Annotated`` (``Annotated[str, text(N), AS_SENT]``):
    a limit added around an existing text type would no longer count characters.
    """
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=TEXT_PATTERN
    )


Text = Annotated[str, text(), AS_SENT]
"""Every free text a person writes: trimmed, visible, without controls or bidi overrides."""
def _not_reserved(value: str) -> str:
    if value in slugs.RESERVED:
        raise ValueError(f"'{value}' is reserved: /claims/{value} is a page of its own")
    return value


Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN),
    AfterValidator(_not_reserved),
]
TopicSlug = Annotated[
    str, StringConstraints(min_length=1, max_length=TOPIC_MAX, pattern=TOPIC_PATTERN)
]
HttpUrl = Annotated[str, StringConstraints(max_length=URL_MAX, pattern=URL_PATTERN)]


Id = Annotated[int, Strict(), Limits(ge=1, le=MAX_ID)]
"""An id in a JSON body or record: a JSON integer only (``true`` is not 1, nor is ``"1"``)."""
IdParam = Annotated[int, Limits(ge=1, le=MAX_ID)]
"""An id in a query string, where every value arrives as text."""
SeqNumber = Annotated[int, Limits(ge=0, le=MAX_ID)]
Statement = Annotated[str, text(STATEMENT_MAX), AS_SENT]
Name = Annotated[str, text(NAME_MAX), AS_SENT]
Quote = Annotated[str, text(QUOTE_MAX), AS_SENT]
Condition = Annotated[str, text(CONDITION_MAX), AS_SENT]
DueText = Annotated[str, text(DUE_TEXT_MAX), AS_SENT]
Criteria = Annotated[str, text(CRITERIA_MAX), AS_SENT]
Topics = Annotated[
    list[TopicSlug],
    Limits(max_length=TOPICS_MAX),
    # ["tariffs", "tariffs"] is one topic: kept once, in the order given
    AfterValidator(lambda topics: list(dict.fromkeys(topics))),
]
Title = Annotated[str, text(TITLE_MAX), AS_SENT]
Note = Annotated[str, text(NOTE_MAX), AS_SENT]
TokenName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=TOKEN_NAME_MAX, pattern=TOKEN_NAME_PATTERN
    ),
    AS_SENT,
]
Article = Annotated[
    str, StringConstraints(min_length=1, max_length=ARTICLE_MAX, pattern=TEXT_PATTERN)
]
"""An article's text, kept exactly as sent (not trimmed: proposals count offsets into it)."""
