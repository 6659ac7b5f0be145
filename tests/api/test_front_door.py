"""What the one front door gives every client: ids or slugs everywhere, plain If-Match errors,
HEAD wherever GET, a true Allow on 405."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from claims.queries import ClaimQuery


@pytest.mark.parametrize("by", ["id", "slug"])
def test_every_per_claim_path_takes_an_id_or_a_slug(client, make_claim, editor, by):
    claim = make_claim()
    ref = claim.id if by == "id" else claim.slug
    headers = {**editor, "If-Match": claim.etag}

    edited = client.patch(f"/v1/claims/{ref}", json={"quote": "We will"}, headers=headers)
    headers["If-Match"] = edited.headers["etag"]
    evidence = client.post(
        f"/v1/claims/{ref}/evidence",
        json={"url": "https://example.org/a", "title": "Report", "stance": "context"},
        headers=headers,
    )
    headers["If-Match"] = evidence.headers["etag"]
    moved = client.post(
        f"/v1/claims/{ref}/status", json={"status": "stalled", "note": "quiet"}, headers=headers
    )
    history = client.get(f"/v1/claims/{ref}/history")
    review = client.get(f"/v1/claims/{ref}/claimreview")

    assert [r.status_code for r in (edited, evidence, moved, history)] == [200, 200, 200, 200]
    assert [e["kind"] for e in history.json()["events"]] == [
        "created",
        "edited",
        "evidence_added",
        "status_changed",
    ]
    assert review.status_code == 404  # no verdict yet: found by slug, refused for that reason


def test_unknown_slug_on_a_write_is_404(client, editor):
    response = client.post(
        "/v1/claims/no-such-claim/status",
        json={"status": "stalled", "note": "quiet"},
        headers={**editor, "If-Match": '"1.n"'},
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("if_match", ["1", "*", 'W/"1.n"', '"1"', '"1.n", "2.n"'])
def test_malformed_if_match_says_what_an_etag_looks_like(
    client, make_claim, editor, engine, if_match
):
    claim = make_claim()

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "stalled", "note": "quiet"},
        headers={**editor, "If-Match": if_match},
    )

    assert response.status_code == 412
    problem = response.json()
    assert problem["type"] == "/problems/malformed-if-match"
    assert '"3.n"' in problem["detail"]
    assert "-1" not in problem["detail"]
    assert problem["errors"][0]["field"] == "If-Match"
    assert client.get(f"/v1/claims/{claim.id}").json()["version"] == 1


@pytest.mark.parametrize(
    "path", ["/v1/claims", "/v1/claims/1", "/v1/summary", "/v1/changes", "/v1/sources", "/"]
)
def test_head_answers_like_get_without_a_body(client, make_claim, path):
    make_claim()

    get = client.get(path)
    head = client.head(path)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers.get("etag") == get.headers.get("etag")
    assert head.headers["content-type"] == get.headers["content-type"]


def test_wrong_method_is_405_allowing_every_method_of_the_path(client, make_claim):
    claim = make_claim()

    response = client.delete(f"/v1/claims/{claim.id}")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PATCH"
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_query_parameter_on_a_route_outside_the_front_door_is_422(client):
    response = client.get("/v1/sources?page=2")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_pages_ignore_unknown_query_parameters(client):
    assert client.get("/?utm_source=newsletter").status_code == 200


def test_a_write_without_body_or_token_is_401_before_422(client):
    assert client.post("/v1/claims").status_code == 401


def test_a_write_without_body_is_422_naming_the_body(client, reviewer):
    response = client.post("/v1/claims", headers=reviewer)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_a_query_string_seen_before_is_answered_as_the_first_time(client, make_claim):
    """Valid query strings are validated once and their query reused: a reused query must
    give the page of now, and an invalid string must be refused every time."""
    make_claim()
    first = client.get("/v1/claims?status=pending&limit=1")
    make_claim()
    again = client.get("/v1/claims?status=pending&limit=1")
    refused = [client.get("/v1/claims?status=pending&limit=0") for _ in range(2)]

    assert first.json()["next_cursor"] is None
    assert again.json()["next_cursor"] is not None
    assert again.headers["etag"] != first.headers["etag"]
    assert [r.status_code for r in refused] == [422, 422]
    assert refused[0].json() == refused[1].json()


def test_query_models_are_frozen():
    """The front door hands one validated query to every request with the same string: a
    handler that could change it would change the next request's."""
    query = ClaimQuery.model_validate({"status": "pending"})

    with pytest.raises(ValidationError):
        query.status = "broken"  # type: ignore[misc]
