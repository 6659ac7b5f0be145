"""The pages' static files (CSS, JavaScript), served by the app itself under ``/static/``.

Each URL carries a digest of the file (``/static/board.js?v=3f2a…``), so browsers may keep a
file for a year and still never run a stale one after an upgrade.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from claims.errors import NotFound
from web import STATIC_DIR

MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@lru_cache(maxsize=1)
def _digests() -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(STATIC_DIR.iterdir())
        if path.is_file() and path.suffix in MEDIA_TYPES
    }


def url(name: str) -> str:
    """Return the versioned URL of a static file. Raises KeyError for an unknown one."""
    return f"/static/{name}?v={_digests()[name]}"


def find(name: str) -> Path:
    """Return the path of a static file. Raises NotFound for anything not shipped."""
    if name not in _digests():
        raise NotFound(f"there is no static file {name!r}")
    return STATIC_DIR / name


def media_type(name: str) -> str:
    """Return the Content-Type of a static file."""
    return MEDIA_TYPES[Path(name).suffix]


def cache_control(name: str, version: str | None) -> str:
    """Cache a file forever when the URL names its current digest, else revalidate."""
    return FOREVER if version == _digests().get(name) else REVALIDATE
