"""Who a token belongs to: ``GET /v1/me``, so a page can offer only what the role may do."""

from __future__ import annotations

from starlette.responses import Response

from api import answers, queries
from api.deps import ActorDep
from api.errors import responses as problems
from claims.models import Actor

router = queries.api_router(prefix="/v1", tags=["tokens"])


@router.get("/me", response_model=Actor, responses=problems(401, 503))
def who_am_i(actor: ActorDep) -> Response:
    """The name and role of the bearer token; 401 without a valid one."""
    return answers.json_response(
        {"name": actor.name, "role": actor.role.value}, headers={"Cache-Control": "no-store"}
    )
