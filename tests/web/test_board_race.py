"""The board never skips a change: everything up to the seq a page carries is on that page.

The board script resumes its stream from the page's ``data-seq``, so a page that announced
seq N without showing the change N would never show it (until some later change). The page
used to read its list first and the seq after: on PostgreSQL (each statement its own
snapshot) a claim created in between was counted in the seq and missing from the list.
"""

from __future__ import annotations

import re
import threading

import httpx
import pytest

from claims.status import Role

RENDERS = 150


def _create_until(url: str, headers: dict[str, str], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        n = 0
        while not stop.is_set():
            n += 1
            http.post(
                "/v1/claims",
                json={"statement": f"Race claim number {n}", "claimant": "Race"},
                headers=headers,
            )


@pytest.mark.slow
def test_board_page_shows_every_claim_created_up_to_its_seq(live_server, make_token):
    editor = make_token(Role.EDITOR, "race-editor")
    stop = threading.Event()
    writer = threading.Thread(target=_create_until, args=(live_server.url, editor, stop))
    writer.start()
    missing: list[tuple[int, str]] = []
    try:
        with httpx.Client(base_url=live_server.url, timeout=30) as http:
            for _ in range(RENDERS):
                html = http.get("/", params={"sort": "-id"}).text  # the newest 200 claims
                seq = int(re.search(r'id="live" data-seq="(\d+)"', html).group(1))
                shown = set(re.findall(r'<tr data-slug="([^"]+)"', html))
                since = max(0, seq - 20)  # the 20 latest changes: all on the newest-first page
                created = http.get("/v1/changes", params={"since": since, "limit": 100}).json()
                missing += [
                    (c["seq"], c["slug"])
                    for c in created["changes"]
                    if c["seq"] <= seq and c["slug"] not in shown
                ]
                if missing:
                    break
    finally:
        stop.set()
        writer.join(timeout=30)

    assert missing == []
