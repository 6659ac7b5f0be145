"""Two ``claims serve`` processes on one PostgreSQL database behind Debian's nginx.

nginx runs the configuration of docs/deploy.md (read from the page; only the ports change),
started by the test on a free port with its own files in a temporary directory: no system
service, nothing installed here (``.ci/run`` installs nginx when it is missing). Through the
proxy: a status change answered by one server wakes long-polls and SSE streams held on the
other within a second; streams arrive unbuffered, heartbeats included; the links the API
builds follow the proxy's X-Forwarded-* (the servers trust 127.0.0.1, where nginx runs).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import EVIDENCE, claims_command
from tests.reliability.conftest import free_port

pytestmark = [pytest.mark.topology, pytest.mark.slow]

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
WAITERS = 4  # long-polls, and as many streams; nginx's round robin spreads them over both


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        reason = "nginx is missing: install it with `apt-get install -y nginx`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return found


def deploy_config(port: int, upstreams: list[int]) -> str:
    """The nginx block of docs/deploy.md, with the test's ports."""
    block = re.search(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S).group(1)
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    block = block.replace("127.0.0.1:8001", f"127.0.0.1:{upstreams[0]}")
    return block.replace("127.0.0.1:8002", f"127.0.0.1:{upstreams[1]}")


@dataclass
class Topology:
    url: str
    upstreams: list[str]
    editor: dict[str, str]


@pytest.fixture
def topology(servers, pg_database, tmp_path, monkeypatch) -> Iterator[Topology]:
    nginx = nginx_binary()
    monkeypatch.setenv("CLAIMS_FORWARDED_ALLOW_IPS", "127.0.0.1")
    monkeypatch.setenv("CLAIMS_HEARTBEAT_SECONDS", "1")
    backends = [servers.start(pg_database.url) for _ in range(2)]
    ports = [int(b.url.rsplit(":", 1)[1]) for b in backends]
    token = claims_command(pg_database.url, "token", "create", "--name", "desk", "--role", "editor")
    editor = {"Authorization": f"Bearer {token.stdout.strip().splitlines()[-1]}"}

    port = free_port()
    root = tmp_path / "nginx"
    root.mkdir()
    (root / "claims.conf").write_text(deploy_config(port, ports))
    temp_paths = "\n".join(
        f"    {kind}_temp_path {root / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {root / "nginx.pid"};
error_log {root / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {root / "access.log"};
{temp_paths}
    include {root / "claims.conf"};
}}
"""
    )
    proc = subprocess.Popen(
        [nginx, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read().decode()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer in 15 s")
            time.sleep(0.1)
        yield Topology(url, [f"127.0.0.1:{p}" for p in ports], editor)
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _next_after(url: str, claim_id: int, timeout: float = 5.0) -> int:
    """The feed's ``next`` once it lists the claim's creation. The feed shows a change only
    below its horizon (``storage.latest_seq``), which may lag a just-answered write; a ``next``
    read too soon once made every waiter return at once with the creation (a CI run), before
    the write they are there to wait for."""
    deadline = time.monotonic() + timeout
    while True:
        page = httpx.get(f"{url}/v1/changes", params={"since": 0}).json()
        if any(c["claim_id"] == claim_id for c in page["changes"]):
            return page["next"]
        assert time.monotonic() < deadline, f"the creation of {claim_id} never reached the feed"
        time.sleep(0.05)


def _long_poll(url: str, since: int, woken: list, errors: list[str]) -> None:
    try:
        with httpx.Client(timeout=30) as client:
            response = client.get(f"{url}/v1/changes", params={"since": since, "wait": 20})
        if response.json()["changes"]:
            woken.append((time.monotonic(), response.headers["X-Upstream"]))
        else:
            errors.append("a long-poll came back empty")
    except Exception as exc:  # reported by the assertion on errors
        errors.append(repr(exc))


def _stream(url: str, since: int, woken: list, held_on: list, errors: list[str]) -> None:
    try:
        with (
            httpx.Client(timeout=30) as client,
            client.stream("GET", f"{url}/v1/stream", params={"since": since}) as stream,
        ):
            upstream = stream.headers["X-Upstream"]
            held_on.append(upstream)
            for line in stream.iter_lines():
                if line.startswith("id:"):
                    woken.append((time.monotonic(), upstream))
                    return
    except Exception as exc:  # reported by the assertion on errors
        errors.append(repr(exc))


def test_a_write_on_one_server_wakes_polls_and_streams_held_on_the_other(topology):
    url = topology.url
    created = httpx.post(
        f"{url}/v1/claims",
        json={"statement": "Soybean orders resume", "claimant": "Scott Bessent"},
        headers=topology.editor,
    )
    since = _next_after(url, created.json()["id"])
    polled: list = []
    streamed: list = []
    held_on: list[str] = []
    errors: list[str] = []
    waiters = [
        threading.Thread(target=_long_poll, args=(url, since, polled, errors))
        for _ in range(WAITERS)
    ] + [
        threading.Thread(target=_stream, args=(url, since, streamed, held_on, errors))
        for _ in range(WAITERS)
    ]
    for waiter in waiters:
        waiter.start()
        time.sleep(0.05)
    time.sleep(1.0)  # every waiter is held by a server
    assert polled == streamed == [], "a waiter returned before the write"

    written_at = time.monotonic()
    changed = httpx.post(
        f"{url}/v1/claims/{created.json()['id']}/status",
        json={"status": "in_progress", "note": "talks resumed"},
        headers={**topology.editor, "If-Match": created.headers["ETag"]},
    )
    for waiter in waiters:
        waiter.join(timeout=25)

    assert changed.status_code == 200, changed.text
    writer = changed.headers["X-Upstream"]
    assert errors == []
    assert len(polled) == len(streamed) == WAITERS
    assert max(t for t, _ in polled + streamed) - written_at < 1.0
    assert {u for _, u in polled} - {writer}, "no long-poll was held on the other server"
    assert set(held_on) - {writer}, "no stream was held on the other server"


def test_streams_pass_the_proxy_unbuffered_with_heartbeats(topology):
    seen: list[tuple[float, str]] = []
    started = time.monotonic()
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", f"{topology.url}/v1/stream") as stream,
    ):
        for line in stream.iter_lines():
            seen.append((time.monotonic() - started, line))
            if time.monotonic() - started > 3.5:
                break

    beats = [t for t, line in seen if line.startswith(":")]
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert len(beats) >= 2, seen
    assert beats[0] < 2.0  # the first one came through at once, not with a full buffer
    assert beats[-1] - beats[0] >= 0.8


def test_links_follow_the_proxy_and_location_resolves_through_it(topology):
    url = topology.url
    public = {"Host": "news.example"}
    created = httpx.post(
        f"{url}/v1/claims",
        json={"statement": "Tariffs of 100 % are averted", "claimant": "Scott Bessent"},
        headers=topology.editor,
    )
    httpx.post(
        f"{url}/v1/claims/{created.json()['id']}/status",
        json={"status": "fulfilled", "note": "averted", "evidence": [EVIDENCE]},
        headers={**topology.editor, "If-Match": created.headers["ETag"]},
    )

    located = httpx.get(url + created.headers["Location"])
    review = httpx.get(f"{located.url}/claimreview", headers=public).json()
    feed = httpx.get(f"{url}/v1/feeds/verdicts.atom", headers=public).text

    assert created.headers["Location"] == f"/v1/claims/{created.json()['id']}"
    assert located.json()["slug"] == created.json()["slug"]
    assert review["url"] == f"http://news.example/claims/{created.json()['slug']}"
    assert 'href="http://news.example/' in feed
    assert "127.0.0.1:8000" not in feed
