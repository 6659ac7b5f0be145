"""Claim extraction: the reviewable draft of an article's claims; nothing is saved."""

from __future__ import annotations

from starlette.responses import Response

from api import answers, queries
from api.deps import ClaimWriter, ExtractorDep, SettingsDep
from api.errors import responses as problems
from claims.clock import today
from claims.extract import apply as extraction
from claims.models import ExtractRequest

router = queries.api_router(prefix="/v1", tags=["extract"])


@router.post(
    "/extract",
    response_model=extraction.Draft,
    responses=problems(400, 401, 403, 413, 415, 422, 503),
)
async def extract_claims(
    body: ExtractRequest, actor: ClaimWriter, pool: ExtractorDep, settings: SettingsDep
) -> Response:
    """Propose an article's forward-looking claims for review (reviewers and editors).

    Returns the draft `{source, claims}` that `claims extract` prints; nothing is saved.
    Create the claims you keep with `POST /v1/claims`, or run `claims extract FILE --apply`.
    An article whose extraction takes longer than `CLAIMS_EXTRACT_TIMEOUT_S` is refused
    (422, type `/problems/extract-timeout`); when every extraction worker stays busy that
    long, 503 with `Retry-After`.
    """
    draft = await extraction.draft_for(body, actor=actor, pool=pool, today=today(settings.zone))
    return answers.json_response(draft, headers={"Cache-Control": "no-store"})
