"""Print bench/results/<name>.json as the Markdown table in bench/README.md.

python bench/report.py sqlite
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

ROWS = [
    ("list", "list of 50, `status=pending`"),
    ("list_304", "list answered 304"),
    ("detail", "claim detail (one id)"),
    ("detail_random", "claim detail, random ids"),
    ("changes_empty", "empty `/v1/changes` poll"),
    ("summary", "summary"),
    ("list_256", "list, 256 connections"),
]


def _spread(values: dict, prefix: str) -> str:
    median, p99 = values[prefix + "median_ms"], values[prefix + "p99_ms"]
    return f"median {median:.1f} ms | | p99 {p99:.1f} ms"


def main() -> None:
    data = json.loads((RESULTS / f"{sys.argv[1]}.json").read_text())
    runs = data["runs"]
    sizes = " | ".join(f"{r['claims']:,} rps | ratio | p99" for r in runs)
    print(f"| scenario (`wrk -t1 -c32`) | {sizes} |")
    print("|---" * (1 + 3 * len(runs)) + "|")
    cells = " | ".join(
        f"{r['ceiling']['rps']:,.0f} | 1 | {r['ceiling']['p99_ms']} ms" for r in runs
    )
    print(f"| ceiling (bare Starlette, same page) | {cells} |")
    for key, label in ROWS:
        cells = []
        for r in runs:
            v = r[key]
            errors = sum(v["socket_errors"]) + v["non_2xx_3xx"]
            mark = f" ({errors} errors)" if errors else ""
            ratio = v["rps"] / r["ceiling"]["rps"]
            cells.append(f"{v['rps']:,.0f}{mark} | {ratio:.2f} | {v['p99_ms']} ms")
        print(f"| {label} | {' | '.join(cells)} |")
    cells = " | ".join(_spread(r["list_uncached"], "") for r in runs)
    print(f"| list, uncached pages (one client, by deadline) | {cells} |")
    cells = " | ".join(
        f"{r['status_changes']['writes_per_s']:,.0f} /s | | {r['status_changes']['p99_ms']} ms"
        for r in runs
    )
    print(f"| status changes with If-Match | {cells} |")
    for key, label in (
        ("wake_same_process", "same process"),
        ("wake_across_processes", "across processes"),
    ):
        if all(key in r for r in runs):
            for kind in ("long_poll", "sse"):
                cells = " | ".join(_spread(r[key], kind + "_") for r in runs)
                name = "long-poll" if kind == "long_poll" else "SSE"
                print(f"| commit → {name} woken, {label} | {cells} |")
    if all("plain" in r for r in runs):
        _plain_table(runs)


PLAIN_ROWS = [
    ("list", "list of 50, `status=pending`"),
    ("list_304", "list answered 304"),
    ("changes_empty", "empty `/v1/changes` poll"),
    ("detail_random", "claim detail, random ids"),
]
# Writes the plain client drives (results from before a row existed leave it out).
PLAIN_WRITES = [
    ("status_changes", "writes_per_s", "status changes with If-Match"),
    ("status_changes_read_first", "writes_per_s", "status changes, each after a GET (plain only)"),
    ("creates", "creates_per_s", "creates with an Idempotency-Key"),
]


def _plain_table(runs: list[dict]) -> None:
    """The second client's figures, and for each the worse ratio of the two clients."""
    print()
    sizes = " | ".join(f"{r['claims']:,} rps | ratio | worse of wrk and plain" for r in runs)
    print(f"| scenario (plain asyncio client, 32 connections) | {sizes} |")
    print("|---" * (1 + 3 * len(runs)) + "|")
    cells = " | ".join(f"{r['plain']['ceiling']['rps']:,.0f} | 1 | 1" for r in runs)
    print(f"| ceiling (bare Starlette, same page) | {cells} |")
    for key, label in PLAIN_ROWS:
        if not all(key in r["plain"] for r in runs):
            continue
        cells = []
        for r in runs:
            p = r["plain"]
            ratio = p[key]["rps"] / p["ceiling"]["rps"]
            worse = min(ratio, r[key]["rps"] / r["ceiling"]["rps"])
            mark = f" ({p[key]['unexpected']} unexpected)" if p[key]["unexpected"] else ""
            cells.append(f"{p[key]['rps']:,.0f}{mark} | {ratio:.2f} | {worse:.2f}")
        print(f"| {label} | {' | '.join(cells)} |")
    for key, field, label in PLAIN_WRITES:
        if not all(key in r["plain"] for r in runs):
            continue
        cells = []
        for r in runs:
            plain = r["plain"][key][field]
            wrk_side = r.get(key, {}).get(field)
            worse = min(plain, wrk_side) if wrk_side is not None else plain
            cells.append(f"{plain:,.0f} /s | | {worse:,.0f} /s")
        print(f"| {label} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
