"""The vocabulary and the field types: enums, limits, patterns, and how their errors read.

Every limit is declared once here; the table models (``tables.py``) size their columns with
it and the request models (``requests.py``) validate with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, Strict, StringConstraints
from pydantic import Field as Limits

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


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    # Pydantic's lax mode would also take 0, "1767139200" or a datetime string as a date.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


# Patterns rather than validators where a pattern can say it: they land in the OpenAPI
# document, so clients (and schemathesis) know the rule before they send.
# Character classes spelled out: Python's \s and Rust's (pydantic-core's) differ.
TEXT_PATTERN = r"^[^\x00]*[^\x00 \t\n\r\f\v][^\x00]*$"  # not only spaces; no NUL
SLUG_PATTERN = r"^([a-z0-9]+-)*[a-z0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"  # has a letter
TOPIC_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^ \t\n\r\f\v/?#]+[^ \t\n\r\f\v]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"
_STATUS_WORD = "(" + "|".join(["open", "verdict", *(s.value for s in Status)]) + ")"
STATUS_LIST_PATTERN = f"^{_STATUS_WORD}( *, *{_STATUS_WORD})*$"
TOPIC_LIST_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*( *, *[a-z0-9]+(-[a-z0-9]+)*)*$"

PATTERN_MESSAGES = {
    TEXT_PATTERN: "must not be empty or only spaces, and must not contain NUL characters",
    SLUG_PATTERN: "must be lowercase letters, digits and single hyphens, with at least one letter",
    TOPIC_PATTERN: "must be lowercase letters, digits and single hyphens",
    URL_PATTERN: "must be an http(s) URL",
    NO_NUL_PATTERN: "must not contain NUL characters",
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
        return PATTERN_MESSAGES.get(pattern, f"must match the pattern {pattern}")
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=TEXT_PATTERN)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN)]
TopicSlug = Annotated[
    str, StringConstraints(min_length=1, max_length=TOPIC_MAX, pattern=TOPIC_PATTERN)
]
HttpUrl = Annotated[str, StringConstraints(max_length=URL_MAX, pattern=URL_PATTERN)]


Id = Annotated[int, Strict(), Limits(ge=1, le=MAX_ID)]
"""An id in a JSON body or record: a JSON integer only (``true`` is not 1, nor is ``"1"``)."""
IdParam = Annotated[int, Limits(ge=1, le=MAX_ID)]
"""An id in a query string, where every value arrives as text."""
SeqNumber = Annotated[int, Limits(ge=0, le=MAX_ID)]
Statement = Annotated[Text, StringConstraints(max_length=STATEMENT_MAX)]
Name = Annotated[Text, StringConstraints(max_length=NAME_MAX)]
Quote = Annotated[Text, StringConstraints(max_length=QUOTE_MAX)]
Condition = Annotated[Text, StringConstraints(max_length=CONDITION_MAX)]
DueText = Annotated[Text, StringConstraints(max_length=DUE_TEXT_MAX)]
Criteria = Annotated[Text, StringConstraints(max_length=CRITERIA_MAX)]
Topics = Annotated[list[TopicSlug], Limits(max_length=TOPICS_MAX)]
Title = Annotated[Text, StringConstraints(max_length=TITLE_MAX)]
