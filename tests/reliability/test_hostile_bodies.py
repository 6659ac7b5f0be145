"""Hostile input: bodies that are not JSON, too big, too deep or not UTF-8 (see
test_hostile_input.py for what every refusal must be)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.hostile import (
    JSON,
    NEW,
    PROBLEM,
    assert_problem,
    same_on_every_backend,
    snapshot,
)

# ---------------------------------------------------------------------------------------------
# Bodies that are not JSON, too big, too deep or not UTF-8


BODY_PATHS = [
    ("POST", "/v1/claims"),
    ("PATCH", "/v1/claims/{id}"),
    ("POST", "/v1/claims/{id}/status"),
    ("POST", "/v1/claims/{id}/evidence"),
    ("POST", "/v1/sources"),
]


@same_on_every_backend
@pytest.mark.parametrize(("method", "path"), BODY_PATHS)
@pytest.mark.parametrize(
    "content_type", ["text/plain", None, "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_body_that_is_not_declared_json_is_415(
    client, claim, editor, engine, method, path, content_type
):
    before = snapshot(engine)
    headers = {**editor, "If-Match": claim.etag}
    if content_type is not None:
        headers["content-type"] = content_type

    response = client.request(
        method, path.format(id=claim.id), content=b'{"quote": "x"}', headers=headers
    )

    assert_problem(response, 415)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(("method", "path"), BODY_PATHS)
def test_body_over_one_mebibyte_is_413(client, claim, editor, engine, method, path):
    before = snapshot(engine)
    body = b'{"quote": "' + b"x" * (1024 * 1024) + b'"}'

    response = client.request(
        method, path.format(id=claim.id), content=body, headers={**editor, **JSON}
    )

    assert_problem(response, 413)
    assert snapshot(engine) == before


@same_on_every_backend
def test_streamed_body_over_one_mebibyte_without_length_is_413(client, editor, engine):
    before = snapshot(engine)

    def chunks() -> Iterator[bytes]:
        yield b'{"statement": "'
        for _ in range(20):
            yield b"x" * 65536

    response = client.post("/v1/claims", content=chunks(), headers={**editor, **JSON})

    assert_problem(response, 413)
    assert snapshot(engine) == before


@same_on_every_backend
def test_body_with_a_content_length_that_is_not_a_number_is_refused(client, editor, engine):
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        content=b"{}",
        headers={**editor, **JSON, "content-length": "12abc"},
    )

    assert response.status_code in (400, 413), response.text
    assert response.headers["content-type"] == PROBLEM
    assert snapshot(engine) == before


DEPTH = 10_000


@same_on_every_backend
@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEPTH + b"]" * DEPTH,
        b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
        b'{"statement": "s", "claimant": "x", "topics": ' + b"[" * DEPTH + b"]" * DEPTH + b"}",
    ],
    ids=["nested-lists", "nested-objects", "nested-in-a-field"],
)
def test_deeply_nested_json_is_400_or_422(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == PROBLEM
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "body",
    [
        b'{"statement": "\xff\xfe broken", "claimant": "x"}',
        b'{"statement": "\xc3\x28", "claimant": "x"}',
        b"\xef\xbb\xbf\xff",
    ],
)
def test_invalid_utf8_in_a_json_body_is_400(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 400)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "body", [b'{"statement": ', b"{'statement': 'x'}", b"nul", b"\x00", b"{,}"]
)
def test_unparseable_json_is_400(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 400)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("body", [b"[]", b'"claim"', b"null"])
def test_json_that_is_not_an_object_is_422(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 422)
    assert snapshot(engine) == before


@pytest.mark.parametrize("field", ["statement", "quote"])
def test_nul_character_in_a_text_field_is_422_naming_it(client, editor, engine, field):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: "before\x00after"}, headers=editor)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "statement", [b"half \\ud800 a character", b"half \xed\xa0\x80 a character"]
)
def test_lone_surrogate_in_a_text_field_is_422_naming_it(client, editor, engine, statement):
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        content=b'{"statement": "' + statement + b'", "claimant": "x"}',
        headers={**editor, **JSON},
    )

    assert_problem(response, 422, "statement")
    assert snapshot(engine) == before
