"""Whose words a claim's quote is: the rule that keeps ``quote_kind`` in step with ``quote``.

A quote is ``direct`` (the claimant's own words, shown in quotation marks) or ``reported``
(the outlet's paraphrase of what the claimant said, shown as plain text labelled "Reported").
``quote_kind`` is null exactly when ``quote`` is. A quote sent without its kind is direct:
SPEC section 2 defines ``quote`` as "the verbatim words of the claimant", so a client that
predates the field keeps meaning what it meant (docs/quotes.md).
"""

from __future__ import annotations

from typing import Any, Final

from claims.errors import InvalidInput
from claims.models import QuoteKind

DEFAULT_KIND: Final = QuoteKind.DIRECT
"""The kind of a quote given without one (and of every quote stored before the field)."""

_NO_QUOTE = "a claim without a quote has no quote kind (send the quote with it)"


def default_kind(quote: str | None) -> str | None:
    """The kind a quote has when none was said: direct for a quote, null without one."""
    return None if quote is None else DEFAULT_KIND.value


def settle_new(values: dict[str, Any]) -> None:
    """Give a new claim's ``values`` their ``quote_kind``. Raises InvalidInput (a kind
    without a quote)."""
    kind = values.get("quote_kind")
    if values.get("quote") is None:
        if kind is not None:
            raise InvalidInput.on("quote_kind", _NO_QUOTE)
        values["quote_kind"] = None
        return
    values["quote_kind"] = QuoteKind(kind).value if kind is not None else DEFAULT_KIND.value


def settle_edit(current: Any, sent: dict[str, Any]) -> None:
    """Complete an edit's ``sent`` fields so ``quote_kind`` follows the quote: removing the
    quote clears its kind, adding one to a claim without a quote makes it direct unless the
    kind is sent, rewording a quote keeps its kind. Raises InvalidInput (a kind without a
    quote, or null for a quote's kind)."""
    quote = sent.get("quote", current.quote)
    if quote is None:
        if sent.get("quote_kind") is not None:
            raise InvalidInput.on("quote_kind", _NO_QUOTE)
        sent["quote_kind"] = None
    elif "quote_kind" in sent:
        if sent["quote_kind"] is None:
            raise InvalidInput.on(
                "quote_kind", "a claim with a quote says whether it is direct or reported"
            )
        sent["quote_kind"] = QuoteKind(sent["quote_kind"]).value
    elif current.quote_kind is None:
        sent["quote_kind"] = DEFAULT_KIND.value
