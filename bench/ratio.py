"""One scenario against the ceiling, again and again: the ratio with its spread.

``bench/run.py`` measures each scenario once. On this VM one measurement of random-id claim
reads moved by ±15 % between runs of the same code (0.43 to 0.58 of the ceiling with wrk), so
a target close to a figure cannot be judged from one run. This serves the tracker once and,
``--rounds`` times, measures the ceiling and then the scenario back to back, with wrk and with
the plain client; it prints each round's ratio and, per driver, the median. bench/README.md
takes the worse driver's median.

    python bench/ratio.py --backend sqlite --size 100000 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from urllib.parse import urlsplit

import httpx
import plain
import run


def rounds(backend: str, size: int, count: int, seconds: int, workers: int) -> dict:
    """``count`` rounds of (ceiling, random-id claim reads), each with wrk and the plain
    client, against one server."""
    url = run.ensure_database(backend, size)
    run.warm(url)
    script = run.DATA / "random-detail.lua"
    script.write_text(run.RANDOM_DETAIL.replace("{n}", str(size)))
    out: dict = {"backend": backend, "claims": size, "workers": workers, "rounds": []}
    with run.serve(url, workers=workers) as base:
        page = httpx.get(f"{base}/v1/claims?status=pending&limit=50").content
        # Every claim read once: the server's memory map of the file is as after a while up.
        plain.random_detail(base, size, seconds=seconds)
        for _ in range(count):
            with run.ceiling(page) as ceiling_url:
                parts = urlsplit(ceiling_url)
                ceiling_plain = plain.get(
                    f"{parts.scheme}://{parts.netloc}", parts.path, seconds=seconds
                )["rps"]
                ceiling_wrk = run.wrk(ceiling_url, seconds=seconds)["rps"]
            detail_wrk = run.wrk(f"{base}/v1/claims/1", script=script, seconds=seconds)["rps"]
            detail_plain = plain.random_detail(base, size, seconds=seconds)["rps"]
            one = {
                "at": time.strftime("%H:%M:%S"),
                "ceiling_wrk": ceiling_wrk,
                "detail_wrk": detail_wrk,
                "ratio_wrk": round(detail_wrk / ceiling_wrk, 3),
                "ceiling_plain": ceiling_plain,
                "detail_plain": detail_plain,
                "ratio_plain": round(detail_plain / ceiling_plain, 3),
            }
            out["rounds"].append(one)
            print(json.dumps(one), flush=True)
    for driver in ("wrk", "plain"):
        out[f"median_{driver}"] = statistics.median(r[f"ratio_{driver}"] for r in out["rounds"])
    out["worse"] = min(out["median_wrk"], out["median_plain"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--name", default=None, help="also write bench/results/<name>.json")
    args = parser.parse_args()
    out = rounds(args.backend, args.size, args.rounds, args.seconds, args.workers)
    print(
        f"random-id claim reads at {args.size}, of the ceiling: median {out['median_wrk']} "
        f"(wrk), {out['median_plain']} (plain client); worse {out['worse']}"
    )
    if args.name:
        (run.RESULTS / f"{args.name}.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
