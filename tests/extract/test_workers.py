"""Extraction in worker processes under a hard time limit (issue 14, finding 3)."""

from __future__ import annotations

import os
import threading
import time
from datetime import date

import pytest

from claims.errors import ExtractorBusy, ExtractTimeout
from claims.extract.workers import ExtractionPool
from claims.models import ExtractRequest
from claims.seeding import default_seeds_dir

STORY = (default_seeds_dir() / "2025-10-26-us-china-trade-framework.txt").read_text(
    encoding="utf-8"
)
SHORT = ExtractRequest(text=STORY[:800], published_on=date(2025, 10, 26))  # ~20 ms of work
LONG = ExtractRequest(text=STORY * 50, published_on=date(2025, 10, 26))  # seconds of work


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_worker_answers_the_proposals_of_an_article():
    with ExtractionPool(1, timeout=30) as pool:
        proposals = pool.propose(ExtractRequest(text=STORY, published_on=date(2025, 10, 26)))

    visit = [p for p in proposals if "Beijing" in p.quote and "Lunar" in p.quote]
    assert [p.due_by for p in visit] == [date(2026, 2, 16)]


def test_worker_start_up_does_not_count_against_the_time_limit():
    with ExtractionPool(1, timeout=0.5) as pool:  # starting a worker takes about a second
        proposals = pool.propose(SHORT)

    assert proposals


def test_worker_is_started_once_and_reused():
    with ExtractionPool(1, timeout=30) as pool:
        pool.propose(SHORT)
        first = pool.processes()

        pool.propose(SHORT)

        assert pool.processes() == first
        assert len(first) == 1


def test_article_over_the_time_limit_raises_extract_timeout_and_its_worker_is_replaced():
    with ExtractionPool(1, timeout=1.0) as pool:
        pool.propose(SHORT)  # started and warm
        [killed] = pool.processes()
        started = time.monotonic()

        with pytest.raises(ExtractTimeout) as refused:
            pool.propose(LONG)

        assert time.monotonic() - started < 1.0 + 1.0
        assert refused.value.errors[0].field == "text"
        assert "took longer than 1 s" in refused.value.detail
        assert not _alive(killed)
        [successor] = pool.processes()
        assert successor != killed
        assert pool.propose(SHORT)


def test_all_workers_busy_past_the_wait_raises_extractor_busy():
    with ExtractionPool(1, timeout=1.0) as pool:
        pool.propose(SHORT)
        outcome: list[BaseException] = []
        running = threading.Thread(target=lambda: _record(outcome, pool, LONG))
        running.start()
        time.sleep(0.2)

        with pytest.raises(ExtractorBusy) as busy:
            pool.propose(SHORT, wait_until=time.monotonic() + 0.1)

        running.join(10)
        assert busy.value.retry_after >= 1
        assert [type(e) for e in outcome] == [ExtractTimeout]


def _record(outcome: list[BaseException], pool: ExtractionPool, request: ExtractRequest) -> None:
    try:
        pool.propose(request)
    except Exception as exc:  # checked by the test
        outcome.append(exc)


def test_close_stops_every_worker():
    pool = ExtractionPool(2, timeout=30)
    pool.propose(SHORT)
    pids = pool.processes()

    pool.close()

    assert pids
    assert not [pid for pid in pids if _alive(pid)]
