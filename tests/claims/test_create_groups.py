"""Creates in groups (``claims.creates.create_claims``): several requests in one unit of work,
each checked and, with an Idempotency-Key, run once per key, as if each went alone. On
PostgreSQL a group of several runs the multi-row statements; on SQLite the same use case runs
them one by one."""

from __future__ import annotations

import threading
from contextlib import ExitStack

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from claims import creates, storage, verify
from claims.config import Settings
from claims.creates import CreateRequest
from claims.errors import DuplicateSlug, Forbidden, InvalidInput, RequestInProgress
from claims.models import Actor, ClaimCreate
from claims.services import Written
from claims.status import Role

EDITOR = Actor(name="ed", role=Role.EDITOR)
VIEWER = Actor(name="vi", role=Role.VIEWER)


def _new(statement: str, key: str | None = None, actor: Actor = EDITOR, **extra) -> CreateRequest:
    data = ClaimCreate(statement=statement, claimant="Port authority", **extra)
    return CreateRequest(data, actor, key)


def _count(session, table: sa.Table) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _tally_matches_the_claims(session) -> bool:
    counted = session.execute(
        sa.text("SELECT sum(count) FROM claim_tally WHERE status = 'pending'")
    ).scalar_one()
    return int(counted or 0) == _count(session, storage.claim_t)


def test_each_request_of_a_group_gets_its_own_claim_event_and_seq(engine, session):
    outcomes = creates.create_claims(
        session,
        [
            _new("The port reopens by March", "k1", due_by="2027-03-31", topics=["ports"]),
            _new("The ferry resumes in April"),
            _new("The pier is rebuilt this year", "k2", topics=["ports", "works"]),
        ],
    )

    assert [type(o) for o in outcomes] == [Written] * 3
    assert len({o.claim.id for o in outcomes}) == 3
    assert len({o.seq for o in outcomes}) == 3
    assert [o.claim.status for o in outcomes] == ["pending"] * 3
    assert str(outcomes[0].claim.due_by) == "2027-03-31"
    assert outcomes[2].claim.topics == ["ports", "works"]
    assert _count(session, storage.topic_t) == 3
    assert verify.verify_database(engine).bad is None
    assert _tally_matches_the_claims(session)


def test_a_refused_request_writes_nothing_and_the_others_go_on(engine, session):
    creates.create_claim(
        session, ClaimCreate(slug="taken", statement="A", claimant="B"), actor=EDITOR
    )

    outcomes = creates.create_claims(
        session,
        [
            _new("The port reopens by March", actor=VIEWER),
            _new("The ferry resumes in April", due_from="2027-05-01", due_by="2027-04-01"),
            _new("The pier is rebuilt this year", "k1", slug="taken"),
            _new("The quay opens in June", "k2"),
        ],
    )

    assert [type(o) for o in outcomes] == [Forbidden, InvalidInput, DuplicateSlug, Written]
    assert _count(session, storage.claim_t) == 2
    assert _count(session, storage.key_t) == 1  # k2's: k1 went with its refused request
    assert verify.verify_database(engine).bad is None
    assert _tally_matches_the_claims(session)


def test_a_key_whose_request_was_refused_can_be_used_again(session):
    creates.create_claim(
        session, ClaimCreate(slug="taken", statement="A", claimant="B"), actor=EDITOR
    )
    [refused] = creates.create_claims(session, [_new("The pier is rebuilt", "k1", slug="taken")])

    [written] = creates.create_claims(session, [_new("The pier is rebuilt", "k1", slug="pier")])

    assert isinstance(refused, DuplicateSlug)
    assert isinstance(written, Written)
    assert not written.replayed


def test_two_requests_for_one_slug_in_a_group_the_first_gets_it(session):
    chosen, refused, renamed_first, renamed_second = creates.create_claims(
        session,
        [
            _new("The port reopens by March", slug="port"),
            _new("The ferry resumes in April", slug="port"),
            _new("The quay opens in June"),
            _new("The quay opens in June"),
        ],
    )

    assert chosen.claim.slug == "port"
    assert isinstance(refused, DuplicateSlug)
    assert renamed_first.claim.slug == "the-quay-opens-in-june"
    assert renamed_second.claim.slug == "the-quay-opens-in-june-2"


def test_a_key_seen_before_replays_its_claim_inside_a_group(session):
    [first] = creates.create_claims(session, [_new("The port reopens", "k1")])

    replayed, new = creates.create_claims(
        session, [_new("The port reopens", "k1"), _new("The ferry resumes", "k2")]
    )

    assert replayed.replayed
    assert replayed.claim.id == first.claim.id
    assert replayed.seq is None
    assert isinstance(new, Written)
    assert not new.replayed
    assert _count(session, storage.claim_t) == 2


def test_a_key_used_with_another_body_is_refused_inside_a_group(session):
    creates.create_claims(session, [_new("The port reopens", "k1")])

    reused, new = creates.create_claims(
        session, [_new("The ferry resumes", "k1"), _new("The quay opens", "k2")]
    )

    assert isinstance(reused, InvalidInput)
    assert reused.errors[0].field == "Idempotency-Key"
    assert isinstance(new, Written)


def test_a_group_with_one_key_twice_is_refused_whole_having_written_nothing(session):
    with pytest.raises(Exception, match="share an Idempotency-Key"):
        creates.create_claims(
            session, [_new("The port reopens", "k1"), _new("The port reopens", "k1")]
        )

    assert _count(session, storage.claim_t) == 0
    assert _count(session, storage.key_t) == 0


def test_a_key_that_vanishes_while_looked_at_is_looked_at_again(session, monkeypatch):
    [first] = creates.create_claims(session, [_new("The port reopens", "k1")])
    find_key = storage.find_key
    looks = []

    def vanishing_once(*args):
        # Stands for the key purged between its insert's conflict and its look-up.
        looks.append(args)
        return None if len(looks) == 1 else find_key(*args)

    monkeypatch.setattr(storage, "find_key", vanishing_once)
    [again] = creates.create_claims(session, [_new("The port reopens", "k1")])

    assert len(looks) == 2
    assert again.replayed
    assert again.claim.id == first.claim.id


def test_a_group_whose_key_keeps_vanishing_is_refused_whole_then_only_that_request(
    session, monkeypatch
):
    creates.create_claims(session, [_new("The port reopens", "k1")])
    monkeypatch.setattr(storage, "find_key", lambda *args: None)

    with pytest.raises(Exception, match="kept vanishing"):
        creates.create_claims(session, [_new("The port reopens", "k1"), _new("The quay opens")])
    [vanishing] = creates.create_claims(session, [_new("The port reopens", "k1")])
    [other] = creates.create_claims(session, [_new("The quay opens")])

    assert isinstance(vanishing, RequestInProgress)
    assert isinstance(other, Written)


def test_a_derived_slug_taken_by_another_process_meanwhile_becomes_the_next_free_one(
    pg_database,
):
    # Two engines stand for two server processes: each looks for the next free slug in its own
    # transaction, so both can find the same one free; the second to insert must go on.
    first_engine = storage.make_engine(Settings(database_url=pg_database.url))
    second_engine = storage.make_engine(Settings(database_url=pg_database.url))
    statement = "The port reopens by March"
    with Session(first_engine) as session:
        base = creates.create_claim(
            session, ClaimCreate(statement=statement, claimant="P"), actor=EDITOR
        ).claim.slug
    outcome: list[object] = []

    def create_in_the_other_process() -> None:
        with Session(second_engine) as session:
            try:
                outcome.append(creates.create_claim(session, _new(statement).data, actor=EDITOR))
            except DuplicateSlug as exc:
                outcome.append(exc)

    with Session(first_engine) as session, ExitStack() as open_unit:
        open_unit.enter_context(storage.transaction(session))
        creates.create_claim_in(
            session, ClaimCreate(statement=statement, claimant="P", slug=f"{base}-2"), actor=EDITOR
        )
        other = threading.Thread(target=create_in_the_other_process)
        other.start()
        other.join(timeout=1)  # it waits on the uncommitted base-2
        assert other.is_alive()
    other.join(timeout=10)

    assert isinstance(outcome[0], Written), outcome
    assert outcome[0].claim.slug == f"{base}-3"
    first_engine.dispose()
    second_engine.dispose()
