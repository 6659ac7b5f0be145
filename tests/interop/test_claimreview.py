"""schema.org ClaimReview JSON-LD: `GET /v1/claims/{id}/claimreview` and the embeddable dict."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from sqlmodel import Session

from claims import services
from claims.interop.claimreview import claim_review, script_json
from tests.conftest import EVIDENCE

SCHEMA = "https://schema.org/"


def _offline_loader(url: str, options: dict | None = None) -> dict:
    """Serve the schema.org context locally: tests never fetch anything from the network."""
    assert url.rstrip("/") == "https://schema.org", url
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def verdict(client, claim, editor, status="fulfilled", **body):
    current = client.get(f"/v1/claims/{claim.id}").headers["ETag"]
    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": status, "note": "Announced on Thursday", "evidence": [EVIDENCE], **body},
        headers={**editor, "If-Match": current},
    )
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def source_id(client, reviewer) -> int:
    response = client.post(
        "/v1/sources",
        json={
            "title": "US–China framework",
            "url": "https://example.org/framework",
            "publisher": "Example News",
            "published_on": "2025-10-26",
        },
        headers=reviewer,
    )
    return response.json()["id"]


def test_claimreview_has_the_properties_google_requires(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor)

    review = client.get(f"/v1/claims/{claim.id}/claimreview").json()

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.body["statement"]
    assert review["url"] == f"http://127.0.0.1:8000/claims/{claim.slug}"
    assert review["reviewRating"]["@type"] == "Rating"
    assert review["reviewRating"]["alternateName"] == "Fulfilled"


def test_claimreview_has_the_recommended_claim_author_date_and_appearance(
    client, make_claim, editor, source_id
):
    claim = make_claim(source_id=source_id)
    verdict(client, claim, editor)

    review = client.get(f"/v1/claims/{claim.id}/claimreview").json()

    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Scott Bessent",
        "jobTitle": "US Treasury Secretary",
    }
    assert item["datePublished"] == "2025-10-26"
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://example.org/framework",
        "headline": "US–China framework",
        "datePublished": "2025-10-26",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claim tracker",
        "url": "http://127.0.0.1:8000",
    }
    assert (
        review["datePublished"]
        == client.get(f"/v1/claims/{claim.id}").json()["status_changed_at"][:10]
    )


def test_claimreview_reviews_the_statement_never_the_quote(client, make_claim, editor):
    claim = make_claim(quote="I think we’re going to have a deal with China")
    verdict(client, claim, editor)

    review = client.get(f"/v1/claims/{claim.id}/claimreview").json()

    assert review["claimReviewed"] == claim.body["statement"]
    assert "text" not in review["itemReviewed"]


def test_claimreview_credits_a_direct_quote_to_the_claimant_in_the_appearance(
    client, make_claim, editor, source_id
):
    quote = "I think we’re going to have a deal with China"
    claim = make_claim(source_id=source_id, quote=quote, quote_kind="direct")
    verdict(client, claim, editor)

    appearance = client.get(f"/v1/claims/{claim.id}/claimreview").json()["itemReviewed"][
        "appearance"
    ]

    assert appearance["@type"] == "CreativeWork"
    assert appearance["text"] == quote
    assert appearance["author"] == {
        "@type": "Person",
        "name": "Scott Bessent",
        "jobTitle": "US Treasury Secretary",
    }
    assert appearance["url"] == "https://example.org/framework"
    assert appearance["isPartOf"]["headline"] == "US–China framework"


def test_claimreview_credits_a_reported_quote_to_the_outlet_not_the_claimant(
    client, make_claim, editor, source_id
):
    paraphrase = "Trump could visit Beijing early next year"
    claim = make_claim(source_id=source_id, quote=paraphrase, quote_kind="reported")
    verdict(client, claim, editor)

    appearance = client.get(f"/v1/claims/{claim.id}/claimreview").json()["itemReviewed"][
        "appearance"
    ]

    assert appearance["text"] == paraphrase
    assert appearance["author"] == {"@type": "Organization", "name": "Example News"}


def test_claimreview_parses_as_json_ld_of_schema_org(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor)
    review = client.get(f"/v1/claims/{claim.id}/claimreview")

    expanded = jsonld.expand(review.json(), {"documentLoader": _offline_loader})

    assert review.headers["content-type"] == "application/ld+json"
    (node,) = expanded
    assert node["@type"] == [SCHEMA + "ClaimReview"]
    assert node[SCHEMA + "claimReviewed"] == [{"@value": claim.body["statement"]}]
    rating = node[SCHEMA + "reviewRating"][0]
    assert rating["@type"] == [SCHEMA + "Rating"]
    assert rating[SCHEMA + "alternateName"] == [{"@value": "Fulfilled"}]


@pytest.mark.parametrize(
    ("status", "name", "value"),
    [
        ("fulfilled", "Fulfilled", 5),
        ("partially_fulfilled", "Partially fulfilled", 3),
        ("broken", "Broken", 1),
    ],
)
def test_claimreview_rates_verdicts_on_a_five_point_scale(
    client, make_claim, editor, status, name, value
):
    claim = make_claim()
    verdict(client, claim, editor, status)

    rating = client.get(f"/v1/claims/{claim.id}/claimreview").json()["reviewRating"]

    assert rating == {
        "@type": "Rating",
        "alternateName": name,
        "ratingValue": value,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "Announced on Thursday",
    }


def test_void_claimreview_has_a_name_but_no_number(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor, "void")

    rating = client.get(f"/v1/claims/{claim.id}/claimreview").json()["reviewRating"]

    assert rating["alternateName"] == "Void (cannot be judged)"
    assert "ratingValue" not in rating
    assert "bestRating" not in rating


@pytest.mark.parametrize("status", [None, "in_progress", "stalled"])
def test_claim_without_a_verdict_has_no_claimreview(client, make_claim, reviewer, status):
    claim = make_claim()
    if status is not None:
        client.post(
            f"/v1/claims/{claim.id}/status",
            json={"status": status, "note": "talks"},
            headers={**reviewer, "If-Match": claim.etag},
        )

    response = client.get(f"/v1/claims/{claim.id}/claimreview")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no verdict" in response.json()["detail"]


def test_claimreview_of_an_unknown_claim_is_404(client):
    response = client.get("/v1/claims/no-such-claim/claimreview")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_claimreview_is_found_by_slug_too(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor)

    by_slug = client.get(f"/v1/claims/{claim.slug}/claimreview")

    assert by_slug.json() == client.get(f"/v1/claims/{claim.id}/claimreview").json()


def test_claimreview_after_a_correction_rates_the_new_verdict(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor, "fulfilled")
    verdict(client, claim, editor, "broken", note="Correction: the deal fell through")

    review = client.get(f"/v1/claims/{claim.id}/claimreview").json()

    assert review["reviewRating"]["alternateName"] == "Broken"
    assert review["reviewRating"]["ratingExplanation"] == "Correction: the deal fell through"
    assert review["dateModified"] >= review["datePublished"]


def test_claimreview_names_the_configured_publisher(make_app, make_claim, client, editor):
    claim = make_claim()
    verdict(client, claim, editor)
    app = make_app(publisher_name="Daily Planet", public_url="https://facts.example")

    with TestClient(app) as other:
        review = other.get(f"/v1/claims/{claim.id}/claimreview").json()

    assert review["author"]["name"] == "Daily Planet"
    assert review["url"] == f"https://facts.example/claims/{claim.slug}"


def test_claimreview_answers_304_when_unchanged(client, make_claim, editor):
    claim = make_claim()
    verdict(client, claim, editor)
    first = client.get(f"/v1/claims/{claim.id}/claimreview")

    again = client.get(
        f"/v1/claims/{claim.id}/claimreview", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304


def test_claim_review_for_a_page_is_none_without_a_verdict(engine, settings, make_claim):
    claim = make_claim()

    with Session(engine) as session:
        review = claim_review(session, services.get_claim(session, claim.id), settings)

    assert review is None


def test_claim_review_for_a_page_equals_the_api_answer(
    engine, settings, client, make_claim, editor
):
    claim = make_claim()
    verdict(client, claim, editor)

    with Session(engine) as session:
        review = claim_review(session, services.get_claim(session, claim.id), settings)

    assert review == client.get(f"/v1/claims/{claim.id}/claimreview").json()


def test_script_json_cannot_close_the_script_element():
    document = {"claimReviewed": "</script><script>alert(1)</script> & more"}

    text = script_json(document)

    assert "</" not in text
    assert "<" not in text
    assert json.loads(text) == document


def test_claim_page_embeds_the_claimreview_only_with_a_verdict(client, make_claim, editor):
    claim = make_claim()
    before = client.get(f"/claims/{claim.slug}").text
    client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "broken", "note": "n", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )

    page = client.get(f"/claims/{claim.slug}").text

    assert "application/ld+json" not in before
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    embedded = json.loads(page[start : page.index("</script>", start)])
    assert embedded == client.get(f"/v1/claims/{claim.id}/claimreview").json()
