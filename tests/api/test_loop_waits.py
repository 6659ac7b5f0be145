"""PostgreSQL round trips never block the event loop: a read or a write that waits on the
database leaves the server answering everything else (``storage.PooledRuntime``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import httpx
import psycopg
import pytest

from claims.status import Role
from tests.conftest import LiveServer

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)

Request = tuple[str, str, dict]  # method, path, httpx keyword arguments
# The lock is released only after the other request is answered: behind a blocked loop that
# answer would never come (the client gives up after 10 s). A busy machine (the suite's other
# workers, the first build of the OpenAPI document) may take a second or more to answer.
ANSWERED_WITHIN = 5.0


class Outcome(NamedTuple):
    other_status: int  # the request sent while the first waited
    other_took: float  # seconds
    held_status: int  # the first, once the lock was released


Held = Callable[[Callable[[dict], Request]], Outcome]


@pytest.fixture
def held_up(settings, live_server: LiveServer, make_token) -> Held:
    """Make a claim, lock the claim table from another connection, send the request built
    for the claim (it waits on the lock), time a request meanwhile that needs no database,
    then release the lock."""
    reviewer = make_token(Role.REVIEWER)
    created = httpx.post(
        f"{live_server.url}/v1/claims",
        json={"statement": "The port will reopen by March.", "claimant": "Port authority"},
        headers=reviewer,
    )
    assert created.status_code == 201, created.text
    claim = {"id": created.json()["id"], "etag": created.headers["etag"]}
    dsn = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    def run(build: Callable[[dict], Request]) -> Outcome:
        with psycopg.connect(dsn) as conn:
            conn.execute("LOCK TABLE claim IN ACCESS EXCLUSIVE MODE")
            return _meanwhile(live_server, build(claim), release=conn.rollback)

    return run


def _meanwhile(server: LiveServer, waiting: Request, *, release: Callable[[], None]) -> Outcome:
    method, path, options = waiting
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(httpx.request, method, server.url + path, timeout=10, **options)
        time.sleep(0.3)
        assert not held.done(), "the request was meant to wait on the lock"
        started = time.monotonic()
        other = httpx.get(f"{server.url}/openapi.json", timeout=10)
        took = time.monotonic() - started
        release()
        return Outcome(other.status_code, took, held.result().status_code)


def test_a_read_waiting_on_postgresql_leaves_the_server_answering(held_up: Held) -> None:
    outcome = held_up(lambda claim: ("GET", f"/v1/claims/{claim['id']}", {}))
    assert outcome.other_status == 200
    assert outcome.other_took < ANSWERED_WITHIN
    assert outcome.held_status == 200


def test_a_write_waiting_on_postgresql_leaves_the_server_answering(
    held_up: Held, make_token
) -> None:
    editor = make_token(Role.EDITOR)
    outcome = held_up(
        lambda claim: (
            "POST",
            f"/v1/claims/{claim['id']}/status",
            {
                "json": {"status": "in_progress", "note": "talks began"},
                "headers": {**editor, "If-Match": claim["etag"]},
            },
        )
    )
    assert outcome.other_status == 200
    assert outcome.other_took < ANSWERED_WITHIN
    assert outcome.held_status == 200
