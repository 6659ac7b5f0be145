"""Web pages: the live board at ``/``, a claim's page at ``/claims/{slug}``, their static files.

Server-rendered with Jinja2 (``web/templates``) plus a little plain JavaScript (``web/static``)
served from here: no build step, no CDN. Pages read like the API does (public unless
``CLAIMS_READS_REQUIRE_TOKEN``); every write goes from the browser to the JSON API with the
token the person signed in with, so the pages hold no rules and no write path of their own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import FileResponse, RedirectResponse, Response

from api import etags
from api.deps import ReadAccess, SessionDep, SettingsDep
from api.forwarded import public_settings
from claims import feed, listing, refs, services, shapes, sources, summary, transparency
from claims.clock import today
from claims.interop import claimreview
from claims.queries import ClaimQuery
from web import assets, embed, views
from web.templating import templates

router = APIRouter(include_in_schema=False)

HTML_CACHE = {"Cache-Control": "no-cache"}


def board_query(request: Request) -> ClaimQuery:
    """Read the board's URL into a list query (200 a page); empty form fields are no filter."""
    raw = views.board_params(dict(request.query_params))
    raw.setdefault("limit", str(views.BOARD_LIMIT))
    try:
        return ClaimQuery.model_validate(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


BoardQuery = Annotated[ClaimQuery, Depends(board_query)]


@router.get("/", dependencies=[ReadAccess])
def board(
    request: Request, query: BoardQuery, session: SessionDep, settings: SettingsDep
) -> Response:
    """The live board: claims, counts per status, filters in the URL, 200 claims a page;
    ``?screen=wall`` for a newsroom's wall screen."""
    day, days = today(settings.zone), settings.due_soon_days
    # The seq first: the board's script resumes its stream after the page's seq, so the page
    # must show every change up to it. Read after the list (on PostgreSQL each statement sees
    # the commits made so far), it counted claims created meanwhile that the list lacked, and
    # the board never showed them. Changes after it may show too: the stream repeats them.
    seq = feed.latest_seq(session)
    context = views.board(
        page=listing.claim_page(session, query, today=day, due_soon_days=days),
        summary=summary.summary(session, query, today=day, due_soon_days=days),
        choices=listing.filter_choices(session),
        query=query,
        params=views.board_params(dict(request.query_params)),
        today=day,
        wall=request.query_params.get("screen") == "wall",
    )
    context["seq"] = seq
    return templates.TemplateResponse(request, "board.html", context, headers=HTML_CACHE)


@router.get("/claims/{ref}", dependencies=[ReadAccess])
def claim_page(
    request: Request,
    ref: Annotated[str, Path(max_length=200)],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """A claim's page: quote, source, criteria, the history as a timeline, the editor's desk."""
    row = services.get_claim(session, refs.parse_claim_ref(ref))
    if ref != row.slug:
        return RedirectResponse(f"/claims/{row.slug}", status_code=308)
    day = today(settings.zone)
    context = views.claim(
        claim=shapes.claim(row, day, settings.due_soon_days),
        etag=etags.for_claim(row, settings),
        source=shapes.source(sources.get_source(session, row.source_id))
        if row.source_id
        else None,
        condition=shapes.claim(
            services.get_claim(session, row.condition_claim_id), day, settings.due_soon_days
        )
        if row.condition_claim_id
        else None,
        events=services.history_page(session, row.id)["events"],
        today=day,
        zone=settings.zone,
    )
    review = claimreview.claim_review(session, row, public_settings(request.scope, settings))
    context["review_json"] = claimreview.script_json(review) if review is not None else None
    context["oembed_href"] = embed.discovery_href(settings.public_url, row.slug)
    context["checkpoint"] = transparency.checkpoint(session, settings)
    return templates.TemplateResponse(request, "claim.html", context, headers=HTML_CACHE)


@router.get("/static/{name}")
def static_file(name: Annotated[str, Path(max_length=100)], v: str | None = None) -> Response:
    """One of the pages' CSS or JavaScript files, cached for good when the URL names its digest."""
    return FileResponse(
        assets.find(name),
        media_type=assets.media_type(name),
        headers={"Cache-Control": assets.cache_control(name, v)},
    )
