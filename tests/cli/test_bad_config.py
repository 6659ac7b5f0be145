"""Bad configuration gives one paragraph naming the problem and a non-zero exit, no traceback."""

from __future__ import annotations

import pytest

from claims import migrate, storage
from claims.config import Settings
from tests.conftest import claims_command


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "CLAIMS_DATABASE_URL"),
        ("mysql://root@127.0.0.1/claims", "mysql"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/claims", "cannot be used"),
        ("sqlite:///:memory:", "SQLite file"),
    ],
)
def test_unusable_database_url_is_one_paragraph_and_exit_3(run_claims_once, url, words):
    result = run_claims_once("db", "upgrade", env={"CLAIMS_DATABASE_URL": url})

    assert result.returncode == 3
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_time_zone_is_a_usage_error(run_claims_once):
    result = run_claims_once("db", "upgrade", env={"CLAIMS_TIMEZONE": "Mars/Olympus_Mons"})

    assert result.returncode == 2
    assert "time zone" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["db"],
        ["token"],
        ["serve"],
        ["seed"],
        ["verify"],
        ["db", "upgrade"],
        ["db", "downgrade"],
        ["token", "create"],
        ["token", "revoke"],
        ["token", "list"],
    ],
)
def test_every_command_has_help(run_claims_once, args):
    result = run_claims_once(*args, "--help")

    assert result.returncode == 0
    assert "Usage" in result.stdout


@pytest.mark.parametrize("args", [["token", "list"], ["seed"], ["webhook", "list"], ["export"]])
def test_a_database_never_migrated_says_to_run_db_upgrade(database, args):
    engine = storage.make_engine(Settings(database_url=database.url), pool_size=1)
    migrate.downgrade(engine, "base")
    engine.dispose()

    result = claims_command(database.url, *args)

    assert result.returncode == 3
    assert "run `claims db upgrade` first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_proxy_address_is_a_settings_error_naming_the_variable(run_claims_once):
    result = run_claims_once("db", "current", env={"CLAIMS_FORWARDED_ALLOW_IPS": "notanip"})

    assert result.returncode == 2
    assert "CLAIMS_FORWARDED_ALLOW_IPS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_revision_is_a_usage_error(run_claims_once):
    run_claims_once("db", "upgrade")

    result = run_claims_once("db", "upgrade", "nonexistentrev")

    assert result.returncode == 2
    assert "nonexistentrev" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_backup_into_a_missing_folder_says_so(run_claims_once, tmp_path):
    run_claims_once("db", "upgrade")

    result = run_claims_once("backup", str(tmp_path / "no" / "such" / "copy.db"))

    assert result.returncode == 2
    assert "no such folder" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("seed", "--file", "{missing}"),
        ("restore", "{missing}"),
        ("import", "{missing}"),
        ("extract", "{missing}"),
    ],
    ids=["seed", "restore", "import", "extract"],
)
def test_a_file_that_is_not_there_is_a_usage_error(run_claims_once, tmp_path, command):
    missing = str(tmp_path / "not-there.txt")
    run_claims_once("db", "upgrade")

    result = run_claims_once(*(part.format(missing=missing) for part in command))

    assert result.returncode == 2
    assert f"cannot read {missing}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
