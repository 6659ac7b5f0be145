"""The board never skips a change: everything up to the seq a page carries is on that page.

The board script resumes its stream from the page's ``data-seq``, so a page that announced
seq N without showing the change N would never show it (until some later change). The page
used to read its list first and the seq after: on PostgreSQL (each statement its own
snapshot) a claim created in between was counted in the seq and missing from the list.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from claims.status import Role
from tests.cli.test_serve import free_port, wait_for
from tests.conftest import _fresh_database, claims_command

RENDERS = 150


def _create_until(url: str, headers: dict[str, str], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        n = 0
        while not stop.is_set():
            n += 1
            http.post(
                "/v1/claims",
                json={"statement": f"Race claim number {n}", "claimant": "Race"},
                headers=headers,
            )


@pytest.mark.slow
def test_board_page_shows_every_claim_created_up_to_its_seq(live_server, make_token):
    editor = make_token(Role.EDITOR, "race-editor")
    stop = threading.Event()
    writer = threading.Thread(target=_create_until, args=(live_server.url, editor, stop))
    writer.start()
    missing: list[tuple[int, str]] = []
    try:
        with httpx.Client(base_url=live_server.url, timeout=30) as http:
            for _ in range(RENDERS):
                html = http.get("/", params={"sort": "-id"}).text  # the newest 200 claims
                seq = int(re.search(r'id="live" data-seq="(\d+)"', html).group(1))
                shown = set(re.findall(r'<tr data-slug="([^"]+)"', html))
                since = max(0, seq - 20)  # the 20 latest changes: all on the newest-first page
                created = http.get("/v1/changes", params={"since": since, "limit": 100}).json()
                missing += [
                    (c["seq"], c["slug"])
                    for c in created["changes"]
                    if c["seq"] <= seq and c["slug"] not in shown
                ]
                if missing:
                    break
    finally:
        stop.set()
        writer.join(timeout=30)

    assert missing == []


ROUNDS = 5
BURST = 10


@pytest.fixture
def two_workers_on_postgresql(templates, tmp_path):
    """``claims serve --workers 2`` on a fresh PostgreSQL database, as a new user runs it."""
    database = _fresh_database("postgresql", templates, tmp_path)
    url = next(database).url
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "claims", "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, "CLAIMS_DATABASE_URL": url, "CLAIMS_HEARTBEAT_SECONDS": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        with contextlib.suppress(StopIteration):
            next(database)


@pytest.mark.slow
def test_board_with_two_workers_shows_every_claim_created_through_the_api(
    browser, two_workers_on_postgresql
):
    url, database_url = two_workers_on_postgresql
    token = claims_command(database_url, "token", "create", "--name", "race", "--role", "editor")
    editor = {"Authorization": f"Bearer {token.stdout.strip().splitlines()[-1]}"}
    context = browser.new_context(base_url=url)
    try:
        page = context.new_page()
        page.goto("/?sort=-id")
        page.locator("#live-status[data-state=live]").wait_for(timeout=10_000)
        with httpx.Client(base_url=url, timeout=30) as http:
            for round_ in range(ROUNDS):
                # A burst: the board refreshes on the first claims while the next ones commit.
                slugs = [
                    http.post(
                        "/v1/claims",
                        json={"statement": f"Round {round_} claim {n}", "claimant": "Race"},
                        headers=editor,
                    ).json()["slug"]
                    for n in range(BURST)
                ]

                for slug in slugs:
                    page.locator(f'tr[data-slug="{slug}"]').wait_for(timeout=10_000)
    finally:
        context.close()
