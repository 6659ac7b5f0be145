"""Races: writers that share an ETag never overwrite each other, and no write is lost or doubled.

Writers are threads released together by a barrier. Most talk HTTP to real ``claims serve``
processes (the writes overlap in the server's threadpool and, with several workers or servers,
across processes); the shortest races use the in-process client, whose sync routes also run
concurrently in a threadpool.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from claims.status import Role
from tests.conftest import EVIDENCE, write_marks
from tests.reliability.conftest import Servers, assert_consistent

NEW_CLAIM = {
    "statement": "China defers its rare-earth export controls for a year",
    "claimant": "Scott Bessent",
    "stated_on": "2025-10-26",
    "certainty": "expected",
}


def _create(url: str, headers: dict[str, str], **fields: Any) -> httpx.Response:
    response = httpx.post(f"{url}/v1/claims", json={**NEW_CLAIM, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response


def _race(requests: list[tuple[str, str, dict[str, Any]]], headers: dict[str, str]) -> list[int]:
    """Send all requests at the same moment, one thread each; return their status codes."""
    start = threading.Barrier(len(requests))
    codes: list[int] = []

    def send(method: str, url: str, body: dict[str, Any]) -> None:
        with httpx.Client(timeout=30) as client:
            client.get(url.split("/v1/")[0] + "/healthz")  # connect before the start line
            start.wait()
            codes.append(client.request(method, url, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send, args=r) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return codes


def _mixed_writes(url: str, claim_id: int, n: int) -> list[tuple[str, str, dict[str, Any]]]:
    """``n`` different writes to one claim: status changes, edits and evidence, in turn."""
    kinds = [
        ("POST", f"{url}/v1/claims/{claim_id}/status", {"status": "in_progress", "note": "talks"}),
        ("PATCH", f"{url}/v1/claims/{claim_id}", {"quote": "We expect a deal"}),
        ("POST", f"{url}/v1/claims/{claim_id}/evidence", EVIDENCE),
    ]
    writes = []
    for i in range(n):
        method, path, body = kinds[i % 3]
        if "note" in body:
            body = {**body, "note": f"writer {i}"}
        writes.append((method, path, body))
    return writes


def test_racing_writers_with_one_etag_on_one_server_exactly_one_wins(
    servers: Servers, settings, engine, make_token
):
    editor = make_token(Role.EDITOR, "racing-editor")
    server = servers.start(settings.database_url)
    created = _create(server.url, editor)
    claim_id, etag = created.json()["id"], created.headers["ETag"]
    before = write_marks(engine)

    codes = _race(_mixed_writes(server.url, claim_id, 12), {**editor, "If-Match": etag})

    assert sorted(codes) == [200] + [412] * 11
    seq, events = write_marks(engine)
    assert (seq - before[0], events - before[1]) == (1, 1)
    assert httpx.get(f"{server.url}/v1/claims/{claim_id}").json()["version"] == 2
    assert_consistent(engine)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_racing_writers_on_two_server_processes_exactly_one_wins(
    servers: Servers, settings, engine, make_token
):
    editor = make_token(Role.EDITOR, "racing-editor")
    first, second = servers.start(settings.database_url), servers.start(settings.database_url)
    created = _create(first.url, editor)
    claim_id, etag = created.json()["id"], created.headers["ETag"]
    before = write_marks(engine)
    writes = [
        *_mixed_writes(first.url, claim_id, 6),
        *_mixed_writes(second.url, claim_id, 6),
    ]

    codes = _race(writes, {**editor, "If-Match": etag})

    assert sorted(codes) == [200] + [412] * 11
    seq, events = write_marks(engine)
    assert (seq - before[0], events - before[1]) == (1, 1)
    assert httpx.get(f"{second.url}/v1/claims/{claim_id}").json()["version"] == 2
    assert_consistent(engine)


# ---------------------------------------------------------------------------------------------
# Ten thousand racing writes

WRITES = 10_000
THREADS = 8
CLAIMS = 4
FLIP = {"in_progress": "stalled", "stalled": "in_progress", "pending": "in_progress"}


class KeptConnection:
    """One keep-alive HTTP/1.1 connection of the standard library, JSON in and out.

    httpx spent ~1.5 ms of the test process's CPU per request, so 10,000 writes measured the
    client more than the server (and its eight threads queued for the GIL); this costs a
    tenth of that."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, Any]:
        """Send one request; return its status, its ETag and its parsed body."""
        data = None if body is None else json.dumps(body).encode()
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if data else {})}
        self.conn.request(method, path, body=data, headers=sent)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, response.getheader("ETag", ""), json.loads(raw) if raw else None

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class Writer(threading.Thread):
    """Writes to random claims with the ETag it last saw; on 412 it re-reads and goes on."""

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        claim_ids: list[int],
        n: int,
        seed: int,
        stop: threading.Event,
    ):
        super().__init__(name=f"writer-{seed}")
        self.url, self.headers, self.claim_ids, self.n = url, headers, claim_ids, n
        self.rng = random.Random(seed)
        self.stop = stop  # set by the first writer that gets an answer other than 200 or 412
        self.won: list[tuple[int, int]] = []  # (claim id, version the write produced)
        self.codes: Counter[int] = Counter()
        self.unexpected: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
            self.stop.set()

    def _write(self) -> None:
        seen: dict[int, tuple[str, str]] = {}  # claim id -> (status, ETag)
        client = KeptConnection(self.url)
        try:
            for i in range(self.n):
                if self.stop.is_set():
                    return
                claim_id = self.rng.choice(self.claim_ids)
                if claim_id not in seen:
                    _code, etag, body = client.send("GET", f"/v1/claims/{claim_id}")
                    seen[claim_id] = (body["status"], etag)
                status, etag = seen.pop(claim_id)
                headers = {**self.headers, "If-Match": etag}
                if i % 3 == 2:
                    path, write = f"/v1/claims/{claim_id}/evidence", EVIDENCE
                else:
                    path = f"/v1/claims/{claim_id}/status"
                    write = {"status": FLIP[status], "note": f"{self.name} write {i}"}
                code, etag, body = client.send("POST", path, write, headers)
                self.codes[code] += 1
                if code == 200:
                    self.won.append((claim_id, body["version"]))
                    seen[claim_id] = (body["status"], etag)
                elif code != 412:
                    self.unexpected.append(f"{code} {body}")
                    self.stop.set()
        finally:
            client.close()


@pytest.mark.slow
def test_ten_thousand_racing_writes_lose_nothing_and_double_nothing(
    servers: Servers, settings, engine, make_token
):
    editor = make_token(Role.EDITOR, "busy-editor")
    server = servers.start(settings.database_url, workers=2)
    claim_ids = [_create(server.url, editor, slug=f"race-{n}").json()["id"] for n in range(CLAIMS)]
    seq_before, _ = write_marks(engine)
    stop = threading.Event()
    writers = [
        Writer(server.url, editor, claim_ids, WRITES // THREADS, seed, stop)
        for seed in range(THREADS)
    ]

    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=240)

    errors = [w.error for w in writers]
    assert errors == [None] * THREADS, _not_access_lines(server.output())
    assert [u for w in writers for u in w.unexpected] == []
    codes = sum((w.codes for w in writers), Counter())
    assert sum(codes.values()) == WRITES
    assert set(codes) <= {200, 412}, codes
    won = [pair for w in writers for pair in w.won]
    assert len(won) == codes[200] == len(set(won))  # no version was handed out twice
    versions = {claim_id: [] for claim_id in claim_ids}
    for claim_id, version in won:
        versions[claim_id].append(version)
    finals = {c: httpx.get(f"{server.url}/v1/claims/{c}").json()["version"] for c in claim_ids}
    for claim_id in claim_ids:  # every version 2..final was produced by exactly one 2xx
        assert sorted(versions[claim_id]) == list(range(2, finals[claim_id] + 1))
    seq_after, events = write_marks(engine)
    assert events - CLAIMS == codes[200] == sum(v - 1 for v in finals.values())
    assert seq_after - seq_before == codes[200]
    changes = _changes_since(server.url, seq_before)
    assert [c["seq"] for c in changes] == sorted({c["seq"] for c in changes})
    assert sorted((c["claim_id"], c["version"]) for c in changes) == sorted(won)
    assert_consistent(engine)


def _not_access_lines(log: str) -> str:
    """What a server printed besides its one line per request (a traceback, a worker's end)."""
    return "\n".join(line for line in log.splitlines() if " token=" not in line)[-4000:]


def _changes_since(url: str, since: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        while True:
            page = client.get("/v1/changes", params={"since": since, "limit": 1000}).json()
            if not page["changes"]:
                return out
            out.extend(page["changes"])
            since = page["next"]


def test_opposite_status_moves_on_two_claims_at_once_never_fail(client, make_claim, editor):
    # Two writers move two claims with the same deadline in opposite directions, so the per-
    # status bookkeeping each write touches is the same two rows, in opposite orders.
    claims = [make_claim(due_by="2026-06-30"), make_claim(due_by="2026-06-30")]
    first = client.post(
        f"/v1/claims/{claims[1].id}/status",
        json={"status": "in_progress", "note": "talks began"},
        headers={**editor, "If-Match": claims[1].etag},
    )
    etags = [claims[0].etag, first.headers["ETag"]]
    start = threading.Barrier(2)
    failures: list[str] = []

    def flip(n: int, status: str) -> None:
        etag = etags[n]
        start.wait()
        for i in range(150):
            status = FLIP[status]
            response = client.post(
                f"/v1/claims/{claims[n].id}/status",
                json={"status": status, "note": f"move {i}"},
                headers={**editor, "If-Match": etag},
            )
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text}")
                return
            etag = response.headers["ETag"]

    threads = [
        threading.Thread(target=flip, args=(0, "pending")),  # -> in_progress -> stalled -> ...
        threading.Thread(target=flip, args=(1, "in_progress")),  # -> stalled -> in_progress ...
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert failures == []


def test_racing_creates_with_one_idempotency_key_make_one_claim(client, editor, engine):
    before = write_marks(engine)
    body = {**NEW_CLAIM, "statement": "Xi attends the G20 next fall"}
    start = threading.Barrier(8)
    answers: list[Any] = []

    def create() -> None:
        start.wait()
        answers.append(
            client.post("/v1/claims", json=body, headers={**editor, "Idempotency-Key": "once"})
        )

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    codes = sorted(a.status_code for a in answers)
    assert set(codes) <= {201, 409}, [a.text for a in answers]
    assert 201 in codes
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    seq, events = write_marks(engine)
    assert (seq - before[0], events - before[1]) == (1, 1)
