"""Security headers on every response: no inline script, no framing, no sniffing.

``add_security_headers`` is applied by the edge (``api.edge``) to every response start, so
pages, API answers, errors and static files all carry them, whichever door answered. A
response that sets its own ``Content-Security-Policy`` keeps it; the claim cards
(``web.embed.is_frameable``) are the only answers any site may frame. ``/docs`` sets its own
policy (``page_csp`` with its one inline script's hash: see ``api.routes.docs``). FastAPI's
``/redoc`` gets none: FastAPI's own page, built from an inline script and a CDN's files, for
developers rather than readers.
"""

from __future__ import annotations

from web.embed import is_frameable

PAGE_CSP = (
    b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    b"frame-ancestors 'none'"
)
"""A page's policy: its own scripts and styles only (no inline script), never framed."""

DATA_CSP = b"default-src 'none'; frame-ancestors 'none'"
"""Any other answer (JSON, problems, feeds): nothing in it may run or be framed."""


def page_csp(*, script_hashes: list[str]) -> str:
    """A page's policy that also runs exactly the inline scripts with these hashes
    (``sha256-<base64>``), for a page that cannot do without one (``/docs``)."""
    allowed = " ".join(f"'{h}'" for h in script_hashes)
    return PAGE_CSP.decode().replace("script-src 'self'", f"script-src 'self' {allowed}", 1)


DEVELOPER_PAGES = frozenset({"/redoc"})

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_NOT_FRAMED = [(b"x-frame-options", b"DENY")]


_OURS = frozenset(
    {b"x-content-type-options", b"referrer-policy", b"x-frame-options", b"content-security-policy"}
)
_DATA_SET = [*_ALWAYS, *_NOT_FRAMED, (b"content-security-policy", DATA_CSP)]
_PAGE_SET = [*_ALWAYS, *_NOT_FRAMED, (b"content-security-policy", PAGE_CSP)]


def add_security_headers(path: str, headers: list[tuple[bytes, bytes]]) -> None:
    """Add the security headers a response to ``path`` lacks to its header list (in place).
    Names are lower case, as ASGI has them."""
    content_type = b""
    own = False
    for name, value in headers:
        if name in _OURS:
            own = True
        elif name == b"content-type":
            content_type = value
    html = content_type.startswith(b"text/html")
    # A card sets its own policy (``EMBED_CSP``); anything else at a card's path (a 404 for an
    # unknown claim, a 503) is an ordinary answer: never framed, nothing in it runs.
    frameable = own and is_frameable(path)
    if not own and not frameable and path not in DEVELOPER_PAGES:
        headers += _PAGE_SET if html else _DATA_SET  # the common case, in one step
        return
    names = {name for name, _ in headers}
    headers += [h for h in _ALWAYS if h[0] not in names]
    if not frameable and b"x-frame-options" not in names:
        headers += _NOT_FRAMED
    if not frameable and path not in DEVELOPER_PAGES and b"content-security-policy" not in names:
        headers.append((b"content-security-policy", PAGE_CSP if html else DATA_CSP))
