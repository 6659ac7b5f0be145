"""Status changes in groups (``claims.status_changes.change_statuses``): several requests in
one unit of work, each checked and compare-and-set on its own, as if each went alone. On
PostgreSQL a group of several runs the multi-row statements; on SQLite the same use case runs
them one by one."""

from __future__ import annotations

import sqlalchemy as sa

from claims import creates, status_changes, storage, verify
from claims.errors import Forbidden, NotFound, SameStatus, VersionConflict
from claims.models import Actor, ClaimCreate, EvidenceIn, StatusChange
from claims.services import Written
from claims.status import Role
from claims.status_changes import StatusRequest

EDITOR = Actor(name="ed", role=Role.EDITOR)
VIEWER = Actor(name="vi", role=Role.VIEWER)


def _claims(session, count: int) -> list[int]:
    ids = []
    for i in range(count):
        written = creates.create_claim(
            session,
            ClaimCreate(
                statement=f"Bridge number {i} reopens by March",
                claimant="Transport ministry",
                due_by="2027-03-31",
            ),
            actor=EDITOR,
        )
        ids.append(written.claim.id)
    return ids


def _move(ref, status: str, version: int = 1, actor: Actor = EDITOR, **extra) -> StatusRequest:
    return StatusRequest(ref, StatusChange(status=status, note="seen", **extra), version, actor)


def _tally_matches_the_claims(session) -> bool:
    counted = dict(
        session.execute(
            sa.text(
                "SELECT status, sum(count) FROM claim_tally GROUP BY status HAVING sum(count) <> 0"
            )
        ).all()
    )
    actual = dict(
        session.execute(sa.text("SELECT status, count(*) FROM claim GROUP BY status")).all()
    )
    return {k: int(v) for k, v in counted.items()} == {k: int(v) for k, v in actual.items()}


def test_each_request_of_a_group_gets_its_own_answer(engine, session):
    a, b, c, d = _claims(session, 4)

    outcomes = status_changes.change_statuses(
        session,
        [
            _move(a, "in_progress"),
            _move(b, "in_progress", version=7),
            _move(c, "pending"),
            _move(d, "in_progress", actor=VIEWER),
            _move("no-such-claim", "in_progress"),
            _move(2**40, "in_progress"),
            _move(d, "stalled"),
        ],
    )

    assert [type(o) for o in outcomes] == [
        Written,
        VersionConflict,
        SameStatus,
        Forbidden,
        NotFound,
        NotFound,
        Written,
    ]
    assert outcomes[0].claim.status == "in_progress"
    assert outcomes[0].claim.version == 2
    assert outcomes[1].current.version == 1
    assert outcomes[6].claim.status == "stalled"
    assert storage.find_claim(session, b).version == 1
    assert storage.find_claim(session, c).version == 1
    assert verify.verify_database(engine).bad is None
    assert _tally_matches_the_claims(session)


def test_two_requests_for_one_claim_in_a_group_the_first_wins(engine, session):
    [claim_id] = _claims(session, 1)
    slug = storage.find_claim(session, claim_id).slug

    first, second = status_changes.change_statuses(
        session, [_move(claim_id, "in_progress"), _move(slug, "stalled")]
    )

    assert isinstance(first, Written)
    assert isinstance(second, VersionConflict)
    assert second.current.version == 2
    assert storage.find_claim(session, claim_id).status == "in_progress"
    assert verify.verify_database(engine).bad is None


def test_a_later_request_for_a_claim_whose_first_was_refused_is_written(session):
    [claim_id] = _claims(session, 1)

    refused, written = status_changes.change_statuses(
        session, [_move(claim_id, "pending"), _move(claim_id, "in_progress")]
    )

    assert isinstance(refused, SameStatus)
    assert isinstance(written, Written)
    assert written.claim.version == 2


def test_a_group_gives_each_event_its_own_seq_and_its_own_evidence(engine, session):
    ids = _claims(session, 3)
    for claim_id in ids:
        status_changes.change_status(
            session,
            claim_id,
            StatusChange(status="in_progress", note="started"),
            expected_version=1,
            actor=EDITOR,
        )
    evidence = [
        EvidenceIn(url=f"https://example.org/report/{i}", title=f"Report {i}", stance="supports")
        for i in range(3)
    ]

    outcomes = status_changes.change_statuses(
        session,
        [
            _move(claim_id, "fulfilled", version=2, evidence=[evidence[i]])
            for i, claim_id in enumerate(ids)
        ],
    )

    seqs = [o.seq for o in outcomes]
    assert len(set(seqs)) == 3
    cited = session.execute(
        sa.text("SELECT claim_id, event_seq, url FROM evidence ORDER BY claim_id")
    ).all()
    assert [(r.claim_id, r.event_seq, r.url) for r in cited] == [
        (claim_id, seq, f"https://example.org/report/{i}")
        for i, (claim_id, seq) in enumerate(zip(ids, seqs, strict=True))
    ]
    assert verify.verify_database(engine).bad is None
    assert _tally_matches_the_claims(session)


def test_a_group_where_every_request_is_refused_writes_nothing(engine, session):
    a, b = _claims(session, 2)
    before = storage.latest_seq(session)

    outcomes = status_changes.change_statuses(
        session, [_move(a, "in_progress", version=3), _move(b, "pending")]
    )

    assert [type(o) for o in outcomes] == [VersionConflict, SameStatus]
    assert storage.latest_seq(session) == before
