"""The public, hash-chained history: recomputed here independently of the tracker's code."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from tests.conftest import EVIDENCE


def recompute(prev: str | None, event: dict) -> str:
    """SPEC section 2, written out from the spec rather than imported."""
    body = {k: v for k, v in event.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(((prev or "") + canonical).encode("utf-8")).hexdigest()


def busy_claim(client, make_claim, editor):
    claim = make_claim(statement="Xi visits Washington — before the G20")
    etag = claim.etag
    for path, body in [
        ("", {"quote": "a reciprocal meeting in Washington “planned”"}),
        ("/status", {"status": "in_progress", "note": "dates floated"}),
        ("/evidence", EVIDENCE),
        ("/status", {"status": "fulfilled", "note": "met", "evidence": [EVIDENCE]}),
        (
            "/status",
            {"status": "broken", "note": "it was a call, not a visit", "evidence": [EVIDENCE]},
        ),
    ]:
        method = client.patch if path == "" else client.post
        response = method(
            f"/v1/claims/{claim.id}{path}", json=body, headers={**editor, "If-Match": etag}
        )
        assert response.status_code == 200, response.text
        etag = response.headers["ETag"]
    return claim


def test_history_lists_every_event_oldest_first(client, make_claim, editor):
    claim = busy_claim(client, make_claim, editor)

    events = client.get(f"/v1/claims/{claim.id}/history").json()["events"]

    assert [e["kind"] for e in events] == [
        "created",
        "edited",
        "status_changed",
        "evidence_added",
        "status_changed",
        "status_changed",
    ]
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert [e["version"] for e in events] == [1, 2, 3, 4, 5, 6]


def test_history_hashes_recompute_from_the_spec(client, make_claim, editor):
    claim = busy_claim(client, make_claim, editor)

    events = client.get(f"/v1/claims/{claim.id}/history").json()["events"]

    prev = None
    for event in events:
        assert event["prev_hash"] == prev
        assert event["hash"] == recompute(prev, event)
        prev = event["hash"]


def test_history_pages_with_after(client, make_claim, editor):
    claim = busy_claim(client, make_claim, editor)
    everything = client.get(f"/v1/claims/{claim.id}/history").json()["events"]

    first = client.get(f"/v1/claims/{claim.id}/history?limit=4").json()
    rest = client.get(f"/v1/claims/{claim.id}/history?after={first['next_after']}").json()

    assert first["events"] + rest["events"] == everything
    assert rest["next_after"] is None


def test_seq_is_global_and_increasing_across_claims(client, make_claim):
    a = make_claim()
    b = make_claim()

    seqs = [client.get(f"/v1/claims/{c.id}/history").json()["events"][0]["seq"] for c in (a, b)]

    assert seqs[1] == seqs[0] + 1


def test_verify_fails_after_an_event_row_is_altered(client, make_claim, editor, engine, run_claims):
    claim = busy_claim(client, make_claim, editor)
    events = client.get(f"/v1/claims/{claim.id}/history").json()["events"]
    ok = run_claims("verify")
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE event SET note = 'it happened' WHERE seq = :seq"),
            {"seq": events[4]["seq"]},
        )

    broken = run_claims("verify")

    assert ok.returncode == 0, ok.stderr
    assert broken.returncode == 4
    assert f"seq {events[4]['seq']}" in broken.stderr
    assert f"claim {claim.id}" in broken.stderr
