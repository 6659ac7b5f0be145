"""The claim card and oEmbed over HTTP (no browser), on SQLite and PostgreSQL."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from web import embed

PUBLIC = "http://127.0.0.1:8000"


def test_card_shows_the_claim_and_may_be_framed_by_any_site(client, make_claim):
    claim = make_claim(claimant="Scott Bessent", due_by="2099-01-01")

    response = client.get(f"/claims/{claim.slug}/embed?refresh=5")

    page = response.text
    csp = response.headers["content-security-policy"]
    assert response.status_code == 200
    assert "frame-ancestors *" in csp
    assert "'unsafe-inline'" not in csp
    assert "x-frame-options" not in response.headers
    assert claim.body["statement"].replace("'", "&#39;") in page
    assert ">Pending</span>" in page
    assert "Scott Bessent" in page
    assert 'data-refresh="5"' in page
    assert f'data-api="/v1/claims/{claim.id}"' in page
    assert "<script>" not in page  # its script is a file (no inline script anywhere)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)  # nor on…= handlers


def test_card_of_an_unknown_claim_is_a_404_problem(client):
    response = client.get("/claims/no-such-claim/embed")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "frameable"),
    [
        ("/claims/a-claim/embed", True),
        ("/claims/7/embed", True),
        ("/claims/a-claim", False),
        ("/", False),
        ("/review", False),
        ("/claims/a/b/embed", False),
        ("/claims/a-claim/embed/x", False),
    ],
)
def test_only_claim_cards_are_frameable(path, frameable):
    assert embed.is_frameable(path) is frameable


def test_oembed_answers_a_rich_iframe_of_the_card(client, make_claim):
    claim = make_claim()

    response = client.get("/oembed", params={"url": f"{PUBLIC}/claims/{claim.slug}"})

    body = response.json()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert (body["version"], body["type"]) == ("1.0", "rich")
    assert (body["width"], body["height"]) == (embed.WIDTH, embed.HEIGHT)
    assert body["title"] == claim.body["statement"]
    src = re.search(r'<iframe src="([^"]+)"', body["html"]).group(1)
    assert html_lib.unescape(src) == f"{PUBLIC}/claims/{claim.slug}/embed"


def test_oembed_honours_maxwidth_and_takes_an_id_or_the_card_url(client, make_claim):
    claim = make_claim()

    by_id = client.get(
        "/oembed", params={"url": f"{PUBLIC}/claims/{claim.id}", "maxwidth": 300}
    ).json()
    by_card = client.get("/oembed", params={"url": f"{PUBLIC}/claims/{claim.slug}/embed"})

    assert by_id["width"] == 300
    assert 'width="300"' in by_id["html"]
    assert by_card.status_code == 200


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"url": "http://elsewhere.example/claims/x"}, 404),
        ({"url": f"{PUBLIC}/not-a-claim"}, 404),
        ({"url": f"{PUBLIC}/claims/no-such-claim"}, 404),
        ({"url": f"{PUBLIC}/claims/x", "format": "xml"}, 501),
        ({}, 422),
    ],
)
def test_oembed_refusals_are_problems(client, make_claim, params, status):
    make_claim()

    response = client.get("/oembed", params=params)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_claim_page_advertises_its_oembed(client, make_claim):
    claim = make_claim()

    page = client.get(f"/claims/{claim.slug}").text

    assert 'type="application/json+oembed"' in page
    assert "/oembed?url=http%3A%2F%2F127.0.0.1%3A8000%2Fclaims%2F" + claim.slug in page
