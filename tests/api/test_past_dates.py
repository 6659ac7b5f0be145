"""Dates of what already happened cannot lie in the future, on every write that takes one.

A claim's ``stated_on``, a status change's ``occurred_on``, an article's or a piece of
evidence's ``published_on``: later than the newsroom's day (CLAIMS_TIMEZONE) by more than one
day is 422 naming the field, and nothing is written (SPEC section 7).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from claims import storage
from claims.clock import today
from tests.conftest import EVIDENCE, write_marks

FUTURE = "2099-01-01"


def in_days(n: int, zone: str) -> str:
    """The day ``n`` days after today in ``zone``."""
    return (today(ZoneInfo(zone)) + timedelta(days=n)).isoformat()


def _field_errors(response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [e["field"] for e in response.json()["errors"]]


def test_create_stated_in_the_future_is_422_naming_stated_on_and_writes_nothing(
    client, reviewer, engine
):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        json={"statement": "A bridge opens", "claimant": "x", "stated_on": FUTURE},
        headers=reviewer,
    )

    assert _field_errors(response) == ["stated_on"]
    assert "must not be in the future" in response.json()["errors"][0]["message"]
    assert write_marks(engine) == before


def test_edit_moving_stated_on_into_the_future_is_422_and_changes_nothing(
    client, make_claim, editor, engine
):
    claim = make_claim()
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"stated_on": FUTURE},
        headers={**editor, "If-Match": claim.etag},
    )

    assert _field_errors(response) == ["stated_on"]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json() == claim.body


def test_edit_of_other_fields_keeps_a_later_stated_on_stored_before_the_rule(
    client, make_claim, editor, engine
):
    claim = make_claim(due_by=None)
    with Session(engine) as session, storage.transaction(session):
        session.execute(
            sa.update(storage.claim_t)
            .where(storage.claim_t.c.id == claim.id)
            .values(stated_on=date(2099, 1, 1))
        )

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"claimant_role": "Treasury Secretary"},
        headers={**editor, "If-Match": claim.etag},
    )

    assert response.status_code == 200, response.text
    assert response.json()["stated_on"] == FUTURE


def test_status_change_occurred_in_the_future_is_422_naming_occurred_on_and_changes_nothing(
    client, make_claim, reviewer, engine
):
    claim = make_claim()
    before = write_marks(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": "talks began", "occurred_on": FUTURE},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert _field_errors(response) == ["occurred_on"]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json()["status"] == "pending"


def test_verdict_citing_evidence_published_in_the_future_is_422_naming_it_and_changes_nothing(
    client, make_claim, editor, engine
):
    claim = make_claim()
    before = write_marks(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={
            "status": "fulfilled",
            "note": "cargoes booked",
            "evidence": [EVIDENCE, {**EVIDENCE, "published_on": FUTURE}],
        },
        headers={**editor, "If-Match": claim.etag},
    )

    assert _field_errors(response) == ["evidence.1.published_on"]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json()["status"] == "pending"


def test_evidence_published_in_the_future_is_422_naming_published_on_and_changes_nothing(
    client, make_claim, reviewer, engine
):
    claim = make_claim()
    before = write_marks(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/evidence",
        json={**EVIDENCE, "published_on": FUTURE},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert _field_errors(response) == ["published_on"]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json() == claim.body


def test_source_published_in_the_future_is_422_naming_published_on_and_writes_nothing(
    client, reviewer
):
    response = client.post(
        "/v1/sources",
        json={"title": "Tomorrow's paper", "published_on": FUTURE},
        headers={**reviewer, "Idempotency-Key": "source-from-the-future"},
    )

    assert _field_errors(response) == ["published_on"]
    assert client.get("/v1/sources").json()["items"] == []


# UTC+14 and UTC-11: at any hour, one of them is on another day than UTC, so a rule that took
# UTC's day would let one of these through or refuse the other.
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_newsrooms_tomorrow_is_accepted_and_the_day_after_is_not(make_app, reviewer, zone):
    with TestClient(make_app(timezone=zone), raise_server_exceptions=False) as client:
        tomorrow = client.post(
            "/v1/claims",
            json={"statement": "A bridge opens", "claimant": "x", "stated_on": in_days(1, zone)},
            headers=reviewer,
        )
        later = client.post(
            "/v1/claims",
            json={"statement": "A tunnel opens", "claimant": "x", "stated_on": in_days(2, zone)},
            headers=reviewer,
        )

    assert tomorrow.status_code == 201, tomorrow.text
    assert _field_errors(later) == ["stated_on"]
