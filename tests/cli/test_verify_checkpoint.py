"""`claims verify --checkpoint FILE` and `claims keys init`: a saved checkpoint catches what the
hash chains cannot — a rewrite that recomputes every hash, a truncated log — and a forged or
altered checkpoint.

Each tampering test plays a thorough attacker with write access to the database: it edits rows
with SQL and recomputes every hash a chain holds, as docs/history.md spells the chain out.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from claims import history, signing
from claims.storage.tables import (
    claim_t,
    event_t,
    log_checkpoint_t,
    log_leaf_t,
    log_node_t,
    seq_t,
)

EXIT_BROKEN = 4


def move(client: TestClient, claim_id: int, status: str, headers) -> None:
    etag = client.get(f"/v1/claims/{claim_id}").headers["ETag"]
    response = client.post(
        f"/v1/claims/{claim_id}/status",
        json={"status": status, "note": f"talks {status}"},
        headers={"If-Match": etag, **headers},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "log.key"
    signing.init_key(path)
    return path


@pytest.fixture
def env(key_file: Path) -> dict[str, str]:
    return {"CLAIMS_LOG_KEY_FILE": str(key_file)}


@pytest.fixture
def signed(make_app, key_file):
    with TestClient(make_app(log_key_file=str(key_file)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def saved(signed, reviewer, tmp_path) -> Path:
    """Two claims, five events (A: created, in_progress, stalled; B: created, in_progress),
    and the checkpoint a reader saved then."""
    made = [
        signed.post(
            "/v1/claims", json={"statement": s, "claimant": "Scott Bessent"}, headers=reviewer
        )
        for s in ("Soybean purchases resume", "Rare-earth controls deferred")
    ]
    a, b = (r.json()["id"] for r in made)
    move(signed, a, "in_progress", reviewer)
    move(signed, b, "in_progress", reviewer)
    move(signed, a, "stalled", reviewer)
    path = tmp_path / "checkpoint.json"
    path.write_text(signed.get("/v1/log/checkpoint").text, encoding="utf-8")
    assert json.loads(path.read_text())["size"] == 5
    return path


def rewrite_note(engine: sa.Engine, seq: int, note: str) -> None:
    """Change an event's note and recompute its chain hash and every later one of its claim."""
    with engine.begin() as conn:
        claim_id = conn.execute(sa.select(event_t.c.claim_id).where(event_t.c.seq == seq)).scalar()
        events = conn.execute(
            sa.select(event_t).where(event_t.c.claim_id == claim_id).order_by(event_t.c.seq)
        ).all()
        prev = None
        for event in events:
            values = event._asdict()
            values["note"] = note if event.seq == seq else event.note
            values["prev_hash"] = prev
            values["hash"] = history.chain_hash(prev, history.event_body(SimpleNamespace(**values)))
            conn.execute(
                sa.update(event_t)
                .where(event_t.c.seq == event.seq)
                .values(note=values["note"], prev_hash=prev, hash=values["hash"])
            )
            prev = values["hash"]


def wipe_tree(engine: sa.Engine) -> None:
    """Drop every stored hash of the log, so the tracker rebuilds it from the rewritten events."""
    with engine.begin() as conn:
        for table in (log_leaf_t, log_node_t, log_checkpoint_t):
            conn.execute(sa.delete(table))


def test_honest_log_that_grew_passes(run_claims, saved, signed, reviewer, env):
    claim_id = signed.get("/v1/claims").json()["items"][1]["id"]
    move(signed, claim_id, "stalled", reviewer)
    signed.get("/v1/log/checkpoint")

    result = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert result.returncode == 0, result.stderr
    assert "signature by key" in result.stdout
    assert "the log of 6 events extends the checkpoint's 5" in result.stdout


def test_rewrite_with_recomputed_hashes_passes_the_chains_but_fails_the_checkpoint(
    run_claims, saved, engine, env
):
    rewrite_note(engine, 3, "talks never began")
    wipe_tree(engine)

    chains = run_claims("verify", env=env)
    against = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert chains.returncode == 0, chains.stderr
    assert against.returncode == EXIT_BROKEN
    assert "the log was rewritten: its first 5 events" in against.stderr


def test_rewrite_that_left_the_stored_tree_names_the_changed_event(run_claims, saved, engine, env):
    rewrite_note(engine, 3, "talks never began")

    result = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert result.returncode == EXIT_BROKEN
    assert "event seq 3 no longer matches the leaf the log recorded" in result.stderr


def test_rewrite_after_the_checkpoint_fails_on_the_checkpoints_the_log_published(
    run_claims, saved, signed, engine, env, reviewer
):
    claim_id = signed.get("/v1/claims").json()["items"][1]["id"]
    move(signed, claim_id, "stalled", reviewer)
    signed.get("/v1/log/checkpoint")  # published at size 6
    rewrite_note(engine, 6, "quietly reworded")

    result = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert result.returncode == EXIT_BROKEN
    assert "published for size 6 does not match its events" in result.stderr


def test_truncated_log_fails(run_claims, saved, engine, env):
    # Remove the last event (A's move to stalled) and make everything else agree with that.
    with engine.begin() as conn:
        before = conn.execute(sa.select(event_t).where(event_t.c.seq == 3)).one()
        conn.execute(sa.delete(event_t).where(event_t.c.seq == 5))
        conn.execute(
            sa.update(claim_t)
            .where(claim_t.c.id == before.claim_id)
            .values(
                status="in_progress",
                version=2,
                updated_at=before.at,
                status_changed_at=before.at,
            )
        )
        conn.execute(sa.update(seq_t).values(value=4))
    wipe_tree(engine)

    result = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert result.returncode == EXIT_BROKEN
    assert "truncated: it holds 4 events, but the checkpoint covers 5" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"root_hash": "0" * 64}, "signature does not verify"),
        ({"size": 4}, "signature does not verify"),
        ({"timestamp": "2020-01-01T00:00:00.000000Z"}, "signature does not verify"),
        ({"signature": "AAAA"}, "signature does not verify"),
        ({"key_id": "f" * 64}, "signed by key ffff"),
    ],
)
def test_altered_checkpoint_fails_its_signature(run_claims, saved, env, change, message):
    saved.write_text(json.dumps({**json.loads(saved.read_text()), **change}))

    result = run_claims("verify", "--checkpoint", str(saved), env=env)

    assert result.returncode == EXIT_BROKEN
    assert message in result.stderr


def test_checkpoint_signed_by_another_key_fails(run_claims, saved, tmp_path):
    other = tmp_path / "other.key"
    signing.init_key(other)

    result = run_claims(
        "verify", "--checkpoint", str(saved), env={"CLAIMS_LOG_KEY_FILE": str(other)}
    )

    assert result.returncode == EXIT_BROKEN
    assert "not by this log's key" in result.stderr


def test_public_key_option_checks_the_signature_without_the_private_key(
    run_claims, saved, signed, tmp_path
):
    public = tmp_path / "log.pub"
    public.write_text(signed.get("/v1/log/key").json()["public_key_pem"])
    elsewhere = {"CLAIMS_LOG_KEY_FILE": str(tmp_path / "absent.key")}

    result = run_claims(
        "verify", "--checkpoint", str(saved), "--public-key", str(public), env=elsewhere
    )

    assert result.returncode == 0, result.stderr
    assert "signature by key" in result.stdout


def test_unsigned_checkpoint_has_its_root_checked_and_says_so(
    run_claims, client, make_claim, tmp_path
):
    make_claim()
    path = tmp_path / "checkpoint.json"
    path.write_text(client.get("/v1/log/checkpoint").text)

    result = run_claims("verify", "--checkpoint", str(path))

    assert result.returncode == 0, result.stderr
    assert "unsigned" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a saved checkpoint"),
        ('{"size": -1}', "size: must be"),
        ('{"size": 1, "root_hash": "xyz"}', "root_hash: must be"),
    ],
)
def test_file_that_is_no_checkpoint_is_exit_2(run_claims, tmp_path, content, message):
    path = tmp_path / "checkpoint.json"
    path.write_text(content)

    result = run_claims("verify", "--checkpoint", str(path))

    assert result.returncode == 2
    assert message in result.stderr


def test_keys_init_writes_a_key_only_its_owner_reads_and_never_overwrites(run_claims, tmp_path):
    path = tmp_path / "keys" / "log.key"
    path.parent.mkdir()
    env = {"CLAIMS_LOG_KEY_FILE": str(path)}

    made = run_claims("keys", "init", env=env)
    content = path.read_bytes()
    again = run_claims("keys", "init", env=env)

    assert made.returncode == 0, made.stderr
    assert b"PRIVATE KEY" in content
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "BEGIN PUBLIC KEY" in made.stdout
    assert "PRIVATE" not in made.stdout + made.stderr
    assert again.returncode == 1
    assert "exists already" in again.stderr
    assert path.read_bytes() == content


def test_keys_init_puts_the_key_beside_the_sqlite_database_by_default(run_claims_once, tmp_path):
    result = run_claims_once("keys", "init")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "claims-log.key").exists()


def test_keys_show_prints_the_served_public_key(run_claims, signed, env):
    served = signed.get("/v1/log/key").json()

    result = run_claims("keys", "show", env=env)

    assert result.returncode == 0, result.stderr
    assert f"key id {served['key_id']}" in result.stdout
    assert served["public_key_pem"].strip() in result.stdout
