"""Webhook subscriptions (admins only): create, list, read, change, delete, ping, deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from starlette.responses import Response

from api import answers, queries
from api.deps import SessionDep, SettingsDep, WebhookManager
from api.errors import responses as problems
from claims import webhook_shapes, webhooks
from claims.models import MAX_ID, WebhookCreate, WebhookUpdate

router = queries.api_router(prefix="/v1", tags=["webhooks"])

WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/webhooks", responses=problems(401, 403, 503))
def list_webhooks(session: SessionDep, actor: WebhookManager) -> Response:
    """Every subscription (never its secret), with its last delivery and failures."""
    rows = webhooks.list_all(session, by=actor)
    return answers.json_response({"items": [webhook_shapes.webhook_public(r) for r in rows]})


@router.post("/webhooks", status_code=201, responses=problems(400, 401, 403, 413, 415, 422, 503))
def create_webhook(
    body: WebhookCreate, session: SessionDep, actor: WebhookManager, settings: SettingsDep
) -> Response:
    """Subscribe a URL; the signing secret is in this response and nowhere else, ever."""
    row = webhooks.create(session, body, by=actor, settings=settings)
    return answers.json_response(
        webhook_shapes.webhook_public(row, secret=True),
        status=201,
        # the secret must not rest in any cache on the way
        headers={"Location": f"/v1/webhooks/{row.id}", "Cache-Control": "no-store"},
    )


@router.get("/webhooks/{webhook_id}", responses=problems(401, 403, 404, 503))
def get_webhook(webhook_id: WebhookId, session: SessionDep, actor: WebhookManager) -> Response:
    """One subscription (never its secret)."""
    return answers.json_response(
        webhook_shapes.webhook_public(webhooks.get(session, webhook_id, by=actor))
    )


@router.patch("/webhooks/{webhook_id}", responses=problems(400, 401, 403, 404, 422, 503))
def update_webhook(
    webhook_id: WebhookId,
    body: WebhookUpdate,
    session: SessionDep,
    actor: WebhookManager,
    settings: SettingsDep,
) -> Response:
    """Change a subscription; ``{"active": true}`` re-enables a disabled one."""
    row = webhooks.update(session, webhook_id, body, by=actor, settings=settings)
    return answers.json_response(webhook_shapes.webhook_public(row))


@router.delete("/webhooks/{webhook_id}", status_code=204, responses=problems(401, 403, 404, 503))
def delete_webhook(webhook_id: WebhookId, session: SessionDep, actor: WebhookManager) -> Response:
    """Unsubscribe (its deliveries go too)."""
    webhooks.delete(session, webhook_id, by=actor)
    return Response(status_code=204)


@router.post("/webhooks/{webhook_id}/test", status_code=202, responses=problems(401, 403, 404, 503))
def ping_webhook(webhook_id: WebhookId, session: SessionDep, actor: WebhookManager) -> Response:
    """Queue a signed ``webhook.ping`` to the subscription's URL (sent in the background)."""
    row = webhooks.ping(session, webhook_id, by=actor)
    return answers.json_response(webhook_shapes.delivery_public(row, []), status=202)


@router.get("/webhooks/{webhook_id}/deliveries", responses=problems(401, 403, 404, 503))
def list_deliveries(
    webhook_id: WebhookId,
    session: SessionDep,
    actor: WebhookManager,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """The subscription's latest deliveries, newest first, each with every attempt."""
    return answers.json_response(webhooks.deliveries(session, webhook_id, by=actor, limit=limit))


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
    responses=problems(401, 403, 404, 503),
)
def retry_delivery(
    webhook_id: WebhookId,
    delivery_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    actor: WebhookManager,
) -> Response:
    """Send a delivery again now (a failed one, usually), with the same ``webhook-id``."""
    return answers.json_response(webhooks.redeliver(session, webhook_id, delivery_id, by=actor))
