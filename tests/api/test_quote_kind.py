"""A claim's quote is direct (the claimant's words) or reported (the outlet's paraphrase):
``quote_kind``, null exactly when there is no quote, direct when a quote comes without one."""

from __future__ import annotations

from tests.conftest import write_marks

QUOTE = "I think we're going to have a deal with China"
PARAPHRASE = "Trump could visit Beijing early next year"


def patch(client, claim, reviewer, body):
    return client.patch(
        f"/v1/claims/{claim.id}", json=body, headers={**reviewer, "If-Match": claim.etag}
    )


def last_changes(client, claim_id):
    return client.get(f"/v1/claims/{claim_id}/history").json()["events"][-1]["changes"]


def test_quote_sent_without_a_kind_is_direct(make_claim):
    claim = make_claim(quote=QUOTE)

    assert claim.body["quote_kind"] == "direct"


def test_reported_quote_is_kept_as_reported(client, make_claim):
    claim = make_claim(quote=PARAPHRASE, quote_kind="reported")

    assert client.get(f"/v1/claims/{claim.id}").json()["quote_kind"] == "reported"


def test_claim_without_a_quote_has_no_quote_kind(make_claim):
    claim = make_claim()

    assert (claim.body["quote"], claim.body["quote_kind"]) == (None, None)


def test_quote_kind_without_a_quote_is_refused_naming_the_field(client, reviewer, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        json={"statement": "Xi visits Washington", "claimant": "Scott Bessent",
              "quote_kind": "reported"},
        headers=reviewer,
    )  # fmt: skip

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["quote_kind"]
    assert write_marks(engine) == before


def test_unknown_quote_kind_is_refused_naming_the_field(client, reviewer):
    response = client.post(
        "/v1/claims",
        json={"statement": "Xi visits Washington", "claimant": "Scott Bessent",
              "quote": QUOTE, "quote_kind": "paraphrase"},
        headers=reviewer,
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quote_kind"


def test_created_event_records_the_quote_kind(client, make_claim):
    claim = make_claim(quote=PARAPHRASE, quote_kind="reported")

    created = client.get(f"/v1/claims/{claim.id}/history").json()["events"][0]

    assert created["changes"]["quote_kind"] == [None, "reported"]


def test_edit_of_the_quote_kind_is_recorded_before_and_after(client, make_claim, reviewer):
    claim = make_claim(quote=PARAPHRASE)

    response = patch(client, claim, reviewer, {"quote_kind": "reported"})

    assert response.status_code == 200, response.text
    assert response.json()["quote_kind"] == "reported"
    assert last_changes(client, claim.id) == {"quote_kind": ["direct", "reported"]}


def test_removing_the_quote_clears_its_kind(client, make_claim, reviewer):
    claim = make_claim(quote=PARAPHRASE, quote_kind="reported")

    response = patch(client, claim, reviewer, {"quote": None})

    assert response.json()["quote_kind"] is None
    assert last_changes(client, claim.id) == {
        "quote": [PARAPHRASE, None],
        "quote_kind": ["reported", None],
    }


def test_adding_a_quote_in_an_edit_makes_it_direct(client, make_claim, reviewer):
    claim = make_claim()

    response = patch(client, claim, reviewer, {"quote": QUOTE})

    assert response.json()["quote_kind"] == "direct"


def test_rewording_a_quote_keeps_its_kind(client, make_claim, reviewer):
    claim = make_claim(quote=PARAPHRASE, quote_kind="reported")

    response = patch(
        client, claim, reviewer, {"quote": PARAPHRASE + ", just ahead of the New Year"}
    )

    assert response.json()["quote_kind"] == "reported"


def test_null_kind_for_a_quote_that_stays_is_refused_and_changes_nothing(
    client, make_claim, reviewer, engine
):
    claim = make_claim(quote=QUOTE)
    before = write_marks(engine)

    response = patch(client, claim, reviewer, {"quote_kind": None})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["quote_kind"]
    assert write_marks(engine) == before


def test_list_shows_the_quote_kind(client, make_claim):
    make_claim(quote=PARAPHRASE, quote_kind="reported")

    items = client.get("/v1/claims").json()["items"]

    assert [c["quote_kind"] for c in items] == ["reported"]
