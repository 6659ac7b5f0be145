"""The review queue as HTML over HTTP (no browser), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from api.routes import newsroom
from claims import clock
from tests.conftest import EVIDENCE


def _section(html: str, key: str) -> list[str]:
    start = html.index(f'id="review-{key}"')
    end = html.find('<section class="review-section"', start + 1)
    return re.findall(r'<tr data-slug="([^"]+)"', html[start : end if end > 0 else None])


def _total(html: str, key: str) -> int:
    match = re.search(rf'data-count="{key}"><span class="tile-n">(\d+)</span>', html)
    assert match, key
    return int(match.group(1))


def test_review_lists_overdue_oldest_first_then_due_soon(client, make_claim, editor):
    late = make_claim(stated_on="2020-01-01", due_by="2020-03-01")
    later = make_claim(stated_on="2020-01-01", due_by="2020-02-01")
    decided = make_claim(stated_on="2020-01-01", due_by="2020-01-15")
    client.post(
        f"/v1/claims/{decided.id}/status",
        json={"status": "broken", "note": "no", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": decided.etag},
    )
    soon = make_claim(due_by=(clock.today(ZoneInfo("UTC")) + timedelta(days=3)).isoformat())
    make_claim(due_by="2099-01-01")

    response = client.get("/review")

    html = response.text
    assert response.status_code == 200
    assert _section(html, "overdue") == [later.slug, late.slug]
    assert _section(html, "due_soon") == [soon.slug]
    assert _section(html, "stale") == []
    assert (_total(html, "overdue"), _total(html, "due_soon"), _total(html, "stale")) == (2, 1, 0)
    assert f'href="/claims/{later.slug}#desk"' in html


def test_review_lists_claims_untouched_for_the_configured_days(client, make_claim, monkeypatch):
    idle = make_claim(due_by="2099-01-01")
    open_ended = make_claim(due_by=None)
    overdue = make_claim(stated_on="2020-01-01", due_by="2020-02-01")
    real_now = clock.now()
    monkeypatch.setattr(newsroom, "now", lambda: real_now + timedelta(days=31))

    html = client.get("/review").text

    assert sorted(_section(html, "stale")) == sorted([idle.slug, open_ended.slug])
    assert _section(html, "overdue") == [overdue.slug]  # listed once, in the first section
    assert "nobody has changed for 30 days or more" in html
    assert "last changed 31 days ago" in html
