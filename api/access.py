"""Who is asking: the bearer token read, checked, and turned into an actor.

The one place both doors ask: the front door's endpoints (``api.contract``) and FastAPI's
dependencies (``api.deps``) call these functions. What a role may then do is the domain's
business (``claims.status``), checked inside each use case.
"""

from __future__ import annotations

import asyncio
import weakref

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
    query, and every write makes one. Requests that bring the same token while it is being
    looked up share that look-up.
    """
    flights = _in_flight.setdefault(asyncio.get_running_loop(), {})
    key = (id(state.reader), token)
    flight = flights.get(key)
    if flight is not None:
        # The same token is being looked up right now (a script or a dashboard sending many
        # requests at once): its answer is this one's too. Only a look-up still in flight is
        # shared, never one that has finished, so a revocation that commits before a request
        # arrives is seen by that request.
        try:
            return (await asyncio.shield(flight)).actor
        except asyncio.CancelledError:
            if not flight.cancelled():
                raise  # this request was cancelled
            # The request that was looking it up went away: look it up here.
    flight = flights[key] = asyncio.get_running_loop().create_future()
    try:
        found = await state.reader.read(tokens.identify, token)
    except asyncio.CancelledError:
        flight.cancel()
        raise
    except BaseException as exc:
        flight.set_exception(exc)
        flight.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        raise
    else:
        flight.set_result(found)
    finally:
        if flights.get(key) is flight:
            del flights[key]
    if found.touch_id is not None:
        await run_in_threadpool(_touch, state.engine, found.touch_id)
    return found.actor


# Look-ups in flight, per loop (a future belongs to its loop): (reader, token) → its answer.
_in_flight: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, str], asyncio.Future[tokens.Identified]]
] = weakref.WeakKeyDictionary()


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
