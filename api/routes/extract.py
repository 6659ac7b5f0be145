"""Claim extraction: the reviewable draft of an article's claims; nothing is saved."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api import answers
from api.deps import ActorDep
from api.errors import responses as problems
from claims.extract import apply as extraction
from claims.models import ExtractRequest

router = APIRouter(prefix="/v1", tags=["extract"])


@router.post(
    "/extract",
    response_model=extraction.Draft,
    responses=problems(400, 401, 403, 413, 415, 422, 503),
)
def extract_claims(body: ExtractRequest, actor: ActorDep) -> Response:
    """Propose an article's forward-looking claims for review (reviewers and editors).

    Returns the draft `{source, claims}` that `claims extract` prints; nothing is saved.
    Create the claims you keep with `POST /v1/claims`, or run `claims extract FILE --apply`.
    """
    draft = extraction.draft_for(body, actor=actor)
    return answers.json_response(draft, headers={"Cache-Control": "no-store"})
