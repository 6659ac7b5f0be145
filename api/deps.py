"""Dependencies: sessions, writes, the loop's reader, the settings, the actor, If-Match.

A session dependency only yields and closes: services commit inside their own transaction,
so nothing can fail after the response has been sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from api import etags
from api.reads import HotReads
from api.writes import Writes
from claims import idempotency, tokens
from claims.config import Settings
from claims.errors import PreconditionRequired, Unauthenticated
from claims.models import Actor
from claims.storage import LoopReader

# The hot read paths depend only on async dependencies: a sync one would cost a thread hop.


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


async def get_hot_reads(request: Request) -> HotReads:
    """The polling reads' shared answers (see ``api.reads``)."""
    return request.app.state.reads


async def get_reader(request: Request) -> LoopReader:
    """The event loop's own connection for short reads (see ``storage.LoopReader``)."""
    return request.app.state.reader


async def get_writes(request: Request) -> Writes:
    """Where write use cases run (see ``api.writes``)."""
    return request.app.state.writes


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session on the app's engine for the length of the request.

    Async although the routes using it are sync: opening a session touches no database and
    closing one hands back its connection, where a sync dependency costs two more thread hops
    per request. (Writes do not use it: they go through ``WritesDep``.)
    """
    with Session(request.app.state.engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ReaderConn = Annotated[LoopReader, Depends(get_reader)]
HotReadsDep = Annotated[HotReads, Depends(get_hot_reads)]
WritesDep = Annotated[Writes, Depends(get_writes)]


def bearer(authorization: str | None) -> str | None:
    """The token of a Bearer Authorization header: None if absent; Unauthenticated if malformed."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


AuthorizationHeader = Annotated[
    str | None, Header(description="`Bearer <token>`; see `claims token create`.")
]


async def require_actor(request: Request, authorization: AuthorizationHeader = None) -> Actor:
    """The actor behind the bearer token; raises Unauthenticated without a valid one."""
    token = bearer(authorization)
    if token is None:
        raise Unauthenticated("this request needs a token: send 'Authorization: Bearer <token>'")
    return await authenticate(request.app.state, token)


async def authenticate(state: State, token: str) -> Actor:
    """The actor a token stands for; raises Unauthenticated for unknown or revoked ones.

    The look-up runs on the loop's reader (an indexed read): a thread hop and a pooled
    connection cost more than the query, and every write makes one.
    """
    found = state.reader.run(tokens.identify, token)
    if found.touch_id is not None:
        await run_in_threadpool(_touch, state.engine, found.touch_id)
    return found.actor


async def check_reader(request: Request, authorization: AuthorizationHeader = None) -> None:
    """Let a read through, asking for a token only when CLAIMS_READS_REQUIRE_TOKEN is set."""
    if request.app.state.settings.reads_require_token:
        await require_actor(request, authorization)


def _touch(engine: Engine, token_id: int) -> None:
    with Session(engine) as session:
        tokens.touch(session, token_id)


ActorDep = Annotated[Actor, Depends(require_actor)]
ReaderDep = Depends(check_reader)


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            min_length=1, description="The claim's current ETag, from a GET or a previous write."
        ),
    ] = None,
) -> int:
    """The version named by If-Match; raises PreconditionRequired when the header is missing."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "writes to a claim need If-Match with the claim's current ETag (from GET)"
        )
    return etags.version_from_if_match(if_match)


IfMatchDep = Annotated[int, Depends(expected_version)]


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=r"^[\x21-\x7e]{1,255}$",
            description="Makes a create safe to retry: the same key and body give the first "
            "response again (1-255 visible ASCII characters; keys are kept 48 hours).",
        ),
    ] = None,
) -> str | None:
    """The Idempotency-Key header, validated (InvalidInput names it when malformed)."""
    return idempotency.check_key(key) if key is not None else None


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]
