"""How the pages word deadlines, dates and what each role is offered (pure functions)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from claims.status import OPEN, VERDICTS
from web import present

TODAY = date(2025, 11, 10)


@pytest.mark.parametrize(
    ("due_by", "status", "relative"),
    [
        ("2025-11-22", "pending", "in 12 days"),
        ("2025-11-11", "pending", "due tomorrow"),
        ("2025-11-10", "in_progress", "due today"),
        ("2025-11-09", "stalled", "1 day overdue"),
        ("2025-11-07", "pending", "3 days overdue"),
        ("2025-11-07", "broken", "ended 3 days ago"),
        ("2025-11-22", "fulfilled", "in 12 days"),
        (None, "pending", "no deadline"),
    ],
)
def test_deadline_reads_relative_to_today(due_by, status, relative):
    deadline = present.deadline({"due_by": due_by, "status": status}, TODAY)

    assert deadline.relative == relative


def test_deadline_shows_the_date_and_keeps_the_claims_marks():
    deadline = present.deadline(
        {"due_by": "2025-10-30", "status": "pending", "overdue": True, "due_soon": False}, TODAY
    )

    assert (deadline.date, deadline.iso, deadline.overdue) == ("30 Oct 2025", "2025-10-30", True)


@pytest.mark.parametrize(
    ("due_from", "due_by", "text"),
    [
        ("2026-01-01", "2026-02-16", "Between 1 Jan 2026 and 16 Feb 2026"),
        (None, "2025-10-30", "By 30 Oct 2025"),
        ("2026-01-01", None, "From 1 Jan 2026, no end date"),
        (None, None, "No deadline"),
    ],
)
def test_window_in_words(due_from, due_by, text):
    assert present.window({"due_from": due_from, "due_by": due_by}) == text


def test_moment_is_shown_in_the_configured_zone():
    text = present.moment("2025-10-26T23:30:00.000000Z", ZoneInfo("Asia/Seoul"))

    assert text == "27 Oct 2025, 08:30 KST"


def test_every_status_has_a_label_and_a_hint():
    for status in OPEN | VERDICTS:
        assert present.status_label(status)
        assert present.STATUS_HINTS[status]


@pytest.mark.parametrize(
    ("current", "role", "offered", "evidence"),
    [
        ("pending", "viewer", set(), False),
        ("pending", "reviewer", {"in_progress", "stalled"}, True),
        ("pending", "editor", (OPEN | VERDICTS) - {"pending"}, True),
        ("fulfilled", "reviewer", set(), True),
        ("fulfilled", "editor", (OPEN | VERDICTS) - {"fulfilled"}, True),
        ("broken", "admin", (OPEN | VERDICTS) - {"broken"}, True),
    ],
)
def test_offered_moves_follow_the_workflow_table(current, role, offered, evidence):
    offer = present.offered(current)[role]

    assert {m["status"] for m in offer["moves"]} == offered
    assert offer["evidence"] is evidence


@pytest.mark.parametrize(
    ("current", "target", "needs_evidence", "correction"),
    [
        ("pending", "broken", True, False),
        ("pending", "stalled", False, False),
        ("fulfilled", "broken", True, True),
        ("fulfilled", "pending", False, True),
    ],
)
def test_offered_moves_say_which_need_evidence_and_which_are_corrections(
    current, target, needs_evidence, correction
):
    moves = present.offered(current)["editor"]["moves"]

    move = next(m for m in moves if m["status"] == target)

    assert (move["needs_evidence"], move["correction"]) == (needs_evidence, correction)
