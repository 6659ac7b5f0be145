"""A second, plain client for the benchmark: asyncio streams speaking HTTP/1.1 keep-alive.

wrk is fast and exact, but it is the tool the numbers were tuned with; this client is written
from scratch (no HTTP library: a request line, headers, Content-Length bodies) so a figure that
only holds under wrk shows up. ``bench/run.py --plain`` reports both; bench/README.md takes the
worse. One process, 32 connections, like ``wrk -t1 -c32``.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from urllib.parse import urlsplit


class Connection:
    """One kept-alive HTTP/1.1 connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader = reader
        self.writer = writer
        self.host = host

    @classmethod
    async def open(cls, base: str) -> Connection:
        """Connect to ``base`` (http://host:port)."""
        parts = urlsplit(base)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        return cls(reader, writer, parts.netloc)

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; return status, headers (lower-case names) and body."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        found: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            found[name.strip().lower()] = value.strip()
        length = int(found.get("content-length", "0"))
        payload = await self.reader.readexactly(length) if length else b""
        return status, found, payload

    def close(self) -> None:
        """Close the connection."""
        self.writer.close()


async def _load(base: str, seconds: float, connections: int, one) -> dict:
    conns = [await Connection.open(base) for _ in range(connections)]
    done = 0
    bad = 0
    deadline = time.monotonic() + seconds

    async def loop(conn: Connection, n: int) -> None:
        nonlocal done, bad
        while time.monotonic() < deadline:
            ok = await one(conn, n)
            done += 1
            bad += 0 if ok else 1

    started = time.monotonic()
    await asyncio.gather(*(loop(c, n) for n, c in enumerate(conns)))
    took = time.monotonic() - started
    for c in conns:
        c.close()
    return {"rps": round(done / took, 1), "requests": done, "unexpected": bad}


def get(base: str, path: str, *, headers: dict[str, str] | None = None, seconds: float = 10,
        connections: int = 32, expect: int = 200) -> dict:  # fmt: skip
    """GET ``path`` again and again over ``connections`` connections for ``seconds``."""

    async def one(conn: Connection, _n: int) -> bool:
        status, _, _ = await conn.request("GET", path, headers)
        return status == expect

    return asyncio.run(_load(base, seconds, connections, one))


def random_detail(base: str, claims: int, *, seconds: float = 10, connections: int = 32,
                  seed: int = 7) -> dict:  # fmt: skip
    """GET one claim by a random id from 1 to ``claims`` per request (at 100k and 1M nearly
    every one misses the server's cache), as wrk's ``RANDOM_DETAIL`` script in run.py does."""
    rng = random.Random(seed)

    async def one(conn: Connection, _n: int) -> bool:
        status, _, _ = await conn.request("GET", f"/v1/claims/{rng.randint(1, claims)}")
        return status == 200

    return asyncio.run(_load(base, seconds, connections, one))


def status_changes(base: str, token: str, rows: dict[int, tuple[str, str]], *,
                   seconds: float = 10, connections: int = 32,
                   read_first: bool = False) -> dict:  # fmt: skip
    """POST status changes with If-Match, each connection over its own share of the claims,
    taking each claim's new ETag from its answer (the claims are never shared). With
    ``read_first``, each change is preceded by a GET of the claim whose ETag it sends, as an
    editor's page or a script that does not keep ETags would do: writes per second then
    count the pair."""
    ids = list(rows)
    etags = {i: rows[i][0] for i in ids}
    states = {i: rows[i][1] for i in ids}
    share = [ids[n::connections] for n in range(connections)]
    turn = [0] * connections

    async def one(conn: Connection, n: int) -> bool:
        mine = share[n]
        claim = mine[turn[n] % len(mine)]
        turn[n] += 1
        if read_first:
            status, found, body = await conn.request("GET", f"/v1/claims/{claim}")
            if status != 200:
                return False
            etags[claim], states[claim] = found["etag"], json.loads(body)["status"]
        target = "stalled" if states[claim] == "in_progress" else "in_progress"
        body = json.dumps({"status": target, "note": "bench"}).encode()
        headers = {
            "Authorization": f"Bearer {token}",
            "If-Match": etags[claim],
            "Content-Type": "application/json",
        }
        status, found, _ = await conn.request("POST", f"/v1/claims/{claim}/status", headers, body)
        if status == 200:
            etags[claim] = found["etag"]
            states[claim] = target
        return status == 200

    out = asyncio.run(_load(base, seconds, connections, one))
    return {"writes_per_s": out["rps"], "writes": out["requests"], "refused": out["unexpected"]}


def creates(base: str, token: str, *, seconds: float = 10, connections: int = 32) -> dict:
    """POST new claims, each with its own Idempotency-Key and statement."""
    run = f"p{time.time_ns()}"
    count = [0]

    async def one(conn: Connection, _n: int) -> bool:
        count[0] += 1
        n = count[0]
        body = json.dumps({"statement": f"Bench claim {run} number {n}",
                           "claimant": "Bench ministry", "due_by": "2030-01-01",
                           "topics": ["bench"]}).encode()  # fmt: skip
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": f"{run}-{n}",
            "Content-Type": "application/json",
        }
        status, _, _ = await conn.request("POST", "/v1/claims", headers, body)
        return status == 201

    out = asyncio.run(_load(base, seconds, connections, one))
    return {"creates_per_s": out["rps"], "creates": out["requests"], "refused": out["unexpected"]}
