"""FastAPI dependencies of the routes outside the front door: settings, sessions, the loop's
reader, writes, the extraction workers, the actor, read access, the Idempotency-Key.

They ask ``api.access`` for who is calling, as the front door's endpoints do. A session
dependency only yields and closes: services commit inside their own transaction, so nothing
can fail after the response has been sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from sqlmodel import Session

from api import access, queries
from api.writes import Writes
from claims import idempotency, teamwork, tokens, webhooks
from claims.config import Settings
from claims.extract.workers import ExtractionPool
from claims.models import Actor
from claims.status import CLAIM_WRITER, Role, ensure_role
from claims.storage import LoopReads

# The routes depend only on async dependencies: a sync one would cost a thread hop.


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


async def get_reader(request: Request) -> LoopReads:
    """Where the event loop's short reads run (see ``storage.LoopReads``)."""
    return request.app.state.reader


async def get_writes(request: Request) -> Writes:
    """Where write use cases run (see ``api.writes``)."""
    return request.app.state.writes


async def get_extractor(request: Request) -> ExtractionPool:
    """The processes extractions run in (see ``claims.extract.workers``)."""
    return request.app.state.extractor


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
ReaderConn = Annotated[LoopReads, Depends(get_reader)]
WritesDep = Annotated[Writes, Depends(get_writes)]
ExtractorDep = Annotated[ExtractionPool, Depends(get_extractor)]

AuthorizationHeader = Annotated[
    str | None, Header(description="`Bearer <token>`; see `claims token create`.")
]


async def require_actor(request: Request, authorization: AuthorizationHeader = None) -> Actor:
    """The actor behind the bearer token; raises Unauthenticated without a valid one."""
    actor = await access.require_actor(request.app.state, authorization)
    queries.refuse_undeclared(request)  # after the token, as at the front door
    return actor


async def check_read_access(request: Request, authorization: AuthorizationHeader = None) -> None:
    """Let a read through, asking for a token only when CLAIMS_READS_REQUIRE_TOKEN is set."""
    await access.check_read(request.app.state, authorization)
    queries.refuse_undeclared(request)


setattr(require_actor, queries.ACCESS_CHECK, True)
setattr(check_read_access, queries.ACCESS_CHECK, True)


ActorDep = Annotated[Actor, Depends(require_actor)]
ReadAccess = Depends(check_read_access)


def actor_who_may(needed: Role, action: str) -> Any:
    """A route's actor, who must hold ``needed`` (the role the domain declares for ``action``).

    Checked as a dependency, before FastAPI reads the request's parameters and body: a token
    that may not do this hears 403 (or 401 without one), not what its body lacked. The use case
    checks the same role again for its callers outside HTTP."""

    async def check(request: Request, authorization: AuthorizationHeader = None) -> Actor:
        actor = await access.require_actor(request.app.state, authorization)
        ensure_role(actor.role, needed, action)
        queries.refuse_undeclared(request)
        return actor

    setattr(check, queries.ACCESS_CHECK, True)
    return Annotated[Actor, Depends(check)]


TokenManager = actor_who_may(tokens.MANAGER, "manage tokens")
WebhookManager = actor_who_may(webhooks.MANAGER, "manage webhooks")
ClaimWriter = actor_who_may(CLAIM_WRITER, "write to the tracker")
Staff = actor_who_may(teamwork.STAFF, "read or write internal notes and assignments")


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
