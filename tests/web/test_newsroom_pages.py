"""Claimant, topic and story pages as HTML over HTTP (no browser), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

from tests.conftest import EVIDENCE


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-slug="([^"]+)"', html)


def _count(html: str, key: str) -> int:
    match = re.search(rf'data-count="{key}"[^>]*>\s*<span class="tile-n">(\d+)</span>', html)
    assert match, key
    return int(match.group(1))


def _verdict(client, claim, editor, status="fulfilled"):
    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": status, "note": "decided", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    assert response.status_code == 200, response.text


def test_claimant_page_lists_only_that_claimant_with_a_scorecard(client, make_claim, editor):
    mine = [make_claim(claimant="Scott Bessent") for _ in range(3)]
    make_claim(claimant="Scott Bessent Jr")  # contains the name, but is someone else
    _verdict(client, mine[0], editor, "broken")

    response = client.get("/claimants/scott-bessent")

    html = response.text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert sorted(_rows(html)) == sorted(c.slug for c in mine)
    assert "<h1>Scott Bessent</h1>" in html
    assert (_count(html, "pending"), _count(html, "broken")) == (2, 1)
    assert 'data-share-kept=""' in html  # one verdict is not enough for a share
    assert "a share kept is shown from 5 on" in html


def test_claimant_page_lists_every_spelling_of_the_name_under_the_most_used_one(
    client, make_claim
):
    # Each claim's page links to /claimants/scott-bessent; every one must be found there.
    mine = [make_claim(claimant="Scott Bessent") for _ in range(2)]
    mine += [make_claim(claimant="SCOTT  BESSENT"), make_claim(claimant="scott bessent")]

    html = client.get("/claimants/scott-bessent").text

    assert sorted(_rows(html)) == sorted(c.slug for c in mine)
    assert "<h1>Scott Bessent</h1>" in html
    assert _count(html, "pending") == 4


def test_claimant_page_shows_the_share_kept_from_five_verdicts(client, make_claim, editor):
    claims = [make_claim(claimant="Xi Jinping") for _ in range(6)]
    for claim, status in zip(
        claims,
        ["fulfilled", "fulfilled", "fulfilled", "broken", "partially_fulfilled", "void"],
        strict=True,
    ):
        _verdict(client, claim, editor, status)

    html = client.get("/claimants/xi-jinping").text

    assert 'data-share-kept="60"' in html
    assert "<strong>60%</strong> kept, <strong>20%</strong> partly kept, of the 5 claims" in html


def test_topic_page_lists_the_topic_and_links_claimants(client, make_claim):
    tariffs = make_claim(topics=["tariffs", "diplomacy"], claimant="Donald Trump")
    make_claim(topics=["agriculture"])

    html = client.get("/topics/tariffs").text

    assert _rows(html) == [tariffs.slug]
    assert 'href="/claimants/donald-trump"' in html
    assert _count(html, "pending") == 1


def test_unknown_claimant_topic_or_source_is_a_404_problem(client, make_claim):
    make_claim()

    for path in ("/claimants/nobody-at-all", "/topics/nothing", "/sources/999"):
        response = client.get(path)

        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"


def test_story_page_shows_article_claims_and_dated_updates(client, make_claim, reviewer, editor):
    source = client.post(
        "/v1/sources",
        json={
            "title": "Trade framework agreed",
            "url": "https://example.org/story",
            "publisher": "Wire",
            "published_on": "2025-10-26",
            "text": "First paragraph of the story.\n\nSecond paragraph.",
        },
        headers=reviewer,
    ).json()
    ours = make_claim(source_id=source["id"])
    make_claim()
    _verdict(client, ours, editor, "fulfilled")

    html = client.get(f"/sources/{source['id']}").text

    assert "<h1>Trade framework agreed</h1>" in html
    assert _rows(html) == [ours.slug]
    assert "<p>Second paragraph.</p>" in html
    assert 'href="https://example.org/story"' in html
    updates = html[html.index('id="updates-h"') :]
    assert f'href="/claims/{ours.slug}"' in updates
    assert "decided" in updates
    assert "Fulfilled" in updates


def test_board_and_claim_page_link_to_claimant_topic_and_story(client, make_claim, reviewer):
    source = client.post("/v1/sources", json={"title": "A story"}, headers=reviewer).json()
    claim = make_claim(claimant="Scott Bessent", topics=["rare-earths"], source_id=source["id"])

    board = client.get("/").text
    page = client.get(f"/claims/{claim.slug}").text

    for html in (board, page):
        assert 'href="/claimants/scott-bessent"' in html
        assert 'href="/topics/rare-earths"' in html
    assert f'href="/sources/{source["id"]}"' in page


def test_claim_forms_name_their_fields_as_the_api_does(client, make_claim):
    claim = make_claim(claimant_role="US Treasury Secretary", topics=["tariffs", "trade"])

    new = client.get("/claims/new").text
    edit = client.get(f"/claims/{claim.slug}/edit").text

    for name in ("statement", "quote", "quote_kind", "claimant", "claimant_role", "source_id",
                 "stated_on", "certainty", "condition", "due_from", "due_by", "due_text",
                 "resolution_criteria", "topics"):  # fmt: skip
        assert f'name="{name}"' in new
        assert f'id="err-{name}"' in new
    state = json.loads(re.search(r'id="form-state">(.*?)</script>', edit).group(1))
    assert (state["mode"], state["id"], state["etag"]) == ("edit", claim.id, claim.etag)
    assert 'value="tariffs, trade"' in edit
    assert 'value="US Treasury Secretary"' in edit
    assert client.get("/claims/no-such-claim/edit").status_code == 404
    assert f'href="/claims/{claim.slug}/edit"' in client.get(f"/claims/{claim.slug}").text
