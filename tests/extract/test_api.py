"""``POST /v1/extract``: the draft for reviewers and above; nothing saved (both databases)."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from claims.seeding import default_seeds_dir
from tests.conftest import write_marks

TEXT = (default_seeds_dir() / "2025-10-26-us-china-trade-framework.txt").read_text(encoding="utf-8")
BODY = {
    "text": TEXT,
    "published_on": "2025-10-26",
    "title": "US-China trade framework",
    "url": "https://example.org/news/trade-framework",
}


def test_extract_as_reviewer_returns_the_proposals(client, reviewer):
    response = client.post("/v1/extract", json=BODY, headers=reviewer)

    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["source"] == {
        "title": BODY["title"],
        "url": BODY["url"],
        "published_on": "2025-10-26",
    }
    visit = [c for c in draft["claims"] if "Beijing" in c["quote"] and "Lunar" in c["quote"]]
    assert [c["due_by"] for c in visit] == ["2026-02-16"]
    assert all(c["quote"] in TEXT for c in draft["claims"])


def test_extract_writes_nothing(client, reviewer, engine):
    marks = write_marks(engine)

    response = client.post("/v1/extract", json=BODY, headers=reviewer)

    assert response.status_code == 200
    assert write_marks(engine) == marks
    assert client.get("/v1/sources").json()["items"] == []
    assert client.get("/v1/claims").json()["items"] == []


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_extract_is_allowed_above_reviewer(client, request, role):
    response = client.post("/v1/extract", json=BODY, headers=request.getfixturevalue(role))

    assert response.status_code == 200


def test_extract_as_viewer_is_403(client, viewer):
    response = client.post("/v1/extract", json=BODY, headers=viewer)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_extract_without_token_is_401(client):
    response = client.post("/v1/extract", json=BODY)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"publisher": "NBC"}, "publisher"),
        ({"url": "ftp://example.org/a"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"published_on": "26/10/2025"}, "published_on"),
        ({"published_on": None}, "published_on"),
        ({"published_on": "2099-01-01"}, "published_on"),
        ({"text": ""}, "text"),
        ({"text": "x" * 200_001}, "text"),
    ],
    ids=[
        "unknown-field",
        "ftp-url",
        "javascript-url",
        "malformed-date",
        "no-date",
        "future-date",
        "empty",
        "too-long",
    ],
)
def test_extract_invalid_body_is_422_naming_the_field(client, reviewer, change, field):
    response = client.post("/v1/extract", json={**BODY, **change}, headers=reviewer)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_openapi_documents_the_extract_error_statuses(client):
    paths = client.get("/openapi.json").json()["paths"]

    assert {"401", "403", "413", "415", "422", "503"} <= set(
        paths["/v1/extract"]["post"]["responses"]
    )


def test_extract_over_the_time_limit_is_422_extract_timeout_and_saves_nothing(
    make_app, reviewer, engine
):
    marks = write_marks(engine)
    short = {**BODY, "text": TEXT[:800]}
    with TestClient(make_app(extract_timeout_s=1.0), raise_server_exceptions=False) as client:
        client.post("/v1/extract", json=short, headers=reviewer)  # the worker is started

        response = client.post(
            "/v1/extract", json={**BODY, "text": TEXT * 50}, headers=reviewer
        )

        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == "/problems/extract-timeout"
        assert problem["title"] == "The article took too long to extract"
        assert problem["errors"] == [
            {"field": "text", "message": "took longer than 1 s to extract"}
        ]
        assert client.post("/v1/extract", json=short, headers=reviewer).status_code == 200
    assert write_marks(engine) == marks


def test_extraction_workers_stop_with_the_app(make_app, reviewer):
    app = make_app()
    with TestClient(app) as client:
        assert client.post("/v1/extract", json=BODY, headers=reviewer).status_code == 200
        pids = app.state.extractor.processes()

    assert len(pids) == 1
    assert not [pid for pid in pids if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
