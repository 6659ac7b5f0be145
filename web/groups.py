"""What the claimant, topic and story pages receive: a group's claims, scorecard and links.

The routes in ``api/routes/newsroom.py`` fetch through ``claims.profiles`` and call one
function here; the templates only lay things out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from web import present


def _rows(items: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    return [{"claim": c, "deadline": present.deadline(c, today)} for c in items]


def _tiles(card: dict[str, Any], params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": s,
            "label": present.status_label(s),
            "count": card["by_status"].get(s, 0),
            "url": "/?" + urlencode({**params, "status": s}),
        }
        for s in present.STATUS_ORDER
    ]


def group(
    *,
    kind: str,
    title: str,
    data: dict[str, Any],
    board_params: dict[str, str],
    today: date,
) -> dict[str, Any]:
    """Context of a claimant's or topic's page: its claims, its scorecard, a link to the board."""
    card = data["scorecard"]
    return {
        "kind": kind,
        "title": title,
        "rows": _rows(data["items"], today),
        "more": data["more"],
        "card": card,
        "tiles": _tiles(card, board_params),
        "roles": sorted({c["claimant_role"] for c in data["items"] if c["claimant_role"]}),
        "board_url": "/?" + urlencode(board_params),
        "json_url": "/v1/claims?" + urlencode(board_params),
        "seq": data["seq"],
        "today": today,
    }


def story(
    *,
    source: dict[str, Any],
    data: dict[str, Any],
    updates: list[dict[str, Any]],
    today: date,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """Context of a story's page: the article, its claims with status, its dated updates."""
    card = data["scorecard"]
    return {
        "source": source,
        "paragraphs": [p.strip() for p in (source["text"] or "").split("\n\n") if p.strip()],
        "rows": _rows(data["items"], today),
        "more": data["more"],
        "card": card,
        "tiles": _tiles(card, {"source": source["id"]}),
        "updates": [{**u, "when": present.moment(u["at"], zone)} for u in updates],
        "board_url": "/?" + urlencode({"source": source["id"]}),
        "seq": data["seq"],
        "today": today,
    }


REVIEW_SECTIONS = (
    ("overdue", "Past the deadline, no verdict", "Oldest deadline first: an editor decides."),
    ("due_soon", "Due soon", "Soonest deadline first."),
    ("stale", "Untouched", "Least recently changed first."),
)


def review(*, queue: dict[str, Any], stale_days: int, today: date, now: datetime) -> dict[str, Any]:
    """Context of the review queue: its three sections, each row with its last change."""
    sections = []
    for key, title, order in REVIEW_SECTIONS:
        part = queue[key]
        rows = _rows(part["items"], today)
        for row in rows:
            changed = datetime.fromisoformat(row["claim"]["updated_at"])
            row["idle_days"] = max((now - changed).days, 0)
        hint = order
        if key == "stale":
            hint = f"Open claims nobody has changed for {stale_days} days or more. {order}"
        sections.append(
            {"key": key, "title": title, "hint": hint, "rows": rows, "total": part["total"]}
        )
    return {
        "sections": sections,
        "total": sum(s["total"] for s in sections),
        "stale_days": stale_days,
        "seq": queue["seq"],
        "today": today,
    }


CLAIM_FIELDS = (
    "statement", "quote", "quote_kind", "claimant", "claimant_role", "source_id", "stated_on",
    "certainty",
    "condition", "condition_claim_id", "due_from", "due_by", "due_text", "resolution_criteria",
    "topics",
)  # fmt: skip
"""The claim record's editable fields, as the form names them (the API's names)."""


def claim_form(
    *,
    claim: dict[str, Any] | None,
    etag: str | None,
    sources: list[dict[str, Any]],
    source_id: int | None = None,
) -> dict[str, Any]:
    """Context of the new-claim form (``claim`` None) or of a claim's edit form."""
    values: dict[str, Any] = {name: "" for name in CLAIM_FIELDS}
    values["certainty"] = "asserted"
    values["quote_kind"] = "direct"
    if claim is not None:
        values.update({k: "" if claim[k] is None else claim[k] for k in CLAIM_FIELDS})
        values["topics"] = ", ".join(claim["topics"])
    elif source_id is not None:
        values["source_id"] = source_id
    state = {
        "mode": "edit" if claim else "new",
        "id": claim["id"] if claim else None,
        "slug": claim["slug"] if claim else None,
        "etag": etag,
        "original": values,
    }
    return {
        "claim": claim,
        "values": values,
        "sources": sources,
        "state": state,
        "certainties": present.CERTAINTY_LABELS,
    }
