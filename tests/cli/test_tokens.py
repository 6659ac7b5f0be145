"""Access tokens from the command line, used over HTTP, revoked; never stored in clear."""

from __future__ import annotations

import sqlalchemy as sa


def test_token_create_prints_the_token_alone_on_the_last_line_as_a_process(claims_as_a_process):
    result = claims_as_a_process("token", "create", "--name", "desk", "--role", "editor")

    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ct_")
    assert " " not in last
    assert len(last) >= 43 + 3  # 32 random bytes in base64url, plus the prefix


def test_token_used_then_revoked_is_401(run_claims, client):
    secret = run_claims("token", "create", "--name", "desk", "--role", "reviewer").stdout.split()[
        -1
    ]
    headers = {"Authorization": f"Bearer {secret}"}
    body = {"statement": "Trump visits Beijing", "claimant": "Scott Bessent"}

    used = client.post("/v1/claims", json=body, headers=headers)
    revoked = run_claims("token", "revoke", "--name", "desk")
    refused = client.post("/v1/claims", json={**body, "statement": "Again"}, headers=headers)

    assert used.status_code == 201
    assert used.json()["id"]
    assert revoked.returncode == 0
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")


def test_writes_record_the_tokens_name_and_role(run_claims, client):
    secret = run_claims(
        "token", "create", "--name", "night-desk", "--role", "editor"
    ).stdout.split()[-1]

    created = client.post(
        "/v1/claims",
        json={"statement": "s", "claimant": "c"},
        headers={"Authorization": f"Bearer {secret}"},
    )

    events = client.get(f"/v1/claims/{created.json()['id']}/history").json()["events"]
    assert events[0]["actor"] == {"name": "night-desk", "role": "editor"}


def test_token_list_shows_name_role_and_use_but_never_the_token(run_claims, client):
    secret = run_claims("token", "create", "--name", "desk", "--role", "reviewer").stdout.split()[
        -1
    ]
    client.post(
        "/v1/claims",
        json={"statement": "s", "claimant": "c"},
        headers={"Authorization": f"Bearer {secret}"},
    )

    listing = run_claims("token", "list")

    assert listing.returncode == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("desk"))
    assert "reviewer" in row
    assert row.split()[3] != "-"  # last used is recorded
    assert secret not in listing.stdout


def test_no_token_string_is_stored_in_the_database(run_claims, engine):
    secret = run_claims("token", "create", "--name", "desk", "--role", "admin").stdout.split()[-1]

    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM api_token")).all()

    dump = repr(rows)
    assert secret not in dump
    assert secret.removeprefix("ct_") not in dump


def test_revoking_an_unknown_token_fails_with_a_message(run_claims):
    result = run_claims("token", "revoke", "--name", "nobody")

    assert result.returncode == 1
    assert "nobody" in result.stderr


def test_invalid_role_is_a_usage_error(run_claims):
    result = run_claims("token", "create", "--name", "x", "--role", "owner")

    assert result.returncode == 2


def test_token_create_refuses_a_name_the_api_would_refuse(run_claims):
    result = run_claims("token", "create", "--name", "desk\x1b[2J", "--role", "editor")

    assert result.returncode == 2
    assert "--name: must not contain the control character U+001B" in result.stderr
    assert "ct_" not in result.stdout
