"""`claims verify` on a tampered database: a changed row, a removed event or a changed piece of
evidence fails it (exit 4), and the message names the claim, the event seq and the field.

Each test builds a history through the API (edits, status changes, evidence), then changes
the database as someone holding the file or a database login would (the raw driver, foreign
keys off), then runs the real ``python -m claims verify`` on it: once on SQLite, once on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from claims import history
from claims.models import Claim
from tests.conftest import EVIDENCE, Database, _fresh_database, claims_command

FORGED = {
    "url": "https://example.org/news/rare-earths-deferred",
    "title": "China defers rare-earth controls for a year",
    "stance": "supports",
}


@dataclass
class Desk:
    """The history a test starts from: two claims and their events as the API shows them.

    ``a``: created, edited (statement), in_progress, evidence added, fulfilled with evidence.
    ``b``: created, stalled, edited (due_text) — its last event is an edit without evidence.
    Their events interleave, so each claim's seqs have gaps that belong to the other.
    """

    a: int
    b: int
    events: dict[int, list[dict[str, Any]]]

    def seq(self, claim_id: int, kind: str, nth: int = 0) -> int:
        """The seq of the claim's ``nth`` event of this kind."""
        return [e["seq"] for e in self.events[claim_id] if e["kind"] == kind][nth]


@pytest.fixture
def desk(client, make_claim, editor) -> Desk:
    a = make_claim(statement="China defers its rare-earth export controls", due_by="2025-12-31")
    b = make_claim(statement="Trump visits Beijing before the Lunar New Year", due_by="2026-02-17")
    tags = {a.id: a.etag, b.id: b.etag}
    for claim_id, path, body in [
        (
            a.id,
            "",
            {"statement": "China defers its rare-earth controls a year", "reason": "precise"},
        ),
        (b.id, "/status", {"status": "stalled", "note": "no dates set"}),
        (a.id, "/status", {"status": "in_progress", "note": "talks under way"}),
        (a.id, "/evidence", EVIDENCE),
        (a.id, "/status", {"status": "fulfilled", "note": "announced", "evidence": [FORGED]}),
        (b.id, "", {"due_text": "early next year, just ahead of the Lunar New Year"}),
    ]:
        method = client.patch if path == "" else client.post
        response = method(
            f"/v1/claims/{claim_id}{path}",
            json=body,
            headers={**editor, "If-Match": tags[claim_id]},
        )
        assert response.status_code == 200, response.text
        tags[claim_id] = response.headers["ETag"]
    events = {c: client.get(f"/v1/claims/{c}/history").json()["events"] for c in (a.id, b.id)}
    return Desk(a.id, b.id, events)


def tamper(database: Database, *statements: str) -> None:
    """Run SQL as someone with the database file or a login would: foreign keys off."""
    if database.backend == "sqlite":
        path = database.url.removeprefix("sqlite:///")
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA foreign_keys=OFF")
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        return
    dsn = database.url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        conn.execute("SET session_replication_role = replica")  # foreign keys off
        for statement in statements:
            conn.execute(statement)


def evidence_ids(engine, claim_id: int) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id FROM evidence WHERE claim_id = :c ORDER BY id"), {"c": claim_id}
        )
        return [row.id for row in rows]


def assert_fails(verify, *words: str) -> None:
    assert verify.returncode == 4, (verify.stdout, verify.stderr)
    for word in words:
        assert word in verify.stderr, (word, verify.stderr)


# ---------------------------------------------------------------------------------------------
# What passes


def test_verify_passes_on_an_untouched_database(desk, run_claims):
    verify = run_claims("verify")

    assert verify.returncode == 0, verify.stderr
    assert "every history chain verifies" in verify.stdout
    assert "2 claim(s)" in verify.stdout
    assert "note:" not in verify.stdout


def test_verify_passes_on_the_seeded_database(run_claims):
    seeded = run_claims("seed")

    verify = run_claims("verify")

    assert seeded.returncode == 0, seeded.stderr
    assert verify.returncode == 0, verify.stderr
    assert "note:" not in verify.stdout


def test_created_event_records_every_field_as_created(client, make_claim):
    claim = make_claim(quote="We're going to have a deal", due_text="by year end")

    created = client.get(f"/v1/claims/{claim.id}/history").json()["events"][0]

    # The fields docs/history.md lists under "The created snapshot".
    fields = [
        "slug",
        "statement",
        "quote",
        "quote_kind",
        "claimant",
        "claimant_role",
        "source_id",
        "stated_on",
        "certainty",
        "condition",
        "condition_claim_id",
        "due_from",
        "due_by",
        "due_text",
        "resolution_criteria",
        "topics",
    ]
    assert created["changes"] == {name: [None, claim.body[name]] for name in fields}


def test_snapshot_holds_every_claim_column_the_events_do_not_set():
    set_by_events = {"id", "status", "version", "created_at", "updated_at", "status_changed_at"}
    # The deadline watcher's marks: bookkeeping of its due_soon / overdue events, not content.
    set_by_events |= {"due_soon_noted_on", "overdue_noted_on"}

    columns = set(Claim.__table__.columns.keys())

    assert set(history.SNAPSHOT_FIELDS) == columns - set_by_events


# ---------------------------------------------------------------------------------------------
# A claim row changed


@pytest.mark.parametrize(
    ("column", "value", "set_by"),
    [
        ("statement", "'Xi visits Paris'", ("edited", 0)),
        ("status", "'broken'", ("status_changed", 1)),
        ("due_by", "'2026-06-30'", ("created", 0)),
        ("topics", "'[\"tariffs\"]'", ("created", 0)),
    ],
)
def test_verify_fails_naming_a_claim_field_changed_in_its_row(
    desk, database, run_claims, column, value, set_by
):
    tamper(database, f"UPDATE claim SET {column} = {value} WHERE id = {desk.a}")

    verify = run_claims("verify")

    seq = desk.seq(desk.a, *set_by)
    assert_fails(verify, f"claim {desk.a} does not match", f"seq {seq}", f"{column} is")


def test_verify_fails_when_a_claims_version_is_changed_as_a_process(
    desk, database, claims_as_a_process
):
    tamper(database, f"UPDATE claim SET version = 9 WHERE id = {desk.b}")

    verify = claims_as_a_process("verify")

    assert_fails(verify, f"claim {desk.b}", "version is 9")


# ---------------------------------------------------------------------------------------------
# Events removed


def test_verify_fails_when_a_claims_last_event_is_removed(desk, database, run_claims):
    last = desk.events[desk.b][-1]["seq"]
    tamper(database, f"DELETE FROM event WHERE seq = {last}")

    verify = run_claims("verify")

    before = desk.events[desk.b][-2]["seq"]
    assert_fails(verify, f"claim {desk.b}", f"seq {before}", "version is 3", "2 event(s)")


def test_verify_fails_when_an_event_in_the_middle_is_removed(desk, database, run_claims):
    removed = desk.seq(desk.a, "edited")
    tamper(database, f"DELETE FROM event WHERE seq = {removed}")

    verify = run_claims("verify")

    after = desk.seq(desk.a, "status_changed")
    assert_fails(verify, f"history of claim {desk.a}", f"seq {after}", "event 2 is missing")


def _remove_bs_last_event_and_make_the_row_match(desk: Desk, database: Database) -> int:
    removed, kept = desk.events[desk.b][-1]["seq"], desk.events[desk.b][-2]["seq"]
    tamper(
        database,
        f"DELETE FROM event WHERE seq = {removed}",
        "UPDATE claim SET version = version - 1, due_text = NULL, "
        f"updated_at = (SELECT at FROM event WHERE seq = {kept}) WHERE id = {desk.b}",
    )
    return removed


def test_verify_finds_a_removed_event_by_its_seq_even_when_the_row_was_made_to_match(
    desk, database, run_claims
):
    if database.backend != "sqlite":
        pytest.skip("PostgreSQL's seqs have gaps (rolled-back writes): the next test's case")
    removed = _remove_bs_last_event_and_make_the_row_match(desk, database)

    verify = run_claims("verify")

    assert_fails(verify, f"the history is broken at event seq {removed}", "removed")


def test_verify_finds_a_removed_event_a_saved_checkpoint_covers_when_the_row_was_made_to_match(
    desk, database, client, run_claims, tmp_path
):
    saved = tmp_path / "checkpoint.json"
    saved.write_text(client.get("/v1/log/checkpoint").text, encoding="utf-8")
    _remove_bs_last_event_and_make_the_row_match(desk, database)

    verify = run_claims("verify", "--checkpoint", str(saved))

    assert verify.returncode == 4, (verify.stdout, verify.stderr)


def test_verify_fails_naming_an_event_whose_claim_is_gone(desk, database, run_claims):
    tamper(database, f"DELETE FROM claim WHERE id = {desk.b}")

    verify = run_claims("verify")

    first = desk.events[desk.b][0]["seq"]
    assert_fails(verify, f"claim {desk.b}", f"seq {first}", "does not exist")


# ---------------------------------------------------------------------------------------------
# Evidence rows changed


def test_verify_fails_naming_an_evidence_url_changed_in_its_row(desk, database, engine, run_claims):
    row = evidence_ids(engine, desk.a)[-1]
    tamper(database, f"UPDATE evidence SET url = 'https://example.org/x' WHERE id = {row}")

    verify = run_claims("verify")

    seq = desk.seq(desk.a, "status_changed", 1)
    assert_fails(
        verify, f"claim {desk.a}", f"seq {seq}", f"evidence row {row}'s url", FORGED["url"]
    )


def test_verify_fails_when_an_evidence_row_is_removed(desk, database, engine, run_claims):
    row = evidence_ids(engine, desk.a)[0]
    tamper(database, f"DELETE FROM evidence WHERE id = {row}")

    verify = run_claims("verify")

    seq = desk.seq(desk.a, "evidence_added")
    assert_fails(verify, f"claim {desk.a}", f"seq {seq}", "has no evidence row")


def test_verify_fails_when_an_evidence_row_is_added(desk, database, run_claims):
    created = desk.seq(desk.a, "created")
    tamper(
        database,
        "INSERT INTO evidence (claim_id, event_seq, url, title, stance) VALUES "
        f"({desk.a}, {created}, 'https://example.org/planted', 'Planted', 'supports')",
    )

    verify = run_claims("verify")

    assert_fails(verify, f"claim {desk.a}", f"seq {created}", "is not in the evidence")


def test_verify_fails_when_an_evidence_row_moves_to_another_event(
    desk, database, engine, run_claims
):
    row = evidence_ids(engine, desk.a)[0]
    tamper(
        database, f"UPDATE evidence SET event_seq = {desk.seq(desk.a, 'created')} WHERE id = {row}"
    )

    verify = run_claims("verify")

    assert_fails(verify, f"claim {desk.a}", "evidence")


# ---------------------------------------------------------------------------------------------
# Histories written before the created event snapshotted the claim


def recompute(prev: str | None, event: dict[str, Any]) -> str:
    """SPEC section 2, written out rather than imported."""
    body = {k: v for k, v in event.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(((prev or "") + canonical).encode("utf-8")).hexdigest()


def as_before_snapshots(database: Database, events: list[dict[str, Any]]) -> None:
    """Make a claim's history what an older tracker wrote: a created event with no changes,
    every hash chained as the spec says."""
    rewrite_created(database, events, lambda changes: {})


def rewrite_created(
    database: Database, events: list[dict[str, Any]], created: Callable[[dict], dict]
) -> None:
    """Give a claim's created event ``created(changes)`` and chain every hash again."""
    statements, prev = [], None
    for event in events:
        event = {**event, "prev_hash": prev}
        if event["kind"] == "created":
            event["changes"] = created(event["changes"])
        digest = recompute(prev, event)
        link = "NULL" if prev is None else f"'{prev}'"
        changes = json.dumps(event["changes"]).replace("'", "''")
        statements.append(
            f"UPDATE event SET changes = '{changes}', prev_hash = {link}, hash = '{digest}' "
            f"WHERE seq = {event['seq']}"
        )
        prev = digest
    tamper(database, *statements)


def test_verify_passes_a_history_from_before_snapshots_and_says_what_it_cannot_check(
    desk, database, run_claims
):
    for claim_id in (desk.a, desk.b):
        as_before_snapshots(database, desk.events[claim_id])

    verify = run_claims("verify")

    assert verify.returncode == 0, verify.stderr
    assert "note: 2 claim(s) were created before" in verify.stdout


@pytest.mark.parametrize(
    ("column", "value"),
    [("statement", "'Xi visits Paris'"), ("status", "'broken'"), ("version", "7")],
)
def test_verify_still_checks_status_version_and_edited_fields_of_a_history_from_before_snapshots(
    desk, database, run_claims, column, value
):
    as_before_snapshots(database, desk.events[desk.a])
    tamper(database, f"UPDATE claim SET {column} = {value} WHERE id = {desk.a}")

    verify = run_claims("verify")

    assert_fails(verify, f"claim {desk.a} does not match", f"{column} is")


def test_an_export_of_a_history_from_before_snapshots_imports_and_verifies(
    desk, database, run_claims, templates, tmp_path
):
    for claim_id in (desk.a, desk.b):
        as_before_snapshots(database, desk.events[claim_id])
    exported = tmp_path / "export.jsonl"
    (tmp_path / "target").mkdir()
    maker = _fresh_database("sqlite", templates, tmp_path / "target")
    target = next(maker)

    try:
        export = run_claims("export", "--out", str(exported))
        imported = claims_command(target.url, "import", str(exported))
        verify = claims_command(target.url, "verify")
    finally:
        maker.close()

    assert export.returncode == 0, export.stderr
    assert imported.returncode == 0, imported.stderr
    assert verify.returncode == 0, verify.stderr
    assert "note: 2 claim(s) were created before" in verify.stdout


# ---------------------------------------------------------------------------------------------
# Histories written before quote_kind (migration 0011): read as the migration set them


@pytest.fixture
def quoted_before_quote_kind(client, make_claim, database) -> int:
    """A claim with a quote whose created event was written before ``quote_kind`` existed."""
    claim = make_claim(quote="I think we're going to have a deal with China")
    events = client.get(f"/v1/claims/{claim.id}/history").json()["events"]
    rewrite_created(
        database, events, lambda changes: {k: v for k, v in changes.items() if k != "quote_kind"}
    )
    return claim.id


def test_verify_reads_a_quote_from_before_quote_kind_as_direct(
    quoted_before_quote_kind, run_claims
):
    verify = run_claims("verify")

    assert verify.returncode == 0, verify.stderr
    assert "note:" not in verify.stdout


def test_verify_checks_quote_kind_of_a_history_from_before_quote_kind(
    quoted_before_quote_kind, database, run_claims
):
    claim_id = quoted_before_quote_kind
    tamper(database, f"UPDATE claim SET quote_kind = 'reported' WHERE id = {claim_id}")

    verify = run_claims("verify")

    assert_fails(verify, f"claim {claim_id} does not match", "quote_kind is")
