"""Hostile input: numbers no id can be, and malformed Idempotency-Keys (see
test_hostile_input.py for what every refusal must be)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.reliability.hostile import (
    BIG_IDS,
    HUGE_IDS,
    NEW,
    PROBLEM,
    WRITES,
    assert_problem,
    same_on_every_backend,
    snapshot,
)

# ---------------------------------------------------------------------------------------------
# Numbers too big for an id


@pytest.mark.parametrize("number", BIG_IDS)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        *WRITES,
        ("GET", "/v1/claims/{n}", None),
        ("GET", "/v1/claims/{n}/history", None),
        ("GET", "/v1/sources/{n}", None),
    ],
)
def test_id_no_row_can_have_in_the_path_is_404_or_422(
    client, claim, editor, engine, number, method, path, body
):
    before = snapshot(engine)

    response = client.request(
        method,
        path.format(id=number, n=number),
        json=body,
        headers={**editor, "If-Match": claim.etag},
    )

    # Ids past the 32-bit id columns are refused by validation (422); a slug-or-id path that
    # cannot be an id is looked up as a slug (404). Never a 5xx.
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [*WRITES, ("GET", "/v1/claims/{id}/history", None)],
)
def test_number_beyond_64_bits_as_a_per_claim_path_is_404(
    client, claim, editor, engine, number, method, path, body
):
    before = snapshot(engine)

    response = client.request(
        method, path.format(id=number), json=body, headers={**editor, "If-Match": claim.etag}
    )

    # Per-claim paths take an id or a slug; this is neither, so no claim has it.
    assert_problem(response, 404)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
def test_number_beyond_64_bits_as_a_source_id_is_422(client, number):
    assert_problem(client.get(f"/v1/sources/{number}"), 422)


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
def test_number_beyond_64_bits_as_a_claim_reference_is_404(client, number):
    response = client.get(f"/v1/claims/{number}")  # too long for an id, so read as a slug

    assert_problem(response, 404)


@same_on_every_backend
@pytest.mark.parametrize("ref", ["¹", "²³", "١", "٣"])  # Unicode digits: not ids, not slugs
@pytest.mark.parametrize("path", ["/v1/claims/{ref}", "/v1/claims/{ref}/claimreview"])
def test_claim_reference_in_non_ascii_digits_is_404(client, claim, ref, path):
    response = client.get(path.format(ref=ref))

    assert_problem(response, 404)


@pytest.mark.parametrize("number", BIG_IDS)
@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
def test_reference_to_an_id_no_row_has_in_a_body_is_422_naming_it(
    client, reviewer, engine, number, field
):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: number}, headers=reviewer)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", [*HUGE_IDS, -1, 0])
@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
def test_reference_that_is_not_an_id_in_a_body_is_422_naming_it(
    client, reviewer, engine, number, field
):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: number}, headers=reviewer)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@pytest.mark.parametrize("number", [*BIG_IDS, *HUGE_IDS])
def test_seq_no_change_has_yet_in_since_is_a_4xx(client, claim, number):
    response = client.get("/v1/changes", params={"since": number})

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("number", BIG_IDS)
def test_history_after_a_seq_past_the_seq_range_is_422_naming_after(client, claim, number):
    response = client.get(f"/v1/claims/{claim.id}/history", params={"after": number})

    assert_problem(response, 422, "after")


@same_on_every_backend
@pytest.mark.parametrize(
    "params",
    [
        {"limit": 2**80},
        {"limit": 0},
        {"limit": -1},
        {"limit": "ten"},
        {"due_before": "2025-02-30"},
        {"due_before": "0"},
        {"due_after": "1767139200"},
        {"status": "done"},
        {"sort": "-password"},
        {"cursor": "not-a-cursor"},
        {"overdue": "maybe"},
    ],
)
def test_invalid_list_filter_is_422(client, params):
    response = client.get("/v1/claims", params=params)

    assert_problem(response, 422)


@pytest.mark.parametrize(
    "path",
    ["/v1/claims?q=a%00b", "/v1/claims?claimant=a%00b", "/v1/claims/a%00b", "/v1/summary?q=%00"],
)
def test_nul_character_in_a_read_is_not_a_server_error(client, claim, path):
    response = client.get(path)
    after = client.get("/v1/claims")

    assert response.status_code < 500, response.text
    assert after.status_code == 200  # and the process's reads are not disturbed by it


def test_read_of_an_impossible_id_does_not_disturb_other_reads(client, claim):
    client.get(f"/v1/claims/{2**31}")

    response = client.get(f"/v1/claims/{claim.id}")

    assert response.status_code == 200, response.text


# ---------------------------------------------------------------------------------------------
# Idempotency-Key


BAD_KEYS: list[Any] = [
    "",
    " ",
    "two words",
    "tab\there",
    "x" * 256,
    "x" * 300,
    "\x00",
    "nul\x00inside",
    "\x7f",
    "abc\r\nX-Injected: 1",
    "abc\nSet-Cookie: session=evil",
    "é".encode("latin-1"),
    "ключ".encode(),
]


@same_on_every_backend
@pytest.mark.parametrize(("path", "body"), [("/v1/claims", NEW), ("/v1/sources", {"title": "T"})])
@pytest.mark.parametrize("key", BAD_KEYS, ids=lambda k: repr(k)[:24])
def test_malformed_idempotency_key_is_422_naming_the_header(
    client, editor, engine, path, body, key
):
    before = snapshot(engine)

    response = client.post(path, json=body, headers={**editor, "Idempotency-Key": key})

    assert_problem(response, 422, "Idempotency-Key")
    assert "X-Injected" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert snapshot(engine) == before


@pytest.mark.parametrize("key", ["x" * 255, "550e8400-e29b-41d4-a716-446655440000", "~!#$%"])
def test_well_formed_idempotency_key_is_accepted(client, editor, key):
    response = client.post("/v1/claims", json=NEW, headers={**editor, "Idempotency-Key": key})

    assert response.status_code == 201, response.text


def test_the_same_idempotency_key_with_another_body_is_422_and_writes_nothing(
    client: TestClient, editor, engine
):
    client.post("/v1/claims", json=NEW, headers={**editor, "Idempotency-Key": "k-1"})
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        json={**NEW, "statement": "Another claim"},
        headers={**editor, "Idempotency-Key": "k-1"},
    )

    assert_problem(response, 422, "Idempotency-Key")
    assert snapshot(engine) == before
