"""``POST /v1/intake/held``: which proposals of a story the tracker already holds."""

from __future__ import annotations

QUOTE = "We are going to be able to discuss substantial soybean purchases"


def test_held_marks_the_same_passage_of_the_same_source(client, reviewer, make_claim):
    source = client.post(
        "/v1/sources", json={"title": "Soy story", "url": "https://example.org/soy"},
        headers=reviewer,
    ).json()  # fmt: skip
    make_claim(source_id=source["id"], quote=QUOTE)
    body = {
        "title": "Soy story",
        "url": "https://example.org/soy",
        "proposals": [
            {"quote": "to discuss substantial soybean purchases", "slug": "soy-purchases"},
            {"quote": "Something else entirely will happen", "slug": "something-else"},
        ],
    }

    response = client.post("/v1/intake/held", json=body, headers=reviewer)

    assert response.status_code == 200
    assert response.json() == {"source_id": source["id"], "held": [True, False]}


def test_held_of_an_unrecorded_story_holds_nothing(client, reviewer):
    body = {"title": "New story", "proposals": [{"quote": QUOTE, "slug": "soy"}]}

    response = client.post("/v1/intake/held", json=body, headers=reviewer)

    assert response.json() == {"source_id": None, "held": [False]}


def test_held_needs_a_reviewer(client, viewer):
    body = {"title": "New story", "proposals": []}

    assert client.post("/v1/intake/held", json=body).status_code == 401
    assert client.post("/v1/intake/held", json=body, headers=viewer).status_code == 403
    # the role first: a viewer hears 403 whatever its body lacks
    assert client.post("/v1/intake/held", json={"title": "x"}, headers=viewer).status_code == 403
