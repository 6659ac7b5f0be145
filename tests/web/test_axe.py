"""axe-core on every page, at desktop and phone widths: no serious or critical violation.

The newer pages are also checked in their own flows (signed in, with results on screen);
this walks every page once, as a reader and as a signed-in editor where it changes the page.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import axe_violations, sign_in

pytestmark = pytest.mark.slow

SLUG = "xi-reciprocal-washington-meeting-before-g20"
PAGES = [
    "/",
    "/?screen=wall",
    f"/claims/{SLUG}",
    f"/claims/{SLUG}/edit",
    f"/claims/{SLUG}/embed",
    "/claims/new",
    "/claimants/scott-bessent",
    "/topics/diplomacy",
    "/sources/1",
    "/review",
    "/intake",
]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violation(open_tab, path, width):
    tab = open_tab(path, width=width, height=900)

    assert axe_violations(tab.page) == []
    assert tab.errors == []


@pytest.mark.parametrize("width", [1440, 390])
def test_claim_page_signed_in_has_no_serious_axe_violation(open_tab, server, width):
    tab = open_tab(f"/claims/{SLUG}", width=width, height=900)
    sign_in(tab.page, server.token("editor"))

    assert axe_violations(tab.page) == []
