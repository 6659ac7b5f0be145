"""The history's transparency log: signed checkpoints, consistency and inclusion proofs, the key.

Public reads like the rest of the API (a token only with CLAIMS_READS_REQUIRE_TOKEN). A
checkpoint or proof asked for after new events first extends the stored tree with them
(``claims.transparency``); a range beyond the log is a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from api import answers, queries
from api.deps import ReadAccess, SessionDep, SettingsDep
from api.errors import responses as problems
from claims import transparency
from claims.models import (
    MAX_ID,
    CheckpointPublic,
    ConsistencyProof,
    InclusionProof,
    LogKeyPublic,
)

router = queries.api_router(prefix="/v1/log", tags=["transparency log"])

NO_CACHE = {"Cache-Control": answers.NO_CACHE}


@router.get(
    "/checkpoint",
    response_model=CheckpointPublic,
    dependencies=[ReadAccess],
    responses=problems(401, 503),
)
def checkpoint(session: SessionDep, settings: SettingsDep) -> Response:
    """The log's current signed tree head: size (events), root hash, time, signature, key id.
    Save it: `claims verify --checkpoint` and docs/verify_checkpoint.py check the log against
    it later. Unsigned (signature and key_id null) when the tracker has no key."""
    return answers.json_response(transparency.checkpoint(session, settings), headers=NO_CACHE)


@router.get(
    "/key", response_model=LogKeyPublic, dependencies=[ReadAccess], responses=problems(401, 404)
)
def key(settings: SettingsDep) -> Response:
    """The Ed25519 public key that signs the checkpoints; 404 when the tracker has none."""
    return answers.json_response(transparency.public_key(settings), headers=NO_CACHE)


@router.get(
    "/proof",
    response_model=ConsistencyProof,
    dependencies=[ReadAccess],
    responses=problems(401, 422, 503),
)
def consistency_proof(
    session: SessionDep,
    first: Annotated[
        int, Query(alias="from", ge=1, le=MAX_ID, description="Size of the older checkpoint.")
    ],
    second: Annotated[
        int | None,
        Query(alias="to", ge=1, le=MAX_ID, description="Size of the newer one (default: now)."),
    ] = None,
) -> Response:
    """RFC 9162 consistency proof that the log of `from` events is a prefix of the log of `to`
    events: the log only grew in between."""
    proof = transparency.consistency_proof(session, first, second)
    return answers.json_response(proof, headers=NO_CACHE)


@router.get(
    "/inclusion",
    response_model=InclusionProof,
    dependencies=[ReadAccess],
    responses=problems(401, 422, 503),
)
def inclusion_proof(
    session: SessionDep,
    seq: Annotated[int, Query(ge=1, le=MAX_ID, description="The event's seq.")],
    size: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Size of the log (default: now).")
    ] = None,
) -> Response:
    """RFC 9162 inclusion proof of the event `seq` in the log of `size` events, with the event
    (its leaf is SHA-256 of 0x00 and its canonical JSON)."""
    proof = transparency.inclusion_proof(session, seq, size)
    return answers.json_response(proof, headers=NO_CACHE)
