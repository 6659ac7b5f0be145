"""The dispatcher's sends give way to a burst of writes, and go at once otherwise."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from claims.dispatch import BURST_SENDS, Pace


class Hub:
    """A stand-in for the change hub's one attribute the pace reads: the latest seq."""

    latest = 0


def _turns(pace: Pace, count: int, hub: Hub, writes_per_turn: int) -> float:
    async def go() -> float:
        started = time.monotonic()
        for _ in range(count):
            hub.latest += writes_per_turn
            await pace.turn()
        return time.monotonic() - started

    # In a thread of its own: a browser test earlier in this process may have left its event
    # loop running in the main thread, where asyncio.run refuses to start another.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_sends_go_at_once_while_writes_are_few():
    hub = Hub()
    pace = Pace(hub)  # type: ignore[arg-type]
    time.sleep(0.5)  # a first half second without a write

    took = _turns(pace, 200, hub, writes_per_turn=0)

    assert not pace.busy()
    assert took < 0.2


def test_during_a_burst_of_writes_sends_are_spaced_to_the_burst_rate():
    hub = Hub()
    pace = Pace(hub)  # type: ignore[arg-type]
    hub.latest += 1000  # a thousand writes within the first half second
    time.sleep(0.5)
    assert pace.busy()

    took = _turns(pace, 10, hub, writes_per_turn=100)

    assert took >= 9 / BURST_SENDS * 0.9
