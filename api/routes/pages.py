"""Web pages: the board at ``/`` (a plain server-rendered list until the live board lands)."""

from __future__ import annotations

import html

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from api.deps import SessionDep, SettingsDep
from claims import listing
from claims.clock import today

router = APIRouter(include_in_schema=False)


@router.get("/")
def board(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The board: every claim with claimant, statement, status and deadline."""
    query = listing.ClaimQuery(limit=200)
    page = listing.claim_page(
        session, query, today=today(settings.zone), due_soon_days=settings.due_soon_days
    )
    rows = "".join(
        f"<tr><td>{html.escape(c['claimant'])}</td><td>{html.escape(c['statement'])}</td>"
        f"<td>{html.escape(c['status'])}{' (overdue)' if c['overdue'] else ''}</td>"
        f"<td>{c['due_by'] or 'open-ended'}</td></tr>"
        for c in page["items"]
    )
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Claim tracker</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head><body>"
        "<h1>Claim tracker</h1><table><thead><tr><th>Claimant</th><th>Claim</th><th>Status</th>"
        f"<th>Due by</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p><a href='/docs'>API documentation</a></p></body></html>"
    )
