"""Security headers on every response: no inline script, no framing, no sniffing.

Plain ASGI, outside both doors, so pages, API answers, errors and static files all carry
them, whichever layer answered. A response that sets its own ``Content-Security-Policy``
keeps it; the claim cards (``web.embed.is_frameable``) are the only answers any site may
frame. ``/docs`` sets its own policy (``page_csp`` with its one inline script's hash: see
``api.routes.docs``). FastAPI's ``/redoc`` gets none: FastAPI's own page, built from an inline
script and a CDN's files, for developers rather than readers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class SecurityHeaders:
    """Add the security headers to every HTTP response (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        frameable = is_frameable(path)
        policy = not frameable and path not in DEVELOPER_PAGES

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in _ALWAYS if h[0] not in names]
                if not frameable and b"x-frame-options" not in names:
                    headers += _NOT_FRAMED
                if policy and b"content-security-policy" not in names:
                    html = any(
                        n.lower() == b"content-type" and v.startswith(b"text/html")
                        for n, v in headers
                    )
                    headers.append((b"content-security-policy", PAGE_CSP if html else DATA_CSP))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
