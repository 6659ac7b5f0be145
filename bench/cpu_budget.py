"""Where a write's CPU goes: the tracker's server, PostgreSQL and the load generator (issue 18).

Throughput on this two-core machine is bounded by CPU, shared by the server, the database and
the client. This script drives status changes with If-Match over 32 connections against
``claims serve --workers 2`` on PostgreSQL, with wrk (``run.status_writes``) and then with the
plain asyncio client (``plain.status_changes``), and reads, from ``/proc`` and ``getrusage``,
the CPU each side spent per write. Beside it, as the machine's own reference, it runs pgbench's
standard TPC-B-like transaction (five statements, C client, prepared statements) with the same
32 connections: what PostgreSQL alone commits per second here, and the CPU it spends on each.

    python bench/cpu_budget.py            # bench/results/cpu-budget.json

A rate target R on C cores leaves C / R seconds of CPU per write for all three sides together;
the figures say how far each side is from that budget.
"""

from __future__ import annotations

import json
import os
import platform
import pwd
import re
import resource
import subprocess
import time
from pathlib import Path

import plain
import run

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")
PGBENCH_DB = "claims_bench_tpcb"
PGBENCH = ["pgbench", "-h", "127.0.0.1", "-U", "postgres"]


def _cpu_of(predicate) -> float:
    """CPU seconds so far of the running processes for which ``predicate(uid, cmdline, pgrp)``
    holds."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uid = (entry / "status").read_text().split("\nUid:\t", 1)[1].split("\t", 1)[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it exited meanwhile
        if predicate(int(uid), cmdline, int(fields[2])):
            # With the time of its children that exited (a pgbench client's backends, which
            # end with their connections before the last sample).
            total += sum(int(v) for v in fields[11:15])
    return total / TICK


def _postgres(uid: int, _cmdline: str, _pgrp: int) -> bool:
    return uid == pwd.getpwnam("postgres").pw_uid


def _server_group(port: int) -> int:
    """The process group of the ``claims serve`` on ``port``: ``run.serve`` starts it in a
    session of its own, so its workers share its group."""
    flag = f"--port {port} ".encode()
    for p in Path("/proc").iterdir():
        if p.name.isdigit() and flag in (p / "cmdline").read_bytes().replace(b"\0", b" "):
            return int(p.name)
    raise LookupError(f"no claims serve on port {port}")


def _busy_cores() -> float:
    """CPU seconds all cores were busy so far (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


def _client_cpu() -> float:
    """CPU seconds of the load generators: wrk and pgbench run as child processes, the plain
    client in this one."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_CHILDREN),
                      resource.getrusage(resource.RUSAGE_SELF))
    )  # fmt: skip


def measured(label: str, drive, count_key: str, seconds: int, server_group: int = -1) -> dict:
    """Run ``drive()`` (``seconds`` of load) and return its rate with the CPU per unit of
    each side."""
    server = lambda _uid, _cmdline, pgrp: pgrp == server_group  # noqa: E731

    def sample() -> tuple[float, ...]:
        return (_cpu_of(_postgres), _cpu_of(server), _client_cpu(), _busy_cores(), time.time())

    before = sample()
    out = drive()
    after = sample()
    rate = out[count_key]
    units = rate * seconds
    per = lambda i: round((after[i] - before[i]) / units * 1e3, 3)  # noqa: E731 (ms per unit)
    cores = round((after[3] - before[3]) / (after[4] - before[4]), 2)
    result = {"scenario": label, "per_s": rate, "database_ms": per(0), "server_ms": per(1),
              "client_ms": per(2), "machine_busy_ms": per(3),
              "machine_busy_cores": cores}  # fmt: skip
    print(json.dumps(result), flush=True)
    return result


def pgbench_database() -> None:
    """Create and fill pgbench's database once (outside the measured run)."""
    with run.psycopg.connect(run.PG_ADMIN, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PGBENCH_DB,)).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{PGBENCH_DB}"')
    subprocess.run([*PGBENCH, "-i", "-s", "10", "-q", PGBENCH_DB], check=True, capture_output=True)


def pgbench_tpcb(seconds: int) -> dict:
    """pgbench's TPC-B-like transaction, 32 clients, 2 threads, prepared statements."""
    out = subprocess.run(
        [*PGBENCH, "-n", "-M", "prepared", "-c", "32", "-j", "2", "-T", str(seconds), PGBENCH_DB],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return {"tps": float(re.search(r"tps = ([\d.]+)", out).group(1))}


def main() -> None:
    seconds = run.DURATION
    url = run.ensure_database("postgresql", 1000)
    results = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "runs": []}
    pgbench_database()
    results["runs"].append(
        measured("pgbench TPC-B-like", lambda: pgbench_tpcb(seconds), "tps", seconds)
    )
    token = run.make_token(url, f"budget-{time.time_ns()}")
    with run.serve(url, workers=2) as base:
        group = _server_group(int(base.rsplit(":", 1)[1]))
        rows = run.open_claims(base)
        results["runs"].append(
            measured(
                "status changes, wrk, 2 workers",
                lambda: run.status_writes(base, token, rows=rows),
                "writes_per_s",
                seconds,
                group,
            )
        )
        rows = run.open_claims(base)  # the ETags wrk's writes left
        results["runs"].append(
            measured(
                "status changes, plain client, 2 workers",
                lambda: plain.status_changes(base, token, rows, seconds=seconds),
                "writes_per_s",
                seconds,
                group,
            )
        )
    (run.RESULTS / "cpu-budget.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
