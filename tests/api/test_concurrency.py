"""No lost update: If-Match on every write, checked by compare-and-set in the database."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import EVIDENCE, write_marks


def test_write_without_if_match_is_428(client, make_claim, reviewer, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = client.patch(f"/v1/claims/{claim.id}", json={"quote": "x"}, headers=reviewer)

    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("", {"quote": "new words"}),
        ("/status", {"status": "stalled", "note": "no talks"}),
        ("/evidence", EVIDENCE),
    ],
)
def test_stale_if_match_is_412_with_current_version_and_changes_nothing(
    client, make_claim, editor, engine, path, body
):
    claim = make_claim()
    fresh = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "Edited statement"},
        headers={**editor, "If-Match": claim.etag},
    )
    before = write_marks(engine)
    method = client.patch if path == "" else client.post

    response = method(
        f"/v1/claims/{claim.id}{path}", json=body, headers={**editor, "If-Match": claim.etag}
    )

    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    assert response.json()["current_etag"] == fresh.headers["ETag"]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json()["version"] == 2


def test_if_match_read_before_the_claim_turned_overdue_still_writes(client, make_claim, editor):
    # The tag's letter follows the calendar, not writes: a form read before midnight (1.n)
    # still writes after the claim turned overdue (1.o), for no one changed it meanwhile.
    claim = make_claim(due_by="2025-12-31")
    assert claim.etag == '"1.o"'
    read_before_midnight = '"1.n"'

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"quote": "new words"},
        headers={**editor, "If-Match": read_before_midnight},
    )

    assert response.status_code == 200, response.text


def test_weak_etag_is_412(client, make_claim, editor):
    claim = make_claim()

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"quote": "x"},
        headers={**editor, "If-Match": "W/" + claim.etag},
    )

    assert response.status_code == 412


def test_get_returns_the_etag_a_write_needs(client, make_claim, editor):
    claim = make_claim()
    etag = client.get(f"/v1/claims/{claim.slug}").headers["ETag"]

    response = client.patch(
        f"/v1/claims/{claim.id}", json={"quote": "x"}, headers={**editor, "If-Match": etag}
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_racing_writers_with_one_etag_exactly_one_wins(client, make_claim, editor, engine):
    claim = make_claim()
    before = write_marks(engine)
    statuses: list[int] = []
    start = threading.Barrier(8)

    def write(n: int) -> None:
        start.wait()
        response = client.post(
            f"/v1/claims/{claim.id}/status",
            json={"status": "in_progress", "note": f"writer {n}"},
            headers={**editor, "If-Match": claim.etag},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(statuses) == [200] + [412] * 7
    seq, events = write_marks(engine)
    assert (seq - before[0], events - before[1]) == (1, 1)
    assert client.get(f"/v1/claims/{claim.id}").json()["version"] == 2
