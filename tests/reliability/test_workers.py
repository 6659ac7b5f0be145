"""`claims serve --workers 2`: long-polls and streams on every worker wake on any worker's write.

The kernel hands each new connection to one of the worker processes, so sixteen separate
long-polls land on both workers (all on one would take 1 chance in 32,768); one write, through
yet another connection, must wake every one of them, and every open stream.
"""

from __future__ import annotations

import threading
import time

import httpx

from claims.status import Role
from tests.conftest import write_marks

POLLS = 16
STREAMS = 4


def _wait_for_change(url: str, since: int, woken: list[float], errors: list[str]) -> None:
    try:
        with httpx.Client(timeout=30) as client:  # a connection of its own
            body = client.get(f"{url}/v1/changes", params={"since": since, "wait": 20}).json()
        if body["changes"]:
            woken.append(time.monotonic())
        else:
            errors.append("a long-poll timed out empty")
    except Exception as exc:  # reported by the assertion on errors
        errors.append(repr(exc))


def _wait_for_event(url: str, since: int, woken: list[float], errors: list[str]) -> None:
    try:
        with (
            httpx.Client(timeout=30) as client,
            client.stream("GET", f"{url}/v1/stream", params={"since": since}) as stream,
        ):
            for line in stream.iter_lines():
                if line.startswith("id:"):
                    woken.append(time.monotonic())
                    return
    except Exception as exc:  # reported by the assertion on errors
        errors.append(repr(exc))


def test_every_workers_polls_and_streams_wake_on_one_write(servers, settings, engine, make_token):
    editor = make_token(Role.EDITOR, "multi-worker-editor")
    server = servers.start(settings.database_url, workers=2)
    created = httpx.post(
        f"{server.url}/v1/claims",
        json={"statement": "Soybean orders resume", "claimant": "Scott Bessent"},
        headers=editor,
    )
    # From the database: a worker that has not yet heard of the create (SQLite: up to one
    # poll interval) would answer an older seq, and the waiters would wake on the create.
    since, _events = write_marks(engine)
    woken: list[float] = []
    errors: list[str] = []
    waiters = [
        threading.Thread(target=_wait_for_change, args=(server.url, since, woken, errors))
        for _ in range(POLLS)
    ] + [
        threading.Thread(target=_wait_for_event, args=(server.url, since, woken, errors))
        for _ in range(STREAMS)
    ]
    for waiter in waiters:
        waiter.start()
    time.sleep(1.0)  # every waiter is connected and waiting
    assert woken == [], "a waiter returned before the write"

    written_at = time.monotonic()
    changed = httpx.post(
        f"{server.url}/v1/claims/{created.json()['id']}/status",
        json={"status": "in_progress", "note": "talks resumed"},
        headers={**editor, "If-Match": created.headers["ETag"]},
    )
    for waiter in waiters:
        waiter.join(timeout=25)

    assert changed.status_code == 200
    assert errors == []
    assert len(woken) == POLLS + STREAMS
    assert max(woken) - written_at < 1.0
