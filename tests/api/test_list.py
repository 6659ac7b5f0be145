"""The claim list: every filter, every sort, keyset pagination."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import EVIDENCE


@pytest.fixture
def board(client, make_claim, editor):
    """Five claims with different statuses, deadlines, topics and claimants."""
    made = {
        "beijing": make_claim(
            statement="Trump visits Beijing before the Lunar New Year",
            claimant="Scott Bessent",
            due_from="2099-01-01",
            due_by="2099-02-16",
            topics=["diplomacy"],
        ),
        "soybeans": make_claim(
            statement="China buys substantial soybeans",
            quote="substantial soybean and [agriculture] purchases",
            due_by="2025-10-30",
            topics=["agriculture", "trade-deal"],
        ),
        "deal": make_claim(
            statement="A US-China deal is reached",
            claimant="Donald Trump",
            due_by=None,
            topics=["trade-deal"],
        ),
        "g20": make_claim(
            statement="Xi attends the G20 next fall", due_by="2099-12-20", topics=["diplomacy"]
        ),
        "tariffs": make_claim(
            statement="100% tariffs are averted", due_by="2025-11-01", topics=["tariffs"]
        ),
    }
    client.post(
        f"/v1/claims/{made['tariffs'].id}/status",
        json={"status": "fulfilled", "note": "truce", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": made["tariffs"].etag},
    )
    client.post(
        f"/v1/claims/{made['g20'].id}/status",
        json={"status": "in_progress", "note": "invited"},
        headers={**editor, "If-Match": made["g20"].etag},
    )
    return made


def slugs(client, query: str) -> list[str]:
    response = client.get(f"/v1/claims?{query}")
    assert response.status_code == 200, response.text
    return [c["slug"] for c in response.json()["items"]]


def names(board, *keys: str) -> list[str]:
    return [board[k].slug for k in keys]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", ["soybeans", "beijing", "deal"]),
        ("status=open", ["soybeans", "beijing", "g20", "deal"]),
        ("status=verdict", ["tariffs"]),
        ("status=fulfilled,in_progress", ["tariffs", "g20"]),
        ("topic=diplomacy", ["beijing", "g20"]),
        ("topic=tariffs,trade-deal", ["soybeans", "tariffs", "deal"]),
        ("claimant=Donald%20Trump", ["deal"]),
        ("claimant=trump", ["deal"]),
        ("claimant=BESSENT", ["soybeans", "tariffs", "beijing", "g20"]),
        ("overdue=true", ["soybeans"]),
        ("due_before=2025-11-01", ["soybeans", "tariffs"]),
        ("due_after=2026-02-16", ["beijing", "g20"]),
        ("due_after=2025-11-01&due_before=2099-02-16", ["tariffs", "beijing"]),
        ("q=soybean", ["soybeans", "tariffs"]),  # tariffs: the title of its evidence
        ("q=truce", ["tariffs"]),  # the note of its status change
        ("q=cargoes%20averted", ["tariffs"]),  # one word in the evidence, one in the statement
        ("q=agricult", ["soybeans"]),
        ("q=trump%20beijing", ["beijing"]),
        ("q=donald", ["deal"]),
        ("q=nothing-like-this", []),
    ],
)
def test_filter_selects_exactly_the_matching_claims(client, board, query, expected):
    assert slugs(client, query) == names(board, *expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due_by", ["soybeans", "tariffs", "beijing", "g20", "deal"]),
        ("-due_by", ["g20", "beijing", "tariffs", "soybeans", "deal"]),
        ("id", ["beijing", "soybeans", "deal", "g20", "tariffs"]),
        ("-id", ["tariffs", "g20", "deal", "soybeans", "beijing"]),
        ("created_at", ["beijing", "soybeans", "deal", "g20", "tariffs"]),
        ("-updated_at", ["g20", "tariffs", "deal", "soybeans", "beijing"]),
    ],
)
def test_sort_orders_claims_with_open_ended_last(client, board, sort, expected):
    assert slugs(client, f"sort={sort}") == names(board, *expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=done", "status"),
        ("overdue=perhaps", "overdue"),
        ("due_before=2025-13-01", "due_before"),
        ("sort=statement", "sort"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("source=0", "source"),
        ("stauts=open", "stauts"),
        ("status=open&status=verdict", "status"),
        ("due_after=9999-12-32", "due_after"),
    ],
)
def test_invalid_filter_value_is_422_naming_it(client, query, field):
    response = client.get(f"/v1/claims?{query}")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("sort", ["due_by", "-due_by", "id", "-updated_at", "stated_on"])
def test_walking_the_pages_returns_every_claim_once(client, board, make_claim, sort):
    for n in range(7):
        make_claim(
            statement=f"Extra claim {n}", due_by=None if n % 3 == 0 else "2026-01-0" + str(n + 1)
        )
    expected = slugs(client, f"sort={sort}&limit=200")

    seen: list[str] = []
    url = f"/v1/claims?sort={sort}&limit=3"
    while url:
        page = client.get(url).json()
        seen += [c["slug"] for c in page["items"]]
        url = (
            f"/v1/claims?sort={sort}&limit=3&cursor={page['next_cursor']}"
            if page["next_cursor"]
            else ""
        )

    assert seen == expected
    assert len(seen) == 12


def test_walk_during_concurrent_inserts_misses_no_existing_claim(client, board, make_claim):
    for n in range(10):
        make_claim(statement=f"Existing claim {n}")
    existing = set(slugs(client, "sort=id&limit=200"))
    stop = threading.Event()

    def insert() -> None:
        n = 0
        while not stop.is_set() and n < 40:
            make_claim(statement=f"Inserted during the walk {n}")
            n += 1

    writer = threading.Thread(target=insert)
    writer.start()
    seen: list[str] = []
    cursor = None
    try:
        while True:
            url = "/v1/claims?sort=id&limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = client.get(url).json()
            seen += [c["slug"] for c in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    finally:
        stop.set()
        writer.join()

    assert len(seen) == len(set(seen))
    assert existing <= set(seen)


def test_cursor_of_another_sort_is_422(client, board):
    page = client.get("/v1/claims?sort=id&limit=2").json()

    response = client.get(f"/v1/claims?sort=due_by&cursor={page['next_cursor']}")

    assert response.status_code == 422


def test_list_items_have_the_public_claim_shape(client, board):
    from claims.models import ClaimPage

    ClaimPage.model_validate(client.get("/v1/claims").json())


def test_q_searches_resolution_criteria(client, board, make_claim):
    made = make_claim(statement="A framework is signed", resolution_criteria="Both leaders sign")

    assert slugs(client, "q=leaders") == [made.slug]


def test_q_with_several_words_lists_claims_holding_every_word(client, board):
    assert slugs(client, "q=lunar%20beijing") == slugs(client, "q=beijing%20lunar")
    assert len(slugs(client, "q=lunar%20beijing")) == 1
    assert slugs(client, "q=zzzz%20beijing") == []


def test_overdue_false_lists_open_claims_without_a_deadline(client, board):
    listed = slugs(client, "overdue=false&limit=200")
    summary = client.get("/v1/summary?overdue=false").json()

    assert board["deal"].slug in listed
    assert summary["total"] == len(listed)


def test_source_filter_lists_one_articles_claims(client, board, make_claim, reviewer):
    source = client.post("/v1/sources", json={"title": "Wire story"}, headers=reviewer).json()
    made = make_claim(statement="A port reopens", source_id=source["id"])

    assert slugs(client, f"source={source['id']}") == [made.slug]


def test_unknown_status_names_the_allowed_values_not_a_pattern(client):
    response = client.get("/v1/claims?status=done")

    message = response.json()["errors"][0]["message"]
    assert "open, verdict" in message
    assert "fulfilled" in message
    assert "^" not in message


def test_unknown_query_parameter_is_422_naming_it(client):
    response = client.get("/v1/claims?stauts=open")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "stauts", "message": "is not a query parameter of this endpoint"}
    ]


def test_cache_buster_parameter_is_accepted_and_ignored(client, board):
    assert slugs(client, "status=verdict&_=1733400000") == names(board, "tariffs")


def test_claimant_filter_matches_accented_capitals_in_any_case(client, make_claim):
    wanted = make_claim(claimant="Émile Ärger")
    make_claim(claimant="Emile Arger")

    for term in ("Émile Ärger", "émile ärger", "ÄRGER"):
        found = client.get("/v1/claims", params={"claimant": term}).json()["items"]
        assert [c["id"] for c in found] == [wanted.id], term


# Empty, spaces, a tab, a zero-width space: nothing to search for, like the other empty filters
# (claimant=, overdue=, cursor=), not a search that silently finds nothing.
@pytest.mark.parametrize("path", ["/v1/claims", "/v1/summary", "/v1/claims.csv"])
@pytest.mark.parametrize("q", ["", "%20%20", "%09", "%E2%80%8B"])
def test_empty_or_blank_q_is_422_naming_q(client, path, q):
    response = client.get(f"{path}?q={q}")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "q"
    assert "search" in error["message"]


@pytest.fixture
def symbols(client, make_claim, editor):
    """Claims whose texts hold symbols and emoji, and one without any."""
    made = {
        "smiles": make_claim(statement="😀😀😀"),
        "rates": make_claim(statement="Rates fall 0.5% by June", quote='"Rates will fall"'),
        "plain": make_claim(statement="Tariffs fall"),
        "noted": make_claim(statement="The port reopens"),
    }
    client.post(
        f"/v1/claims/{made['noted'].id}/status",
        json={"status": "in_progress", "note": "Cranes are back ✅"},
        headers={**editor, "If-Match": made["noted"].etag},
    )
    return made


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("%F0%9F%98%80", ["smiles"]),  # 😀
        ("%25", ["rates"]),  # % is looked for, not a wildcard
        ("%22", ["rates"]),  # " in the quote
        ("%E2%9C%85", ["noted"]),  # ✅ in the status change's note
        ("%20%F0%9F%98%80%20%20", ["smiles"]),  # spaces around are not part of it
        ("%F0%9F%98%80%20%25", []),  # each part must be found
        ("*", []),
        ("_", []),  # _ is looked for, not a wildcard
        ("%F0%9F%98%80%20tariffs", ["plain"]),  # beside a word, symbols are separators
    ],
)
def test_q_without_letters_or_digits_finds_the_symbols_as_written(client, symbols, q, expected):
    summary = client.get(f"/v1/summary?q={q}").json()

    assert slugs(client, f"q={q}") == names(symbols, *expected)
    assert summary["total"] == len(expected)
