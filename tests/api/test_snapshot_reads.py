"""Claim reads past the cache see every write the process has made, also once reads share a
read transaction (SQLite, ``storage/snapshots.py``: after the mark has settled)."""

from __future__ import annotations

import time


def test_a_write_shows_in_the_next_read_once_reads_have_settled(client, make_claim, reviewer):
    first, second = make_claim(), make_claim()
    client.get(f"/v1/claims/{second.id}")
    time.sleep(0.25)  # no write for two polls: the next misses share a read transaction
    assert client.get(f"/v1/claims/{first.id}").json()["status"] == "pending"

    written = client.post(
        f"/v1/claims/{first.id}/status",
        json={"status": "in_progress", "note": "talks began"},
        headers={**reviewer, "If-Match": first.etag},
    )
    read = client.get(f"/v1/claims/{first.id}")

    assert written.status_code == 200, written.text
    assert read.json()["status"] == "in_progress"
    assert read.headers["ETag"] == written.headers["ETag"]
