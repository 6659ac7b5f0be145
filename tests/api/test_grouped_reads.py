"""Claims read by id or slug on PostgreSQL at the same moment share one statement
(``api.groups`` over ``claims.services.get_claims``): each request still gets its own answer."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.groups import Groups
from claims import creates, services, storage
from claims.errors import NotFound
from claims.models import Actor, ClaimCreate
from claims.status import Role
from tests.conftest import LiveServer, on_a_loop_of_its_own

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)

EDITOR = Actor(name="ed", role=Role.EDITOR)


def _claims(session, count: int) -> list:
    return [
        creates.create_claim(
            session,
            ClaimCreate(statement=f"Pier {i} reopens by March", claimant="Port authority"),
            actor=EDITOR,
        ).claim
        for i in range(count)
    ]


def test_reads_arriving_together_go_in_groups_after_the_first_ones(settings, session):
    claims = _claims(session, 20)
    refs = [c.id if i % 2 else c.slug for i, c in enumerate(claims)]

    async def read_all():
        runtime = storage.PooledRuntime(settings)
        groups = Groups(runtime.read, at_once=2)
        try:
            rows = await asyncio.gather(*(groups.run(services.get_claims, r) for r in refs))
            return rows, groups.totals()
        finally:
            await runtime.aclose()

    rows, totals = on_a_loop_of_its_own(read_all())

    assert [row.id for row in rows] == [c.id for c in claims]
    # Two went at once, alone; the 18 that came meanwhile went together.
    assert totals == (3, 20)


def test_a_read_of_no_claim_in_a_group_gets_not_found_for_that_read_only(settings, session):
    claims = _claims(session, 3)
    refs = [claims[0].id, 987654, claims[1].slug, "no-such-claim", claims[2].id]

    async def read_all():
        runtime = storage.PooledRuntime(settings)
        groups = Groups(runtime.read, at_once=1)
        try:
            return await asyncio.gather(
                *(groups.run(services.get_claims, r) for r in refs), return_exceptions=True
            )
        finally:
            await runtime.aclose()

    outcomes = on_a_loop_of_its_own(read_all())

    assert isinstance(outcomes[1], NotFound)
    assert isinstance(outcomes[3], NotFound)
    assert [outcomes[i].id for i in (0, 2, 4)] == [claims[0].id, claims[1].id, claims[2].id]


def test_concurrent_claim_requests_each_get_their_own_answer(
    live_server: LiveServer, session, make_token
):
    claims = _claims(session, 24)
    headers = make_token(Role.VIEWER)
    paths = [f"/v1/claims/{c.id if i % 2 else c.slug}" for i, c in enumerate(claims)]
    paths += ["/v1/claims/987654", "/v1/claims/no-such-claim"]

    async def get_all():
        async with httpx.AsyncClient(base_url=live_server.url, headers=headers) as client:
            return await asyncio.gather(*(client.get(path) for path in paths))

    answers = on_a_loop_of_its_own(get_all())

    assert [a.status_code for a in answers] == [200] * 24 + [404, 404]
    assert [a.json()["id"] for a in answers[:24]] == [c.id for c in claims]
    assert answers[-1].headers["content-type"] == "application/problem+json"
    groups, requests = live_server.app.state.reads.groups.totals()
    assert requests == 26
    assert groups < requests
