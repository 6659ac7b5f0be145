"""The observability layer's own cost per request, in-process (no network, no server).

Drives the edge (``api.edge.Edge``, whose ``api.observability.Observer`` keeps the request ids,
logs and metrics) around a trivial ASGI app 50,000 times per configuration and prints the
microseconds it adds: nothing on (request id, its header and the security headers only),
metrics, the JSON access log (its real handler, writing to /dev/null), both. Far
steadier than wrk on a shared machine; compare with the CPU a polling read costs
(bench/observability.py prints it per request).

    .venv/bin/python bench/observability_layer.py
"""

from __future__ import annotations

import asyncio
import logging
import logging.config
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.edge import Edge
from api.limits import BodyLimits
from api.metrics import Metrics
from api.observability import Observer
from claims import logs

N = 50_000


class _Route:
    path = "/v1/claims"


async def inner(scope, receive, send) -> None:
    scope["route"] = _Route
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _send(message) -> None:
    return None


async def _receive():
    return {"type": "http.request"}


def edge(metrics: Metrics | None) -> Edge:
    observer = Observer(routes=[], metrics=metrics)
    return Edge(inner, observer=observer, limits=BodyLimits(1 << 20), door=None, proxies=None)


async def per_request(app) -> float:
    started = time.perf_counter()
    for _ in range(N):
        scope = {"type": "http", "method": "GET", "path": "/v1/claims", "query_string": b"",
                 "headers": [(b"host", b"x")]}  # fmt: skip
        await app(scope, _receive, _send)
    return (time.perf_counter() - started) / N * 1e6


async def main() -> None:
    access = logging.getLogger(logs.ACCESS_LOGGER)
    results: dict[str, list[float]] = {}
    for _ in range(5):
        bare = await per_request(inner)
        access.setLevel(logging.WARNING)
        for name, metrics in (("nothing on", None), ("metrics", Metrics())):
            took = await per_request(edge(metrics))
            results.setdefault(name, []).append(took - bare)
        config = logs.uvicorn_config("json", access=True)
        logging.config.dictConfig(config)
        access.handlers[0].stream = Path("/dev/null").open("w")  # noqa: SIM115
        for name, metrics in (("json log", None), ("metrics + json log", Metrics())):
            took = await per_request(edge(metrics))
            results.setdefault(name, []).append(took - bare)
    for name, values in results.items():
        print(f"{name:<20} +{statistics.median(values):.1f} µs per request (median of 5)")


if __name__ == "__main__":
    asyncio.run(main())
