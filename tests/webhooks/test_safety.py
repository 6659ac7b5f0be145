"""What the dispatcher refuses to do, on SQLite and PostgreSQL: follow a redirect, read an
endless answer, send to an address that resolves to a private one at send time, or write a
subscription's secret into a log."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from claims.outbox import EXCERPT_MAX
from tests.webhooks.conftest import FAST

CLAIM = {
    "statement": "The port authority dredges the channel by May",
    "claimant": "Harbour Master",
    "stated_on": "2026-01-02",
    "due_by": "2026-05-31",
}


@pytest.fixture
def odd_receiver() -> Iterator[Callable[[Callable[[BaseHTTPRequestHandler], None]], str]]:
    """Start receivers that answer every POST with ``answer(handler)``; their URLs."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[BaseHTTPRequestHandler], None]) -> str:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                answer(self)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/hook"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _first_attempt(client: TestClient, admin: dict[str, str], hook_id: int) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = client.get(f"/v1/webhooks/{hook_id}/deliveries", headers=admin)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if items and items[-1]["attempts"]:
            return items[-1]["attempts"][0]
        time.sleep(0.05)
    pytest.fail("no delivery attempt was recorded in 10 s")


def test_a_redirect_is_recorded_as_the_answer_and_not_followed(
    hooks_client, subscribe, receiver, odd_receiver, reviewer, admin
):
    def redirect(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(307)
        handler.send_header("location", receiver.url)
        handler.send_header("content-length", "0")
        handler.end_headers()

    hook = subscribe(odd_receiver(redirect))
    hooks_client.post("/v1/claims", json=CLAIM, headers=reviewer)

    attempt = _first_attempt(hooks_client, admin, hook["id"])

    assert attempt["status_code"] == 307
    time.sleep(0.3)  # a followed redirect would have reached the receiver by now
    assert receiver.received == []


def test_an_endless_answer_is_read_only_up_to_the_cap(
    hooks_client, subscribe, odd_receiver, reviewer, admin
):
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("transfer-encoding", "chunked")
        handler.end_headers()
        chunk = b"x" * 1024
        try:
            while True:  # until the tracker hangs up
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                handler.wfile.flush()
        except OSError:
            pass

    hook = subscribe(odd_receiver(endless))
    hooks_client.post("/v1/claims", json=CLAIM, headers=reviewer)

    attempt = _first_attempt(hooks_client, admin, hook["id"])

    # Read to its end, the answer would have timed out (webhook_timeout_s) instead.
    assert attempt["status_code"] == 200
    assert attempt["error"] is None
    assert 0 < len(attempt["response_excerpt"]) <= EXCERPT_MAX


def test_a_name_that_resolves_to_loopback_is_refused_at_send_time(
    make_app, receiver, reviewer, admin
):
    # Made while private addresses were allowed; sent after the setting went back to its
    # default: the check runs on the name's resolved address at each send.
    url = receiver.url.replace("127.0.0.1", "localhost")
    with TestClient(make_app(**FAST)) as allowed:
        made = allowed.post("/v1/webhooks", json={"url": url}, headers=admin)
        assert made.status_code == 201, made.text
    strict = {**FAST, "webhooks_allow_private": False}
    with TestClient(make_app(**strict)) as client:
        client.post("/v1/claims", json=CLAIM, headers=reviewer)

        attempt = _first_attempt(client, admin, made.json()["id"])

    assert attempt["status_code"] is None
    assert attempt["error"].startswith("refused: the URL resolves to 127.0.0.1")
    assert receiver.received == []


def test_a_subscription_secret_is_never_written_to_a_log(
    hooks_client, subscribe, receiver, reviewer, admin, caplog
):
    caplog.set_level(logging.DEBUG)
    receiver.plan = [500]  # a failed try is logged too
    hook = subscribe(receiver.url)
    hooks_client.post("/v1/claims", json=CLAIM, headers=reviewer)
    receiver.wait_for(2)
    hooks_client.get(f"/v1/webhooks/{hook['id']}", headers=admin)
    hooks_client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin)

    logged = [record.getMessage() + repr(record.__dict__) for record in caplog.records]

    # The failed try was logged (so the logs were captured at all) ...
    assert any(r.name == "claims.webhooks" and "500" in r.getMessage() for r in caplog.records)
    secret = hook["secret"].removeprefix("whsec_")
    assert not [line for line in logged if secret in line]
