"""Token administration (admins only): issue, list and revoke access tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from starlette.responses import Response

from api import answers, queries
from api.deps import SessionDep, TokenManager
from api.errors import responses as problems
from claims import shapes, tokens
from claims.models import TokenCreate, TokenCreated, TokenList

router = queries.api_router(prefix="/v1", tags=["tokens"])


@router.get("/tokens", response_model=TokenList, responses=problems(401, 403, 503))
def list_tokens(session: SessionDep, actor: TokenManager) -> Response:
    """Every token's name, role and dates (never the secret)."""
    rows = tokens.list_tokens(session, by=actor)
    return answers.json_response({"items": [shapes.token(r) for r in rows]})


@router.post(
    "/tokens",
    status_code=201,
    response_model=TokenCreated,
    responses=problems(400, 401, 403, 409, 413, 415, 422, 503),
)
def create_token(body: TokenCreate, session: SessionDep, actor: TokenManager) -> Response:
    """Issue a token; the secret is in this response and nowhere else, ever."""
    row, secret = tokens.create_token(session, body.name, body.role, by=actor)
    return answers.json_response(  # the secret must not rest in any cache on the way
        {**shapes.token(row), "token": secret}, status=201, headers={"Cache-Control": "no-store"}
    )


@router.delete("/tokens/{name}", status_code=204, responses=problems(401, 403, 404, 503))
def revoke_token(
    name: Annotated[str, Path(max_length=100)], session: SessionDep, actor: TokenManager
) -> Response:
    """Revoke a token at once."""
    tokens.revoke_token(session, name, by=actor)
    return Response(status_code=204)
