"""What each page's template receives: the fetched data, worded and linked for display.

The routes in ``api/routes/pages.py`` fetch through ``claims`` and call one function here;
the templates then only lay things out.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from claims.queries import ClaimQuery
from web import present

# The URL parameters the board understands (the list API's filters, sort and paging).
BOARD_PARAMS = (
    "status", "topic", "claimant", "source", "overdue", "due_soon", "due_before", "due_after",
    "q", "sort", "limit", "cursor",
)  # fmt: skip
FILTERS = (
    "status", "topic", "claimant", "source", "overdue", "due_soon", "due_before", "due_after", "q",
)  # fmt: skip
BOARD_LIMIT = 200


def board_params(raw: dict[str, str]) -> dict[str, str]:
    """Keep the board's parameters that have a value (a plain form also sends empty ones)."""
    return {k: raw[k].strip() for k in BOARD_PARAMS if raw.get(k, "").strip()}


def board_link(params: dict[str, str], **changes: str | None) -> str:
    """Return the board's URL with some parameters changed (None removes one).

    Changing a filter starts again from the first page.
    """
    merged = {**params, **changes}
    if any(k != "cursor" for k in changes):
        merged.pop("cursor", None)
    kept = {k: v for k, v in merged.items() if v is not None and v != ""}
    return "/?" + urlencode(kept) if kept else "/"


def board(
    *,
    page: dict[str, Any],
    summary: dict[str, Any],
    choices: dict[str, list[str]],
    query: ClaimQuery,
    params: dict[str, str],
    today: date,
    wall: bool = False,
) -> dict[str, Any]:
    """Context of the board: rows with deadlines, count tiles, filters, facets, pager.

    On the wall screen (``wall``) open claims come first, then verdicts, each in the page's
    sort order (within the page of 200).
    """
    rows = [{"claim": c, "deadline": present.deadline(c, today)} for c in page["items"]]
    if wall:
        rows.sort(key=lambda row: row["claim"]["status"] in present.VERDICT_STATUSES)
    filtered = any(k in params for k in FILTERS)
    tiles = [
        {
            "key": "total",
            "label": "All claims" if not filtered else "Matching",
            "count": summary["total"],
            "url": board_link(params, status=None, overdue=None, due_soon=None),
            "current": not any(k in params for k in ("status", "overdue", "due_soon")),
        }
    ]
    for status in present.STATUS_ORDER:
        tiles.append(
            {
                "key": status,
                "label": present.status_label(status),
                "count": summary["by_status"].get(status, 0),
                "url": board_link(params, status=status),
                "current": params.get("status") == status,
            }
        )
    for key, label in (("overdue", "Overdue"), ("due_soon", "Due soon")):
        tiles.append(
            {
                "key": key,
                "label": label,
                "count": summary[key],
                "url": board_link(params, **{key: "true"}),
                "current": params.get(key) == "true",
            }
        )
    cursor = params.get("cursor")
    return {
        "rows": rows,
        "tiles": tiles,
        "filtered": filtered,
        "params": params,
        "query": query,
        "claimants": choices["claimants"],
        "topics": choices["topics"],
        "seq": summary["seq"],
        "today": today,
        "next_url": board_link(params, cursor=page["next_cursor"]) if page["next_cursor"] else None,
        "first_url": board_link(params, cursor=None) if cursor else None,
        "limit": query.limit,
        "matching": summary["total"],
        "wall": wall,
    }


def claim(
    *,
    claim: dict[str, Any],
    etag: str,
    source: dict[str, Any] | None,
    condition: dict[str, Any] | None,
    events: list[dict[str, Any]],
    today: date,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """Context of a claim's page: the claim, its source, its timeline and what roles may do."""
    timeline = [{**e, "when": present.moment(e["at"], zone)} for e in events]
    last_move = next((e for e in reversed(timeline) if e["kind"] == "status_changed"), None)
    state = {
        "id": claim["id"],
        "slug": claim["slug"],
        "etag": etag,
        "version": claim["version"],
        "status": claim["status"],
        "offered": present.offered(claim["status"]),
        "labels": present.STATUS_LABELS,
    }
    return {
        "claim": claim,
        "deadline": present.deadline(claim, today),
        "window": present.window(claim),
        "source": source,
        "condition": condition,
        "timeline": timeline,
        "last_move": last_move,
        "state": state,
        "today": today,
    }
