"""The export carries the history log's checkpoint; the import refuses events that do not hash
to it, even when every chain hash in the file was recomputed."""

from __future__ import annotations

import hashlib
import json

import orjson
from fastapi.testclient import TestClient

from api.app import create_app
from claims.config import Settings
from tests.claims.test_translog import mth
from tests.interop.conftest import EMPTY, table_counts

SORTED = orjson.OPT_SORT_KEYS


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def events_of(lines: list[bytes]) -> list[dict]:
    records = [orjson.loads(line) for line in lines[1:]]
    return sorted((r["data"] for r in records if r["type"] == "event"), key=lambda e: e["seq"])


def test_export_header_carries_the_checkpoint_of_its_events(sample_export):
    lines = sample_export.splitlines()
    header = orjson.loads(lines[0])

    checkpoint = header["checkpoint"]

    events = events_of(lines)
    assert checkpoint["size"] == header["counts"]["event"] == len(events)
    assert checkpoint["root_hash"] == mth([canonical(e) for e in events]).hex()


def test_import_refuses_a_rewritten_history_with_recomputed_hashes(cli, database, sample_export):
    lines = sample_export.splitlines()
    records = [orjson.loads(line) for line in lines]
    target = next(r["data"] for r in records if r.get("type") == "event" and r["data"]["note"])
    target["note"] = "a note nobody wrote"
    prev = None  # recompute the whole chain of that claim, as docs/history.md spells it out
    for record in records:
        data = record.get("data", {})
        if record.get("type") == "event" and data["claim_id"] == target["claim_id"]:
            data["prev_hash"] = prev
            body = {k: v for k, v in data.items() if k != "hash"}
            data["hash"] = hashlib.sha256((prev or "").encode() + canonical(body)).hexdigest()
            prev = data["hash"]
    spoiled = b"".join(orjson.dumps(r, option=SORTED) + b"\n" for r in records)

    result = cli("import", "-", stdin=spoiled)

    assert result.returncode == 1, result.stdout.decode()
    assert b"error: line 1: the history does not match the export's log checkpoint" in (
        result.stderr
    )
    assert table_counts(database.url) == EMPTY


def test_import_of_an_export_made_before_the_log_still_works(cli, database, sample_export):
    lines = sample_export.splitlines()
    header = orjson.loads(lines[0])
    del header["checkpoint"]
    older = b"\n".join([orjson.dumps(header, option=SORTED), *lines[1:]]) + b"\n"

    result = cli("import", "-", stdin=older)

    assert result.returncode == 0, result.stderr.decode()
    assert table_counts(database.url)["event"] == header["counts"]["event"]


def test_imported_tracker_publishes_the_exports_checkpoint(cli, database, sample_export):
    header = orjson.loads(sample_export.splitlines()[0])

    imported = cli("import", "-", stdin=sample_export)
    with TestClient(create_app(Settings(database_url=database.url))) as client:
        served = client.get("/v1/log/checkpoint").json()

    assert imported.returncode == 0, imported.stderr.decode()
    assert served == header["checkpoint"]
