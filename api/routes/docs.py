"""FastAPI's interactive API docs at ``/docs``, served without a CDN.

The page is FastAPI's own (``get_swagger_ui_html``); Swagger UI's files come from a package
on PyPI, ``fastapi-swagger``, which ships Swagger UI 5 (the first to read the OpenAPI 3.1
document FastAPI writes), and are served here under ``/docs/assets/``. The page's one inline
script, which starts Swagger UI, is allowed by its SHA-256 in the page's
Content-Security-Policy: nothing else runs inline and nothing loads from another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import metadata, resources
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, Response

from api.security import page_csp
from claims.errors import NotFound

router = APIRouter(include_in_schema=False)

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
_PACKAGE = "fastapi-swagger"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_FOREVER = "public, max-age=31536000, immutable"


@router.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI for this API, from this server's own files."""
    root = request.scope.get("root_path", "").rstrip("/")
    html, policy = _page(root, root + (request.app.openapi_url or ""), request.app.title)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": policy, "Cache-Control": "no-cache"}
    )


@router.get("/docs/assets/{name}")
def docs_asset(name: Annotated[str, Path(max_length=100)], v: str | None = None) -> Response:
    """One of Swagger UI's files; cached for good when the URL names the package's version."""
    if name not in ASSETS:
        raise NotFound(f"there is no API docs file {name!r}")
    body = (resources.files("fastapi_swagger") / "resources" / name).read_bytes()
    cache = _FOREVER if v == _version() else "no-cache"
    return Response(body, media_type=ASSETS[name], headers={"Cache-Control": cache})


@lru_cache(maxsize=8)
def _page(root: str, openapi_url: str, title: str) -> tuple[str, str]:
    def asset(name: str) -> str:
        return f"{root}/docs/assets/{name}?v={_version()}"

    html = bytes(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} - API docs",
            swagger_js_url=asset("swagger-ui-bundle.js"),
            swagger_css_url=asset("swagger-ui.css"),
            swagger_favicon_url=asset("favicon-32x32.png"),
            # No badge from the public validator: the page talks to this server only.
            swagger_ui_parameters={"validatorUrl": None},
        ).body
    ).decode("utf-8")
    hashes = [
        "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        for script in _INLINE_SCRIPT.findall(html)
    ]
    return html, page_csp(script_hashes=hashes)


@lru_cache(maxsize=1)
def _version() -> str:
    return metadata.version(_PACKAGE)
