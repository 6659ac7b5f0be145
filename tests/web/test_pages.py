"""The pages as HTML over HTTP (no browser): what the server renders, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from claims import storage
from tests.conftest import EVIDENCE
from web import views


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-slug="([^"]+)"', html)


def _count(html: str, key: str) -> int:
    match = re.search(rf'data-count="{key}"[^>]*>\s*<span class="tile-n">(\d+)</span>', html)
    assert match, key
    return int(match.group(1))


def test_board_lists_claims_with_counts_and_deadlines(client, make_claim, editor):
    late = make_claim(due_by="2020-01-10", stated_on="2020-01-01")
    make_claim(due_by=None)
    decided = make_claim(due_by="2020-01-10", stated_on="2020-01-01")
    client.post(
        f"/v1/claims/{decided.id}/status",
        json={"status": "broken", "note": "no", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": decided.etag},
    )

    response = client.get("/")

    html = response.text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert len(_rows(html)) == 3
    assert (_count(html, "total"), _count(html, "pending"), _count(html, "broken")) == (3, 2, 1)
    assert _count(html, "overdue") == 1
    assert "days overdue" in html
    assert "ended " in html  # the verdict's deadline is past, but it is not overdue
    assert "no deadline" in html
    assert late.body["statement"] in html


def test_board_filters_come_from_the_url_and_empty_fields_are_ignored(client, make_claim):
    make_claim(claimant="Scott Bessent")
    wanted = make_claim(claimant="Donald Trump")

    response = client.get(
        "/?status=&topic=&claimant=Donald+Trump&q=&sort=due_by&due_before=&overdue="
    )

    assert response.status_code == 200
    assert _rows(response.text) == [wanted.slug]
    assert 'value="Donald Trump"' in response.text
    assert _count(response.text, "total") == 1


def test_board_with_an_unknown_status_is_a_422_problem(client):
    response = client.get("/?status=maybe")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "status"


@pytest.mark.parametrize("query", ["status=maybe", "topic=Bad%20Topic", "due_before=someday"])
def test_board_refuses_a_bad_filter_with_the_apis_own_message(client, query):
    page = client.get(f"/?{query}").json()
    api = client.get(f"/v1/claims?{query}").json()

    assert page["errors"] == api["errors"]
    assert "pattern" not in page["detail"]


def test_board_pages_by_200_with_a_next_link(client, make_claim, monkeypatch):
    monkeypatch.setattr(views, "BOARD_LIMIT", 2)
    for _ in range(3):
        make_claim()

    first = client.get("/")
    found = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    next_url = found.group(1).replace("&amp;", "&")
    second = client.get(next_url)

    assert len(_rows(first.text)) == 2
    assert len(_rows(second.text)) == 1
    assert "First page" in second.text
    assert not set(_rows(first.text)) & set(_rows(second.text))


def test_claim_page_renders_the_record_and_a_correction(client, make_claim, editor):
    claim = make_claim(
        quote="We expect substantial purchases",
        resolution_criteria="Fulfilled: contracts signed by 31 December.",
        due_text="by the end of the year",
    )
    first = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "fulfilled", "note": "Signed", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "partially_fulfilled", "note": "Only half", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": first.headers["ETag"]},
    )

    response = client.get(f"/claims/{claim.slug}")

    html = response.text
    assert response.status_code == 200
    assert "We expect substantial purchases" in html
    assert "US Treasury Secretary" in html
    assert "Fulfilled: contracts signed by 31 December." in html
    assert "As stated: “by the end of the year”" in html
    assert html.count('class="event event-status_changed') == 2
    assert html.count("event-correction") == 1
    assert '<a href="https://example.org/news/soybeans"' in html
    assert "stance-supports" in html


def test_claim_page_shows_an_edit_field_by_field(client, make_claim, reviewer):
    claim = make_claim(due_text="by year end")
    client.patch(
        f"/v1/claims/{claim.id}",
        json={"due_text": "before Christmas"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    html = client.get(f"/claims/{claim.slug}").text

    assert "Claim edited" in html
    assert re.search(
        r"<th scope=\"row\">Due text</th><td>by year end</td><td>before Christmas</td>", html
    )
    assert "rita-reviewer (reviewer)" in html


def test_claim_page_shows_no_table_of_changes_for_the_creation(client, make_claim):
    claim = make_claim()  # its created event snapshots every field (docs/history.md)

    html = client.get(f"/claims/{claim.slug}").text

    assert "Claim recorded" in html
    assert 'class="changes"' not in html


def test_claim_page_by_id_redirects_to_the_slug(client, make_claim):
    claim = make_claim()

    response = client.get(f"/claims/{claim.id}", follow_redirects=False)

    assert response.status_code == 308
    assert response.headers["location"] == f"/claims/{claim.slug}"


def test_claim_page_of_an_unknown_slug_is_404(client):
    response = client.get("/claims/no-such-claim")

    assert response.status_code == 404


def test_claim_page_escapes_what_people_typed(client, make_claim):
    claim = make_claim(statement="Tariffs <script>alert(1)</script> fall", quote="a & b")

    html = client.get(f"/claims/{claim.slug}").text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_claim_page_carries_the_etag_and_what_each_role_is_offered(client, make_claim):
    claim = make_claim()

    html = client.get(f"/claims/{claim.slug}").text

    state = re.search(r'<script type="application/json" id="claim-state">(.*?)</script>', html)
    assert state is not None
    data = json.loads(state.group(1))
    assert (data["etag"], data["version"], data["status"]) == (claim.etag, 1, "pending")
    assert data["offered"]["viewer"] == {"evidence": False, "moves": []}
    assert {m["status"] for m in data["offered"]["reviewer"]["moves"]} == {"in_progress", "stalled"}


@pytest.mark.parametrize(
    ("name", "media_type"), [("style.css", "text/css"), ("board.js", "text/javascript")]
)
def test_static_files_are_served_by_the_app(client, name, media_type):
    page = client.get("/").text
    url = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', page).group(1)

    versioned = client.get(url)
    bare = client.get(f"/static/{name}")

    assert versioned.status_code == 200
    assert versioned.headers["content-type"].startswith(media_type)
    assert "immutable" in versioned.headers["cache-control"]
    assert bare.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("name", ["nope.js", "..%2Fpresent.py", "__init__.py"])
def test_only_shipped_static_files_are_served(client, name):
    assert client.get(f"/static/{name}").status_code == 404


def test_pages_need_a_token_when_reads_do(make_app):
    with TestClient(make_app(reads_require_token=True), raise_server_exceptions=False) as c:
        assert c.get("/").status_code == 401


EMPTY_EVIDENCE_FIELDS = {"publisher": None, "published_on": None, "quote": None}


def test_a_stored_url_that_is_not_http_is_shown_as_text_never_as_a_link(
    client, make_claim, reviewer, editor, engine
):
    source = client.post(
        "/v1/sources",
        json={"title": "Readout of the call", "url": "https://example.org/readout"},
        headers=reviewer,
    ).json()
    claim = make_claim(source_id=source["id"])
    verdict = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "fulfilled", "note": "Signed", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    assert verdict.status_code == 200, verdict.text
    # Rows written before the API checked URLs, by an old import, or by hand.
    script = "javascript:alert(document.cookie)"
    with engine.begin() as conn:
        conn.execute(sa.update(storage.source_t).values(url=script))
        conn.execute(sa.update(storage.evidence_t).values(url=script))
        conn.execute(
            sa.update(storage.event_t)
            .where(storage.event_t.c.kind == "status_changed")
            .values(evidence=[{**EVIDENCE, **EMPTY_EVIDENCE_FIELDS, "url": script}])
        )

    pages = [client.get(f"/claims/{claim.slug}"), client.get(f"/sources/{source['id']}")]

    for page in pages:
        assert page.status_code == 200
        assert "javascript:" not in page.text
        assert "Readout of the call" in page.text
    assert EVIDENCE["title"] in pages[0].text
    assert EVIDENCE["title"] in pages[1].text
