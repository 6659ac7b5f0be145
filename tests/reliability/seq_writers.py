"""Writers for ``test_seq_order``, in a module of their own so that a spawned writer process
imports only the storage and the services (not the test app), and starts in a second."""

from __future__ import annotations

import random
from datetime import date, timedelta
from multiprocessing.synchronize import Barrier

import sqlalchemy as sa
from sqlmodel import Session

from claims import creates, storage
from claims.config import Settings
from claims.models import ClaimCreate
from claims.status import Role
from claims.tokens import Actor

ACTOR = Actor(name="seq-writer", role=Role.EDITOR)


def claim(label: str, due_in: int = 0) -> ClaimCreate:
    """A claim; claims due on different days count in different rows of the tally, whose row
    locks would otherwise queue the writers (and no seq could commit out of order)."""
    due = date(2030, 1, 1) + timedelta(days=due_in)
    return ClaimCreate(statement=f"{label} happens by then", claimant="Scott Bessent", due_by=due)


def write_claims(url: str, writer: int, count: int, start: Barrier) -> None:
    """One writer process: ``count`` claims, each committed a random 0-15 ms after its seq, and
    every tenth held 150 ms so that the others commit above it.

    The writers start together at ``start``: a spawned process takes a second or more to import
    on a loaded machine, and one that started late would write after the others had finished
    (and no seq would commit out of order)."""
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    pause = random.Random(writer)
    with Session(engine) as session:
        session.execute(sa.text("SELECT 1"))
        session.rollback()
        start.wait(60)
        for i in range(count):
            with storage.transaction(session):
                made = claim(f"Writer {writer} claim {i}", due_in=writer * count + i)
                creates.create_claim_in(session, made, actor=ACTOR)
                held = 0.15 if i % 10 == writer else pause.uniform(0, 0.015)
                session.execute(sa.text("SELECT pg_sleep(:s)"), {"s": held})
    engine.dispose()
