"""Deadline events, with the clock set by the test: once per claim per crossing, re-armed by a
moved deadline, a version each, kept in the verified history. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from claims import creates, services, status_changes, storage, verify
from claims.deadlines import next_pass_in, note_deadlines
from claims.errors import VersionConflict
from claims.models import Actor, ClaimCreate, ClaimUpdate, EvidenceIn, StatusChange
from claims.status import Role, Status

REVIEWER = Actor(name="rita", role=Role.REVIEWER)
EDITOR = Actor(name="ed", role=Role.EDITOR)
EVIDENCE = [EvidenceIn(url="https://example.org/port", title="Port notice", stance="supports")]
DUE = date(2026, 3, 10)
DAYS = 14


def _claim(engine, due_by: date | None = DUE, statement: str = "The port reopens in March"):
    data = ClaimCreate(
        statement=statement, claimant="Port Authority", stated_on=date(2026, 1, 5), due_by=due_by
    )
    with Session(engine) as session:
        return creates.create_claim(session, data, actor=REVIEWER).claim


def _note(engine, day: date) -> list[str]:
    seqs = note_deadlines(engine, today=day, due_soon_days=DAYS)
    with Session(engine) as session:
        kinds = {e.seq: e.kind for e in storage.changes_since(session, 0, 1000)}
    return [kinds[seq] for seq in seqs]


def _events(engine, claim_id: int) -> list[str]:
    with Session(engine) as session:
        return [e.kind for e in storage.list_events(session, claim_id)]


def _move(engine, claim_id: int, due_by: date, *, today: date) -> None:
    with Session(engine) as session:
        services.edit_claim(
            session,
            claim_id,
            ClaimUpdate(due_by=due_by),
            expected_version=_row(engine, claim_id).version,
            actor=REVIEWER,
            today=today,
            due_soon_days=DAYS,
        )


def _row(engine, claim_id: int):
    with Session(engine) as session:
        return storage.find_claim(session, claim_id)


def test_a_claim_entering_its_due_soon_window_is_noted_once(engine):
    claim = _claim(engine)

    assert _note(engine, DUE - timedelta(days=DAYS + 1)) == []
    assert _note(engine, DUE - timedelta(days=DAYS)) == ["due_soon"]
    assert _note(engine, DUE - timedelta(days=DAYS)) == []
    assert _note(engine, DUE - timedelta(days=3)) == []
    assert _events(engine, claim.id) == ["created", "due_soon"]


def test_a_claim_whose_deadline_passes_is_noted_overdue_once(engine):
    claim = _claim(engine)
    _note(engine, DUE - timedelta(days=2))

    assert _note(engine, DUE) == []  # the deadline day itself is not past yet
    assert _note(engine, DUE + timedelta(days=1)) == ["overdue"]
    assert _note(engine, DUE + timedelta(days=1)) == []
    assert _note(engine, DUE + timedelta(days=30)) == []
    assert _events(engine, claim.id) == ["created", "due_soon", "overdue"]


def test_a_claim_first_seen_past_its_deadline_gets_overdue_and_no_due_soon(engine):
    claim = _claim(engine)

    assert _note(engine, DUE + timedelta(days=5)) == ["overdue"]
    assert _note(engine, DUE + timedelta(days=6)) == []
    assert _events(engine, claim.id) == ["created", "overdue"]


def test_claims_without_a_deadline_or_with_a_verdict_get_no_deadline_event(engine):
    _claim(engine, due_by=None, statement="The port reopens some day")
    done = _claim(engine, statement="The port reopens in March, again")
    with Session(engine) as session:
        status_changes.change_status(
            session,
            done.id,
            StatusChange(status=Status.FULFILLED, note="Reopened 1 March.", evidence=EVIDENCE),
            expected_version=done.version,
            actor=EDITOR,
        )

    assert _note(engine, DUE + timedelta(days=1)) == []


def test_moving_the_deadline_re_arms_both_events(engine):
    claim = _claim(engine)
    _note(engine, DUE + timedelta(days=1))
    later = DUE + timedelta(days=20)
    _move(engine, claim.id, later, today=DUE + timedelta(days=1))

    assert _note(engine, DUE + timedelta(days=10)) == ["due_soon"]
    assert _note(engine, later + timedelta(days=1)) == ["overdue"]
    assert _events(engine, claim.id) == ["created", "overdue", "edited", "due_soon", "overdue"]


def test_moving_an_overdue_deadline_to_another_past_day_is_no_new_crossing(engine):
    claim = _claim(engine)
    after = DUE + timedelta(days=5)
    _note(engine, after)

    _move(engine, claim.id, DUE + timedelta(days=2), today=after)

    assert _note(engine, after) == []
    assert _events(engine, claim.id) == ["created", "overdue", "edited"]


def test_moving_a_deadline_within_the_due_soon_window_is_no_new_crossing(engine):
    claim = _claim(engine)
    soon = DUE - timedelta(days=5)
    _note(engine, soon)

    _move(engine, claim.id, DUE + timedelta(days=2), today=soon)

    assert _note(engine, soon) == []
    assert _events(engine, claim.id) == ["created", "due_soon", "edited"]


def test_a_closed_claims_moved_deadline_owes_its_own_event_once_reopened(engine):
    claim = _claim(engine)
    _note(engine, DUE + timedelta(days=1))
    with Session(engine) as session:
        status_changes.change_status(
            session,
            claim.id,
            StatusChange(status=Status.BROKEN, note="Still closed.", evidence=EVIDENCE),
            expected_version=_row(engine, claim.id).version,
            actor=EDITOR,
        )
        services.edit_claim(
            session,
            claim.id,
            ClaimUpdate(due_by=DUE + timedelta(days=3), reason="The notice gave a later day."),
            expected_version=_row(engine, claim.id).version,
            actor=EDITOR,
            today=DUE + timedelta(days=4),
            due_soon_days=DAYS,
        )
        status_changes.change_status(
            session,
            claim.id,
            StatusChange(status=Status.PENDING, note="Reopened: the notice was withdrawn."),
            expected_version=_row(engine, claim.id).version,
            actor=EDITOR,
        )

    assert _note(engine, DUE + timedelta(days=5)) == ["overdue"]


def test_a_deadline_event_takes_a_version_but_leaves_updated_at(engine):
    claim = _claim(engine)

    _note(engine, DUE + timedelta(days=1))

    row = _row(engine, claim.id)
    assert row.version == claim.version + 1
    assert row.updated_at == claim.updated_at
    assert row.overdue_noted_on == DUE + timedelta(days=1)


def test_a_deadline_event_is_written_by_the_watcher_with_its_reason(engine):
    claim = _claim(engine)
    _note(engine, DUE + timedelta(days=1))

    with Session(engine) as session:
        event = storage.list_events(session, claim.id)[-1]
    assert (event.actor_name, event.actor_role) == ("deadline-watcher", "viewer")
    assert event.occurred_on == DUE + timedelta(days=1)
    assert str(DUE) in event.note
    assert event.status == "pending"


def test_claims_verify_accepts_a_history_with_deadline_events(engine):
    claim = _claim(engine)
    _note(engine, DUE - timedelta(days=1))
    _note(engine, DUE + timedelta(days=1))
    with Session(engine) as session:
        status_changes.change_status(
            session,
            claim.id,
            StatusChange(status=Status.BROKEN, note="Still closed in April.", evidence=EVIDENCE),
            expected_version=_row(engine, claim.id).version,
            actor=EDITOR,
        )

    assert verify.verify_database(engine).bad is None


def test_a_write_after_a_deadline_event_needs_the_new_version(engine):
    claim = _claim(engine)
    _note(engine, DUE + timedelta(days=1))

    with Session(engine) as session, pytest.raises(VersionConflict):
        services.edit_claim(
            session,
            claim.id,
            ClaimUpdate(claimant_role="Harbour board"),
            expected_version=claim.version,
            actor=REVIEWER,
            today=DUE + timedelta(days=1),
            due_soon_days=DAYS,
        )


def test_the_next_pass_comes_just_after_midnight_in_the_configured_zone():
    paris = ZoneInfo("Europe/Paris")

    # 23:59 in Paris (UTC+1 in December): midnight is a minute away, sooner than the interval.
    assert next_pass_in(datetime(2026, 12, 5, 22, 59, tzinfo=UTC), paris, 300.0) == 60.5
    # The night the clocks go forward (29 March 2026, 02:00 → 03:00): still an hour to midnight.
    assert next_pass_in(datetime(2026, 3, 28, 22, 0, tzinfo=UTC), paris, 7200.0) == 3600.5
    # Far from midnight: the interval.
    assert next_pass_in(datetime(2026, 12, 5, 9, 0, tzinfo=UTC), paris, 60.0) == 60.0
