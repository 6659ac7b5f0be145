"""The claim page puts quotation marks only around direct quotes: a reported quote (the
outlet's paraphrase) reads as plain text, labelled, and never as the claimant's words."""

from __future__ import annotations

import re

PARAPHRASE = "Trump could visit Beijing early next year, just ahead of the Lunar New Year"
QUOTE = "I think we’re going to have a deal with China"


def quote_figure(html: str) -> str:
    found = re.search(r'<figure class="quote[^"]*">.*?</figure>', html, re.DOTALL)
    assert found, "the page shows no quote"
    return found.group(0)


def text_of(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


def test_reported_quote_is_labelled_plain_text_without_quotation_marks(client, make_claim):
    claim = make_claim(quote=PARAPHRASE, quote_kind="reported", due_text="early next year")

    html = client.get(f"/claims/{claim.slug}").text

    figure = quote_figure(html)
    assert "Reported:" in text_of(figure)
    assert PARAPHRASE in text_of(figure)
    # Quotation marks come from the blockquote's style (style.css) or from the text itself.
    assert "<blockquote" not in figure
    assert not re.search('[“”"]', text_of(figure))
    assert "“early next year”" not in html


def test_direct_quote_is_a_blockquote_signed_by_the_claimant(client, make_claim):
    claim = make_claim(quote=QUOTE, due_text="by year end")

    html = client.get(f"/claims/{claim.slug}").text

    figure = quote_figure(html)
    assert re.search(r"<blockquote>\s*<p>" + re.escape(QUOTE) + "</p>", figure)
    assert text_of(figure).split("—")[-1].strip().startswith("Scott Bessent")
    assert "Reported:" not in figure
    assert "As stated: “by year end”" in html
