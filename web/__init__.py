"""The built-in web pages' presentation: Jinja2 templates, static files and display helpers.

Nothing here holds a rule or runs a query: routes in ``api/routes/pages.py`` fetch the data
through ``claims`` and hand it to these templates. Everything the pages need (CSS, JavaScript)
ships inside this package and is served by the app itself: no build step, no CDN.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
