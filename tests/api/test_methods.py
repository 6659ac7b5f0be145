"""HEAD wherever GET (pages, static files, feeds, API), and a 405 whose `Allow` lists every
method of the path, as problem+json, through both doors."""

from __future__ import annotations

import pytest

from tests.conftest import EVIDENCE

# Which methods a path takes does not depend on the database.
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

# What GET answers on these paths (200, or the problem a GET gets), HEAD answers too.
HEAD_PATHS = [
    "/",
    "/?screen=wall",
    "/claims/{slug}",
    "/claims/{slug}/edit",
    "/claims/{slug}/embed",
    "/claims/new",
    "/review",
    "/intake",
    "/claimants/scott-bessent",
    "/topics/agriculture",
    "/sources/{source}",
    "/static/style.css",
    "/static/board.js",
    "/static/nothing.js",
    "/docs",
    "/docs/assets/swagger-ui.css",
    "/openapi.json",
    "/oembed?url=http://testserver/claims/{slug}&format=json",
    "/healthz",
    "/readyz",
    "/v1/claims",
    "/v1/claims/{id}",
    "/v1/claims/{slug}/history",
    "/v1/claims/{id}/claimreview",
    "/v1/claims.csv",
    "/v1/feeds/verdicts.atom",
    "/v1/summary",
    "/v1/changes",
    "/v1/sources",
    "/v1/sources/{source}",
    "/v1/me",
    "/v1/nothing-here",
]

# A method the path does not take, and the full Allow the 405 must carry.
WRONG_METHODS = [
    ("DELETE", "/v1/claims", "GET, HEAD, POST"),
    ("PUT", "/v1/claims/{id}", "GET, HEAD, PATCH"),
    ("GET", "/v1/claims/{id}/status", "POST"),
    ("HEAD", "/v1/claims/{id}/status", "POST"),
    ("GET", "/v1/claims/{id}/evidence", "POST"),
    ("DELETE", "/v1/claims/{id}/history", "GET, HEAD"),
    ("DELETE", "/v1/claims/{id}/notes", "GET, HEAD, POST"),
    ("GET", "/v1/claims/{id}/assignee", "PUT"),
    ("POST", "/v1/summary", "GET, HEAD"),
    ("POST", "/v1/changes", "GET, HEAD"),
    ("POST", "/v1/stream", "GET, HEAD"),
    ("POST", "/v1/claims.csv", "GET, HEAD"),
    ("POST", "/v1/feeds/verdicts.atom", "GET, HEAD"),
    ("DELETE", "/v1/sources", "GET, HEAD, POST"),
    ("PATCH", "/v1/tokens", "GET, HEAD, POST"),
    ("GET", "/v1/tokens/somebody", "DELETE"),
    ("POST", "/", "GET, HEAD"),
    ("DELETE", "/claims/{slug}", "GET, HEAD"),
    ("POST", "/static/style.css", "GET, HEAD"),
    ("POST", "/docs", "GET, HEAD"),
    ("PUT", "/healthz", "GET, HEAD"),
]


@pytest.fixture
def paths(client, make_claim, reviewer, editor):
    """Fill in the placeholders: a claim with a verdict, its source."""
    story = {"title": "Trade framework agreed", "published_on": "2025-10-26", "text": "Story."}
    source = client.post("/v1/sources", json=story, headers=reviewer).json()
    claim = make_claim(source_id=source["id"])
    client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "fulfilled", "note": "done", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )
    return lambda path: path.format(id=claim.id, slug=claim.slug, source=source["id"])


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_as_get_without_the_body(client, paths, path):
    get = client.get(paths(path))
    head = client.head(paths(path))

    assert head.status_code == get.status_code
    assert head.content == b""
    for name in ("content-type", "etag", "cache-control", "content-security-policy", "allow"):
        assert head.headers.get(name) == get.headers.get(name), name
    if "content-length" in get.headers:
        assert head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize(("method", "path", "allow"), WRONG_METHODS)
def test_wrong_method_is_a_405_problem_allowing_every_method_of_the_path(
    client, paths, method, path, allow
):
    response = client.request(method, paths(path))

    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"
    if method != "HEAD":
        assert response.json()["status"] == 405
