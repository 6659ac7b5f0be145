"""Claims read by id or slug, several at once (``claims.services.get_claims``): each ref gets
the claim it names, or the NotFound that ``get_claim`` would raise. On PostgreSQL several refs
are one statement; on SQLite the same use case reads them one by one."""

from __future__ import annotations

import pytest

from claims import creates, services
from claims.errors import NotFound
from claims.models import Actor, ClaimCreate
from claims.status import Role

EDITOR = Actor(name="ed", role=Role.EDITOR)


def _claim(session, statement: str):
    return creates.create_claim(
        session, ClaimCreate(statement=statement, claimant="Port authority"), actor=EDITOR
    ).claim


def test_each_ref_gets_the_claim_it_names_in_the_order_asked(session):
    first = _claim(session, "The port reopens by March")
    second = _claim(session, "The ferry resumes in April")

    rows = services.get_claims(session, [second.slug, first.id, second.id, first.slug])

    assert [row.id for row in rows] == [second.id, first.id, second.id, first.id]


def test_a_ref_asked_twice_gets_the_claim_twice(session):
    claim = _claim(session, "The port reopens by March")

    rows = services.get_claims(session, [claim.id, claim.id])

    assert [row.id for row in rows] == [claim.id, claim.id]


@pytest.mark.parametrize("ref", [987654, "no-such-claim", "Not A Slug!"])
def test_a_ref_that_names_no_claim_gets_the_not_found_of_a_single_read(session, ref):
    claim = _claim(session, "The port reopens by March")

    found, missing = services.get_claims(session, [claim.id, ref])

    assert found.id == claim.id
    assert isinstance(missing, NotFound)
    with pytest.raises(NotFound) as single:
        services.get_claim(session, ref)
    assert str(missing) == str(single.value)


def test_no_refs_read_nothing(session):
    assert services.get_claims(session, []) == []
