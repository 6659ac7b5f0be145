"""A bad Content-Length is answered with problem+json, never a bare text error or a hang."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from tests.conftest import write_marks
from tests.rawhttp import raw_exchange

PROBLEM = "application/problem+json"
NEW = b'{"statement": "The US and China sign a trade deal", "claimant": "Donald Trump"}'
# What the guard does with a Content-Length does not depend on the database.
sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def make_app(make_app: Callable[..., Any]) -> Callable[..., Any]:
    """Apps of this module wait half a second for a body that stops arriving."""
    return lambda **overrides: make_app(**{"body_timeout_seconds": 0.5, **overrides})


def post_with_length(length: str, body: bytes = NEW) -> bytes:
    return (
        b"POST /v1/claims HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + length.encode() + b"\r\n\r\n" + body
    )


@sqlite_only
@pytest.mark.parametrize("length", ["12abc", "-1", "1.5", " ", "0x10"])
def test_content_length_that_is_not_a_byte_count_is_a_400_problem(client, editor, engine, length):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        content=NEW,
        headers={**editor, "content-type": "application/json", "content-length": length},
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/bad-content-length"
    assert "Content-Length" in response.json()["detail"]
    assert write_marks(engine) == before


@sqlite_only
def test_content_length_larger_than_the_delivered_body_is_a_400_problem(client, editor, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        content=NEW,
        headers={**editor, "content-type": "application/json", "content-length": "9999"},
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    assert write_marks(engine) == before


@sqlite_only
def test_huge_content_length_is_a_413_problem(client, editor):
    response = client.post(
        "/v1/claims",
        content=NEW,
        headers={**editor, "content-type": "application/json", "content-length": "9" * 5000},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


@sqlite_only
def test_body_shorter_than_its_content_length_is_a_408_problem_not_a_hang(live_server, engine):
    before = write_marks(engine)
    start = time.monotonic()

    status, headers, body = raw_exchange(live_server.url, post_with_length("500", NEW))

    assert time.monotonic() - start < 5
    assert status == 408
    assert headers["content-type"] == PROBLEM
    assert orjson.loads(body)["type"] == "/problems/body-timeout"
    assert write_marks(engine) == before
