"""Shared by the hostile-input tests: the shape every refusal must have, and what it must not
change (see test_hostile_input.py's docstring)."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from claims import storage
from tests.conftest import EVIDENCE

PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
NEW = {"statement": "The US and China sign a trade deal", "claimant": "Donald Trump"}
# SQLite only, for cases no backend can change (see test_hostile_input.py's docstring).
same_on_every_backend = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

BIG_IDS = [2**31, 2**63 - 1]  # valid ids no row has (PostgreSQL INTEGER ends at 2**31 - 1)
HUGE_IDS = [2**63, 2**80]  # not ids at all


def snapshot(engine: Engine) -> dict[str, int]:
    """Everything a refused request must leave as it was: the seq and every table's size."""
    tables = {
        "claim": storage.claim_t,
        "event": storage.event_t,
        "evidence": storage.evidence_t,
        "source": storage.source_t,
        "claim_topic": storage.topic_t,
    }
    with engine.connect() as conn:
        counts = {
            name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for name, t in tables.items()
        }
        counts["seq"] = storage.latest_seq(conn)
        counts["versions"] = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(storage.claim_t.c.version), 0))
        ).scalar_one()
    return counts


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> None:
    """The response is the problem ``status``, naming ``field`` when given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body


WRITES = [
    ("PATCH", "/v1/claims/{id}", {"quote": "new words"}),
    ("POST", "/v1/claims/{id}/status", {"status": "stalled", "note": "no talks"}),
    ("POST", "/v1/claims/{id}/evidence", EVIDENCE),
]
"""The three writes to an existing claim, as (method, path template, body)."""
