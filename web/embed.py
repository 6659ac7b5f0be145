"""The embeddable claim card and its oEmbed answer: what may be framed, and by whom.

Every page refuses to be framed except the card. The security-header middleware asks
``is_frameable(path)`` and, for a frameable path, keeps the response's own
``Content-Security-Policy`` (``EMBED_CSP``: no inline script, ``frame-ancestors *``) and adds
no ``X-Frame-Options``.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

FRAMEABLE = re.compile(r"^/claims/[^/]+/embed$")
"""Paths any site may frame: the claim cards (``/claims/{slug}/embed``)."""

EMBED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *"
)
"""The card's Content-Security-Policy: its own script and styles only, framed by anyone."""

REFRESH_DEFAULT, REFRESH_MIN, REFRESH_MAX = 15, 1, 300
"""Seconds between the card's checks of its claim (``?refresh=``), and the bounds."""

WIDTH, HEIGHT = 400, 220
MIN_WIDTH, MIN_HEIGHT = 200, 120
_CLAIM_PATH = re.compile(r"^/claims/([^/]+?)(?:/embed)?/?$")


def is_frameable(path: str) -> bool:
    """Whether a response to ``path`` may be framed by any site (the claim cards only)."""
    return FRAMEABLE.match(path) is not None


def refresh_seconds(raw: str | None) -> int:
    """Read ``?refresh=`` (seconds between checks), clamped; the default when absent or bad."""
    if raw is None or not raw.isdigit():
        return REFRESH_DEFAULT
    return max(REFRESH_MIN, min(REFRESH_MAX, int(raw)))


def claim_ref(url: str, public_url: str) -> str | None:
    """Return the claim slug (or id) a tracker URL names, or None when it names no claim here."""
    parts, home = urlsplit(url), urlsplit(public_url)
    if (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
        return None
    base = home.path.rstrip("/")
    if not parts.path.startswith(base + "/"):
        return None
    match = _CLAIM_PATH.match(parts.path[len(base) :])
    return match.group(1) if match else None


def oembed(
    claim: dict[str, Any],
    *,
    public_url: str,
    provider: str,
    maxwidth: int | None,
    maxheight: int | None,
) -> dict[str, Any]:
    """Return the oEmbed 1.0 "rich" answer for a claim: an iframe of its card."""
    width = max(MIN_WIDTH, min(WIDTH, maxwidth or WIDTH))
    height = max(MIN_HEIGHT, min(HEIGHT, maxheight or HEIGHT))
    src = f"{public_url}/claims/{claim['slug']}/embed"
    title = f"Claim: {claim['statement']}"
    frame = (
        f'<iframe src="{html.escape(src)}" width="{width}" height="{height}" '
        f'title="{html.escape(title)}" frameborder="0" loading="lazy"></iframe>'
    )
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": provider,
        "provider_url": public_url,
        "title": claim["statement"],
        "author_name": claim["claimant"],
        "html": frame,
        "width": width,
        "height": height,
        "cache_age": 300,
    }


def discovery_href(public_url: str, slug: str) -> str:
    """The oEmbed discovery link of a claim's page."""
    return "/oembed?" + urlencode({"url": f"{public_url}/claims/{slug}", "format": "json"})
