"""The ceiling: a bare Starlette app that returns one precomputed list page as bytes.

Served the same way as the tracker (uvicorn, one worker, uvloop and httptools, no access log),
it is what "as fast as this machine serves a JSON page from Python" means in bench/README.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route


def make_app(body: bytes) -> Starlette:
    """Return the bare app answering every GET /page with ``body``."""

    async def page(_request: object) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/page", page)])


if __name__ == "__main__":
    page_file, port = Path(sys.argv[1]), int(sys.argv[2])
    app = make_app(page_file.read_bytes())
    os.environ.setdefault("PYTHONHASHSEED", "0")
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")
