"""Interop endpoints: ClaimReview JSON-LD, the claim list as CSV, the Atom feed of verdicts.

Each answers ``If-None-Match`` with 304 like the JSON reads: the tags come from the claim's
version (ClaimReview) or the latest ``seq`` (CSV, feed), so a poll of nothing new is cheap.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import Path, Query, Request
from starlette.responses import Response, StreamingResponse

from api import answers, etags, queries
from api.deps import ReadAccess, SessionDep, SettingsDep
from api.errors import responses as problems
from api.forwarded import public_settings
from claims import listing, refs
from claims.clock import today
from claims.interop import atom, claimreview, csvout
from claims.queries import CsvQuery

router = queries.api_router(prefix="/v1", tags=["interop"])

JSON_LD = "application/ld+json"
CSV = "text/csv; charset=utf-8"


@router.get(
    "/claims.csv",
    dependencies=[ReadAccess],
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every matching claim, one a row."},
        **problems(304, 401, 422, 503),
    },
    response_class=Response,
)
def claims_csv(
    request: Request,
    query: Annotated[CsvQuery, Query()],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The claim list as CSV for spreadsheets: same filters and sort, every row (no paging);
    `safe=true` defuses cells a spreadsheet would run as formulas."""
    day = today(settings.zone)
    tag = etags.quoted("C" + listing.fingerprint(session, query, day, settings.due_soon_days))
    if etags.none_match(request.headers.get("if-none-match"), tag):
        return answers.not_modified(tag).response()
    return StreamingResponse(
        csvout.csv_chunks(
            session, query, today=day, due_soon_days=settings.due_soon_days, safe=query.safe
        ),
        media_type=CSV,
        headers={
            "ETag": tag,
            "Cache-Control": answers.NO_CACHE,
            "Content-Disposition": 'attachment; filename="claims.csv"',
        },
    )


@router.get(
    "/claims/{ref}/claimreview",
    dependencies=[ReadAccess],
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
    row = claimreview.get_reviewed_claim(session, refs.parse_claim_ref(ref))
    return answers.conditional(
        etags.quoted(f"R{row.version}"),
        request.headers.get("if-none-match"),
        lambda: orjson.dumps(
            claimreview.claim_review(session, row, public_settings(request.scope, settings))
        ),
        media_type=JSON_LD,
    ).response()


@router.get(
    "/feeds/verdicts.atom",
    dependencies=[ReadAccess],
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
    return answers.conditional(
        etags.quoted("A" + atom.fingerprint(session, limit)),
        request.headers.get("if-none-match"),
        lambda: atom.verdict_feed(session, public_settings(request.scope, settings), limit=limit),
        media_type=atom.MEDIA_TYPE,
    ).response()
