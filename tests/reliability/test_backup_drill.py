"""The restore drill: a backup taken while editors write restores to a database that verifies
and holds every change committed up to the backup's seq, and nothing after it."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest
import sqlalchemy as sa

from claims import storage
from claims.config import Settings
from tests.conftest import claims_command, claims_process

WRITERS = 4


def _write_until(url: str, headers: dict[str, str], stop: threading.Event, done: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        n = 0
        while not stop.is_set():
            n += 1
            created = http.post(
                "/v1/claims",
                json={"statement": f"Writer {threading.get_ident()} claim {n}", "claimant": "X"},
                headers=headers,
            )
            if created.status_code != 201:
                continue
            moved = http.post(
                f"/v1/claims/{created.json()['id']}/status",
                json={"status": "in_progress", "note": "moving"},
                headers={**headers, "If-Match": created.headers["ETag"]},
            )
            done.append(created.status_code + moved.status_code)


def _events(url: str) -> list[tuple]:
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    try:
        with engine.connect() as conn:
            t = storage.event_t
            return list(
                conn.execute(sa.select(t.c.seq, t.c.claim_id, t.c.hash).order_by(t.c.seq)).all()
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_backup_while_writers_run_restores_every_change_up_to_its_seq_as_a_process(
    servers, tmp_path
):
    live = f"sqlite:///{tmp_path / 'live.db'}"
    server = servers.start(live)
    token = claims_process(live, "token", "create", "--name", "drill", "--role", "editor")
    headers = {"Authorization": f"Bearer {token.stdout.strip().splitlines()[-1]}"}
    stop, done = threading.Event(), []
    writers = [
        threading.Thread(target=_write_until, args=(server.url, headers, stop, done))
        for _ in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    time.sleep(1.5)

    written_before = len(done)
    backup = claims_process(live, "backup", str(tmp_path / "nightly.db"))
    time.sleep(0.5)
    stop.set()
    for writer in writers:
        writer.join(timeout=30)
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    restore = claims_process(restored, "restore", str(tmp_path / "nightly.db"))
    verify = claims_process(restored, "verify")

    assert backup.returncode == 0, backup.stderr
    seq = int(re.search(r"up to seq (\d+)", backup.stdout).group(1))
    assert written_before > 0
    assert len(done) > written_before, "the writers stopped while the backup ran"
    assert restore.returncode == 0, restore.stderr
    assert f"up to seq {seq}" in restore.stdout
    assert verify.returncode == 0, verify.stderr
    source = _events(live)
    assert source[-1][0] > seq, "no write committed after the backup"
    assert _events(restored) == [e for e in source if e[0] <= seq]
    assert claims_process(restored, "token", "list").stdout.count("drill") == 1


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    live = f"sqlite:///{tmp_path / 'live.db'}"
    assert claims_command(live, "db", "upgrade").returncode == 0
    assert claims_command(live, "seed").returncode == 0
    assert claims_command(live, "backup", str(tmp_path / "copy.db")).returncode == 0

    again = claims_command(live, "restore", str(tmp_path / "copy.db"))

    assert again.returncode == 1
    assert "not empty" in again.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database")

    result = claims_command(
        f"sqlite:///{tmp_path / 'new.db'}", "restore", str(tmp_path / "notes.txt")
    )

    assert result.returncode == 1
    assert "not an SQLite database" in result.stderr
    assert not (tmp_path / "new.db").exists()


def test_restore_into_a_migrated_empty_database_is_allowed(tmp_path):
    live, empty = f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'empty.db'}"
    claims_command(live, "db", "upgrade")
    claims_command(live, "seed")
    claims_command(live, "backup", str(tmp_path / "copy.db"))
    claims_command(empty, "db", "upgrade")

    result = claims_command(empty, "restore", str(tmp_path / "copy.db"))

    assert result.returncode == 0, result.stderr
    assert claims_command(empty, "verify").returncode == 0


def test_backup_on_postgresql_points_to_pg_dump(pg_database, tmp_path):
    result = claims_command(pg_database.url, "backup", str(tmp_path / "copy.db"))

    assert result.returncode == 2
    assert "pg_dump" in result.stderr
    assert "claims export" in result.stderr
    assert not (tmp_path / "copy.db").exists()
