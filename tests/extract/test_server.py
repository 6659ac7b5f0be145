"""Issue 14, finding 3, against a real ``claims serve``: an extraction never stalls the server.

The server runs with a 2 s extraction limit (``CLAIMS_EXTRACT_TIMEOUT_S``). The slow article
is the seed story many times over (several seconds of work) with, first, the lines that froze
the server before the fix: a heading-like line of symbols (the trailer pattern backtracked
exponentially) and a long run of capitalised words (the name-run patterns were quadratic).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from claims import storage, tokens
from claims.config import Settings
from claims.seeding import default_seeds_dir
from claims.status import Role
from tests.conftest import _fresh_database
from tests.reliability.conftest import ServerProcess, Servers

LIMIT_S = 2.0
STORY = (default_seeds_dir() / "2025-10-26-us-china-trade-framework.txt").read_text(
    encoding="utf-8"
)
# Before the fix: the symbols line took seconds (each two more bytes doubled that), the name
# run about seven seconds; both holding the GIL, so /healthz waited.
FREEZERS = "a" + "$%" * 12 + "x\n" + "Bob Smith Jones " * 800 + "\n"
SLOW = {
    "text": (FREEZERS + STORY * 60)[:200_000],
    "published_on": "2025-10-26",
    "title": "US-China trade framework",
}
SHORT = {"text": STORY, "published_on": "2025-10-26", "title": "US-China trade framework"}


def _server(tmp: Path, templates: dict, workers: int = 1) -> tuple[Servers, ServerProcess, dict]:
    database = next(_fresh_database("sqlite", templates, tmp))
    engine = storage.make_engine(Settings(database_url=database.url), pool_size=1)
    with Session(engine) as session:
        _row, secret = tokens.create_token(
            session, "rita-reviewer", Role.REVIEWER, by=tokens.OPERATOR
        )
    engine.dispose()
    helper = Servers(tmp)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLAIMS_EXTRACT_TIMEOUT_S", str(LIMIT_S))
        server = helper.start(database.url, workers=workers)
    return helper, server, {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, templates: dict) -> Iterator[tuple]:
    """One server for this module, its extraction worker already started."""
    helper, server, reviewer = _server(tmp_path_factory.mktemp("extract-server"), templates)
    try:
        warm = httpx.post(f"{server.url}/v1/extract", json=SHORT, headers=reviewer, timeout=120)
        assert warm.status_code == 200, warm.text
        yield server, reviewer
    finally:
        helper.kill_all()


def _healthz_seconds(url: str) -> float:
    started = time.monotonic()
    response = httpx.get(f"{url}/healthz", timeout=10)
    assert response.status_code == 200
    return time.monotonic() - started


def test_healthz_answers_within_half_a_second_while_an_article_is_extracted(served):
    server, reviewer = served
    answers: list[httpx.Response] = []
    extraction = threading.Thread(
        target=lambda: answers.append(
            httpx.post(f"{server.url}/v1/extract", json=SLOW, headers=reviewer, timeout=60)
        )
    )
    extraction.start()
    time.sleep(0.2)  # the article is in the worker by now

    waits = []
    while extraction.is_alive() and len(waits) < 15:
        waits.append(_healthz_seconds(server.url))
        time.sleep(0.05)
    extraction.join(60)

    assert len(waits) >= 5, "the extraction ended before the probes: not a test of anything"
    assert max(waits) < 0.5, [round(w, 3) for w in waits]
    assert [a.status_code for a in answers] in ([200], [422])


def test_article_over_the_time_limit_is_refused_and_the_server_stays_healthy(served):
    server, reviewer = served
    started = time.monotonic()

    response = httpx.post(f"{server.url}/v1/extract", json=SLOW, headers=reviewer, timeout=60)

    took = time.monotonic() - started
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/extract-timeout"
    assert "took longer than 2 s" in problem["detail"]
    assert problem["errors"] == [{"field": "text", "message": "took longer than 2 s to extract"}]
    assert took < LIMIT_S + 2.0
    assert _healthz_seconds(server.url) < 0.5
    after = httpx.post(f"{server.url}/v1/extract", json=SHORT, headers=reviewer, timeout=60)
    assert after.status_code == 200
    assert after.json()["claims"]


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_with_two_workers_stops_its_extraction_processes_on_shutdown(tmp_path, templates):
    helper, server, reviewer = _server(tmp_path, templates, workers=2)
    try:
        for _ in range(4):  # the kernel spreads connections over both server processes
            with httpx.Client(timeout=120) as client:
                response = client.post(f"{server.url}/v1/extract", json=SHORT, headers=reviewer)
                assert response.status_code == 200, response.text
        processes = _descendants(server.proc.pid)

        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=30)

        deadline = time.monotonic() + 10
        while any(_alive(p) for p in processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(processes) >= 3  # two server processes and at least one extraction worker
        assert not [p for p in processes if _alive(p)]
    finally:
        helper.kill_all()
