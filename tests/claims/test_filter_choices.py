"""The board's filter choices come from every claim, not from the first page."""

from __future__ import annotations

from sqlmodel import Session

from claims import creates, listing, storage
from claims.models import Actor, ClaimCreate
from claims.status import Role

REVIEWER = Actor(name="rita", role=Role.REVIEWER)


def test_filter_choices_cover_every_claim_in_order(engine):
    with Session(engine) as session, storage.transaction(session):
        for n in range(260):
            creates.create_claim_in(
                session,
                ClaimCreate(
                    statement=f"Claim number {n} happens",
                    claimant=f"Speaker {n:03d}",
                    topics=[f"topic-{n % 7}", "shared"],
                ),
                actor=REVIEWER,
            )

    with engine.connect() as conn:
        choices = listing.filter_choices(conn)

    assert choices["claimants"] == [f"Speaker {n:03d}" for n in range(260)]
    assert choices["topics"] == ["shared", *(f"topic-{n}" for n in range(7))]


def test_filter_choices_of_an_empty_tracker_are_empty(engine):
    with engine.connect() as conn:
        assert listing.filter_choices(conn) == {"topics": [], "claimants": []}
