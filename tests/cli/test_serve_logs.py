"""`claims serve` logs one line per request on standard error, as text or JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.cli.test_serve import free_port, wait_for


@pytest.fixture
def serve_with_log(run_claims_once, tmp_path):
    started = []

    def start(log_format: str) -> tuple[str, object]:
        port = free_port()
        log = tmp_path / f"serve-{log_format}.log"
        env = {
            **os.environ,
            "CLAIMS_DATABASE_URL": f"sqlite:///{tmp_path / 'claims.db'}",
            "CLAIMS_LOG_FORMAT": log_format,
        }
        with log.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "claims", "serve", "--no-seed", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        started.append(proc)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        return f"http://127.0.0.1:{port}", log

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=15)


def _lines_with(log, mark: str, count: int, timeout: float = 5) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in log.read_text().splitlines() if mark in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_serve_logs_one_json_line_per_request(serve_with_log):
    url, log = serve_with_log("json")
    for n in range(3):
        httpx.get(f"{url}/v1/claims", headers={"X-Request-ID": f"json-{n}"})
    httpx.get(f"{url}/v1/claims/12345", headers={"X-Request-ID": "json-404"})

    lines = [json.loads(line) for line in _lines_with(log, '"json-', 4)]
    assert [line["request_id"] for line in lines] == ["json-0", "json-1", "json-2", "json-404"]
    assert {line["route"] for line in lines} == {"/v1/claims", "/v1/claims/{ref}"}
    assert [line["status"] for line in lines] == [200, 200, 200, 404]
    assert all({"time", "method", "duration_ms", "token"} <= line.keys() for line in lines)


def test_serve_logs_readable_lines_by_default(serve_with_log):
    url, log = serve_with_log("text")
    httpx.get(f"{url}/v1/summary", headers={"X-Request-ID": "text-1"})

    (line,) = _lines_with(log, "text-1", 1)
    assert " text-1 GET /v1/summary 200 " in line
