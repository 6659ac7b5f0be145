"""A token's open streams end when it is revoked, on a server whose reads need a token."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from api.routes.feed import TOKEN_RECHECK_SECONDS
from claims.status import Role
from tests.conftest import claims_command

FEW_SECONDS = 5.0


@pytest.fixture
def make_app(make_app: Callable[..., Any]) -> Callable[..., Any]:
    """Apps of this module need a token for every read."""
    return lambda **overrides: make_app(**{"reads_require_token": True, **overrides})


def seconds_until_the_stream_ends(response: httpx.Response, limit: float) -> float:
    """Read the stream (heartbeats come every second) until the server ends it."""
    start = time.monotonic()
    for _line in response.iter_lines():
        if time.monotonic() - start > limit:
            break
    return time.monotonic() - start


def test_revoking_a_token_through_the_api_ends_its_open_stream(live_server, make_token, admin):
    viewer = make_token(Role.VIEWER, "wall-screen")
    with httpx.stream("GET", f"{live_server.url}/v1/stream", headers=viewer, timeout=10) as stream:
        assert stream.status_code == 200
        revoked = httpx.delete(f"{live_server.url}/v1/tokens/wall-screen", headers=admin)

        took = seconds_until_the_stream_ends(stream, limit=3 * FEW_SECONDS)

    assert revoked.status_code == 204
    assert took < FEW_SECONDS


def test_revoking_a_token_from_the_command_line_ends_its_open_stream(
    live_server, make_token, settings
):
    viewer = make_token(Role.VIEWER, "wall-screen")
    with httpx.stream("GET", f"{live_server.url}/v1/stream", headers=viewer, timeout=10) as stream:
        assert stream.status_code == 200
        revoked = claims_command(settings.database_url, "token", "revoke", "--name", "wall-screen")
        start = time.monotonic()

        seconds_until_the_stream_ends(stream, limit=3 * FEW_SECONDS)

    assert revoked.returncode == 0, revoked.stderr
    assert time.monotonic() - start < FEW_SECONDS


def test_a_stream_whose_token_stays_valid_stays_open(live_server, make_token):
    viewer = make_token(Role.VIEWER, "wall-screen")
    with httpx.stream("GET", f"{live_server.url}/v1/stream", headers=viewer, timeout=10) as stream:
        took = seconds_until_the_stream_ends(stream, limit=1.5 * TOKEN_RECHECK_SECONDS)

    assert took >= 1.5 * TOKEN_RECHECK_SECONDS
