"""The change feed, long-poll, the SSE stream and the summary."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date

import httpx
import pytest
import sqlalchemy as sa

from claims import storage
from tests.conftest import EVIDENCE


def test_changes_lists_every_write_once_in_order(client, make_claim, editor):
    a = make_claim()
    b = make_claim()
    client.post(
        f"/v1/claims/{a.id}/status",
        json={"status": "stalled", "note": "n"},
        headers={**editor, "If-Match": a.etag},
    )

    body = client.get("/v1/changes?since=0").json()

    assert [(c["claim_id"], c["kind"]) for c in body["changes"]] == [
        (a.id, "created"),
        (b.id, "created"),
        (a.id, "status_changed"),
    ]
    assert body["changes"][2] == {
        **body["changes"][2],
        "slug": a.slug,
        "status": "stalled",
        "version": 2,
    }
    assert [c["seq"] for c in body["changes"]] == sorted(c["seq"] for c in body["changes"])
    assert body["next"] == body["changes"][-1]["seq"]


def test_changes_pages_with_next(client, make_claim):
    for _ in range(5):
        make_claim()

    first = client.get("/v1/changes?since=0&limit=2").json()
    second = client.get(f"/v1/changes?since={first['next']}&limit=10").json()

    assert len(first["changes"]) == 2
    assert len(second["changes"]) == 3
    assert second["changes"][0]["seq"] == first["changes"][-1]["seq"] + 1


def test_since_in_the_future_is_400(client, make_claim):
    make_claim()

    response = client.get("/v1/changes?since=99")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "since"


def test_long_poll_times_out_empty(client, make_claim):
    claim = make_claim()
    since = client.get("/v1/changes").json()["next"]
    started = time.monotonic()

    body = client.get(f"/v1/changes?since={since}&wait=1").json()

    assert body == {"changes": [], "next": since}
    assert 0.9 <= time.monotonic() - started < 5
    assert claim.id


def test_long_poll_wakes_on_a_write_from_another_thread(client, make_claim):
    make_claim()
    since = client.get("/v1/changes").json()["next"]
    timer = threading.Timer(0.5, make_claim)
    timer.start()
    started = time.monotonic()

    body = client.get(f"/v1/changes?since={since}&wait=20").json()

    elapsed = time.monotonic() - started
    timer.join()
    assert [c["kind"] for c in body["changes"]] == ["created"]
    assert elapsed < 0.5 + 1.0


def test_long_poll_wakes_on_a_write_from_another_process(live_server, database):
    since = httpx.get(f"{live_server.url}/v1/changes").json()["next"]
    env = {**os.environ, "CLAIMS_DATABASE_URL": database.url}
    writer = subprocess.Popen(
        [sys.executable, "-m", "claims", "seed"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.monotonic()
        body = httpx.get(f"{live_server.url}/v1/changes?since={since}&wait=25", timeout=30).json()
        elapsed = time.monotonic() - started
    finally:
        writer.wait(timeout=30)

    assert body["changes"], "the long-poll returned without the other process's changes"
    assert body["changes"][0]["seq"] == since + 1
    assert elapsed < 20


def read_events(response: httpx.Response, count: int, timeout: float = 10) -> list[dict]:
    """Parse SSE messages (and heartbeat comments) until ``count`` events have arrived."""
    events: list[dict] = []
    current: dict = {}
    deadline = time.monotonic() + timeout
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            break
        if line.startswith(":"):
            events.append({"comment": line})
        elif line == "":
            if current:
                events.append(current)
                current = {}
        else:
            field, _, value = line.partition(":")
            current[field] = value.removeprefix(" ")
        if sum(1 for e in events if "id" in e) >= count:
            break
    return events


def test_stream_replays_exactly_the_events_after_last_event_id(
    live_server, client, make_claim, editor
):
    claims = [make_claim() for _ in range(3)]
    client.post(
        f"/v1/claims/{claims[0].id}/status",
        json={"status": "fulfilled", "note": "n", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claims[0].etag},
    )
    changes = client.get("/v1/changes").json()["changes"]
    seen = changes[1]["seq"]

    with httpx.stream(
        "GET", f"{live_server.url}/v1/stream", headers={"Last-Event-ID": str(seen)}, timeout=10
    ) as response:
        events = [e for e in read_events(response, 2) if "id" in e]

    assert response.headers["content-type"].startswith("text/event-stream")
    assert [int(e["id"]) for e in events] == [c["seq"] for c in changes[2:]]
    assert [e["event"] for e in events] == ["created", "status_changed"]
    assert httpx.Response(200, content=events[1]["data"]).json() == changes[3]


def test_stream_with_a_last_event_id_that_is_no_seq_is_422_naming_it(client):
    response = client.get("/v1/stream", headers={"Last-Event-ID": "abc"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Last-Event-ID"


def test_stream_delivers_new_changes_live(live_server, make_claim):
    since = httpx.get(f"{live_server.url}/v1/changes").json()["next"]
    with httpx.stream("GET", f"{live_server.url}/v1/stream?since={since}", timeout=10) as response:
        timer = threading.Timer(0.3, make_claim)
        timer.start()
        events = [e for e in read_events(response, 1) if "id" in e]
        timer.join()

    assert [int(e["id"]) for e in events] == [since + 1]


def test_stream_sends_heartbeat_comments(live_server):
    with httpx.stream("GET", f"{live_server.url}/v1/stream", timeout=10) as response:
        started = time.monotonic()
        first = next(line for line in response.iter_lines() if line)

    assert first.startswith(":")
    assert time.monotonic() - started < 3  # the test server beats every second


def test_stream_beyond_the_cap_is_503_with_retry_after(make_app, make_claim):
    from fastapi.testclient import TestClient

    app = make_app(max_streams=1)
    with TestClient(app) as client:
        app.state.hub.open_stream()  # the one slot is taken

        response = client.get("/v1/stream")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/problem+json"


def test_summary_counts_match_the_list(client, make_claim, editor):
    for n in range(4):
        make_claim(stated_on="2020-01-01", due_by="2020-06-30" if n % 2 else "2099-01-01")
    done = make_claim()
    client.post(
        f"/v1/claims/{done.id}/status",
        json={"status": "broken", "note": "n", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": done.etag},
    )

    summary = client.get("/v1/summary").json()
    items = client.get("/v1/claims?limit=200").json()["items"]

    assert summary["total"] == len(items) == 5
    assert summary["by_status"]["pending"] == sum(c["status"] == "pending" for c in items) == 4
    assert summary["by_status"]["broken"] == 1
    assert summary["overdue"] == sum(c["overdue"] for c in items) == 2
    assert summary["due_soon"] == sum(c["due_soon"] for c in items)
    assert summary["seq"] == client.get("/v1/changes").json()["next"]


def test_summary_counts_claims_of_one_deadline_spread_over_tally_shards(
    client, make_claim, editor, engine
):
    made = [make_claim(due_by="2031-03-31") for _ in range(20)]
    for claim in made[:7]:
        moved = client.post(
            f"/v1/claims/{claim.id}/status",
            json={"status": "in_progress", "note": "talks began"},
            headers={**editor, "If-Match": claim.etag},
        )
        assert moved.status_code == 200

    summary = client.get("/v1/summary").json()
    with engine.connect() as conn:
        shards = conn.execute(
            sa.select(sa.func.count()).where(storage.tally_t.c.due_key == date(2031, 3, 31))
        ).scalar_one()

    assert summary["by_status"]["pending"] == 13
    assert summary["by_status"]["in_progress"] == 7
    # PostgreSQL spreads one status and deadline over shards; SQLite (one writer) keeps one.
    assert shards > 2 if engine.dialect.name == "postgresql" else shards == 2


@pytest.mark.parametrize(
    "query", ["status=open", "topic=agriculture", "overdue=true", "claimant=Nobody", "q=soybeans"]
)
def test_summary_applies_the_list_filters(client, make_claim, query):
    make_claim(stated_on="2020-01-01", due_by="2020-06-30")
    make_claim(topics=["tariffs"], statement="Tariffs fall")

    summary = client.get(f"/v1/summary?{query}").json()
    items = client.get(f"/v1/claims?{query}&limit=200").json()["items"]

    assert summary["total"] == len(items)


@pytest.mark.parametrize(
    "query",
    [
        "due_after=9998-12-31",
        "due_before=9998-12-31",
        "due_after=9999-12-31",
        "due_before=9999-12-31",
        "due_after=2031-01-01&due_before=9999-12-31",
        "overdue=false&due_after=2031-01-01",
    ],
)
def test_summary_agrees_with_the_list_at_the_last_deadlines(client, make_claim, query):
    make_claim(due_by="9998-12-31")  # the last day a deadline may be
    make_claim(due_by=None)  # no deadline: the tally's 9999-12-31
    make_claim(due_by="2031-06-30")

    summary = client.get(f"/v1/summary?{query}").json()
    items = client.get(f"/v1/claims?{query}&limit=200").json()["items"]

    assert summary["total"] == len(items)


def test_summary_answers_304_until_something_changes(client, make_claim):
    make_claim()
    tag = client.get("/v1/summary").headers["ETag"]

    unchanged = client.get("/v1/summary", headers={"If-None-Match": tag})
    make_claim()
    changed = client.get("/v1/summary", headers={"If-None-Match": tag})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["total"] == 2


def test_summary_follows_deadline_edits_and_corrections(client, make_claim, editor):
    claim = make_claim(stated_on="2020-01-01", due_by="2099-01-01")
    edited = client.patch(
        f"/v1/claims/{claim.id}",
        json={"due_by": "2020-06-30"},
        headers={**editor, "If-Match": claim.etag},
    )
    verdict = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "broken", "note": "n", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": edited.headers["ETag"]},
    )
    overdue_before_verdict = edited.json()["overdue"]

    summary = client.get("/v1/summary").json()
    reopened = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": "reopened"},
        headers={**editor, "If-Match": verdict.headers["ETag"]},
    )
    after = client.get("/v1/summary").json()

    assert overdue_before_verdict is True
    assert (summary["by_status"]["broken"], summary["overdue"]) == (1, 0)
    assert reopened.status_code == 200
    assert (after["by_status"]["in_progress"], after["by_status"]["broken"]) == (1, 0)
    assert after["overdue"] == 1
    assert sum(after["by_status"].values()) == after["total"] == 1
