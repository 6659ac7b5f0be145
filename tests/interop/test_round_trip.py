"""`claims export` / `claims import`: a lossless JSON Lines round trip, across databases."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from claims import creates, services, status_changes, storage
from claims.config import Settings
from claims.creates import CreateRequest
from claims.errors import only
from claims.models import Actor, ClaimCreate, ClaimUpdate, EvidenceIn, StatusChange
from claims.status import Role
from claims.tokens import hash_token
from tests.interop.conftest import fill, run_cli, run_cli_as_a_process, table_counts

PAIRS = [
    ("sqlite", "postgresql"),
    ("postgresql", "sqlite"),
    ("sqlite", "sqlite"),
    ("postgresql", "postgresql"),
]


@pytest.mark.parametrize(("origin", "target"), PAIRS)
def test_export_import_export_gives_identical_files_and_verifies(new_database, origin, target):
    first, second = new_database(origin), new_database(target)
    fill(first.url)
    exported = run_cli(first.url, "export")

    imported = run_cli(second.url, "import", "-", stdin=exported.stdout)
    verified = run_cli(second.url, "verify")
    again = run_cli(second.url, "export")

    assert exported.returncode == 0, exported.stderr.decode()
    assert imported.returncode == 0, imported.stderr.decode()
    assert verified.returncode == 0, verified.stderr.decode()
    assert again.stdout == exported.stdout


def test_sqlite_to_postgresql_and_back_to_sqlite_keeps_every_byte(new_database, tmp_path):
    sqlite, postgresql, sqlite_again = (
        new_database("sqlite"),
        new_database("postgresql"),
        new_database("sqlite"),
    )
    fill(sqlite.url)
    files = [tmp_path / f"export-{n}.jsonl" for n in range(3)]

    run_cli(sqlite.url, "export", "--out", str(files[0]))
    run_cli(postgresql.url, "import", str(files[0]))
    run_cli(postgresql.url, "export", "--out", str(files[1]))
    run_cli(sqlite_again.url, "import", str(files[1]))
    run_cli(sqlite_again.url, "export", "--out", str(files[2]))

    assert files[0].read_bytes() == files[1].read_bytes() == files[2].read_bytes()
    assert run_cli(postgresql.url, "verify").returncode == 0
    assert run_cli(sqlite_again.url, "verify").returncode == 0


def _api_view(url: str, claim_ids: list[int]) -> dict:
    with TestClient(create_app(Settings(database_url=url))) as client:
        return {
            "sources": client.get("/v1/sources").json(),
            "claims": [client.get(f"/v1/claims/{i}").json() for i in claim_ids],
            "histories": [client.get(f"/v1/claims/{i}/history").json() for i in claim_ids],
        }


def test_import_keeps_ids_slugs_seqs_and_history_hashes(new_database, database):
    origin = new_database("sqlite" if database.backend == "postgresql" else "postgresql")
    filled = fill(origin.url)
    exported = run_cli(origin.url, "export")

    run_cli(database.url, "import", "-", stdin=exported.stdout)

    assert _api_view(database.url, filled.claim_ids) == _api_view(origin.url, filled.claim_ids)


def test_export_never_contains_tokens(database):
    fill(database.url)
    created = run_cli(database.url, "token", "create", "--name", "unused-admin", "--role", "admin")
    secret = created.stdout.split()[-1]

    exported = run_cli(database.url, "export")

    assert exported.returncode == 0
    assert b"unused-admin" not in exported.stdout
    assert secret not in exported.stdout
    assert hash_token(secret.decode()).encode() not in exported.stdout
    kinds = {orjson.loads(line).get("type") for line in exported.stdout.splitlines()[1:]}
    assert kinds == {"source", "claim", "event", "evidence"}


def test_export_starts_with_a_header_naming_format_version_and_counts(database):
    filled = fill(database.url)

    exported = run_cli(database.url, "export")

    header = orjson.loads(exported.stdout.splitlines()[0])
    assert header["format"] == "claims-export"
    assert header["version"] == 1
    assert header["counts"]["claim"] == len(filled.claim_ids)
    assert header["seq"] == table_counts(database.url)["seq"]
    assert len(exported.stdout.splitlines()) == 1 + sum(header["counts"].values())


def test_export_to_a_file_writes_the_same_bytes_as_to_standard_output(database, tmp_path):
    fill(database.url)
    target = tmp_path / "out.jsonl"

    to_file = run_cli(database.url, "export", "--out", str(target))
    to_stdout = run_cli(database.url, "export")

    assert to_file.returncode == 0, to_file.stderr.decode()
    assert target.read_bytes() == to_stdout.stdout
    assert b"exported 1 source(s), 3 claim(s)" in to_file.stdout
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_export_piped_prints_nothing_but_the_data(database):
    fill(database.url)

    exported = run_cli(database.url, "export")

    assert exported.stderr == b""
    assert all(orjson.loads(line) for line in exported.stdout.splitlines())


def test_export_piped_into_import_loads_the_same_history_as_a_process(new_database, database):
    origin = new_database("sqlite")
    fill(origin.url)

    exported = run_cli_as_a_process(origin.url, "export")
    imported = run_cli_as_a_process(database.url, "import", "-", stdin=exported.stdout)

    assert exported.returncode == 0, exported.stderr.decode()
    assert imported.returncode == 0, imported.stderr.decode()
    assert run_cli(database.url, "export").stdout == exported.stdout


def test_writes_after_an_import_take_new_ids_and_the_next_seq(new_database, database, editor):
    origin = new_database("sqlite")
    fill(origin.url)
    exported = run_cli(origin.url, "export")
    run_cli(database.url, "import", "-", stdin=exported.stdout)
    before = table_counts(database.url)

    with TestClient(create_app(Settings(database_url=database.url))) as client:
        source = client.post("/v1/sources", json={"title": "Later story"}, headers=editor)
        claim = client.post(
            "/v1/claims", json={"statement": "A later claim", "claimant": "X"}, headers=editor
        )
        history = client.get(f"/v1/claims/{claim.json()['id']}/history").json()

    assert source.status_code == 201, source.text
    assert source.json()["id"] == before["source"] + 1
    assert claim.status_code == 201, claim.text
    assert claim.json()["id"] == before["claim"] + 1
    assert history["events"][0]["seq"] == before["seq"] + 1


@pytest.mark.parametrize(
    ("query", "expected"),
    # q=rare: one claim's statement, and another's evidence title ("China defers rare-earth …")
    [("q=rare", 2), ("q=beijing", 1), ("topic=tariffs", 2), ("q=nothingmatches", 0)],
)
def test_search_and_topic_filters_work_after_an_import(database, sample_export, query, expected):
    run_cli(database.url, "import", "-", stdin=sample_export)

    with TestClient(create_app(Settings(database_url=database.url))) as client:
        found = client.get(f"/v1/claims?{query}").json()["items"]

    assert len(found) == expected


def test_import_reports_what_it_loaded(database, sample_export):
    imported = run_cli(database.url, "import", "-", stdin=sample_export)

    assert imported.returncode == 0, imported.stderr.decode()
    assert b"imported 1 source(s), 3 claim(s)" in imported.stdout


def test_summary_after_an_import_counts_the_imported_claims(new_database, database):
    origin = new_database("sqlite")
    fill(origin.url)
    exported = run_cli(origin.url, "export")

    run_cli(database.url, "import", "-", stdin=exported.stdout)

    summaries = []
    for url in (origin.url, database.url):
        with TestClient(create_app(Settings(database_url=url))) as client:
            summaries.append(client.get("/v1/summary").json())
    assert summaries[1] == summaries[0]
    assert summaries[1]["total"] == 3


def test_import_of_claims_exported_before_quote_kind_takes_direct_for_a_quote(
    database, sample_export
):
    def without_quote_kind(line: bytes) -> bytes:
        record = orjson.loads(line)
        if record.get("type") == "claim":
            del record["data"]["quote_kind"]
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)

    older = b"\n".join(without_quote_kind(line) for line in sample_export.splitlines())

    imported = run_cli(database.url, "import", "-", stdin=older)

    assert imported.returncode == 0, imported.stderr.decode()
    with TestClient(create_app(Settings(database_url=database.url))) as client:
        items = client.get("/v1/claims").json()["items"]
    assert {(c["quote"] is None, c["quote_kind"]) for c in items} == {
        (False, "direct"),
        (True, None),
    }
    assert run_cli(database.url, "verify").returncode == 0


def test_a_postgresql_history_with_seq_gaps_imports_into_sqlite_and_verifies(new_database):
    origin, target = new_database("postgresql"), new_database("sqlite")
    _burn_seqs(origin.url, 2)  # what rolled-back writes leave: seqs never given to an event
    fill(origin.url)
    _burn_seqs(origin.url, 1)  # and one after the last event
    exported = run_cli(origin.url, "export")

    run_cli(target.url, "import", "-", stdin=exported.stdout)
    verified = run_cli(target.url, "verify")

    assert verified.returncode == 0, verified.stdout.decode() + verified.stderr.decode()


def _burn_seqs(url: str, count: int) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for _ in range(count):
                conn.execute(sa.text("SELECT nextval('event_seq')"))
    finally:
        engine.dispose()


def _write_as_before_the_date_rules(url: str) -> int:
    """A claim whose dates the API now refuses, written as it once could have been: stated,
    moved and evidenced on a clock set to 2099 (the use cases' ``today``), and given a
    deadline in 9999 by an edit (a request model built without its checks)."""
    later, actor = date(2099, 1, 2), Actor(name="desk", role=Role.EDITOR)
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    try:
        with Session(engine) as session:
            data = ClaimCreate(statement="A bridge opens", claimant="x", stated_on=later)
            [created] = creates.create_claims(session, [CreateRequest(data, actor, today=later)])
            claim_id = created.claim.id
            services.edit_claim(
                session,
                claim_id,
                ClaimUpdate.model_construct(due_by=date(9999, 12, 31)),
                expected_version=1,
                actor=actor,
                today=later,
                due_soon_days=14,
            )
            evidence = EvidenceIn(
                url="https://example.org/bridge",
                title="Bridge opens",
                published_on=later,
                stance="supports",
            )
            change = StatusChange(
                status="fulfilled", note="Opened", evidence=[evidence], occurred_on=later
            )
            request = status_changes.StatusRequest(claim_id, change, 2, actor, today=later)
            only(status_changes.change_statuses(session, [request]))
        return claim_id
    finally:
        engine.dispose()


def test_import_keeps_dates_written_before_the_rules_that_now_refuse_them(new_database, database):
    origin = new_database("sqlite")
    claim_id = _write_as_before_the_date_rules(origin.url)
    exported = run_cli(origin.url, "export")

    imported = run_cli(database.url, "import", "-", stdin=exported.stdout)

    assert imported.returncode == 0, imported.stderr.decode()
    assert run_cli(database.url, "verify").returncode == 0
    assert _api_view(database.url, [claim_id]) == _api_view(origin.url, [claim_id])
    claim = _api_view(database.url, [claim_id])["claims"][0]
    assert (claim["stated_on"], claim["due_by"]) == ("2099-01-02", "9999-12-31")
