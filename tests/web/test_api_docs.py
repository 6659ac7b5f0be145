"""`/docs`: Swagger UI from this server's own files (no CDN), under a policy that runs only
its one inline bootstrap script."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

# The docs page does not depend on the database.
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

ATTRIBUTE_URL = re.compile(r'(?:src|href)="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _directives(csp: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.partition(" ")[2] for d in (x.strip() for x in csp.split(";"))}


def test_docs_page_and_every_file_it_loads_come_from_this_server(client):
    page = client.get("/docs")
    urls = ATTRIBUTE_URL.findall(page.text)
    urls += re.findall(r"url: '([^']*)'", page.text)  # the OpenAPI document Swagger UI reads

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text
    assert "https://" not in page.text
    assert len(urls) == 4  # the script, the stylesheet, the icon and /openapi.json
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
        loaded = client.get(url)
        assert loaded.status_code == 200, url
        assert loaded.content, url


def test_docs_assets_have_their_types_and_are_kept_for_good(client):
    urls = ATTRIBUTE_URL.findall(client.get("/docs").text)
    types = {url.split("?")[0].rsplit(".", 1)[1]: client.get(url) for url in urls}

    assert types["js"].headers["content-type"].startswith("text/javascript")
    assert types["css"].headers["content-type"].startswith("text/css")
    assert types["png"].headers["content-type"] == "image/png"
    assert {r.headers["cache-control"] for r in types.values()} == {
        "public, max-age=31536000, immutable"
    }


def test_docs_policy_runs_only_the_page_s_own_inline_script_and_nothing_from_elsewhere(client):
    page = client.get("/docs")
    policy = page.headers["content-security-policy"]
    scripts = INLINE_SCRIPT.findall(page.text)
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()

    assert len(scripts) == 1
    assert _directives(policy)["script-src"] == f"'self' 'sha256-{digest}'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy
    assert _directives(policy)["frame-ancestors"] == "'none'"
    assert page.headers["x-frame-options"] == "DENY"


def test_an_unknown_docs_asset_is_a_404_problem(client):
    response = client.get("/docs/assets/index.html")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
