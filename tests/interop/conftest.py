"""Fixtures for interop: extra databases in one test, a filled database, the real CLI.

A round trip needs two databases at once (one of each kind, or two of one), so
``new_database`` makes as many fresh, migrated databases as a test asks for, from the same
templates as ``database``. ``fill`` writes a history with every kind of event through the
HTTP API, as people would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from claims import storage, tokens
from claims.config import Settings
from claims.status import Role
from tests.claims_cli import run_as_process, run_in_process
from tests.conftest import Database, _fresh_database

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., "subprocess.CompletedProcess[bytes]"]


def run_cli(url: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``claims ARGS`` on the database at ``url``, in this process; output stays bytes."""
    return run_in_process(*args, env={"CLAIMS_DATABASE_URL": url}, stdin=stdin)


def run_cli_as_a_process(
    url: str, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``python -m claims ARGS`` on the database at ``url``; output stays bytes."""
    return run_as_process(*args, env={"CLAIMS_DATABASE_URL": url}, stdin=stdin)


@pytest.fixture
def cli(settings: Settings) -> Cli:
    """Run ``claims ARGS`` on the test's database (once per backend), in this process."""

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return run_cli(settings.database_url, *args, stdin=stdin)

    return run


@pytest.fixture
def new_database(templates: dict, tmp_path: Path) -> Iterator[Callable[[str], Database]]:
    """Make fresh migrated databases on demand: ``new_database("postgresql")``."""
    made: list[Iterator[Database]] = []

    def make(backend: str) -> Database:
        where = tmp_path / f"db{len(made)}"
        where.mkdir()
        maker = _fresh_database(backend, templates, where)
        database = next(maker)  # skips the test when PostgreSQL does not answer
        made.append(maker)
        return database

    yield make
    for maker in made:
        maker.close()  # drops the PostgreSQL database


@dataclass
class Filled:
    """What ``fill`` made: ids to look things up by, and the token it must never export."""

    source_id: int
    claim_ids: list[int]
    token_name: str


EVIDENCE_A = {
    "url": "https://example.org/news/rare-earths",
    "title": "China defers rare-earth controls “for a year”",
    "publisher": "Example Wire",
    "published_on": "2025-10-31",
    "quote": 'Officials said: "one year, then review"',
    "stance": "supports",
}
EVIDENCE_B = {
    "url": "https://example.org/news/rare-earths-2",
    "title": "Only some controls deferred",
    "stance": "refutes",
}


def fill(url: str) -> Filled:
    """Write sources, claims and every kind of history event, through the HTTP API."""
    settings = Settings(database_url=url)
    engine = storage.make_engine(settings, pool_size=1)
    try:
        headers = {}
        with Session(engine) as session:
            for role in (Role.REVIEWER, Role.EDITOR):
                _row, secret = tokens.create_token(
                    session, f"desk-{role.value}", role, by=tokens.OPERATOR
                )
                headers[role] = {"Authorization": f"Bearer {secret}"}
        with TestClient(create_app(settings, engine=engine)) as client:
            return _fill(client, headers[Role.REVIEWER], headers[Role.EDITOR])
    finally:
        engine.dispose()


def _fill(client: TestClient, reviewer: dict[str, str], editor: dict[str, str]) -> Filled:
    def ok(response: Any, status: int = 200) -> dict[str, Any]:
        assert response.status_code == status, response.text
        return response.json()

    source = ok(
        client.post(
            "/v1/sources",
            json={
                "title": "Bessent: US–China “framework” in place",
                "url": "https://example.org/2025/10/26/framework",
                "publisher": "Example News",
                "published_on": "2025-10-26",
                "text": 'Line one.\nLine "two", with quotes.\n',
            },
            headers=reviewer,
        ),
        201,
    )
    bodies = [
        {
            "statement": "China defers its rare-earth export controls",
            "quote": "I’m anticipating … a deferral on the rare earth export controls",
            "claimant": "Scott Bessent",
            "claimant_role": "US Treasury Secretary",
            "source_id": source["id"],
            "certainty": "expected",
            "due_from": "2025-10-27",
            "due_by": "2025-12-31",
            "due_text": "by year end",
            "resolution_criteria": "China announces a deferral",
            "topics": ["rare-earths", "tariffs"],
        },
        {
            "statement": "The 100% tariffs of November 1 are averted",
            "claimant": "Scott Bessent",
            "stated_on": "2025-10-26",
            "certainty": "conditional",
            "condition": "if the framework holds",
            "due_by": "2025-11-01",
            "topics": ["tariffs"],
        },
        {
            "statement": "Trump visits Beijing, just ahead of the Lunar New Year",
            "claimant": "Scott Bessent",
            "stated_on": "2025-10-26",
            "topics": ["diplomacy"],
        },
    ]
    claims = [ok(client.post("/v1/claims", json=b, headers=reviewer), 201) for b in bodies]
    a, b, c = claims

    def write(method: str, path: str, claim_id: int, headers: dict[str, str], body: Any) -> None:
        tag = client.get(f"/v1/claims/{claim_id}").headers["ETag"]
        ok(client.request(method, path, json=body, headers={**headers, "If-Match": tag}))

    # An edit, and a link to a later claim (the import must insert it after that claim).
    edit = {
        "statement": "China defers its rare-earth controls a year",
        "condition_claim_id": c["id"],
    }
    write("PATCH", f"/v1/claims/{a['id']}", a["id"], reviewer, edit)
    write("PATCH", f"/v1/claims/{b['id']}", b["id"], reviewer, {"condition_claim_id": a["id"]})
    for claim_id, headers, body in [
        (a["id"], reviewer, {"status": "in_progress", "note": "talks under way"}),
        (
            a["id"],
            editor,
            {
                "status": "fulfilled",
                "note": "Deferral announced",
                "occurred_on": "2025-10-30",
                "evidence": [EVIDENCE_A],
            },
        ),
        (
            a["id"],
            editor,
            {"status": "partially_fulfilled", "note": "Only some", "evidence": [EVIDENCE_B]},
        ),
        (c["id"], editor, {"status": "broken", "note": "No visit", "evidence": [EVIDENCE_B]}),
        (c["id"], editor, {"status": "stalled", "note": "Visit back on the agenda"}),
    ]:
        write("POST", f"/v1/claims/{claim_id}/status", claim_id, headers, body)
    write("POST", f"/v1/claims/{b['id']}/evidence", b["id"], reviewer, EVIDENCE_A)
    return Filled(source["id"], [a["id"], b["id"], c["id"]], "desk-editor")


@pytest.fixture(scope="session")
def sample_export(templates: dict, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A valid export of a filled SQLite database, made once for the tests that spoil it."""
    where = tmp_path_factory.mktemp("sample")
    maker = _fresh_database("sqlite", templates, where)
    database = next(maker)
    fill(database.url)
    result = run_cli(database.url, "export")
    maker.close()
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def table_counts(url: str) -> dict[str, int]:
    """Rows in each table an import writes, and the global seq."""
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    try:
        with Session(engine) as session:
            counts = {
                t.name: session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (
                    storage.source_t,
                    storage.claim_t,
                    storage.topic_t,
                    storage.event_t,
                    storage.evidence_t,
                )
            }
            counts["seq"] = storage.latest_seq(session)
            return counts
    finally:
        engine.dispose()


EMPTY = {"source": 0, "claim": 0, "claim_topic": 0, "event": 0, "evidence": 0, "seq": 0}
