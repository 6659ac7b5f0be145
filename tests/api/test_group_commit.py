"""Creates and status changes are committed in groups (``api.groups``), on PostgreSQL over
its asyncio connections and on SQLite inline: requests that arrive while a group is written go
together in the next, each with its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from api.writes import Writes
from claims import creates, status_changes, storage, verify
from claims.creates import CreateRequest
from claims.errors import Unavailable, VersionConflict
from claims.models import Actor, ClaimCreate, StatusChange
from claims.services import Written
from claims.status import Role
from claims.status_changes import StatusRequest
from tests.conftest import on_a_loop_of_its_own

EDITOR = Actor(name="ed", role=Role.EDITOR)


def _claims(session, count: int) -> list[int]:
    return [
        creates.create_claim(
            session,
            ClaimCreate(statement=f"Line {i} opens in May", claimant="Rail authority"),
            actor=EDITOR,
        ).claim.id
        for i in range(count)
    ]


def _requests(ids: list[int], version: int = 1) -> list[StatusRequest]:
    change = StatusChange(status="in_progress", note="works began")
    return [StatusRequest(claim_id, change, version, EDITOR) for claim_id in ids]


async def _submit_all(settings, use_case, requests) -> tuple[list[Any], Any]:
    if settings.database_url.startswith("sqlite"):
        runtime, writes = None, Writes(inline=storage.InlineWriter(settings))
    else:
        runtime = storage.PooledRuntime(settings)
        writes = Writes(pooled=runtime)
    try:
        outcomes = await asyncio.gather(
            *(writes.run_grouped(use_case, r) for r in requests), return_exceptions=True
        )
        group = writes.groups.of(use_case)
        return outcomes, (group.groups, group.requests, group.alone)
    finally:
        writes.close()
        if runtime is not None:
            await runtime.aclose()


def test_requests_arriving_together_are_written_in_one_group_after_the_first(
    settings, session, engine
):
    ids = _claims(session, 20)

    outcomes, (groups, requests, alone) = on_a_loop_of_its_own(
        _submit_all(settings, status_changes.change_statuses, _requests(ids))
    )

    assert all(isinstance(o, Written) for o in outcomes)
    assert [o.claim.id for o in outcomes] == ids
    # The first went at once, alone; the 19 that came meanwhile went together.
    assert (groups, requests, alone) == (2, 20, 0)
    assert {storage.find_claim(session, i).version for i in ids} == {2}
    assert verify.verify_database(engine).bad is None


def test_each_request_of_a_group_gets_its_own_refusal(settings, session):
    ids = _claims(session, 6)
    requests = _requests(ids[:3]) + _requests(ids[3:], version=5)

    outcomes, _ = on_a_loop_of_its_own(
        _submit_all(settings, status_changes.change_statuses, requests)
    )

    assert [type(o) for o in outcomes] == [Written] * 3 + [VersionConflict] * 3


def test_a_group_that_fails_as_a_whole_is_retried_request_by_request(settings, session):
    ids = _claims(session, 8)

    def fails_in_groups(db, requests: Sequence[StatusRequest]) -> list[Any]:
        # Stands for a failure of the whole unit of work (a deadlock with another process,
        # a lost connection): every group of several fails, each request alone succeeds.
        if len(requests) > 1:
            raise RuntimeError("the unit of work failed")
        return status_changes.change_statuses(db, requests)

    outcomes, (groups, _, alone) = on_a_loop_of_its_own(
        _submit_all(settings, fails_in_groups, _requests(ids))
    )

    assert all(isinstance(o, Written) for o in outcomes)
    assert (groups, alone) == (2, 7)
    assert {storage.find_claim(session, i).version for i in ids} == {2}


def _creates(count: int, keys: bool = True) -> list[CreateRequest]:
    return [
        CreateRequest(
            ClaimCreate(statement=f"Quay {i} opens in June", claimant="Port authority"),
            EDITOR,
            f"key-{i}" if keys else None,
        )
        for i in range(count)
    ]


def test_creates_arriving_together_are_written_in_one_group_after_the_first(
    settings, session, engine
):
    outcomes, (groups, requests, alone) = on_a_loop_of_its_own(
        _submit_all(settings, creates.create_claims, _creates(20))
    )

    assert all(isinstance(o, Written) for o in outcomes)
    assert len({o.claim.id for o in outcomes}) == 20
    assert (groups, requests, alone) == (2, 20, 0)
    assert verify.verify_database(engine).bad is None
    # Each key now answers with its claim.
    again, _ = on_a_loop_of_its_own(_submit_all(settings, creates.create_claims, _creates(20)))
    assert [o.claim.id for o in again] == [o.claim.id for o in outcomes]
    assert all(o.replayed for o in again)


def test_a_group_with_one_key_twice_is_written_one_by_one_the_second_replayed(settings):
    requests = _creates(3)
    requests.append(requests[2])

    outcomes, (groups, _, alone) = on_a_loop_of_its_own(
        _submit_all(settings, creates.create_claims, requests)
    )

    assert [o.replayed for o in outcomes] == [False, False, False, True]
    assert outcomes[3].claim.id == outcomes[2].claim.id
    assert (groups, alone) == (2, 3)


def test_a_group_refused_as_unavailable_answers_every_request_at_once(settings, session):
    ids = _claims(session, 6)
    calls = []

    def busy(db, requests: Sequence[StatusRequest]) -> list[Any]:
        # Stands for a database that stays busy or unreachable past the write's patience.
        calls.append(len(requests))
        raise Unavailable("the database is busy; try again shortly", retry_after=1)

    outcomes, (groups, _, alone) = on_a_loop_of_its_own(_submit_all(settings, busy, _requests(ids)))

    assert all(isinstance(o, Unavailable) for o in outcomes)
    assert (groups, alone) == (2, 0)
    assert calls == [1, 5]
