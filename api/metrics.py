"""Prometheus metrics of one server process (``CLAIMS_METRICS``), rendered at ``/metrics``.

Counted by ``api.observability`` as each request ends: requests by route template, method
and status, their latency, writes by outcome (conflicts 409, stale ETags 412, missing
If-Match 428), long-polls and streams open. Read only when scraped: the latest seq, the
database pool, SQLite write-lock retries, the webhook backlog. Each app has its own registry
(tests build many apps); with ``--workers N`` every worker counts its own requests, so scrape
each server process (docs/deploy.md). The hot path adds to plain integers; families are built
on scrape.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from sqlalchemy.engine import Engine
from sqlmodel import Session

from claims import webhooks

CONTENT_TYPE = CONTENT_TYPE_LATEST
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
OUTCOMES = {409: "conflict", 412: "stale_etag", 428: "if_match_missing"}


def write_outcome(status: int) -> str:
    """Name what became of a write: committed, conflict, stale_etag, … refused, failed."""
    if status < 400:
        return "committed"
    return OUTCOMES.get(status) or ("failed" if status >= 500 else "refused")


class _Route:
    """One (route, method)'s counts: per status, and the latency histogram's buckets."""

    __slots__ = ("buckets", "statuses", "total")

    def __init__(self) -> None:
        self.statuses: dict[int, int] = {}
        self.buckets = [0] * (len(BUCKETS) + 1)  # the last one is +Inf
        self.total = 0.0


class Metrics:
    """The counters of one app; ``observe`` is called once per finished request.

    The hot path adds to plain integers (a few hundred nanoseconds, no lock: requests are
    counted on the event loop's thread); the Prometheus families are built when scraped.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.long_polls = Gauge(
            "claims_long_polls_open",
            "Long-polls (GET /v1/changes with wait) being held.",
            registry=self.registry,
        )
        self.streams = Gauge(
            "claims_streams_open", "SSE streams (GET /v1/stream) open.", registry=self.registry
        )
        self._routes: dict[tuple[str, str], _Route] = {}
        # Called before each render: the observer counts the requests it holds back.
        self.before_render: Callable[[], None] | None = None
        self._writes: dict[str, int] = {}
        self.registry.register(_RequestCollector(self))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        counts = self._routes.get((route, method))
        if counts is None:
            counts = self._routes[(route, method)] = _Route()
        counts.statuses[status] = counts.statuses.get(status, 0) + 1
        counts.buckets[bisect_left(BUCKETS, seconds)] += 1
        counts.total += seconds
        if method in WRITE_METHODS:
            outcome = write_outcome(status)
            self._writes[outcome] = self._writes.get(outcome, 0) + 1

    def watch(
        self, *, seq: Callable[[], int], engine: Engine, busy_retries: Callable[[], int]
    ) -> None:
        """Also report, when scraped, the latest seq, the pool and SQLite lock retries."""
        self.registry.register(_StateCollector(seq, engine, busy_retries))

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        if self.before_render is not None:
            self.before_render()
        return generate_latest(self.registry)


class _RequestCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[CounterMetricFamily | HistogramMetricFamily]:
        routes = list(self._metrics._routes.items())  # a snapshot: the loop keeps counting
        requests = CounterMetricFamily(
            "claims_http_requests",
            "HTTP requests answered, by route template, method and status.",
            labels=["route", "method", "status"],
        )
        latency = HistogramMetricFamily(
            "claims_http_request_duration_seconds",
            "Time from the request's arrival to the end of its answer (streams: their life).",
            labels=["route", "method"],
        )
        for (route, method), counts in routes:
            for status, count in list(counts.statuses.items()):
                requests.add_metric([route, method, str(status)], count)
            cumulative, running = [], 0
            for bound, count in zip((*BUCKETS, float("inf")), list(counts.buckets), strict=True):
                running += count
                cumulative.append((floatToGoString(bound), running))
            latency.add_metric([route, method], cumulative, sum_value=counts.total)
        yield requests
        yield latency
        writes = CounterMetricFamily(
            "claims_writes",
            "Write requests by outcome: committed, conflict (409), stale_etag (412), "
            "if_match_missing (428), refused (other 4xx), failed (5xx).",
            labels=["outcome"],
        )
        for outcome, count in list(self._metrics._writes.items()):
            writes.add_metric([outcome], count)
        yield writes


class _StateCollector(Collector):
    def __init__(
        self, seq: Callable[[], int], engine: Engine, busy_retries: Callable[[], int]
    ) -> None:
        self._seq = seq
        self._engine = engine
        self._busy_retries = busy_retries

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        yield GaugeMetricFamily(
            "claims_seq_latest", "The latest committed seq this process knows.", self._seq()
        )
        pool = self._engine.pool
        for name, doc, read in (
            ("size", "Connections the pool keeps.", "size"),
            ("checked_out", "Connections in use now.", "checkedout"),
            ("overflow", "Connections opened beyond the pool's size.", "overflow"),
        ):
            value = getattr(pool, read, None)
            if callable(value):
                # QueuePool counts overflow up from -size (connections not yet opened), so
                # a quiet pool would report a negative number of extra connections.
                yield GaugeMetricFamily(f"claims_db_pool_{name}", doc, max(0, value()))
        yield CounterMetricFamily(
            "claims_sqlite_write_retries",
            "Times an SQLite write found the write lock taken and tried again.",
            self._busy_retries(),
        )
        with Session(self._engine) as session:
            backlog, failed = webhooks.backlog(session)
        yield GaugeMetricFamily(
            "claims_webhook_deliveries_pending",
            "Webhook deliveries waiting to be sent (new or waiting for a retry).",
            backlog,
        )
        yield GaugeMetricFamily(
            "claims_webhook_deliveries_failed",
            "Webhook deliveries that failed every retry (they can be re-sent by hand).",
            failed,
        )
