"""The newsroom's pages beyond the board and a claim: claimant, topic, story, review queue,
the embeddable claim card and its oEmbed endpoint, the new-claim and edit-claim forms.

``/claims/new`` is answered here, before ``/claims/{ref}`` of ``api/routes/pages.py`` (this
router is included first): a claim whose slug is ``new`` is reached by its id.

Pages like those of ``api/routes/pages.py``: they read through ``claims`` and render with
``web``; they ignore unknown query parameters (a shared link may carry tracking ones).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api import answers, errors, etags
from api.deps import ReadAccess, SessionDep, SettingsDep
from claims import profiles, refs, review, services, shapes, sources
from claims.clock import now, today
from claims.errors import NotFound
from web import embed, groups, present
from web.templating import templates

router = APIRouter(include_in_schema=False)

HTML_CACHE = {"Cache-Control": "no-cache"}
Slug = Annotated[str, Path(max_length=200, pattern=r"^[a-z0-9][a-z0-9-]*$")]


@router.get("/claimants/{slug}", dependencies=[ReadAccess])
def claimant_page(
    request: Request, slug: Slug, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every claim of one claimant, with a scorecard."""
    names = profiles.claimant_names(session, slug)
    name = names[0]
    day = today(settings.zone)
    data = profiles.group(
        session, profiles.claimant_filter(names), today=day, due_soon_days=settings.due_soon_days
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
    source = shapes.source(sources.get_source(session, source_id))
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
def review_queue(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """What needs review: overdue without a verdict, due soon, untouched for N days;
    ``?assignee=NAME``: only the claims assigned to that person ("Assigned to me")."""
    day, moment = today(settings.zone), now()
    queue = review.queue(
        session,
        today=day,
        now=moment,
        due_soon_days=settings.due_soon_days,
        stale_days=settings.review_stale_days,
        assignee=assignee or None,
    )
    context = groups.review(
        queue=queue, stale_days=settings.review_stale_days, today=day, now=moment
    )
    context["assignee"] = assignee or None
    return templates.TemplateResponse(request, "review.html", context, headers=HTML_CACHE)


@router.get("/claims/{ref}/embed", dependencies=[ReadAccess])
def claim_card(
    request: Request,
    ref: Annotated[str, Path(max_length=200)],
    session: SessionDep,
    settings: SettingsDep,
    refresh: str | None = None,
) -> Response:
    """A claim's card for other sites to frame: statement, claimant, status, deadline; live."""
    row = services.get_claim(session, refs.parse_claim_ref(ref))
    day = today(settings.zone)
    claim = shapes.claim(row, day, settings.due_soon_days)
    context = {
        "claim": claim,
        "deadline": present.deadline(claim, day),
        "etag": etags.for_claim(row, settings),
        "refresh": embed.refresh_seconds(refresh),
        "page_url": f"{settings.public_url}/claims/{row.slug}",
        "publisher": settings.publisher_name,
        "checked": present.moment(now(), settings.zone),
    }
    headers = {**HTML_CACHE, "Content-Security-Policy": embed.EMBED_CSP}
    return templates.TemplateResponse(request, "embed.html", context, headers=headers)


@router.get("/oembed", dependencies=[ReadAccess])
def oembed(
    url: Annotated[str, Query(max_length=2000)],
    session: SessionDep,
    settings: SettingsDep,
    fmt: Annotated[str, Query(alias="format", max_length=20)] = "json",
    maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> Response:
    """oEmbed 1.0 for a claim's URL: a "rich" answer whose html frames the claim's card."""
    if fmt != "json":
        return errors.problem(
            501, "only format=json is offered", type_slug="oembed-format", title="Not implemented"
        ).response()
    ref = embed.claim_ref(url, settings.public_url)
    if ref is None:
        raise NotFound(f"{url!r} is not a claim of this tracker ({settings.public_url})")
    row = services.get_claim(session, refs.parse_claim_ref(ref))
    body = embed.oembed(
        shapes.claim(row, today(settings.zone), settings.due_soon_days),
        public_url=settings.public_url,
        provider=settings.publisher_name,
        maxwidth=maxwidth,
        maxheight=maxheight,
    )
    return answers.json_response(body, headers=HTML_CACHE)


@router.get("/claims/new", dependencies=[ReadAccess])
def new_claim_form(request: Request, session: SessionDep, source: str | None = None) -> Response:
    """The form that records a new claim (reviewers and editors; it posts to the API)."""
    context = groups.claim_form(
        claim=None,
        etag=None,
        sources=[shapes.source(r) for r in sources.list_sources(session)],
        source_id=int(source) if source and source.isdigit() else None,
    )
    return templates.TemplateResponse(request, "claim_form.html", context, headers=HTML_CACHE)


@router.get("/claims/{ref}/edit", dependencies=[ReadAccess])
def edit_claim_form(
    request: Request,
    ref: Annotated[str, Path(max_length=200)],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """A claim's edit form: sends only the changed fields, with If-Match."""
    row = services.get_claim(session, refs.parse_claim_ref(ref))
    context = groups.claim_form(
        claim=shapes.claim(row, today(settings.zone), settings.due_soon_days),
        etag=etags.for_claim(row, settings),
        sources=[shapes.source(r) for r in sources.list_sources(session)],
    )
    return templates.TemplateResponse(request, "claim_form.html", context, headers=HTML_CACHE)


@router.get("/intake", dependencies=[ReadAccess])
def intake(request: Request) -> Response:
    """Intake of a story: paste it, review the extractor's proposals, accept them as claims."""
    return templates.TemplateResponse(request, "intake.html", {}, headers=HTML_CACHE)


@router.get("/webhooks", dependencies=[ReadAccess])
def webhooks_page(request: Request) -> Response:
    """The webhook subscriptions, their last delivery and failures (admins, signed in)."""
    return templates.TemplateResponse(request, "webhooks.html", {}, headers=HTML_CACHE)
