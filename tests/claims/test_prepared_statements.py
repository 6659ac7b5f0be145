"""Statements run on the driver's cursor (``storage/prepared.py``) read and write what
SQLAlchemy would: the same rows back, the same values stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from claims import creates, services, status_changes, storage, verify
from claims.models import Actor, ClaimCreate, EvidenceIn, StatusChange
from claims.status import Role

EDITOR = Actor(name="ed", role=Role.EDITOR)


def _claim(session) -> int:
    written = creates.create_claim(
        session,
        ClaimCreate(
            statement="The bridge reopens by March",
            claimant="Transport ministry",
            quote='"We will reopen it by March," the minister said.',
            due_by="2027-03-31",
            topics=["infrastructure", "transport"],
        ),
        actor=EDITOR,
    )
    status_changes.change_status(
        session,
        written.claim.id,
        StatusChange(status="in_progress", note="works started"),
        expected_version=1,
        actor=EDITOR,
    )
    return written.claim.id


def test_reader_finds_the_row_sqlalchemy_finds(engine, session):
    claim_id = _claim(session)
    slug = storage.find_claim(session, claim_id).slug
    reader = storage.LoopReader(engine)
    try:
        for ref in (claim_id, slug):
            expected = storage.find_claim(session, ref)
            found = reader.run(storage.find_claim, ref)

            assert found._asdict() == expected._asdict()
            assert found._fields == expected._fields
    finally:
        reader.close()


def test_reader_finds_no_row_for_a_missing_claim(engine):
    reader = storage.LoopReader(engine)
    try:
        assert reader.run(storage.find_claim, 424242) is None
        assert reader.run(storage.find_claim, "no-such-claim") is None
    finally:
        reader.close()


def test_reader_raises_a_driver_error_as_sqlalchemys(engine):
    reader = storage.LoopReader(engine)
    try:
        reader.run(storage.find_claim, 1)  # connects
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE claim RENAME TO claim_gone")
        try:
            with pytest.raises(sa.exc.DBAPIError):
                reader.run(storage.find_claim, 1)
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE claim_gone RENAME TO claim")
    finally:
        reader.close()


def test_a_write_returns_the_row_sqlalchemy_reads_back(engine, session):
    claim_id = _claim(session)

    written = status_changes.change_status(
        session,
        claim_id,
        StatusChange(status="stalled", note="funding frozen"),
        expected_version=2,
        actor=EDITOR,
    )

    with engine.connect() as conn:
        stored = conn.execute(sa.select(storage.claim_t).where(storage.claim_t.c.id == claim_id))
        assert written.claim._asdict() == stored.one()._asdict()


def test_events_written_on_the_driver_verify_and_read_back(engine, session):
    claim_id = _claim(session)
    evidence = EvidenceIn(url="https://example.org/works", title="Works halted", stance="refutes")
    services.add_evidence(session, claim_id, evidence, expected_version=2, actor=EDITOR)

    events = storage.list_events(session, claim_id)

    assert [e.kind for e in events] == ["created", "status_changed", "evidence_added"]
    assert events[-1].evidence[0]["title"] == "Works halted"
    assert verify.verify_database(engine).bad is None
