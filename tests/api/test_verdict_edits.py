"""Editing a claim that carries a verdict is a correction: editors only, with a reason, and
marked ``correction: true`` in the history (SPEC section 2, "Changing … a verdict is a
correction"); the verdict rates those words, so a reviewer may not change them under it."""

from __future__ import annotations

import pytest

from tests.conftest import EVIDENCE, write_marks


def _rated(client, make_claim, editor, verdict: str = "fulfilled"):
    claim = make_claim(statement="China buys 12 million tonnes of soybeans this season")
    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": verdict, "note": "USDA confirms", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    assert response.status_code == 200, response.text
    return claim, response.headers["ETag"]


@pytest.mark.parametrize(
    "change",
    [
        {"statement": "China buys some soybeans"},
        {"resolution_criteria": "Any purchase counts"},
        {"due_by": "2030-12-31"},
    ],
)
def test_reviewer_editing_a_claim_with_a_verdict_is_403_and_changes_nothing(
    client, make_claim, editor, reviewer, engine, change
):
    claim, etag = _rated(client, make_claim, editor)
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={**change, "reason": "clearer wording"},
        headers={**reviewer, "If-Match": etag},
    )

    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "verdict" in response.json()["detail"]
    assert "correction" in response.json()["detail"]
    assert write_marks(engine) == before
    after = client.get(f"/v1/claims/{claim.id}").json()
    assert after["statement"] == "China buys 12 million tonnes of soybeans this season"


def test_editors_edit_of_a_claim_with_a_verdict_is_recorded_as_a_correction(
    client, make_claim, editor
):
    claim, etag = _rated(client, make_claim, editor, "broken")

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "China buys 10 million tonnes", "reason": "The quote said 10"},
        headers={**editor, "If-Match": etag},
    )

    assert response.status_code == 200, response.text
    last = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert last["kind"] == "edited"
    assert last["correction"] is True
    assert last["note"] == "The quote said 10"
    assert last["changes"]["statement"][1] == "China buys 10 million tonnes"
    assert response.json()["status"] == "broken"


def test_editors_edit_of_a_claim_with_a_verdict_without_a_reason_is_422_naming_reason(
    client, make_claim, editor, engine
):
    claim, etag = _rated(client, make_claim, editor)
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "China buys some soybeans"},
        headers={**editor, "If-Match": etag},
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert write_marks(engine) == before


def test_reviewers_edit_of_an_open_claim_is_not_a_correction(client, make_claim, reviewer):
    claim = make_claim()

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "China buys some soybeans"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert response.status_code == 200, response.text
    last = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert (last["kind"], last["correction"]) == ("edited", False)
