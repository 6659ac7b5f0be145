"""The status workflow of SPEC section 2, for each role, through the HTTP API."""

from __future__ import annotations

import pytest

from tests.conftest import EVIDENCE, write_marks


def move(client, claim, headers, etag=None, **body):
    body.setdefault("note", "reported by Reuters")
    return client.post(
        f"/v1/claims/{claim.id}/status",
        json=body,
        headers={**headers, "If-Match": etag or claim.etag},
    )


def test_every_claim_starts_pending(make_claim):
    claim = make_claim()

    assert claim.body["status"] == "pending"
    assert claim.body["version"] == 1


@pytest.mark.parametrize("target", ["in_progress", "stalled"])
def test_reviewer_moves_between_open_states(client, make_claim, reviewer, target):
    claim = make_claim()

    response = move(client, claim, reviewer, status=target)

    assert response.status_code == 200
    assert response.json()["status"] == target
    assert response.json()["version"] == 2


@pytest.mark.parametrize("verdict", ["fulfilled", "partially_fulfilled", "broken", "void"])
def test_reviewer_cannot_set_verdict(client, make_claim, reviewer, engine, verdict):
    claim = make_claim()
    before = write_marks(engine)

    response = move(client, claim, reviewer, status=verdict, evidence=[EVIDENCE])

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json()["version"] == 1


@pytest.mark.parametrize("verdict", ["fulfilled", "partially_fulfilled", "broken", "void"])
def test_editor_sets_verdict_with_note_and_evidence(client, make_claim, editor, verdict):
    claim = make_claim()

    response = move(
        client, claim, editor, status=verdict, evidence=[EVIDENCE], occurred_on="2025-10-30"
    )

    assert response.status_code == 200
    assert response.json()["status"] == verdict
    event = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert event["kind"] == "status_changed"
    assert (event["from_status"], event["to_status"]) == ("pending", verdict)
    assert event["occurred_on"] == "2025-10-30"
    assert event["correction"] is False
    assert event["evidence"][0]["url"] == EVIDENCE["url"]
    assert event["actor"] == {"name": "ed-editor", "role": "editor"}


def test_admin_may_set_verdict(client, make_claim, admin):
    claim = make_claim()

    response = move(client, claim, admin, status="fulfilled", evidence=[EVIDENCE])

    assert response.status_code == 200


def test_verdict_without_evidence_is_422_naming_evidence(client, make_claim, editor, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = move(client, claim, editor, status="broken")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["evidence"]
    assert write_marks(engine) == before


@pytest.mark.parametrize("note", [None, "", "   "])
def test_status_change_without_note_is_422_naming_note(client, make_claim, reviewer, note, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = move(client, claim, reviewer, status="stalled", note=note)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "note"
    assert write_marks(engine) == before


def test_setting_current_status_again_is_409(client, make_claim, reviewer, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = move(client, claim, reviewer, status="pending")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "status", "message": "is already pending"}]
    assert write_marks(engine) == before


def test_unknown_status_is_422_naming_status(client, make_claim, editor):
    claim = make_claim()

    response = move(client, claim, editor, status="done")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_changing_a_verdict_is_a_marked_correction(client, make_claim, editor):
    claim = make_claim()
    first = move(client, claim, editor, status="fulfilled", evidence=[EVIDENCE])

    response = move(
        client,
        claim,
        editor,
        etag=first.headers["ETag"],
        status="broken",
        note="the purchases were cancelled",
        evidence=[EVIDENCE],
    )

    assert response.status_code == 200
    events = client.get(f"/v1/claims/{claim.id}/history").json()["events"]
    assert [e["correction"] for e in events] == [False, False, True]
    assert events[1]["to_status"] == "fulfilled"  # the old verdict stays visible
    assert (events[2]["from_status"], events[2]["to_status"]) == ("fulfilled", "broken")


def test_reopening_a_verdict_is_a_correction_needing_only_a_note(client, make_claim, editor):
    claim = make_claim()
    first = move(client, claim, editor, status="broken", evidence=[EVIDENCE])

    response = move(
        client,
        claim,
        editor,
        etag=first.headers["ETag"],
        status="in_progress",
        note="talks resumed after all",
    )

    assert response.status_code == 200
    assert client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]["correction"]


def test_reviewer_cannot_reopen_a_verdict(client, make_claim, editor, reviewer):
    claim = make_claim()
    first = move(client, claim, editor, status="void", evidence=[EVIDENCE])

    response = move(client, claim, reviewer, etag=first.headers["ETag"], status="pending")

    assert response.status_code == 403


def test_viewer_cannot_change_status(client, make_claim, viewer):
    claim = make_claim()

    response = move(client, claim, viewer, status="stalled")

    assert response.status_code == 403


def test_status_change_without_token_is_401(client, make_claim):
    claim = make_claim()

    response = move(client, claim, {}, status="stalled")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_evidence_url_must_be_http(client, make_claim, editor, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = move(
        client,
        claim,
        editor,
        status="fulfilled",
        evidence=[{**EVIDENCE, "url": "javascript:alert(1)"}],
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "evidence.0.url"
    assert write_marks(engine) == before


def test_deadline_passing_marks_overdue_without_changing_status(client, make_claim):
    claim = make_claim(stated_on="2020-01-01", due_by="2020-06-30")

    body = client.get(f"/v1/claims/{claim.id}").json()

    assert body["status"] == "pending"
    assert body["overdue"] is True


def test_claim_with_verdict_is_never_overdue(client, make_claim, editor):
    claim = make_claim(stated_on="2020-01-01", due_by="2020-06-30")

    response = move(client, claim, editor, status="broken", evidence=[EVIDENCE])

    assert response.json()["overdue"] is False
