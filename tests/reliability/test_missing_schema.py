"""A database whose tables are gone (downgraded under a running server, or never migrated):
every request is a 503 saying what an operator must do, never a 500; the background loops log
the failure once, not once a pass."""

from __future__ import annotations

import logging

from claims import migrate
from claims.pass_failures import PassFailures


def test_requests_to_a_database_without_its_tables_are_503_naming_db_upgrade(
    client, make_claim, engine
):
    claim = make_claim()
    migrate.downgrade(engine, "base")

    reads = [client.get(f"/v1/claims/{claim.id}/history"), client.get("/v1/sources")]

    for response in reads:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "claims db upgrade" in response.json()["detail"]
        assert "Retry-After" in response.headers


def test_a_background_loop_logs_a_repeated_failure_once_and_its_recovery(caplog):
    failures = PassFailures(logging.getLogger("claims.test"), "test loop")

    with caplog.at_level(logging.WARNING, logger="claims.test"):
        for _ in range(5):
            failures.failed(RuntimeError("relation \"claim\" does not exist"))
        failures.succeeded()
        failures.succeeded()

    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["test loop pass failed", "test loop recovered"]
    assert caplog.records[0].exc_info is not None
