"""Internal notes, assignment and the reason of an edit, through the HTTP API."""

from __future__ import annotations


def test_notes_are_for_staff_and_stay_out_of_the_public_record(client, make_claim, reviewer):
    claim = make_claim()

    added = client.post(
        f"/v1/claims/{claim.slug}/notes", json={"body": "Call the ministry"}, headers=reviewer
    )
    listed = client.get(f"/v1/claims/{claim.id}/notes", headers=reviewer)

    assert added.status_code == 201
    assert added.json()["author"] == {"name": "rita-reviewer", "role": "reviewer"}
    assert [n["body"] for n in listed.json()["notes"]] == ["Call the ministry"]
    history = client.get(f"/v1/claims/{claim.id}/history").json()["events"]
    assert "Call the ministry" not in str(history)
    assert client.get(f"/v1/claims/{claim.id}").json()["version"] == 1
    assert "Call the ministry" not in client.get("/v1/changes").text


def test_notes_refuse_readers_without_a_staff_token(client, make_claim, viewer):
    claim = make_claim()
    path = f"/v1/claims/{claim.id}/notes"

    assert client.get(path).status_code == 401
    assert client.get(path, headers=viewer).status_code == 403
    assert client.post(path, json={"body": "x"}, headers=viewer).status_code == 403


def test_empty_note_is_a_422_naming_body(client, make_claim, reviewer):
    claim = make_claim()

    response = client.post(f"/v1/claims/{claim.id}/notes", json={"body": "  "}, headers=reviewer)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_assignment_is_set_replaced_and_cleared_and_filters_the_review_queue(
    client, make_claim, reviewer, editor
):
    claim = make_claim(stated_on="2020-01-01", due_by="2020-02-01")
    other = make_claim(stated_on="2020-01-01", due_by="2020-02-02")
    path = f"/v1/claims/{claim.id}/assignee"

    first = client.put(path, json={"assignee": "rita-reviewer"}, headers=editor)
    mine = client.get("/review?assignee=rita-reviewer").text
    second = client.put(path, json={"assignee": "ed-editor"}, headers=reviewer)
    cleared = client.put(path, json={"assignee": None}, headers=reviewer)

    assert first.json()["assignment"]["assignee"] == "rita-reviewer"
    assert first.json()["assignment"]["assigned_by"] == "ed-editor"
    assert claim.slug in mine
    assert other.slug not in mine
    assert second.json()["assignment"]["assignee"] == "ed-editor"
    assert cleared.json() == {"assignment": None}
    assert client.get(f"/v1/claims/{claim.id}/notes", headers=reviewer).json()["assignment"] is None


def test_edit_reason_is_the_history_events_note(client, make_claim, reviewer):
    claim = make_claim()

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"claimant_role": "Secretary", "reason": "Title was wrong"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert response.status_code == 200
    edited = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert edited["kind"] == "edited"
    assert edited["note"] == "Title was wrong"
    assert edited["changes"] == {"claimant_role": ["US Treasury Secretary", "Secretary"]}
