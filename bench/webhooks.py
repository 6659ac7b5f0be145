"""Issue 15: writes with 10 active webhook subscriptions against writes with none, and a slow
receiver (5 s per request) against a quick one.

Each configuration serves its own copy of the 1k-claim database of ``bench/run.py`` (SQLite, or
PostgreSQL with ``--database postgresql``)
with ``claims serve`` (the dispatcher runs in the server process, as by default); a receiver
runs in its own process (answering 200 at once, or after ``--slow`` seconds). Status changes
with If-Match are driven twice per round, by wrk and by the plain asyncio client of
``bench/plain.py``; rounds alternate the configurations (and their order) so a noisy neighbour
hurts all. Reported: writes/s of each driver (medians) and the ratio to "none" (each driver's
median of the rounds' ratios, the worse driver); the webhook backlog when the
writes stop (deliveries give way to a burst) and how fast it drains in the next ten seconds.

    .venv/bin/python bench/webhooks.py --rounds 2 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import plain
import psycopg
from run import (
    DATA,
    PG_ADMIN,
    RESULTS,
    ensure_database,
    free_port,
    open_claims,
    status_writes,
    wait_ready,
)

SUBSCRIPTIONS = 10
CONFIGS = {"none": None, "quick": 0.0, "slow": 5.0}  # receiver delay per request, seconds


def receive(port: int, delay: float) -> None:
    """Run a receiver: answer every POST with 204, after ``delay`` seconds."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as any production receiver

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            if delay:
                time.sleep(delay)
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


@contextmanager
def process(args: list[str], env: dict[str, str] | None = None):
    proc = subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def token(url: str, role: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "claims", "token", "create",
         "--name", f"bench-{role}-{time.time_ns()}", "--role", role],
        env={**os.environ, "CLAIMS_DATABASE_URL": url},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.strip().splitlines()[-1]


DRAIN_S = 10


def pending(url: str) -> int:
    """The webhook backlog of the database at ``url`` (deliveries waiting, events unread)."""
    from sqlmodel import Session

    from claims import storage, webhooks
    from claims.config import Settings

    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    try:
        with Session(engine) as session:
            return webhooks.backlog(session)[0]
    finally:
        engine.dispose()


def _remove(db: Path) -> None:
    for part in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        part.unlink(missing_ok=True)


@contextmanager
def fresh_copy(source: str, config: str):
    """A copy of the benchmark database for one configuration (its URL), removed after."""
    if source.startswith("sqlite"):
        copy = DATA / f"webhooks-{config}.db"
        _remove(copy)  # a WAL left by an earlier, killed run would spoil the fresh copy
        shutil.copy(source.removeprefix("sqlite:///"), copy)
        try:
            yield f"sqlite:///{copy}"
        finally:
            _remove(copy)
        return
    template, name = source.rsplit("/", 1)[1], f"bench_webhooks_{config}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield source.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def one_config(source: str, config: str, seconds: int) -> dict:
    """Serve a fresh copy of the database in ``config``; drive it with both drivers."""
    with fresh_copy(source, config) as url:
        return _drive(url, config, seconds)


def _drive(url: str, config: str, seconds: int) -> dict:
    editor, admin = token(url, "editor"), token(url, "admin")
    port, hook_port = free_port(), free_port()
    delay = CONFIGS[config]
    serve = [sys.executable, "-m", "claims", "serve", "--port", str(port), "--no-seed",
             "--no-access-log"]  # fmt: skip
    env = {"CLAIMS_DATABASE_URL": url, "CLAIMS_WEBHOOKS_ALLOW_PRIVATE": "true"}
    receiver = [sys.executable, __file__, "--receive", str(hook_port), "--delay", str(delay or 0)]
    with process(receiver), process(serve, env):
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/healthz")
        if delay is not None:
            for n in range(SUBSCRIPTIONS):
                made = httpx.post(
                    f"{base}/v1/webhooks",
                    json={"url": f"http://127.0.0.1:{hook_port}/hook/{n}"},
                    headers={"Authorization": f"Bearer {admin}"},
                )
                made.raise_for_status()
        by_wrk = status_writes(base, editor)
        rows = open_claims(base)
        by_plain = plain.status_changes(base, editor, rows, seconds=seconds)
        read = plain.get(base, "/v1/claims/1", seconds=2)
        time.sleep(1)
        delivered, backlog, drain = 0, 0, 0.0
        if delay is not None:
            # The deliveries fall behind a burst (they give way to the writes): how far, and
            # how fast they catch up once the writes stop.
            backlog = pending(url)
            time.sleep(DRAIN_S)
            drain = (backlog - pending(url)) / DRAIN_S
            for n in range(1, SUBSCRIPTIONS + 1):
                items = httpx.get(
                    f"{base}/v1/webhooks/{n}/deliveries?limit=1",
                    headers={"Authorization": f"Bearer {admin}"},
                ).json()["items"]
                delivered += len(items)
    return {
        "wrk_writes_per_s": by_wrk["writes_per_s"],
        "plain_writes_per_s": by_plain["writes_per_s"],
        "reads_after_per_s": read["rps"],
        "subscriptions_with_a_delivery": delivered,
        "backlog_after_writes": backlog,
        "deliveries_per_s_after": round(drain, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--receive", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--delay", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receive:
        receive(args.receive, args.delay)
        return
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    source = ensure_database(args.database, 1000)
    runs: dict[str, list[dict]] = {name: [] for name in CONFIGS}
    for n in range(args.rounds):
        # Alternate the order: a server started later in a round is not always the same one.
        for name in list(CONFIGS)[:: 1 if n % 2 == 0 else -1]:
            runs[name].append(one_config(source, name, args.seconds))
    median = {
        name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()
    }
    print(f"{'config':8} {'wrk w/s':>9} {'plain w/s':>10} {'ratio (worse)':>14} {'reads/s':>9} "
          f"{'backlog':>8} {'sent/s after':>13}")  # fmt: skip
    for name, m in median.items():
        # Each driver's median of the rounds' ratios (a round's servers ran minutes apart, not
        # hours: the machine's drift cancels), then the worse of the two drivers.
        ratio = min(
            statistics.median(
                r[key] / base[key] for r, base in zip(runs[name], runs["none"], strict=True)
            )
            for key in ("wrk_writes_per_s", "plain_writes_per_s")
        )
        m["ratio_to_none"] = round(ratio, 3)
        print(f"{name:8} {m['wrk_writes_per_s']:9.0f} {m['plain_writes_per_s']:10.0f} "
              f"{ratio:14.2f} {m['reads_after_per_s']:9.0f} {m['backlog_after_writes']:8.0f} "
              f"{m['deliveries_per_s_after']:13.1f}")  # fmt: skip
    out = RESULTS / ("webhooks.json" if args.database == "sqlite" else "webhooks-postgresql.json")
    out.write_text(json.dumps({"median": median, "runs": runs}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
