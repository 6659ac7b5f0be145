"""The loop reader's claim look-up on the driver's cursor gives the rows SQLAlchemy gives."""

from __future__ import annotations

import sqlalchemy as sa

from claims import services, storage
from claims.models import Actor, ClaimCreate, StatusChange
from claims.status import Role

EDITOR = Actor(name="ed", role=Role.EDITOR)


def _claim(session) -> int:
    written = services.create_claim(
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
    services.change_status(
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
            assert found.due_by == expected.due_by and found.updated_at == expected.updated_at
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
            raised = None
            try:
                reader.run(storage.find_claim, 1)
            except sa.exc.DBAPIError as exc:
                raised = exc
            assert raised is not None
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE claim_gone RENAME TO claim")
    finally:
        reader.close()
