"""Who is asking: the bearer token read, checked, and turned into an actor.

The one place both doors ask: the front door's endpoints (``api.contract``) and FastAPI's
dependencies (``api.deps``) call these functions. What a role may then do is the domain's
business (``claims.status``), checked inside each use case.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from claims import tokens
from claims.errors import Unauthenticated
from claims.models import Actor


def bearer(authorization: str | None) -> str | None:
    """The token of a Bearer Authorization header: None if absent; Unauthenticated if malformed."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


async def authenticate(state: State, token: str) -> Actor:
    """The actor a token stands for; raises Unauthenticated for unknown or revoked ones.

    The look-up runs on the loop's reads (an indexed read): a thread hop costs more than the
    query, and every write makes one.
    """
    found = await state.reader.read(tokens.identify, token)
    if found.touch_id is not None:
        await run_in_threadpool(_touch, state.engine, found.touch_id)
    return found.actor


async def require_actor(state: State, authorization: str | None) -> Actor:
    """The actor behind the request's token. Raises Unauthenticated without a valid one."""
    token = bearer(authorization)
    if token is None:
        raise Unauthenticated("this request needs a token: send 'Authorization: Bearer <token>'")
    return await authenticate(state, token)


async def check_read(state: State, authorization: str | None) -> None:
    """Let a read through, asking for a token only when CLAIMS_READS_REQUIRE_TOKEN is set."""
    if state.settings.reads_require_token:
        await require_actor(state, authorization)


def _touch(engine: Engine, token_id: int) -> None:
    with Session(engine) as session:
        tokens.touch(session, token_id)
