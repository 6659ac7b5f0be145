"""Hostile input: every bad request of SPEC section 7 and worse gets a problem+json, never a 5xx,
and changes nothing.

Each case is one request. The assertions are the same for all: the status code, the
``application/problem+json`` content type with the RFC 9457 members, the field named in
``errors`` where there is one, and the database exactly as it was (``snapshot``).

Cases whose answer cannot depend on the backend (the body guard, request validation, tokens,
If-Match, the status rules) run on SQLite only (``same_on_every_backend``): a PostgreSQL
database per case would double the module's time for nothing. Cases whose values reach a query
where the backends differ run on both: ids beyond PostgreSQL's INTEGER, text with NUL (which
PostgreSQL cannot store), unique slugs, Idempotency-Keys, feed positions.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import EVIDENCE
from tests.reliability.hostile import (
    NEW,
    WRITES,
    assert_problem,
    same_on_every_backend,
    snapshot,
)

# ---------------------------------------------------------------------------------------------
# SPEC section 7, case by case


@same_on_every_backend
@pytest.mark.parametrize("status", ["done", "FULFILLED", "", None, ["broken"]])
def test_invalid_status_name_is_422_naming_status(client, claim, editor, engine, status):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": status, "note": "n", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "status")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("verdict", ["fulfilled", "void"])
def test_reviewer_setting_a_verdict_is_403(client, claim, reviewer, engine, verdict):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": verdict, "note": "it happened", "evidence": [EVIDENCE]},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert_problem(response, 403)
    assert snapshot(engine) == before


@same_on_every_backend
def test_viewer_moving_a_claim_is_403(client, claim, viewer, engine):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": "talks"},
        headers={**viewer, "If-Match": claim.etag},
    )

    assert_problem(response, 403)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("evidence", [None, []])
def test_verdict_without_evidence_is_422_naming_evidence(client, claim, editor, engine, evidence):
    before = snapshot(engine)
    body: dict[str, Any] = {"status": "broken", "note": "did not happen"}
    if evidence is not None:
        body["evidence"] = evidence

    response = client.post(
        f"/v1/claims/{claim.id}/status", json=body, headers={**editor, "If-Match": claim.etag}
    )

    assert_problem(response, 422, "evidence")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("note", [None, "   "])
def test_status_change_without_a_note_is_422_naming_note(client, claim, editor, engine, note):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": note},
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "note")
    assert snapshot(engine) == before


# Dates are ISO 8601 calendar dates ("format: date"); a number is not one, nor a timestamp.
BAD_DATES = [
    "2025-02-30",
    "next spring",
    "31/12/2025",
    True,
    0,
    20251231,
    "1767139200",
    "2025-12-31T00:00:00",
]


@same_on_every_backend
@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize("field", ["due_by", "due_from", "stated_on"])
def test_malformed_date_on_create_is_422_naming_it(client, reviewer, engine, field, value):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: value}, headers=reviewer)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("value", BAD_DATES)
def test_malformed_occurred_on_is_422_naming_it(client, claim, editor, engine, value):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": "n", "occurred_on": value},
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "occurred_on")
    assert snapshot(engine) == before


@same_on_every_backend
def test_due_by_before_stated_on_on_create_is_422_naming_due_by(client, reviewer, engine):
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        json={**NEW, "stated_on": "2025-10-26", "due_by": "2025-10-01"},
        headers=reviewer,
    )

    assert_problem(response, 422, "due_by")
    assert snapshot(engine) == before


@same_on_every_backend
def test_edit_moving_due_by_before_stated_on_is_422_naming_due_by(client, claim, editor, engine):
    before = snapshot(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"due_by": "2025-01-01"},
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "due_by")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/claims", {**NEW, "colour": "red"}, "colour"),
        ("POST", "/v1/claims", {**NEW, "status": "fulfilled"}, "status"),
        ("POST", "/v1/claims", {**NEW, "id": 7}, "id"),
        ("PATCH", "/v1/claims/{id}", {"status": "fulfilled"}, "status"),
        ("PATCH", "/v1/claims/{id}", {"version": 9}, "version"),
        ("PATCH", "/v1/claims/{id}", {"slug": "new-url"}, "slug"),
        ("POST", "/v1/claims/{id}/status", {"status": "stalled", "note": "n", "by": "x"}, "by"),
        ("POST", "/v1/claims/{id}/evidence", {**EVIDENCE, "score": 5}, "score"),
        ("POST", "/v1/sources", {"title": "T", "author": "A"}, "author"),
    ],
)
def test_unknown_field_is_422_naming_it(client, claim, editor, engine, method, path, body, field):
    before = snapshot(engine)

    response = client.request(
        method,
        path.format(id=claim.id),
        json=body,
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "http://",
        "//example.org/news",
        "https://exa mple.org/",
        "https://example.org/\nSet-Cookie: x=1",
    ],
)
def test_non_http_evidence_url_is_422_naming_url(client, claim, editor, engine, url):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/evidence",
        json={**EVIDENCE, "url": url},
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "url")
    assert snapshot(engine) == before


@same_on_every_backend
def test_non_http_url_in_a_verdicts_evidence_is_422_naming_it(client, claim, editor, engine):
    before = snapshot(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={
            "status": "fulfilled",
            "note": "done",
            "evidence": [{**EVIDENCE, "url": "javascript:alert(1)"}],
        },
        headers={**editor, "If-Match": claim.etag},
    )

    assert_problem(response, 422, "evidence.0.url")
    assert snapshot(engine) == before


@same_on_every_backend
def test_non_http_source_url_is_422_naming_url(client, editor, engine):
    before = snapshot(engine)

    response = client.post(
        "/v1/sources", json={"title": "Readout", "url": "javascript:alert(1)"}, headers=editor
    )

    assert_problem(response, 422, "url")
    assert snapshot(engine) == before


def test_duplicate_slug_is_409_naming_slug(client, claim, reviewer, engine):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, "slug": claim.slug}, headers=reviewer)

    assert_problem(response, 409, "slug")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "slug",
    ["Has-Capitals", "two--hyphens", "spaces here", "ünïcode", "a" * 121, "12345", "1"],
    ids=lambda s: s[:20],
)
def test_malformed_slug_is_422_naming_slug(client, reviewer, engine, slug):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, "slug": slug}, headers=reviewer)

    assert_problem(response, 422, "slug")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("if_match", ['"2.n"', 'W/"1.n"', "*", '"1.n", "2.n"'])
def test_stale_or_foreign_if_match_is_412_naming_if_match(
    client, claim, editor, engine, method, path, body, if_match
):
    before = snapshot(engine)

    response = client.request(
        method, path.format(id=claim.id), json=body, headers={**editor, "If-Match": if_match}
    )

    assert_problem(response, 412, "If-Match")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("if_match", [None, "   "])
def test_missing_if_match_is_428(client, claim, editor, engine, method, path, body, if_match):
    before = snapshot(engine)
    headers = dict(editor) if if_match is None else {**editor, "If-Match": if_match}

    response = client.request(method, path.format(id=claim.id), json=body, headers=headers)

    assert_problem(response, 428, "If-Match")
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [WRITES[1], ("POST", "/v1/claims", NEW), ("POST", "/v1/sources", {"title": "Readout"})],
)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer ", "Basic dXNlcjpwYXNz", "Bearer ct_not-a-real-token"]
)
def test_missing_or_bad_token_is_401(client, claim, engine, method, path, body, authorization):
    before = snapshot(engine)
    headers = {"If-Match": claim.etag}
    if authorization is not None:
        headers["Authorization"] = authorization

    response = client.request(method, path.format(id=claim.id), json=body, headers=headers)

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert snapshot(engine) == before
