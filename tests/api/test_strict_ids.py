"""Ids in request bodies are JSON integers: `true` is not claim 1, nor is `"1"`."""

from __future__ import annotations

import pytest

from tests.conftest import write_marks

BODY = {"statement": "China resumes soybean purchases", "claimant": "Scott Bessent"}
NOT_IDS = [True, False, "1", 1.0]


@pytest.fixture
def first_claim_and_source(client, reviewer, make_claim):
    """Claim 1 and source 1 exist, so a lax `true` would silently point at them."""
    source = client.post("/v1/sources", json={"title": "Meet the Press"}, headers=reviewer)
    claim = make_claim()
    assert (claim.id, source.json()["id"]) == (1, 1)
    return claim


@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
@pytest.mark.parametrize("value", NOT_IDS, ids=repr)
def test_create_with_an_id_that_is_not_an_integer_is_422_naming_it(
    client, reviewer, engine, first_claim_and_source, field, value
):
    before = write_marks(engine)

    response = client.post("/v1/claims", json={**BODY, field: value}, headers=reviewer)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert write_marks(engine) == before


@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
def test_edit_with_true_as_an_id_is_422_naming_it(
    client, editor, engine, first_claim_and_source, field
):
    claim = first_claim_and_source
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}", json={field: True}, headers={**editor, "If-Match": claim.etag}
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert write_marks(engine) == before


def test_create_with_an_integer_id_still_links(client, reviewer, first_claim_and_source):
    response = client.post(
        "/v1/claims",
        json={**BODY, "certainty": "conditional", "source_id": 1, "condition_claim_id": 1},
        headers=reviewer,
    )

    assert response.status_code == 201, response.text
    assert (response.json()["source_id"], response.json()["condition_claim_id"]) == (1, 1)


def test_list_filter_by_source_still_takes_the_id_as_text(client, first_claim_and_source):
    response = client.get("/v1/claims?source=1")

    assert response.status_code == 200
