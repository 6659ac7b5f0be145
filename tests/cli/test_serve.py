"""`claims serve` as a real process: migrates, seeds, serves, prints the address, stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.rawhttp import raw_exchange


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start_serve(database_url: str, port: int, **env: str) -> subprocess.Popen[str]:
    """``claims serve`` as a process on ``port``, with extra environment variables."""
    return subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--port", str(port)],
        env={**os.environ, "CLAIMS_DATABASE_URL": database_url, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def server(settings):
    port = free_port()
    proc = start_serve(settings.database_url, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_serve_answers_healthz_with_the_database_up(server):
    _proc, port = server

    response = httpx.get(f"http://127.0.0.1:{port}/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_serve_does_not_name_its_server_software(server):
    _proc, port = server

    response = httpx.get(f"http://127.0.0.1:{port}/v1/claims/1")

    assert "server" not in response.headers
    assert "date" in response.headers


def test_serve_seeds_an_empty_database_and_shows_the_board(server):
    _proc, port = server

    claims = httpx.get(f"http://127.0.0.1:{port}/v1/claims?limit=200").json()["items"]
    board = httpx.get(f"http://127.0.0.1:{port}/")

    assert len(claims) >= 9
    assert board.status_code == 200
    assert "Lunar New Year" in board.text


def test_serve_prints_the_address_and_stops_on_sigterm(server):
    proc, port = server

    proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=15)

    assert f"http://127.0.0.1:{port}/" in out
    assert proc.returncode is not None


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("length", ["12abc", "-1"])
def test_serve_answers_an_unparseable_content_length_with_a_problem(server, length):
    _proc, port = server
    request = (
        b"POST /v1/claims HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + length.encode() + b"\r\n\r\n{}"
    )

    status, headers, body = raw_exchange(f"http://127.0.0.1:{port}", request)

    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 400


def test_serve_warns_of_a_misspelt_setting_and_names_the_one_meant(settings):
    # CLAIMS_READS_REQUIRE_TOKENS (an s too many) would leave reads public without a word.
    port = free_port()
    proc = start_serve(settings.database_url, port, CLAIMS_READS_REQUIRE_TOKENS="true")
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)

    assert "CLAIMS_READS_REQUIRE_TOKENS: did you mean CLAIMS_READS_REQUIRE_TOKEN?" in stderr
