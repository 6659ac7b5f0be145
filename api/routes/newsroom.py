"""The newsroom's pages beyond the board and a claim: claimant, topic, story, review queue.

Pages like those of ``api/routes/pages.py``: they read through ``claims`` and render with
``web``; they ignore unknown query parameters (a shared link may carry tracking ones).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.deps import ReadAccess, SessionDep, SettingsDep
from claims import profiles, review, services, shapes
from claims.clock import now, today
from web import groups
from web.templating import templates

router = APIRouter(include_in_schema=False)

HTML_CACHE = {"Cache-Control": "no-cache"}
Slug = Annotated[str, Path(max_length=200, pattern=r"^[a-z0-9][a-z0-9-]*$")]


@router.get("/claimants/{slug}", dependencies=[ReadAccess])
def claimant_page(
    request: Request, slug: Slug, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every claim of one claimant, with a scorecard."""
    name = profiles.claimant_name(session, slug)
    day = today(settings.zone)
    data = profiles.group(
        session, profiles.claimant_filter(name), today=day, due_soon_days=settings.due_soon_days
    )
    context = groups.group(
        kind="claimant", title=name, data=data, board_params={"claimant": name}, today=day
    )
    return templates.TemplateResponse(request, "group.html", context, headers=HTML_CACHE)


@router.get("/topics/{slug}", dependencies=[ReadAccess])
def topic_page(
    request: Request, slug: Slug, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every claim on one topic, with a scorecard."""
    topic = profiles.topic_name(session, slug)
    day = today(settings.zone)
    data = profiles.group(
        session, profiles.topic_filter(topic), today=day, due_soon_days=settings.due_soon_days
    )
    context = groups.group(
        kind="topic", title=topic, data=data, board_params={"topic": topic}, today=day
    )
    return templates.TemplateResponse(request, "group.html", context, headers=HTML_CACHE)


@router.get("/sources/{source_id}", dependencies=[ReadAccess])
def story_page(
    request: Request,
    source_id: Annotated[int, Path(ge=1, le=2**62)],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """A story: the article, its claims with their status, and the dated updates."""
    source = shapes.source(services.get_source(session, source_id))
    day = today(settings.zone)
    data = profiles.group(
        session, profiles.source_filter(source_id), today=day, due_soon_days=settings.due_soon_days
    )
    context = groups.story(
        source=source,
        data=data,
        updates=profiles.source_updates(session, source_id),
        today=day,
        zone=settings.zone,
    )
    return templates.TemplateResponse(request, "story.html", context, headers=HTML_CACHE)


@router.get("/review", dependencies=[ReadAccess])
def review_queue(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """What needs review: overdue without a verdict, due soon, untouched for N days."""
    day, moment = today(settings.zone), now()
    queue = review.queue(
        session,
        today=day,
        now=moment,
        due_soon_days=settings.due_soon_days,
        stale_days=settings.review_stale_days,
    )
    context = groups.review(
        queue=queue, stale_days=settings.review_stale_days, today=day, now=moment
    )
    return templates.TemplateResponse(request, "review.html", context, headers=HTML_CACHE)
