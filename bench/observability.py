"""Issue 19: the polling reads with metrics and JSON access logs on, against both off.

Serves the 1k-claim SQLite database of ``bench/run.py`` with ``claims serve`` twice per round:
"off" (``--no-access-log``, CLAIMS_METRICS=false) and "on" (CLAIMS_METRICS=true,
CLAIMS_LOG_FORMAT=json, one log line per request written to a file, as journald would get
it), rounds alternating so that a noisy neighbour hurts both; ``wrk -t1 -c32`` on the four
polling reads, then the plain asyncio client of ``bench/plain.py`` on the same reads (the
worse of the two ratios is the figure). Prints the tables and writes
bench/results/observability.json.

    .venv/bin/python bench/observability.py --rounds 2 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import plain
from run import DATA, RESULTS, ensure_database, free_port, wait_ready, warm, wrk

CONFIGS = {
    "off": ({"CLAIMS_METRICS": "false"}, ["--no-access-log"]),
    "on": ({"CLAIMS_METRICS": "true", "CLAIMS_LOG_FORMAT": "json"}, []),
    "metrics": ({"CLAIMS_METRICS": "true"}, ["--no-access-log"]),
    "logs": ({"CLAIMS_METRICS": "false", "CLAIMS_LOG_FORMAT": "json"}, []),
}


@contextmanager
def serve(url: str, config: str):
    env_extra, flags = CONFIGS[config]
    port = free_port()
    log = (DATA / f"observability-{config}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--port", str(port), "--no-seed", *flags],
        env={**os.environ, "CLAIMS_DATABASE_URL": url, **env_extra},
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, url: str, seconds: int, **options) -> dict:
    """wrk's figures, plus the server's CPU time per request: on a shared, noisy machine the
    CPU a request costs moves far less than the requests per second do."""
    before = cpu_seconds(pid)
    result = wrk(url, seconds=seconds, **options)
    used = cpu_seconds(pid) - before
    result["cpu_us_per_request"] = used / (result["rps"] * seconds) * 1e6
    return result


def scenarios(base: str, pid: int, seconds: int) -> dict:
    """Each polling read driven by wrk, then by the plain asyncio client (``plain_rps``)."""
    list_path = "/v1/claims?status=pending&limit=50"
    tag = httpx.get(base + list_path).headers["etag"]
    seq = httpx.get(f"{base}/v1/summary").json()["seq"]
    reads = {
        "list": (list_path, {}, 200),
        "list_304": (list_path, {"If-None-Match": tag}, 304),
        "detail": ("/v1/claims/500", {}, 200),
        "changes_empty": (f"/v1/changes?since={seq}", {}, 200),
    }
    out = {}
    for name, (path, headers, status) in reads.items():
        out[name] = measured(pid, base + path, seconds, headers=headers)
        by_plain = plain.get(base, path, headers=headers, seconds=seconds, expect=status)
        out[name]["plain_rps"] = by_plain["rps"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--configs", nargs="+", default=["off", "on"], choices=list(CONFIGS))
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    url = ensure_database("sqlite", 1000)
    warm(url)
    runs: dict[str, list[dict]] = {config: [] for config in args.configs}
    for _ in range(args.rounds):
        for config in args.configs:
            with serve(url, config) as (base, pid):
                runs[config].append(scenarios(base, pid, args.seconds))
            print(config, json.dumps(runs[config][-1]), flush=True)
    (RESULTS / "observability.json").write_text(json.dumps(runs, indent=1))
    first = args.configs[0]
    print("\nmedian rps (ratio to the first), p99 ms, server CPU µs per request (ratio)")
    print(f"{'scenario':<15}" + "".join(f" {c:>34}" for c in runs))
    for name in runs[first][0]:

        def med(config: str, key: str, name: str = name) -> float:
            return statistics.median(r[name][key] for r in runs[config])

        cells = [
            f"{med(c, 'rps'):.0f} ({med(c, 'rps') / med(first, 'rps'):.2f}) "
            f"{med(c, 'p99_ms'):.1f} "
            f"{med(c, 'cpu_us_per_request'):.0f}µs "
            f"({med(c, 'cpu_us_per_request') / med(first, 'cpu_us_per_request'):.2f})"
            for c in runs
        ]
        print(f"{name:<15}" + "".join(f" {c:>34}" for c in cells))
    print("\nplain asyncio client: median rps (ratio to the first); worse of the two drivers")
    for name in runs[first][0]:
        line = f"{name:<15}"
        for c in runs:
            by_plain = statistics.median(r[name]["plain_rps"] for r in runs[c])
            by_wrk = statistics.median(r[name]["rps"] for r in runs[c])
            base_plain = statistics.median(r[name]["plain_rps"] for r in runs[first])
            base_wrk = statistics.median(r[name]["rps"] for r in runs[first])
            worse = min(by_plain / base_plain, by_wrk / base_wrk)
            line += f" {by_plain:>8.0f} ({by_plain / base_plain:.2f}) worse {worse:.2f}"
        print(line)


if __name__ == "__main__":
    main()
