"""Requests that bring one token at the same moment share its look-up (``api.access``), and
each still gets the answer for its own token."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import State

from api.access import authenticate
from claims import storage, tokens
from claims.errors import Unauthenticated
from claims.models import Actor
from claims.status import Role
from tests.conftest import on_a_loop_of_its_own


def _secret(header: dict[str, str]) -> str:
    return header["Authorization"].removeprefix("Bearer ")


async def _authenticate_all(settings, engine, secrets: list[str]) -> list[Any]:
    pooled = engine.dialect.name != "sqlite"
    reader = storage.PooledRuntime(settings) if pooled else storage.LoopReader(engine)
    state = State({"reader": reader, "engine": engine})
    try:
        return await asyncio.gather(
            *(authenticate(state, s) for s in secrets), return_exceptions=True
        )
    finally:
        if pooled:
            await reader.aclose()


def test_concurrent_requests_with_several_tokens_each_get_their_own_actor(
    settings, engine, make_token
):
    editor = _secret(make_token(Role.EDITOR, "ed"))
    viewer = _secret(make_token(Role.VIEWER, "vi"))
    secrets = [editor, viewer, "ct_unknown", editor, viewer, "ct_unknown", editor]

    answers = on_a_loop_of_its_own(_authenticate_all(settings, engine, secrets))

    expected = {
        editor: Actor(name="ed", role=Role.EDITOR),
        viewer: Actor(name="vi", role=Role.VIEWER),
    }
    for secret, answer in zip(secrets, answers, strict=True):
        if secret in expected:
            assert answer == expected[secret]
        else:
            assert isinstance(answer, Unauthenticated)


def test_a_token_revoked_between_two_bursts_is_refused_in_the_second(
    settings, engine, make_token, session
):
    secret = _secret(make_token(Role.EDITOR, "leaving"))
    first = on_a_loop_of_its_own(_authenticate_all(settings, engine, [secret] * 5))
    tokens.revoke_token(session, "leaving", by=tokens.OPERATOR)

    second = on_a_loop_of_its_own(_authenticate_all(settings, engine, [secret] * 5))

    assert all(isinstance(a, Actor) for a in first)
    assert all(isinstance(a, Unauthenticated) for a in second)
