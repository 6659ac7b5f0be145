"""Trusted reverse proxies: their ``X-Forwarded-*`` headers, and the public URL they imply.

Used by the edge (``api.edge``) only when ``CLAIMS_FORWARDED_ALLOW_IPS`` names proxies, before
anything else reads the request. For a request whose peer is one
of them, ``X-Forwarded-Proto`` becomes the scheme, the right-most untrusted address of
``X-Forwarded-For`` the client, and ``X-Forwarded-Proto`` with ``X-Forwarded-Host`` (else the
Host header the proxy sent) the base of the links the API builds (``public_url``: ClaimReview
and feed URLs). From any other peer these headers are ignored, so nobody can make the tracker
publish links to a host of their choosing. (``claims serve`` turns uvicorn's own proxy
handling off: it would hide the proxy's address before this layer could check it.)
"""

from __future__ import annotations

import ipaddress
import re

from starlette.types import Scope

from claims.config import Settings, trusted_proxies

_HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")


def public_settings(scope: Scope, settings: Settings) -> Settings:
    """The settings to build links with: ``public_url`` as a trusted proxy reported it."""
    state = scope.get("state")
    base = state.get("public_url") if isinstance(state, dict) else None
    return settings if base is None else settings.model_copy(update={"public_url": base})


class TrustedProxies:
    """Believe X-Forwarded-* from trusted proxies only (see the module docstring)."""

    def __init__(self, trusted: str) -> None:
        self.everyone, self.networks = trusted_proxies(trusted)

    def trusts(self, address: str | None) -> bool:
        """Tell whether ``address`` is a trusted proxy."""
        if self.everyone:
            return True
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def believe(self, scope: Scope) -> None:
        """Apply the forwarded headers to ``scope`` when its peer is a trusted proxy."""
        client = scope.get("client")
        if self.trusts(client[0] if client else None):
            self._apply(scope, client)

    def _apply(self, scope: Scope, client: tuple[str, int] | None) -> None:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name in (b"x-forwarded-proto", b"x-forwarded-for", b"x-forwarded-host", b"host"):
                headers[name.decode("latin-1")] = value.decode("latin-1")
        proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto
        chain = [a.strip() for a in headers.get("x-forwarded-for", "").split(",") if a.strip()]
        for address in reversed(chain):
            if not self.trusts(address):
                scope["client"] = (address, 0)
                break
        host = headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host")
        if (proto or "x-forwarded-host" in headers) and host and _HOST.fullmatch(host):
            base = f"{proto or scope.get('scheme', 'http')}://{host}"
            scope.setdefault("state", {})["public_url"] = base
