"""Run the speed benchmark of issue 6 and write bench/results/<name>.json and a table.

For each database size it serves the tracker with ``claims serve`` (one worker, no access
log) and, back to back in the same run, the ceiling (bench/ceiling.py: bare Starlette
returning the same list page as precomputed bytes), and drives both with ``wrk -t1 -c32``.

    python bench/run.py --sizes 1000 100000 1000000 --backend sqlite
    python bench/run.py --sizes 1000 100000 --backend postgresql   # also cross-process wake-ups
    python bench/run.py --sizes 1000 100000 --plain   # also the second, plain client
    python bench/run.py --backend postgresql --workers 2   # issue 18: writes with two workers

Nothing here is a test: numbers go to bench/README.md by hand, with the machine and versions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import plain
import psycopg
from wakeups import wake_latency

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def serve(url: str, *, workers: int = 1):
    port = free_port()
    # No deadline watcher: a freshly built database owes an "overdue" event to tens of
    # thousands of claims at 100k, and the watcher's start-up pass writes them all before the
    # server answers (minutes); the benchmark measures the steady state.
    env = {**os.environ, "CLAIMS_DATABASE_URL": url, "CLAIMS_DEADLINE_WATCH": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--port", str(port), "--no-seed",
         "--workers", str(workers), "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@contextmanager
def ceiling(page: bytes):
    port = free_port()
    path = DATA / "ceiling-page.json"
    path.write_bytes(page)
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "ceiling.py"), str(path), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/page")
        yield f"http://127.0.0.1:{port}/page"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wrk(url: str, *, connections: int = 32, headers: dict[str, str] | None = None,
        script: Path | None = None, seconds: int = DURATION) -> dict:  # fmt: skip
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
        "socket_errors": [int(x) for x in errors.groups()] if errors else [0, 0, 0, 0],
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
    }


RANDOM_DETAIL = """
math.randomseed(7)
request = function()
  return wrk.format("GET", "/v1/claims/" .. math.random(1, {n}))
end
"""


def uncached_pages(base: str, pages: int = 200) -> dict:
    """Walk ``pages`` pages of pending claims by deadline, one client: every page is a cache
    miss (a new cursor), so this times the list query itself, not the cache."""
    took: list[float] = []
    url = f"{base}/v1/claims?status=pending&sort=due_by&limit=50"
    cursor = None
    with httpx.Client() as client:
        for _ in range(pages):
            started = time.perf_counter()
            page = client.get(url + (f"&cursor={cursor}" if cursor else "")).json()
            took.append((time.perf_counter() - started) * 1000)
            cursor = page.get("next_cursor")
            if not cursor:
                break
    p99 = statistics.quantiles(took, n=100)[98] if len(took) > 1 else took[0]
    return {"pages": len(took), "median_ms": statistics.median(took), "p99_ms": p99,
            "max_ms": max(took)}  # fmt: skip


def make_token(url: str, name: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "claims", "token", "create", "--name", name, "--role", "editor"],
        env={**os.environ, "CLAIMS_DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


STATUS_WRITES = """
-- Status changes with If-Match, round robin over open claims: by the time a claim comes round
-- again its last answer (new ETag and status) has long arrived.
local ids = {ids}
local etags = {etags}
local states = {states}
local token = "{token}"
local i = 0
request = function()
  i = i % #ids + 1
  local id = ids[i]
  local target = (states[id] == "in_progress") and "stalled" or "in_progress"
  return wrk.format("POST", "/v1/claims/" .. id .. "/status",
    {["Authorization"] = "Bearer " .. token, ["If-Match"] = etags[id],
     ["Content-Type"] = "application/json"},
    '{"status":"' .. target .. '","note":"bench"}')
end
response = function(code, headers, body)
  if code == 200 then
    local id = tonumber(string.match(body, '^{"id":(%d+)'))
    etags[id] = headers["etag"] or headers["ETag"]
    states[id] = string.match(body, '"status":"([%a_]+)"')
  end
end
"""


CREATES = """
-- Creates with an Idempotency-Key each (a partner's script or an import sends one), every
-- statement new so no slug is taken twice.
local token = "{token}"
local run = "{run}"
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/claims",
    {["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = run .. "-" .. n,
     ["Content-Type"] = "application/json"},
    '{"statement":"Bench claim ' .. run .. ' number ' .. n .. '","claimant":"Bench ministry",' ..
    '"due_by":"2030-01-01","topics":["bench"]}')
end
"""


def creates(base: str, token: str) -> dict:
    """wrk -c32 posting new claims, each with its own Idempotency-Key (issue 18)."""
    script = DATA / "creates.lua"
    script.write_text(CREATES.replace("{token}", token).replace("{run}", f"w{time.time_ns()}"))
    out = wrk(f"{base}/v1/claims", script=script)
    return {"creates_per_s": out["rps"], "p99_ms": out["p99_ms"],
            "non_2xx_3xx": out["non_2xx_3xx"], "socket_errors": out["socket_errors"]}  # fmt: skip


def open_claims(base: str, claims: int = 1000) -> dict[int, tuple[str, str]]:
    """Up to ``claims`` claims in progress or stalled, with their ETags and statuses.

    Pending claims are left alone, so the list scenarios measure the same data on a rerun.
    """
    rows: dict[int, tuple[str, str]] = {}
    with httpx.Client(base_url=base) as client:
        for status in ("in_progress", "stalled"):
            cursor = None
            while len(rows) < claims:
                params = {"status": status, "limit": 200, **({"cursor": cursor} if cursor else {})}
                page = client.get("/v1/claims", params=params).json()
                for item in page["items"]:
                    tag = client.get(f"/v1/claims/{item['id']}").headers["etag"]
                    rows[item["id"]] = (tag, item["status"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
    return dict(list(rows.items())[:claims])


def status_writes(base: str, token: str, claims: int = 1000, rows: dict | None = None) -> dict:
    """wrk -c32 posting status changes (in_progress <-> stalled) to up to ``claims`` claims
    (``rows``: those of ``open_claims``, when already read)."""
    rows = rows if rows is not None else open_claims(base, claims)
    ids = list(rows)
    lua = lambda pairs: "{" + ", ".join(f"[{k}] = {json.dumps(v)}" for k, v in pairs) + "}"  # noqa: E731
    script = DATA / "status-writes.lua"
    script.write_text(
        STATUS_WRITES.replace("{ids}", "{" + ", ".join(map(str, ids)) + "}")
        .replace("{etags}", lua((i, rows[i][0]) for i in ids))
        .replace("{states}", lua((i, rows[i][1]) for i in ids))
        .replace("{token}", token)
    )
    out = wrk(f"{base}/v1/claims/1/status", script=script)
    return {"writes_per_s": out["rps"], "p99_ms": out["p99_ms"], "claims": len(ids),
            "non_2xx_3xx": out["non_2xx_3xx"], "socket_errors": out["socket_errors"]}  # fmt: skip


def database_url(backend: str, size: int) -> str:
    name = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}m"
    if backend == "sqlite":
        return f"sqlite:///{DATA / (name + '.db')}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/claims_bench_{name}"


def ensure_database(backend: str, size: int) -> str:
    url = database_url(backend, size)
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        if path.exists():
            return url
        path.parent.mkdir(parents=True, exist_ok=True)  # bench/data/ is not in a fresh clone
    else:
        dbname = url.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)
            ).fetchone()
            if exists:
                return url
            conn.execute(f'CREATE DATABASE "{dbname}"')
    subprocess.run(
        [sys.executable, str(HERE / "build.py"), "--claims", str(size), "--url", url], check=True
    )
    return url


def warm(url: str) -> None:
    """Read the claims into the database's cache, as on a server that has been up.

    SQLite: read the file once so the OS caches it. This VM gives idle file pages back
    quickly: unwarmed, random claim reads at 1M were disk reads (3,300 rps instead of ~6,000)
    and measured the disk, not the tracker. PostgreSQL: load the claim table and its indexes
    into shared buffers (``pg_prewarm``); a database just built or just restarted answered
    random claim reads at 100k at half the rate of the same run repeated (bench/README.md,
    eighteenth session).
    """
    if url.startswith("postgresql"):
        dbname = url.rsplit("/", 1)[1]
        with psycopg.connect(f"{PG_ADMIN.rsplit('/', 1)[0]}/{dbname}", autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            conn.execute(
                "SELECT pg_prewarm(oid) FROM pg_class WHERE oid = 'claim'::regclass "
                "OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'claim'::regclass)"
            )
        return
    path = Path(url.removeprefix("sqlite:///"))
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            with part.open("rb") as f:
                while f.read(1 << 24):
                    pass


def plain_client(base: str, ceiling_page: bytes, token: str, claims: int) -> dict:
    """The issue-13 scenarios again, driven by the plain client (bench/plain.py)."""
    out: dict = {}
    with ceiling(ceiling_page) as ceiling_url:
        split = urlsplit(ceiling_url)
        out["ceiling"] = plain.get(f"{split.scheme}://{split.netloc}", split.path or "/")
    list_path = "/v1/claims?status=pending&limit=50"
    out["list"] = plain.get(base, list_path)
    tag = httpx.get(f"{base}{list_path}").headers["etag"]
    out["list_304"] = plain.get(base, list_path, headers={"If-None-Match": tag}, expect=304)
    seq = httpx.get(f"{base}/v1/summary").json()["seq"]
    out["changes_empty"] = plain.get(base, f"/v1/changes?since={seq}")
    out["status_changes"] = plain.status_changes(base, token, open_claims(base))
    out["status_changes_read_first"] = plain.status_changes(
        base, token, open_claims(base), read_first=True
    )
    out["creates"] = plain.creates(base, token)
    out["detail_random"] = plain.random_detail(base, claims)
    return out


def run_size(backend: str, size: int, *, with_plain: bool = False, workers: int = 1) -> dict:
    url = ensure_database(backend, size)
    warm(url)
    token = make_token(url, f"bench-{time.time_ns()}")
    out: dict = {"backend": backend, "claims": size, "workers": workers}
    with serve(url, workers=workers) as base:
        page = httpx.get(f"{base}/v1/claims?status=pending&limit=50").content
        with ceiling(page) as ceiling_url:
            out["ceiling"] = wrk(ceiling_url)
        list_url = f"{base}/v1/claims?status=pending&limit=50"
        out["list"] = wrk(list_url)
        out["list_uncached"] = uncached_pages(base)
        tag = httpx.get(list_url).headers["etag"]
        out["list_304"] = wrk(list_url, headers={"If-None-Match": tag})
        out["detail"] = wrk(f"{base}/v1/claims/{size // 2}")
        script = DATA / "random-detail.lua"
        script.write_text(RANDOM_DETAIL.replace("{n}", str(size)))
        out["detail_random"] = wrk(f"{base}/v1/claims/1", script=script)
        seq = httpx.get(f"{base}/v1/summary").json()["seq"]
        out["changes_empty"] = wrk(f"{base}/v1/changes?since={seq}")
        out["summary"] = wrk(f"{base}/v1/summary")
        out["list_256"] = wrk(list_url, connections=256)
        out["answers_after_256"] = httpx.get(f"{base}/healthz").status_code
        out["status_changes"] = status_writes(base, token)
        out["creates"] = creates(base, token)
        out["wake_same_process"] = wake_latency(base, base, token, 1, 100)
        if with_plain:
            out["plain"] = plain_client(base, page, token, size)
    if backend == "postgresql":
        with serve(url) as read_base, serve(url) as write_base:
            out["wake_across_processes"] = wake_latency(read_base, write_base, token, 2, 100)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--name", default=None)
    parser.add_argument("--plain", action="store_true", help="also drive with bench/plain.py")
    parser.add_argument("--workers", type=int, default=1, help="claims serve --workers")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    results = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "runs": [],
    }  # fmt: skip
    for size in args.sizes:
        print(f"== {args.backend} {size} claims", flush=True)
        run = run_size(args.backend, size, with_plain=args.plain, workers=args.workers)
        results["runs"].append(run)
        print(json.dumps(run, indent=1), flush=True)
    name = args.name or f"{args.backend}"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
