"""Idempotency-Key on creates: a retry replays the first response and creates nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from claims import idempotency
from claims.models import Actor, ClaimCreate
from claims.status import Role
from tests.conftest import write_marks

BODY = {"statement": "China resumes soybean purchases", "claimant": "Scott Bessent"}


def test_retry_with_same_key_and_body_replays_the_first_response(client, reviewer, engine):
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-1"})
    after_first = write_marks(engine)

    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert write_marks(engine) == after_first


def test_replay_returns_the_first_body_even_after_an_edit(client, reviewer, editor):
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-2"})
    client.patch(
        first.headers["Location"],
        json={"quote": "new"},
        headers={**editor, "If-Match": first.headers["ETag"]},
    )

    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-2"})

    assert retry.json() == first.json()


def test_same_key_with_another_body_is_422_and_writes_nothing(client, reviewer, engine):
    client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-3"})
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        json={**BODY, "statement": "Something else"},
        headers={**reviewer, "Idempotency-Key": "k-3"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert write_marks(engine) == before


def test_retry_while_the_first_is_running_is_409(client, reviewer, engine):
    # The first request has taken the key and is still working (its create not yet committed).
    with Session(engine) as session:
        idempotency.begin(
            session,
            actor=Actor(name="rita-reviewer", role=Role.REVIEWER),
            operation="create_claim",
            key="k-4",
            body=ClaimCreate(**BODY),
        )
    before = write_marks(engine)

    response = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-4"})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before


def test_keys_belong_to_one_token(client, make_token, reviewer):
    other = make_token(Role.REVIEWER, "other-reviewer")
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-5"})

    second = client.post("/v1/claims", json=BODY, headers={**other, "Idempotency-Key": "k-5"})

    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]


def test_failed_create_releases_the_key(client, reviewer):
    bad = client.post(
        "/v1/claims",
        json={**BODY, "source_id": 999},
        headers={**reviewer, "Idempotency-Key": "k-6"},
    )

    fixed = client.post(
        "/v1/claims",
        json={**BODY, "source_id": None},
        headers={**reviewer, "Idempotency-Key": "k-6"},
    )

    assert bad.status_code == 422
    assert fixed.status_code == 201


def test_source_create_is_idempotent_too(client, reviewer):
    body = {"title": "Meet the Press, 26 October 2025"}

    first = client.post("/v1/sources", json=body, headers={**reviewer, "Idempotency-Key": "s-1"})
    retry = client.post("/v1/sources", json=body, headers={**reviewer, "Idempotency-Key": "s-1"})

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert len(client.get("/v1/sources").json()["items"]) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\there", "ünïcode"])
def test_malformed_key_is_422_naming_the_header(client, reviewer, engine, key):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": key.encode("utf-8")}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert write_marks(engine) == before
