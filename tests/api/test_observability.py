"""Request ids, the access log, 5xx problems quoting the id, /readyz and /metrics."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from claims import logs, migrate
from claims.config import Settings
from tests.conftest import EVIDENCE

ACCESS = logs.ACCESS_LOGGER


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [r.access for r in caplog.records if r.name == ACCESS]


def test_request_id_is_echoed(client):
    response = client.get("/v1/claims", headers={"X-Request-ID": "desk-7:poll.42"})

    assert response.headers["X-Request-ID"] == "desk-7:poll.42"


@pytest.mark.parametrize("given", [None, "", "has space", "x" * 129, 'quote"d', "tab\tbed"])
def test_request_id_is_made_when_missing_or_not_sane(client, given):
    headers = {} if given is None else {"X-Request-ID": given}

    first = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    second = client.get("/healthz", headers=headers).headers["X-Request-ID"]

    assert first != given
    assert len(first) == 32
    assert first != second


def test_every_door_echoes_the_request_id(client, make_claim, editor):
    claim = make_claim()
    doors = [
        client.get("/v1/claims"),  # fast path
        client.get(f"/v1/claims/{claim.id}/history"),  # route
        client.post(  # the status-change fast path
            f"/v1/claims/{claim.id}/status",
            json={"status": "stalled", "note": "no talks"},
            headers={**editor, "If-Match": claim.etag},
        ),
        client.get("/nowhere"),  # no route at all
        client.get("/"),  # a page
    ]

    assert all(len(r.headers["X-Request-ID"]) == 32 for r in doors)


def test_access_log_names_the_route_template_and_the_token_never_the_secret(
    client, make_claim, editor, caplog
):
    claim = make_claim()
    secret = editor["Authorization"].split()[1]
    caplog.set_level(logging.INFO, logger=ACCESS)

    client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "stalled", "note": "no talks"},
        headers={**editor, "If-Match": claim.etag, "X-Request-ID": "req-1"},
    )
    client.get(f"/v1/claims/{claim.slug}", headers={"X-Request-ID": "req-2"})

    lines = access_lines(caplog)
    assert [line["request_id"] for line in lines] == ["req-1", "req-2"]
    assert lines[0]["route"] == "/v1/claims/{ref}/status"
    assert lines[0]["method"] == "POST"
    assert lines[0]["status"] == 200
    assert lines[0]["token"] == "ed-editor"
    assert lines[1]["route"] == "/v1/claims/{ref}"
    assert lines[1]["token"] is None
    assert lines[1]["duration_ms"] >= 0
    rendered = "\n".join(logs.JsonFormatter().format(r) for r in caplog.records)
    assert secret not in rendered
    assert '"token":"ed-editor"' in rendered


def test_unknown_paths_are_logged_under_one_label_not_their_path(client, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS)

    client.get("/wp-admin/setup.php")
    client.get("/v1/claims/1/unknown")

    assert {line["route"] for line in access_lines(caplog)} == {"unmatched"}


def test_text_format_is_one_readable_line(client, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS)

    client.get("/v1/summary", headers={"X-Request-ID": "abc"})

    (record,) = [r for r in caplog.records if r.name == ACCESS]
    line = logs.TextFormatter().format(record)
    assert "\n" not in line
    assert " abc GET /v1/summary 200 " in line


def test_5xx_problem_carries_the_request_id(tmp_path):
    # A database that cannot be opened: /healthz answers its 503 problem.
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'missing-dir' / 'claims.db'}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/healthz", headers={"X-Request-ID": "quote-me"})

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == "quote-me"
    assert int(response.headers["content-length"]) == len(response.content)


@pytest.mark.parametrize("fast_path", [True, False], ids=["front-door", "fastapi"])
def test_5xx_problem_of_a_declared_endpoint_carries_the_request_id(tmp_path, fast_path):
    # The same unopenable database: the claim list (answered by the edge's front door, or by
    # its generated FastAPI route) answers 503.
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'claims.db'}"
    app = create_app(Settings(database_url=url, fast_path=fast_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/claims", headers={"X-Request-ID": "quote-me-too"})
        head = client.head("/v1/claims", headers={"X-Request-ID": "quote-me-too"})

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == "quote-me-too"
    assert int(response.headers["content-length"]) == len(response.content)
    assert (head.status_code, head.content) == (503, b"")
    assert head.headers["content-length"] == response.headers["content-length"]


def test_4xx_problems_are_left_as_they_were(client):
    response = client.get("/v1/claims/999999", headers={"X-Request-ID": "r4"})

    assert response.status_code == 404
    assert "request_id" not in response.json()


# ---------------------------------------------------------------------------------------------
# /readyz


def test_readyz_is_200_on_a_migrated_database(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "current"}


def test_readyz_is_503_when_migrations_are_behind(client, engine):
    migrate.downgrade(engine, "0002")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["migrations"] == "behind"
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'missing-dir' / 'claims.db'}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "Retry-After" in response.headers


# ---------------------------------------------------------------------------------------------
# /metrics


def test_metrics_are_off_by_default(client):
    response = client.get("/metrics")

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


def test_metrics_behind_a_token_refuse_requests_without_it(make_app):
    with TestClient(make_app(metrics=True, metrics_token=SecretStr("scrape-me"))) as client:
        without = client.get("/metrics")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})

    assert without.status_code == 401
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert right.headers["content-type"].startswith("text/plain")


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        head, _, rest = metric.partition("{")
        found = ",".join(sorted(rest.rstrip("}").split(","))) if rest else ""
        if head == name and found == wanted:
            return float(value)
    return 0.0


def test_metrics_count_requests_by_template_writes_and_conflicts(make_app, reviewer, editor):
    with TestClient(make_app(metrics=True), raise_server_exceptions=False) as client:
        created = client.post(
            "/v1/claims", json={"statement": "Tariffs fall", "claimant": "X"}, headers=reviewer
        )
        claim_id, etag = created.json()["id"], created.headers["ETag"]
        url = f"/v1/claims/{claim_id}/status"
        for ref in (claim_id, claim_id, "tariffs-fall"):
            client.get(f"/v1/claims/{ref}")
        client.post(url, json={"status": "stalled", "note": "n"}, headers=editor)  # 428
        moved = client.post(
            url, json={"status": "stalled", "note": "n"}, headers={**editor, "If-Match": etag}
        )
        client.post(
            url, json={"status": "pending", "note": "n"}, headers={**editor, "If-Match": etag}
        )
        client.post(
            url,
            json={"status": "stalled", "note": "n"},
            headers={**editor, "If-Match": moved.headers["ETag"]},
        )  # 409: already stalled
        client.post(
            url,
            json={"status": "fulfilled", "note": "n", "evidence": [EVIDENCE]},
            headers={**editor, "If-Match": moved.headers["ETag"]},
        )
        text = client.get("/metrics").text

    reads = sample(
        text, "claims_http_requests_total", route="/v1/claims/{ref}", method="GET", status="200"
    )
    assert reads == 3
    assert sample(text, "claims_writes_total", outcome="committed") == 3
    assert sample(text, "claims_writes_total", outcome="if_match_missing") == 1
    assert sample(text, "claims_writes_total", outcome="stale_etag") == 1
    assert sample(text, "claims_writes_total", outcome="conflict") == 1
    assert sample(text, "claims_seq_latest") == 3
    assert (
        sample(
            text,
            "claims_http_request_duration_seconds_count",
            route="/v1/claims/{ref}/status",
            method="POST",
        )
        == 5
    )
    assert "claims_db_pool_checked_out" in text
    assert "/v1/claims/1" not in text.replace("{", "")  # no raw path became a label


def test_pool_overflow_is_never_negative_on_a_quiet_pool(make_app):
    with TestClient(make_app(metrics=True)) as client:
        client.get("/v1/claims")
        text = client.get("/metrics").text

    assert "claims_db_pool_overflow" in text
    assert sample(text, "claims_db_pool_overflow") == 0


@pytest.fixture
def metrics_server(make_app):
    """The app with metrics on, served over real HTTP (long-polls and streams need it)."""
    app = make_app(metrics=True, heartbeat_seconds=1.0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_metrics_show_long_polls_and_streams_while_they_are_open(metrics_server):
    url = metrics_server
    with httpx.Client(timeout=10) as http, httpx.Client(timeout=10) as streams:
        poll = threading.Thread(
            target=http.get, args=(f"{url}/v1/changes",), kwargs={"params": {"wait": 1.5}}
        )
        poll.start()
        with streams.stream("GET", f"{url}/v1/stream"):
            time.sleep(0.5)
            during = httpx.get(f"{url}/metrics").text
        poll.join()
        time.sleep(0.2)
        after = httpx.get(f"{url}/metrics").text

    assert sample(during, "claims_long_polls_open") == 1
    assert sample(during, "claims_streams_open") == 1
    assert sample(after, "claims_long_polls_open") == 0
    assert sample(after, "claims_streams_open") == 0


@pytest.fixture
def server_access_log():
    """The access log as ``claims serve`` sets it: its own handler alone, writing JSON. The
    test calls it to install it (pytest adds its capturing handlers once the test runs)."""
    logger = logging.getLogger(ACCESS)
    saved = (logger.handlers[:], logger.level, logger.propagate)
    handler = logs.AccessLines("json", interval=60)
    handler.stream = io.StringIO()

    def install() -> logs.AccessLines:
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
        return handler

    yield install
    logger.handlers[:], logger.level, logger.propagate = saved


def test_requests_held_back_for_a_batch_are_logged_when_the_app_stops(make_app, server_access_log):
    access_log = server_access_log()
    app = make_app(metrics=True)
    app.edge["observer"].interval = 60  # no batch falls due while the test runs
    with TestClient(app) as client:
        for n in range(3):
            client.get("/v1/claims", headers={"X-Request-ID": f"held-{n}"})
        access_log.flush()
        before_stop = access_log.stream.getvalue()

    access_log.flush()
    lines = [json.loads(line) for line in access_log.stream.getvalue().splitlines()]
    assert "held-" not in before_stop
    assert [line["request_id"] for line in lines] == ["held-0", "held-1", "held-2"]


def test_a_scrape_counts_the_requests_held_back_for_a_batch(make_app, server_access_log):
    server_access_log()
    app = make_app(metrics=True)
    app.edge["observer"].interval = 60
    with TestClient(app) as client:
        for _ in range(4):
            client.get("/v1/summary")
        text = client.get("/metrics").text

    assert sample(text, "claims_http_requests_total", route="/v1/summary", method="GET",
                  status="200") == 4  # fmt: skip
