"""Wake-up latency: from a committed write to a long-poll or an SSE stream that has it."""

from __future__ import annotations

import json
import statistics
import threading
import time

import httpx


def wake_latency(read_base: str, write_base: str, token: str, claim_id: int, rounds: int) -> dict:
    """Commit → long-poll woken, and commit → SSE event, measured from just before the write.

    Each wake-up is matched to its write by the claim's new version, so a change still
    committing from an earlier scenario is never taken for it. Both clients keep their
    connections open: a new httpx client spends ~20 ms setting itself up.
    """
    write_client = httpx.Client()
    poller = httpx.Client(timeout=15)

    def write() -> tuple[float, int]:
        current = write_client.get(f"{write_base}/v1/claims/{claim_id}")
        etag = current.headers["etag"]
        target = "stalled" if current.json()["status"] == "in_progress" else "in_progress"
        sent = time.monotonic()
        r = write_client.post(
            f"{write_base}/v1/claims/{claim_id}/status",
            json={"status": target, "note": "bench"},
            headers={"Authorization": f"Bearer {token}", "If-Match": etag},
        )
        r.raise_for_status()
        return sent, r.json()["version"]

    def version_now() -> int:
        return write_client.get(f"{write_base}/v1/claims/{claim_id}").json()["version"]

    poll: list[float] = []
    for _ in range(rounds):
        before = version_now()
        since = poller.get(f"{read_base}/v1/summary").json()["seq"]
        woken: dict[str, float] = {}

        def wait(since: int = since, before: int = before, woken: dict = woken) -> None:
            while True:  # until the change of our write arrives (not an earlier one)
                body = poller.get(f"{read_base}/v1/changes?since={since}&wait=10").json()
                if any(
                    c["claim_id"] == claim_id and c["version"] > before for c in body["changes"]
                ):
                    woken["at"] = time.monotonic()
                    return
                since = body["next"]

        t = threading.Thread(target=wait)
        t.start()
        time.sleep(0.05)
        sent, _version = write()
        t.join(15)
        poll.append((woken["at"] - sent) * 1000)

    sends: dict[int, float] = {}
    before = version_now()
    with httpx.stream("GET", f"{read_base}/v1/stream", timeout=30) as stream:

        def writer() -> None:
            for _ in range(rounds):
                sent, version = write()
                sends[version] = sent
                time.sleep(0.02)

        w = threading.Thread(target=writer)
        w.start()
        arrivals: dict[int, float] = {}
        for line in stream.iter_lines():
            if line.startswith("data:"):
                change = json.loads(line[5:])
                if change["claim_id"] == claim_id and change["version"] > before:
                    arrivals[change["version"]] = time.monotonic()
                    if len(arrivals) == rounds:
                        break
        w.join()
    sse = [(arrivals[v] - sent) * 1000 for v, sent in sends.items()]
    write_client.close()
    poller.close()

    def p99(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=100)[98] if len(xs) >= 2 else xs[0]

    return {"long_poll_p99_ms": p99(poll), "long_poll_median_ms": statistics.median(poll),
            "sse_p99_ms": p99(sse), "sse_median_ms": statistics.median(sse)}  # fmt: skip
