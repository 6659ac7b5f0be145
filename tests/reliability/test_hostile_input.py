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

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from claims import storage
from tests.conftest import EVIDENCE

PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
NEW = {"statement": "The US and China sign a trade deal", "claimant": "Donald Trump"}
# See the module docstring: SQLite only, for cases no backend can change.
same_on_every_backend = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

BIG_IDS = [2**31, 2**63 - 1]  # valid ids no row has (PostgreSQL INTEGER ends at 2**31 - 1)
HUGE_IDS = [2**63, 2**80]  # not ids at all


def snapshot(engine: Engine) -> dict[str, int]:
    """Everything a refused request must leave as it was: the seq and every table's size."""
    tables = {
        "claim": storage.claim_t,
        "event": storage.event_t,
        "evidence": storage.evidence_t,
        "source": storage.source_t,
        "claim_topic": storage.topic_t,
    }
    with engine.connect() as conn:
        counts = {
            name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for name, t in tables.items()
        }
        counts["seq"] = storage.latest_seq(conn)
        counts["versions"] = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(storage.claim_t.c.version), 0))
        ).scalar_one()
    return counts


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> None:
    """The response is the problem ``status``, naming ``field`` when given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body


@pytest.fixture
def claim(make_claim) -> Any:
    """A pending claim, stated 2025-10-26, due 2025-12-31."""
    return make_claim()


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


WRITES = [
    ("PATCH", "/v1/claims/{id}", {"quote": "new words"}),
    ("POST", "/v1/claims/{id}/status", {"status": "stalled", "note": "no talks"}),
    ("POST", "/v1/claims/{id}/evidence", EVIDENCE),
]


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


# ---------------------------------------------------------------------------------------------
# Bodies that are not JSON, too big, too deep or not UTF-8


BODY_PATHS = [
    ("POST", "/v1/claims"),
    ("PATCH", "/v1/claims/{id}"),
    ("POST", "/v1/claims/{id}/status"),
    ("POST", "/v1/claims/{id}/evidence"),
    ("POST", "/v1/sources"),
]


@same_on_every_backend
@pytest.mark.parametrize(("method", "path"), BODY_PATHS)
@pytest.mark.parametrize(
    "content_type", ["text/plain", None, "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_body_that_is_not_declared_json_is_415(
    client, claim, editor, engine, method, path, content_type
):
    before = snapshot(engine)
    headers = {**editor, "If-Match": claim.etag}
    if content_type is not None:
        headers["content-type"] = content_type

    response = client.request(
        method, path.format(id=claim.id), content=b'{"quote": "x"}', headers=headers
    )

    assert_problem(response, 415)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(("method", "path"), BODY_PATHS)
def test_body_over_one_mebibyte_is_413(client, claim, editor, engine, method, path):
    before = snapshot(engine)
    body = b'{"quote": "' + b"x" * (1024 * 1024) + b'"}'

    response = client.request(
        method, path.format(id=claim.id), content=body, headers={**editor, **JSON}
    )

    assert_problem(response, 413)
    assert snapshot(engine) == before


@same_on_every_backend
def test_streamed_body_over_one_mebibyte_without_length_is_413(client, editor, engine):
    before = snapshot(engine)

    def chunks() -> Iterator[bytes]:
        yield b'{"statement": "'
        for _ in range(20):
            yield b"x" * 65536

    response = client.post("/v1/claims", content=chunks(), headers={**editor, **JSON})

    assert_problem(response, 413)
    assert snapshot(engine) == before


@same_on_every_backend
def test_body_with_a_content_length_that_is_not_a_number_is_refused(client, editor, engine):
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        content=b"{}",
        headers={**editor, **JSON, "content-length": "12abc"},
    )

    assert response.status_code in (400, 413), response.text
    assert response.headers["content-type"] == PROBLEM
    assert snapshot(engine) == before


DEPTH = 10_000


@same_on_every_backend
@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEPTH + b"]" * DEPTH,
        b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
        b'{"statement": "s", "claimant": "x", "topics": ' + b"[" * DEPTH + b"]" * DEPTH + b"}",
    ],
    ids=["nested-lists", "nested-objects", "nested-in-a-field"],
)
def test_deeply_nested_json_is_400_or_422(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == PROBLEM
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "body",
    [
        b'{"statement": "\xff\xfe broken", "claimant": "x"}',
        b'{"statement": "\xc3\x28", "claimant": "x"}',
        b"\xef\xbb\xbf\xff",
    ],
)
def test_invalid_utf8_in_a_json_body_is_400(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 400)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "body", [b'{"statement": ', b"{'statement': 'x'}", b"nul", b"\x00", b"{,}"]
)
def test_unparseable_json_is_400(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 400)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("body", [b"[]", b'"claim"', b"null"])
def test_json_that_is_not_an_object_is_422(client, editor, engine, body):
    before = snapshot(engine)

    response = client.post("/v1/claims", content=body, headers={**editor, **JSON})

    assert_problem(response, 422)
    assert snapshot(engine) == before


@pytest.mark.parametrize("field", ["statement", "quote"])
def test_nul_character_in_a_text_field_is_422_naming_it(client, editor, engine, field):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: "before\x00after"}, headers=editor)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize(
    "statement", [b"half \\ud800 a character", b"half \xed\xa0\x80 a character"]
)
def test_lone_surrogate_in_a_text_field_is_422_naming_it(client, editor, engine, statement):
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        content=b'{"statement": "' + statement + b'", "claimant": "x"}',
        headers={**editor, **JSON},
    )

    assert_problem(response, 422, "statement")
    assert snapshot(engine) == before


# ---------------------------------------------------------------------------------------------
# Numbers too big for an id


@pytest.mark.parametrize("number", BIG_IDS)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        *WRITES,
        ("GET", "/v1/claims/{n}", None),
        ("GET", "/v1/claims/{n}/history", None),
        ("GET", "/v1/sources/{n}", None),
    ],
)
def test_id_no_row_can_have_in_the_path_is_404_or_422(
    client, claim, editor, engine, number, method, path, body
):
    before = snapshot(engine)

    response = client.request(
        method,
        path.format(id=number, n=number),
        json=body,
        headers={**editor, "If-Match": claim.etag},
    )

    # Ids past the 32-bit id columns are refused by validation (422); a slug-or-id path that
    # cannot be an id is looked up as a slug (404). Never a 5xx.
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [*WRITES, ("GET", "/v1/claims/{id}/history", None)],
)
def test_number_beyond_64_bits_as_a_per_claim_path_is_404(
    client, claim, editor, engine, number, method, path, body
):
    before = snapshot(engine)

    response = client.request(
        method, path.format(id=number), json=body, headers={**editor, "If-Match": claim.etag}
    )

    # Per-claim paths take an id or a slug; this is neither, so no claim has it.
    assert_problem(response, 404)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
def test_number_beyond_64_bits_as_a_source_id_is_422(client, number):
    assert_problem(client.get(f"/v1/sources/{number}"), 422)


@same_on_every_backend
@pytest.mark.parametrize("number", HUGE_IDS)
def test_number_beyond_64_bits_as_a_claim_reference_is_404(client, number):
    response = client.get(f"/v1/claims/{number}")  # too long for an id, so read as a slug

    assert_problem(response, 404)


@same_on_every_backend
@pytest.mark.parametrize("ref", ["¹", "²³", "١", "٣"])  # Unicode digits: not ids, not slugs
@pytest.mark.parametrize("path", ["/v1/claims/{ref}", "/v1/claims/{ref}/claimreview"])
def test_claim_reference_in_non_ascii_digits_is_404(client, claim, ref, path):
    response = client.get(path.format(ref=ref))

    assert_problem(response, 404)


@pytest.mark.parametrize("number", BIG_IDS)
@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
def test_reference_to_an_id_no_row_has_in_a_body_is_422_naming_it(
    client, reviewer, engine, number, field
):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: number}, headers=reviewer)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@same_on_every_backend
@pytest.mark.parametrize("number", [*HUGE_IDS, -1, 0])
@pytest.mark.parametrize("field", ["source_id", "condition_claim_id"])
def test_reference_that_is_not_an_id_in_a_body_is_422_naming_it(
    client, reviewer, engine, number, field
):
    before = snapshot(engine)

    response = client.post("/v1/claims", json={**NEW, field: number}, headers=reviewer)

    assert_problem(response, 422, field)
    assert snapshot(engine) == before


@pytest.mark.parametrize("number", [*BIG_IDS, *HUGE_IDS])
def test_seq_no_change_has_yet_in_since_is_a_4xx(client, claim, number):
    response = client.get("/v1/changes", params={"since": number})

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("number", BIG_IDS)
def test_history_after_a_seq_past_the_seq_range_is_422_naming_after(client, claim, number):
    response = client.get(f"/v1/claims/{claim.id}/history", params={"after": number})

    assert_problem(response, 422, "after")


@same_on_every_backend
@pytest.mark.parametrize(
    "params",
    [
        {"limit": 2**80},
        {"limit": 0},
        {"limit": -1},
        {"limit": "ten"},
        {"due_before": "2025-02-30"},
        {"due_before": "0"},
        {"due_after": "1767139200"},
        {"status": "done"},
        {"sort": "-password"},
        {"cursor": "not-a-cursor"},
        {"overdue": "maybe"},
    ],
)
def test_invalid_list_filter_is_422(client, params):
    response = client.get("/v1/claims", params=params)

    assert_problem(response, 422)


@pytest.mark.parametrize(
    "path",
    ["/v1/claims?q=a%00b", "/v1/claims?claimant=a%00b", "/v1/claims/a%00b", "/v1/summary?q=%00"],
)
def test_nul_character_in_a_read_is_not_a_server_error(client, claim, path):
    response = client.get(path)
    after = client.get("/v1/claims")

    assert response.status_code < 500, response.text
    assert after.status_code == 200  # and the process's reads are not disturbed by it


def test_read_of_an_impossible_id_does_not_disturb_other_reads(client, claim):
    client.get(f"/v1/claims/{2**31}")

    response = client.get(f"/v1/claims/{claim.id}")

    assert response.status_code == 200, response.text


# ---------------------------------------------------------------------------------------------
# Idempotency-Key


BAD_KEYS: list[Any] = [
    "",
    " ",
    "two words",
    "tab\there",
    "x" * 256,
    "x" * 300,
    "\x00",
    "nul\x00inside",
    "\x7f",
    "abc\r\nX-Injected: 1",
    "abc\nSet-Cookie: session=evil",
    "é".encode("latin-1"),
    "ключ".encode(),
]


@same_on_every_backend
@pytest.mark.parametrize(("path", "body"), [("/v1/claims", NEW), ("/v1/sources", {"title": "T"})])
@pytest.mark.parametrize("key", BAD_KEYS, ids=lambda k: repr(k)[:24])
def test_malformed_idempotency_key_is_422_naming_the_header(
    client, editor, engine, path, body, key
):
    before = snapshot(engine)

    response = client.post(path, json=body, headers={**editor, "Idempotency-Key": key})

    assert_problem(response, 422, "Idempotency-Key")
    assert "X-Injected" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert snapshot(engine) == before


@pytest.mark.parametrize("key", ["x" * 255, "550e8400-e29b-41d4-a716-446655440000", "~!#$%"])
def test_well_formed_idempotency_key_is_accepted(client, editor, key):
    response = client.post("/v1/claims", json=NEW, headers={**editor, "Idempotency-Key": key})

    assert response.status_code == 201, response.text


def test_the_same_idempotency_key_with_another_body_is_422_and_writes_nothing(
    client: TestClient, editor, engine
):
    client.post("/v1/claims", json=NEW, headers={**editor, "Idempotency-Key": "k-1"})
    before = snapshot(engine)

    response = client.post(
        "/v1/claims",
        json={**NEW, "statement": "Another claim"},
        headers={**editor, "Idempotency-Key": "k-1"},
    )

    assert_problem(response, 422, "Idempotency-Key")
    assert snapshot(engine) == before
