"""Many tabs of one browser share one feed of changes (web/static/changes.js).

A browser opens at most six HTTP/1.1 connections to a host; were each live page to hold its own
stream, a seventh tab would never load. One tab reads the stream for all of them and passes
the changes on; when it closes, another takes over.
"""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.slow

LIVE = 5_000  # ms
PAGES = ["/", "/review", "/", "/review", "/", "/", "/"]


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def context(browser, server):
    context = browser.new_context(base_url=server.url)
    yield context
    context.close()


def _open(context, path):
    page = context.new_page()
    page.set_default_timeout(10_000)
    streams: list[str] = []
    page.on("request", lambda r: streams.append(r.url) if "/v1/stream" in r.url else None)
    page.goto(path)
    return page, streams


def test_seven_live_tabs_hold_one_stream_and_an_eighth_page_still_loads(context, server):
    expect = _expect()
    tabs = [_open(context, path) for path in PAGES]
    for page, _ in tabs:
        expect(page.locator("#live-status")).to_have_attribute("data-state", "live")

    started = time.monotonic()
    eighth = context.new_page()
    eighth.goto("/review", timeout=5_000)
    loaded_in = time.monotonic() - started

    assert loaded_in < 5
    assert sum(1 for _, streams in tabs if streams) == 1


def test_every_tab_shows_a_change_and_another_tab_takes_over_when_the_reader_closes(
    context, server
):
    expect = _expect()
    tabs = [_open(context, "/") for _ in range(3)]
    for page, _ in tabs:
        expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    created = server.http.post(
        "/v1/claims",
        json={"statement": "The shared feed reaches every tab", "claimant": "Feed Minister"},
        headers=server.auth("reviewer"),
    )
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]

    def row(page):
        return page.locator(f'#board tbody tr[data-slug="{slug}"]')

    for page, _ in tabs:
        expect(row(page)).to_have_attribute("data-status", "pending", timeout=LIVE)
    reader = next(i for i, (_, streams) in enumerate(tabs) if streams)
    tabs.pop(reader)[0].close()
    server.set_status(slug, "reviewer", "in_progress", "Talks resumed")

    for page, _ in tabs:
        expect(row(page)).to_have_attribute("data-status", "in_progress", timeout=LIVE)
    assert sum(1 for _, streams in tabs if streams) == 1
