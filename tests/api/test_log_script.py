"""docs/verify_checkpoint.py, the outsider's check, against a real server over HTTP.

The script needs nothing of the tracker; here it runs as a reader would run it, with a
checkpoint saved earlier and the public key pinned.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from claims import signing
from claims.config import Settings
from tests.cli.test_verify_checkpoint import rewrite_note, wipe_tree

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "verify_checkpoint.py"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "log.key"
    signing.init_key(path)
    return path


@pytest.fixture
def settings(database, key_file) -> Settings:
    """The test's database, with a log signing key."""
    return Settings(database_url=database.url, log_key_file=str(key_file))


@pytest.fixture
def reader(live_server, reviewer, tmp_path):
    """A server with three events, and a reader who saved its checkpoint and pinned its key."""
    for n in range(3):
        body = {"statement": f"Claim {n} comes true", "claimant": "Scott Bessent"}
        httpx.post(f"{live_server.url}/v1/claims", json=body, headers=reviewer).raise_for_status()
    saved = tmp_path / "saved.json"
    saved.write_text(httpx.get(f"{live_server.url}/v1/log/checkpoint").text)
    public = tmp_path / "log.pub"
    public.write_text(httpx.get(f"{live_server.url}/v1/log/key").json()["public_key_pem"])
    return saved, public


def run_script(url: str, saved: Path, public: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), url, str(saved), "--public-key", str(public), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_script_passes_a_log_that_only_grew_and_saves_the_new_checkpoint(
    live_server, reader, reviewer, tmp_path
):
    saved, public = reader
    body = {"statement": "One more claim", "claimant": "Scott Bessent"}
    httpx.post(f"{live_server.url}/v1/claims", json=body, headers=reviewer).raise_for_status()
    newer = tmp_path / "newer.json"

    result = run_script(live_server.url, saved, public, "--save", str(newer))

    assert result.returncode == 0, result.stderr
    assert "OK: the log grew from 3 to 4 events" in result.stdout
    assert '"size": 4' in newer.read_text()


def test_script_fails_a_rewrite_with_recomputed_hashes(live_server, reader, engine):
    saved, public = reader
    rewrite_note(engine, 2, "a note nobody wrote")
    wipe_tree(engine)

    result = run_script(live_server.url, saved, public)

    assert result.returncode == 1
    assert "history was rewritten" in result.stderr


def test_script_fails_a_truncated_log(live_server, reader, engine):
    saved, public = reader
    wipe_tree(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM claim_topic WHERE claim_id = 3")
        conn.exec_driver_sql("DELETE FROM event WHERE seq = 3")
        conn.exec_driver_sql("DELETE FROM claim WHERE id = 3")

    result = run_script(live_server.url, saved, public)

    assert result.returncode == 1
    assert "the log shrank: it holds 2 events" in result.stderr


def test_script_fails_an_altered_saved_checkpoint(live_server, reader):
    saved, public = reader
    saved.write_text(saved.read_text().replace('"size":3', '"size":2'))

    result = run_script(live_server.url, saved, public)

    assert result.returncode == 1
    assert "signature does not verify" in result.stderr
