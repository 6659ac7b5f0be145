"""A real HTTP receiver for webhook deliveries, and apps whose dispatcher may send to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient


@dataclass
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body, parsed."""
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers from ``plan``
    (statuses to answer in turn; once used up, 200)."""

    url: str
    received: list[Received] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)
    delay: float = 0.0
    hold_first: float = 0.0
    """Seconds to hold the very first request before answering (a delivery in flight)."""
    arrived: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until ``count`` requests arrived; return them (fails the test on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        pytest.fail(f"the receiver got {len(self.received)} of {count} deliveries in {timeout} s")

    def types(self) -> list[str]:
        """The ``type`` of every payload received, in arrival order."""
        with self.lock:
            return [r.json["type"] for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Start a receiver; stopped after the test."""
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            me = state["receiver"]
            with me.lock:
                me.arrived += 1
                first = me.arrived == 1
            if first and me.hold_first:
                time.sleep(me.hold_first)
            if me.delay:
                time.sleep(me.delay)
            with me.lock:
                me.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                status = me.plan.pop(0) if me.plan else 200
            self.send_response(status)
            self.send_header("content-type", "text/plain")
            self.end_headers()
            self.wfile.write(b"thanks" if status < 300 else b"not now")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()


FAST = {
    "webhooks_allow_private": True,
    "webhook_poll_s": 0.05,
    "webhook_retry_delays": [0.1, 0.1, 0.1],
    "webhook_timeout_s": 2.0,
}
"""Settings for tests: the receiver is on loopback; retries and polls in tenths of seconds."""


@pytest.fixture
def hooks_client(make_app: Callable[..., Any]) -> Iterator[TestClient]:
    """A client of an app whose dispatcher sends to loopback quickly."""
    with TestClient(make_app(**FAST), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def subscribe(hooks_client: TestClient, admin: dict[str, str]) -> Callable[..., dict]:
    """Subscribe a URL through the API; return the created subscription (with its secret)."""

    def make(url: str, **fields: Any) -> dict:
        response = hooks_client.post("/v1/webhooks", json={"url": url, **fields}, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()

    return make


