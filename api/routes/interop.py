"""Interop endpoints: ClaimReview JSON-LD, the claim list as CSV, the Atom feed of verdicts.

Each answers ``If-None-Match`` with 304 like the JSON reads: the tags come from the claim's
version (ClaimReview) or the latest ``seq`` (CSV, feed), so a poll of nothing new is cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from api import etags, responses
from api.deps import ReaderDep, SessionDep, SettingsDep
from api.errors import responses as problems
from api.forwarded import public_settings
from claims import listing, services
from claims.clock import today
from claims.interop import atom, claimreview, csvout

router = APIRouter(prefix="/v1", tags=["interop"])

JSON_LD = "application/ld+json"
CSV = "text/csv; charset=utf-8"


def _not_modified(request: Request, tag: str) -> Response | None:
    if etags.none_match(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=_cache(tag))
    return None


def _cache(tag: str) -> dict[str, str]:
    return {"ETag": tag, "Cache-Control": responses.NO_CACHE}


def _conditional(
    request: Request, tag: str, media_type: str, build: Callable[[], bytes]
) -> Response:
    return _not_modified(request, tag) or Response(
        build(), media_type=media_type, headers=_cache(tag)
    )


@router.get(
    "/claims.csv",
    dependencies=[ReaderDep],
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every matching claim, one a row."},
        **problems(304, 401, 422, 503),
    },
    response_class=Response,
)
def claims_csv(
    request: Request,
    query: Annotated[listing.ClaimQuery, Query()],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The claim list as CSV for spreadsheets: same filters and sort, every row (no paging)."""
    day = today(settings.zone)
    tag = etags.quoted("C" + listing.fingerprint(session, query, day, settings.due_soon_days))
    cached = _not_modified(request, tag)
    if cached is not None:
        return cached
    return StreamingResponse(
        csvout.csv_chunks(session, query, today=day, due_soon_days=settings.due_soon_days),
        media_type=CSV,
        headers={**_cache(tag), "Content-Disposition": 'attachment; filename="claims.csv"'},
    )


@router.get(
    "/claims/{ref}/claimreview",
    dependencies=[ReaderDep],
    responses={
        200: {"content": {JSON_LD: {}}, "description": "schema.org ClaimReview (JSON-LD)."},
        **problems(304, 401, 404, 503),
    },
    response_class=Response,
)
def claim_review(
    request: Request,
    ref: Annotated[str, Path(max_length=200, description="The claim's id or slug.")],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The claim's schema.org ClaimReview (JSON-LD); 404 while it has no verdict."""
    row = claimreview.get_reviewed_claim(session, services.parse_claim_ref(ref))
    return _conditional(
        request,
        etags.quoted(f"R{row.version}"),
        JSON_LD,
        lambda: orjson.dumps(
            claimreview.claim_review(session, row, public_settings(request.scope, settings))
        ),
    )


@router.get(
    "/feeds/verdicts.atom",
    dependencies=[ReaderDep],
    responses={
        200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."},
        **problems(304, 401, 422, 503),
    },
    response_class=Response,
)
def verdicts_feed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Entries in the feed.")] = 100,
) -> Response:
    """Atom feed of verdicts and corrections, newest first."""
    return _conditional(
        request,
        etags.quoted("A" + atom.fingerprint(session, limit)),
        atom.MEDIA_TYPE,
        lambda: atom.verdict_feed(session, public_settings(request.scope, settings), limit=limit),
    )
