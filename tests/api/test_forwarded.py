"""Links the API builds follow X-Forwarded-* only when a trusted proxy sent them."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.conftest import EVIDENCE

FORGED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "news.example"}


@pytest.fixture
def reviewed(client, make_claim, editor):
    claim = make_claim()
    client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "fulfilled", "note": "done", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    return claim


def links(client: TestClient, claim_id: int) -> tuple[str, str]:
    review = client.get(f"/v1/claims/{claim_id}/claimreview", headers=FORGED).json()
    feed = feedparser.parse(client.get("/v1/feeds/verdicts.atom", headers=FORGED).text)
    return review["url"], feed.feed.link


def test_forwarded_headers_from_a_trusted_proxy_build_the_links(make_app, reviewed):
    app = make_app(forwarded_allow_ips="10.0.0.0/8")
    with TestClient(app, client=("10.1.2.3", 40000)) as proxied:
        review_url, feed_link = links(proxied, reviewed.id)

    assert review_url == f"https://news.example/claims/{reviewed.slug}"
    assert feed_link.startswith("https://news.example/")


@pytest.mark.parametrize("trusted", ["", "10.0.0.1", "192.168.0.0/16"])
def test_forwarded_headers_from_anyone_else_are_ignored(make_app, settings, reviewed, trusted):
    app = make_app(forwarded_allow_ips=trusted)
    with TestClient(app, client=("10.9.9.9", 40000)) as direct:
        review_url, feed_link = links(direct, reviewed.id)

    assert review_url == f"{settings.public_url}/claims/{reviewed.slug}"
    assert feed_link.startswith(settings.public_url)


def test_a_forged_host_is_refused_even_from_a_trusted_proxy(make_app, settings, reviewed):
    app = make_app(forwarded_allow_ips="*")
    with TestClient(app, client=("10.1.2.3", 40000)) as proxied:
        review = proxied.get(
            f"/v1/claims/{reviewed.id}/claimreview",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example/<script>"},
        ).json()

    assert review["url"].startswith(settings.public_url)
