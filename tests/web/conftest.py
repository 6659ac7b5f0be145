"""Browser fixtures: a real ``claims serve`` process and Debian's Chromium driven by Playwright.

The server runs once per session on a temporary SQLite file (it migrates and loads the seed
claims itself); each browser test works on its own seed claims, so the order does not matter.
Chromium is never downloaded: the tests use /usr/bin/chromium (``apt-get install -y chromium``)
and skip with the reason when it is missing, unless ``CI=true``, where that fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, from the npm registry: ``npm install --prefix tests/web --no-save axe-core@4``."""
SCREENSHOTS = REPO / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``claims serve`` and helpers to arrange data through its API and CLI."""

    url: str
    database_url: str
    http: httpx.Client
    tokens: dict[str, str] = field(default_factory=dict)

    def claims(self, *args: str) -> str:
        """Run ``claims ARGS`` on the server's database; return its standard output."""
        result = subprocess.run(
            [sys.executable, "-m", "claims", *args],
            env={**os.environ, "CLAIMS_DATABASE_URL": self.database_url},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def token(self, role: str) -> str:
        """A token of ``role``, created once with ``claims token create`` (its last line)."""
        if role not in self.tokens:
            out = self.claims("token", "create", "--name", f"web-{role}", "--role", role)
            self.tokens[role] = out.strip().splitlines()[-1]
        return self.tokens[role]

    def auth(self, role: str) -> dict[str, str]:
        """The Authorization header of a token of ``role``."""
        return {"Authorization": f"Bearer {self.token(role)}"}

    def claim(self, slug: str) -> httpx.Response:
        """GET one claim through the API."""
        response = self.http.get(f"/v1/claims/{slug}")
        assert response.status_code == 200, response.text
        return response

    def set_status(self, slug: str, role: str, status: str, note: str, **extra: Any) -> dict:
        """Change a claim's status through the API, as a person with ``role`` would."""
        current = self.claim(slug)
        response = self.http.post(
            f"/v1/claims/{current.json()['id']}/status",
            json={"status": status, "note": note, **extra},
            headers={**self.auth(role), "If-Match": current.headers["ETag"]},
        )
        assert response.status_code == 200, response.text
        return response.json()

    def history(self, slug: str) -> list[dict]:
        """A claim's history events, oldest first."""
        claim_id = self.claim(slug).json()["id"]
        return self.http.get(f"/v1/claims/{claim_id}/history").json()["events"]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; skip (or, with CI=true, fail) when it is not installed."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``claims serve`` on a free port and a fresh SQLite file, seeded on start."""
    folder = tmp_path_factory.mktemp("web")
    database_url = f"sqlite:///{folder / 'claims.db'}"
    log = (folder / "serve.log").open("w")
    port = _free_port()
    env = {
        **os.environ,
        "CLAIMS_DATABASE_URL": database_url,
        "CLAIMS_HEARTBEAT_SECONDS": "1",
        "CLAIMS_DUE_SOON_DAYS": "21",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError("claims serve did not start:\n" + Path(log.name).read_text())
            time.sleep(0.2)
        # The server closes a keep-alive connection idle for 5 s (uvicorn's default); a request
        # sent on it as it closes is lost ("Server disconnected without sending a response"),
        # so the client drops idle connections well before that.
        limits = httpx.Limits(keepalive_expiry=2)
        with httpx.Client(base_url=url, timeout=10, limits=limits) as http:
            yield Server(url, database_url, http)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Any]:
    """One headless Chromium for a module's tests.

    Not for the session: Playwright's sync API runs an event loop in the test thread while it
    is open, and any later test of the worker that calls ``asyncio.run`` would fail with
    "cannot be called from a running event loop" (which tests follow depends on xdist's order).
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A browser tab on the server, with the errors its scripts raised and what it fetched.

    ``errors`` also holds every Content-Security-Policy refusal the browser reported, so a
    test that expects no errors also shows that the page works under its policy.
    """

    page: Any
    errors: list[str]
    requests: list[str]


@pytest.fixture
def open_tab(browser: Any, server: Server) -> Iterator[Callable[..., Tab]]:
    """Open tabs in a fresh browser context (its own sessionStorage); closed after the test."""
    contexts: list[Any] = []

    def open_(
        path: str = "/",
        *,
        width: int = 1440,
        height: int = 900,
        script: str = "",
        clock: bool = False,
    ) -> Tab:
        context = browser.new_context(
            base_url=server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        if script:
            context.add_init_script(script)
        if clock:
            # Playwright's fake clock: time still flows, and a test can fast-forward over a
            # page's long timers (the wall screen's page turn) instead of waiting them out.
            context.clock.install()
        page = context.new_page()
        page.set_default_timeout(10_000)
        tab = Tab(page, [], [])
        page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: tab.errors.append(msg.text)
            if "Content Security Policy" in msg.text
            else None,
        )
        page.on("request", lambda request: tab.requests.append(request.url))
        page.goto(path)
        return tab

    yield open_
    for context in contexts:
        context.close()


def sign_in(page: Any, token: str) -> None:
    """Sign in on a claim page with the keyboard: type the token into "Token", press Enter."""
    page.get_by_label("Token").fill(token)
    page.get_by_label("Token").press("Enter")
    page.locator("#session").wait_for(state="visible")


def axe_violations(page: Any) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, one line each.

    Skips (fails with CI=true) when axe-core is not installed (``.ci/run`` installs it).
    """
    if not AXE.exists():
        reason = f"{AXE} is missing: npm install --prefix tests/web --no-save axe-core@4"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the pages' policy refuses inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document).then(function (r) { return r.violations; })")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in results
        if v["impact"] in ("serious", "critical")
    ]
