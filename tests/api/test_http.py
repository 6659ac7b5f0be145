"""HTTP contract: problem+json everywhere, body limits, content types, CORS, access, OpenAPI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from claims.status import Role
from tests.conftest import write_marks


def test_body_over_the_limit_is_413_and_writes_nothing(client, reviewer, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        content=b'{"statement": "' + b"x" * 1_100_000 + b'"}',
        headers={**reviewer, "Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before


def test_body_limit_is_a_setting(make_app, reviewer):
    with TestClient(make_app(max_body_bytes=100)) as client:
        response = client.post(
            "/v1/claims", json={"statement": "s" * 200, "claimant": "c"}, headers=reviewer
        )

    assert response.status_code == 413


def test_non_json_body_is_415(client, reviewer, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        content=b"statement=x",
        headers={**reviewer, "Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before


def test_unparseable_json_is_400(client, reviewer):
    response = client.post(
        "/v1/claims",
        content=b'{"statement": ',
        headers={**reviewer, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["type"] == "/problems/malformed-json"


def test_problem_has_type_title_status_detail(client):
    response = client.get("/v1/claims/424242")

    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == 404


def test_unknown_route_and_wrong_method_are_problems(client):
    missing = client.get("/v1/nothing-here")
    wrong = client.delete("/v1/claims")

    assert (missing.status_code, wrong.status_code) == (404, 405)
    assert (
        missing.headers["content-type"]
        == wrong.headers["content-type"]
        == "application/problem+json"
    )


def test_server_error_never_leaks_exception_text(make_app, engine):
    app = make_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret stack detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_reads_are_public_by_default(client):
    assert client.get("/v1/claims").status_code == 200


def test_reads_can_require_a_token(make_app, make_token):
    viewer = make_token(Role.VIEWER, "wall-screen")
    with TestClient(make_app(reads_require_token=True)) as client:
        anonymous = client.get("/v1/claims")
        with_token = client.get("/v1/claims", headers=viewer)

    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert with_token.status_code == 200


def test_public_reads_do_not_look_at_the_token(client):
    unknown = {"Authorization": "Bearer ct_not-a-real-token"}

    assert client.get("/v1/claims", headers=unknown).status_code == 200
    assert client.get("/v1/me", headers=unknown).status_code == 401


def test_private_reads_refuse_an_unknown_token(make_app):
    with TestClient(make_app(reads_require_token=True)) as client:
        response = client.get(
            "/v1/claims", headers={"Authorization": "Bearer ct_not-a-real-token"}
        )

    assert response.status_code == 401


def test_unknown_token_on_a_write_is_401(client):
    response = client.post(
        "/v1/claims",
        json={"statement": "s", "claimant": "c"},
        headers={"Authorization": "Bearer ct_not-a-real-token"},
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_malformed_authorization_is_401(client):
    response = client.post(
        "/v1/claims",
        json={"statement": "s", "claimant": "c"},
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
    )

    assert response.status_code == 401


def test_admin_manages_tokens_over_http(client, admin):
    created = client.post("/v1/tokens", json={"name": "dashboard", "role": "viewer"}, headers=admin)
    listed = client.get("/v1/tokens", headers=admin).json()["items"]
    revoked = client.delete("/v1/tokens/dashboard", headers=admin)

    assert created.status_code == 201
    assert created.json()["token"].startswith("ct_")
    assert "token" not in next(t for t in listed if t["name"] == "dashboard")
    assert revoked.status_code == 204


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER, Role.EDITOR])
def test_only_admins_manage_tokens(client, make_token, role):
    headers = make_token(role)

    response = client.post("/v1/tokens", json={"name": "x", "role": "admin"}, headers=headers)

    assert response.status_code == 403


def test_admin_may_do_what_an_editor_may(client, admin, make_claim):
    claim = make_claim()

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={
            "status": "void",
            "note": "withdrawn",
            "evidence": [{"url": "https://x.org", "title": "t", "stance": "context"}],
        },
        headers={**admin, "If-Match": claim.etag},
    )

    assert response.status_code == 200


def test_cors_allows_configured_origins_and_exposes_etag(make_app):
    with TestClient(make_app(cors_origins=["https://newsroom.example"])) as client:
        simple = client.get("/v1/claims", headers={"Origin": "https://newsroom.example"})
        preflight = client.options(
            "/v1/claims/1/status",
            headers={
                "Origin": "https://newsroom.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "if-match, idempotency-key, authorization, "
                "x-request-id",
            },
        )
        foreign = client.get("/v1/claims", headers={"Origin": "https://evil.example"})

    assert simple.headers["access-control-allow-origin"] == "https://newsroom.example"
    exposed = set(simple.headers["access-control-expose-headers"].split(", "))
    assert {"ETag", "Location", "X-Request-ID"} <= exposed
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert all(
        h in allowed
        for h in ("if-match", "idempotency-key", "authorization", "if-none-match", "x-request-id")
    )
    assert "access-control-allow-origin" not in foreign.headers


def test_a_refused_cors_preflight_is_problem_json_naming_what_was_refused(make_app):
    with TestClient(make_app(cors_origins=["https://newsroom.example"])) as client:
        refused = client.options(
            "/v1/claims",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )

    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"] == [{"field": "Origin", "message": "is not allowed"}]
    assert "access-control-allow-origin" not in refused.headers


def test_list_answers_304_while_nothing_changes(client, make_claim):
    make_claim()
    tag = client.get("/v1/claims?status=open").headers["ETag"]

    unchanged = client.get("/v1/claims?status=open", headers={"If-None-Match": tag})
    make_claim()
    changed = client.get("/v1/claims?status=open", headers={"If-None-Match": tag})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert changed.status_code == 200


def test_claim_and_history_answer_304_until_the_claim_changes(client, make_claim, editor):
    claim = make_claim()
    history_tag = client.get(f"/v1/claims/{claim.id}/history").headers["ETag"]

    same_claim = client.get(f"/v1/claims/{claim.id}", headers={"If-None-Match": claim.etag})
    same_history = client.get(
        f"/v1/claims/{claim.id}/history", headers={"If-None-Match": history_tag}
    )
    client.patch(
        f"/v1/claims/{claim.id}", json={"quote": "q"}, headers={**editor, "If-Match": claim.etag}
    )

    assert (same_claim.status_code, same_history.status_code) == (304, 304)
    assert (
        client.get(f"/v1/claims/{claim.id}", headers={"If-None-Match": claim.etag}).status_code
        == 200
    )
    assert (
        client.get(
            f"/v1/claims/{claim.id}/history", headers={"If-None-Match": history_tag}
        ).status_code
        == 200
    )


def test_reads_carry_strong_etag_and_no_cache(client, make_claim):
    claim = make_claim()

    for path in (
        "/v1/claims",
        f"/v1/claims/{claim.id}",
        f"/v1/claims/{claim.id}/history",
        "/v1/summary",
    ):
        response = client.get(path)
        assert response.headers["ETag"].startswith('"'), path
        assert response.headers["Cache-Control"] == "no-cache", path


def test_openapi_documents_the_error_statuses(client):
    paths = client.get("/openapi.json").json()["paths"]

    def codes(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"401", "403", "409", "412", "413", "422", "428", "503"} <= codes(
        "/v1/claims/{ref}/status", "post"
    )
    assert {"304", "422", "503"} <= codes("/v1/claims", "get")
    assert {"401", "403", "409", "413", "422", "503"} <= codes("/v1/claims", "post")


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")

    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("path", ["/v1/claims?status=open&limit=50", "/v1/summary"])
def test_unchanged_poll_answers_304_without_any_sql(make_app, make_claim, path):
    from sqlalchemy import event

    for _ in range(3):
        make_claim()
    statements: list[str] = []
    app = make_app()
    with TestClient(app) as client:
        tag = client.get(path).headers["ETag"]
        for engine in (app.state.engine, *app.state.reader.engines()):
            event.listen(
                engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: statements.append(sql)
            )

        response = client.get(path, headers={"If-None-Match": tag})

    assert response.status_code == 304
    assert statements == []


def test_starlettes_404_and_405_have_the_types_and_titles_of_the_domains(client):
    no_route = client.get("/v1/no-such-thing").json()
    no_claim = client.get("/v1/claims/999999").json()
    wrong_method = client.delete("/v1/claims")

    assert (no_route["type"], no_route["title"]) == (no_claim["type"], no_claim["title"])
    assert wrong_method.json()["type"] == "/problems/method-not-allowed"
    assert "DELETE is not allowed here" in wrong_method.json()["detail"]


def test_a_rule_refusal_and_a_field_refusal_share_one_title(client, make_claim, reviewer):
    claim = make_claim()
    field = client.post("/v1/claims", json={"statement": "", "claimant": "x"}, headers=reviewer)
    rule = client.patch(
        f"/v1/claims/{claim.id}",
        json={"due_by": "2020-01-01"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert field.status_code == rule.status_code == 422, rule.text
    assert field.json()["type"] == rule.json()["type"] == "/problems/invalid-input"
    assert field.json()["title"] == rule.json()["title"]
