"""`GET /v1/feeds/verdicts.atom`: verdicts and corrections, newest first, as valid Atom."""

from __future__ import annotations

import feedparser
import pytest
import sqlalchemy as sa

from claims import storage
from tests.conftest import EVIDENCE

FEED = "/v1/feeds/verdicts.atom"


def move(client, claim, headers, status, note="reported", evidence=(EVIDENCE,)):
    current = client.get(f"/v1/claims/{claim.id}").headers["ETag"]
    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": status, "note": note, "evidence": list(evidence)},
        headers={**headers, "If-Match": current},
    )
    assert response.status_code == 200, response.text


def read_feed(client, **params):
    response = client.get(FEED, params=params)
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_feed_is_valid_atom_with_the_required_elements(client, make_claim, editor):
    move(client, make_claim(), editor, "fulfilled")

    response = client.get(FEED)
    feed = feedparser.parse(response.content)

    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo
    assert feed.version == "atom10"
    assert feed.feed.id == "http://127.0.0.1:8000/v1/feeds/verdicts.atom"
    assert feed.feed.title == "Claim tracker: verdicts and corrections"
    assert feed.feed.updated_parsed is not None
    assert feed.feed.author == "Claim tracker"
    entry = feed.entries[0]
    assert entry.id
    assert entry.title
    assert entry.updated_parsed


def test_feed_lists_verdicts_newest_first(client, make_claim, editor):
    first, second = make_claim(statement="First claim"), make_claim(statement="Second claim")
    move(client, first, editor, "broken")
    move(client, second, editor, "fulfilled")

    feed = read_feed(client)

    assert [e.title for e in feed.entries] == ["Fulfilled: Second claim", "Broken: First claim"]


def test_feed_lists_a_correction_after_it_is_made(client, make_claim, editor):
    claim = make_claim(statement="Deal signed by Friday")
    move(client, claim, editor, "fulfilled")
    before = read_feed(client)

    move(client, claim, editor, "broken", note="We got this wrong: no signature")
    after = read_feed(client)

    assert len(before.entries) == 1
    assert len(after.entries) == 2
    assert after.entries[0].title == "Correction: Broken (was Fulfilled): Deal signed by Friday"
    assert "We got this wrong: no signature" in after.entries[0].summary
    assert after.entries[1].id == before.entries[0].id


def test_feed_lists_a_reopened_verdict_as_a_correction(client, make_claim, editor):
    claim = make_claim(statement="Visit in spring")
    move(client, claim, editor, "broken")

    move(client, claim, editor, "in_progress", evidence=())

    title = read_feed(client).entries[0].title
    assert title == "Correction: reopened as In progress (was Broken): Visit in spring"


def test_feed_leaves_out_moves_between_open_states(client, make_claim, reviewer):
    claim = make_claim()
    move(client, claim, reviewer, "in_progress", evidence=())
    move(client, claim, reviewer, "stalled", evidence=())

    feed = read_feed(client)

    assert feed.entries == []


def test_feed_entries_link_the_claim_page_and_the_evidence(client, make_claim, editor):
    claim = make_claim()
    move(client, claim, editor, "fulfilled")

    entry = read_feed(client).entries[0]

    assert [(link.rel, link.href) for link in entry.links] == [
        ("alternate", f"http://127.0.0.1:8000/claims/{claim.slug}")
    ]
    assert f'<a href="{EVIDENCE["url"]}">{EVIDENCE["title"]}</a>' in entry.content[0].value
    assert entry.tags[0].term == "fulfilled"


def test_feed_entry_ids_are_permanent_history_addresses(client, make_claim, editor):
    claim = make_claim()
    move(client, claim, editor, "fulfilled")
    seq = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]["seq"]

    entry = read_feed(client).entries[0]

    assert entry.id == f"http://127.0.0.1:8000/v1/claims/{claim.id}/history#seq-{seq}"


@pytest.mark.parametrize("limit", [1, 2])
def test_feed_limit_keeps_the_newest_entries(client, make_claim, editor, limit):
    for n in range(3):
        move(client, make_claim(statement=f"Claim {n}"), editor, "fulfilled")

    feed = read_feed(client, limit=limit)

    assert [e.title for e in feed.entries] == [f"Fulfilled: Claim {n}" for n in (2, 1)][:limit]


def test_feed_answers_304_until_something_changes(client, make_claim, editor):
    claim = make_claim()
    move(client, claim, editor, "fulfilled")
    tag = client.get(FEED).headers["ETag"]

    unchanged = client.get(FEED, headers={"If-None-Match": tag})
    move(client, claim, editor, "broken")
    changed = client.get(FEED, headers={"If-None-Match": tag})

    assert unchanged.status_code == 304
    assert changed.status_code == 200


def test_empty_feed_is_still_valid_atom(client):
    feed = read_feed(client)

    assert feed.version == "atom10"
    assert feed.entries == []


def test_feed_keeps_working_when_stored_texts_hold_controls_xml_cannot_carry(
    client, make_claim, editor, engine
):
    claim = make_claim(statement="Deal signed by Friday")
    move(client, claim, editor, "broken", note="No signature")
    # Rows written before the API refused controls (or by hand): lxml refuses such text.
    events = storage.event_t
    with engine.begin() as conn:
        conn.execute(
            sa.update(events)
            .where(events.c.claim_id == claim.id, events.c.kind == "status_changed")
            .values(
                note="No\x01 signature\x0b",
                actor_name="ed\x1b-editor",
                evidence=[{**EVIDENCE, "title": "Wire\x02 report", "url": "javascript:alert(1)"}],
            )
        )
        conn.execute(
            sa.update(storage.claim_t)
            .where(storage.claim_t.c.id == claim.id)
            .values(statement="Deal\x1f signed by Friday\ufffe", claimant="Scott\x08 Bessent")
        )

    response = client.get(FEED)
    feed = read_feed(client)

    entry = feed.entries[0]
    assert entry.title == "Broken: Deal signed by Friday"
    assert "No signature" in entry.summary
    assert "Scott Bessent" in entry.summary
    assert "Wire report" in entry.content[0].value
    assert b"javascript:" not in response.content


def test_feed_lists_an_editors_edit_of_a_claim_with_a_verdict_as_a_correction(
    client, make_claim, editor
):
    claim = make_claim(statement="Deal signed by Friday")
    move(client, claim, editor, "broken", note="No signature")
    current = client.get(f"/v1/claims/{claim.id}").headers["ETag"]
    edited = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "Deal signed by Sunday", "reason": "The quote said Sunday"},
        headers={**editor, "If-Match": current},
    )
    assert edited.status_code == 200, edited.text

    feed = read_feed(client)

    assert [e.title for e in feed.entries] == [
        "Correction: edited under its verdict Broken: Deal signed by Sunday",
        "Broken: Deal signed by Sunday",
    ]
    assert "The quote said Sunday" in feed.entries[0].summary
    assert "“Deal signed by Friday” → “Deal signed by Sunday”" in feed.entries[0].summary
