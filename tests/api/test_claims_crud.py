"""Creating, reading and editing claims; slugs; validation that names the field."""

from __future__ import annotations

import pytest

from claims.models import ClaimPublic
from tests.conftest import write_marks


def test_create_returns_201_location_etag_and_public_shape(client, reviewer):
    response = client.post(
        "/v1/claims",
        json={
            "statement": "Xi attends the G20 summit in fall 2030",
            "claimant": "Scott Bessent",
            "stated_on": "2025-10-26",
            "due_from": "2030-09-22",
            "due_by": "2030-12-20",
            "certainty": "expected",
            "topics": ["diplomacy"],
        },
        headers=reviewer,
    )

    assert response.status_code == 201
    body = response.json()
    assert response.headers["Location"] == f"/v1/claims/{body['id']}"
    assert response.headers["ETag"] == '"1.n"'
    ClaimPublic.model_validate(body)
    assert body["slug"] == "xi-attends-the-g20-summit-in-fall-2030"


def test_read_by_id_and_by_slug_gives_the_same_claim(client, make_claim):
    claim = make_claim()

    by_id = client.get(f"/v1/claims/{claim.id}")
    by_slug = client.get(f"/v1/claims/{claim.slug}")

    assert by_id.json() == by_slug.json() == claim.body
    assert by_id.headers["ETag"] == claim.etag
    assert by_id.headers["Cache-Control"] == "no-cache"


def test_unknown_claim_is_404_problem(client):
    response = client.get("/v1/claims/no-such-claim")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_slug_derived_from_statement_is_unique(make_claim):
    first = make_claim(statement="Trump visits Beijing")
    second = make_claim(statement="Trump visits Beijing!")

    assert (first.slug, second.slug) == ("trump-visits-beijing", "trump-visits-beijing-2")


@pytest.mark.parametrize(
    ("statement", "slug"),
    [("123 456", "claim-123-456"), ("2025 2026", "claim-2025-2026"), ("New", "claim-new")],
)
def test_slug_derived_from_statement_can_name_the_claim(client, make_claim, statement, slug):
    claim = make_claim(statement=statement)

    assert claim.slug == slug
    assert client.get(f"/v1/claims/{slug}").json()["id"] == claim.id
    assert client.get(f"/claims/{slug}").status_code == 200


def test_slug_derived_from_statement_spells_letters_in_ascii(make_claim):
    claim = make_claim(statement="Straße Łódź Ørsted Æble œuvre")

    assert claim.slug == "strasse-lodz-orsted-aeble-oeuvre"


def test_a_reserved_slug_is_422_naming_slug(client, reviewer):
    response = client.post(
        "/v1/claims", json={"slug": "new", "statement": "x", "claimant": "y"}, headers=reviewer
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "slug"


def test_duplicate_slug_is_409_naming_slug(client, make_claim, reviewer, engine):
    make_claim(slug="beijing-visit")
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        json={"slug": "beijing-visit", "statement": "x", "claimant": "y"},
        headers=reviewer,
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "slug"
    assert write_marks(engine) == before


def test_slug_stays_when_statement_is_edited(client, make_claim, editor):
    claim = make_claim(statement="Trump visits Beijing")

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"statement": "Trump visits China"},
        headers={**editor, "If-Match": claim.etag},
    )

    assert response.json()["slug"] == "trump-visits-beijing"
    assert response.json()["statement"] == "Trump visits China"


def test_edit_records_each_field_before_and_after(client, make_claim, reviewer):
    claim = make_claim(topics=["agriculture"])

    client.patch(
        f"/v1/claims/{claim.id}",
        json={"due_by": "2026-01-31", "topics": ["agriculture", "tariffs"], "claimant_role": None},
        headers={**reviewer, "If-Match": claim.etag},
    )

    event = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert event["kind"] == "edited"
    assert event["changes"] == {
        "due_by": ["2025-12-31", "2026-01-31"],
        "topics": [["agriculture"], ["agriculture", "tariffs"]],
        "claimant_role": ["US Treasury Secretary", None],
    }


def test_edit_that_changes_nothing_keeps_version(client, make_claim, reviewer, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"claimant": "Scott Bessent"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert write_marks(engine) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statement": "", "claimant": "x"}, "statement"),
        ({"statement": "s" * 501, "claimant": "x"}, "statement"),
        ({"statement": "s"}, "claimant"),
        ({"statement": "s", "claimant": "x", "quote": "q" * 2001}, "quote"),
        ({"statement": "s", "claimant": "x", "due_by": "2025-02-30"}, "due_by"),
        ({"statement": "s", "claimant": "x", "stated_on": "yesterday"}, "stated_on"),
        ({"statement": "s", "claimant": "x", "certainty": "sure"}, "certainty"),
        ({"statement": "s", "claimant": "x", "topics": ["Rare Earths"]}, "topics.0"),
        ({"statement": "s", "claimant": "x", "slug": "Not A Slug"}, "slug"),
        ({"statement": "s", "claimant": "x", "status": "fulfilled"}, "status"),
        ({"statement": "s", "claimant": "x", "id": 7}, "id"),
        ({"statement": "s", "claimant": "x", "version": 3}, "version"),
        ({"statement": "s", "claimant": "x", "created_at": "2025-01-01T00:00:00Z"}, "created_at"),
        (
            {"statement": "s", "claimant": "x", "stated_on": "2025-10-26", "due_by": "2025-10-01"},
            "due_by",
        ),
        (
            {"statement": "s", "claimant": "x", "due_from": "2026-03-01", "due_by": "2026-02-01"},
            "due_by",
        ),
        ({"statement": "s", "claimant": "x", "source_id": 999}, "source_id"),
        # the summary's tally files "no deadline" under 9999-12-31: no real deadline may be there
        ({"statement": "s", "claimant": "x", "due_by": "9999-12-31"}, "due_by"),
        ({"statement": "s", "claimant": "x", "due_from": "9999-01-01"}, "due_from"),
        ({"statement": "s", "claimant": "x", "source_id": 2**70}, "source_id"),
    ],
)
def test_bad_create_is_422_naming_the_field_and_writes_nothing(
    client, reviewer, engine, body, field
):
    before = write_marks(engine)

    response = client.post("/v1/claims", json=body, headers=reviewer)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert write_marks(engine) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statement": None}, "statement"),
        ({"status": "broken"}, "status"),
        ({"slug": "new-slug"}, "slug"),
        ({"version": 5}, "version"),
        ({"due_by": "2020-01-01"}, "due_by"),
        ({"due_by": "9999-12-31"}, "due_by"),
        ({"updated_at": "2025-01-01T00:00:00Z"}, "updated_at"),
    ],
)
def test_bad_edit_is_422_naming_the_field_and_changes_nothing(
    client, make_claim, editor, engine, body, field
):
    claim = make_claim()
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}", json=body, headers={**editor, "If-Match": claim.etag}
    )

    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert write_marks(engine) == before
    assert client.get(f"/v1/claims/{claim.id}").json() == claim.body


def test_stated_on_defaults_to_the_sources_date(client, reviewer):
    source = client.post(
        "/v1/sources",
        json={"title": "Meet the Press transcript", "published_on": "2025-10-26"},
        headers=reviewer,
    )

    response = client.post(
        "/v1/claims",
        json={"statement": "s", "claimant": "x", "source_id": source.json()["id"]},
        headers=reviewer,
    )

    assert response.json()["stated_on"] == "2025-10-26"
    assert response.json()["source_id"] == source.json()["id"]


def test_conditional_claim_links_its_condition(client, make_claim):
    condition = make_claim(statement="China defers rare earth controls")

    claim = make_claim(
        statement="No 100% tariffs on November 1",
        certainty="conditional",
        condition="China defers its rare earth controls",
        condition_claim_id=condition.id,
    )

    assert claim.body["condition_claim_id"] == condition.id
    assert claim.body["certainty"] == "conditional"


def test_evidence_attaches_without_status_change_and_bumps_version(client, make_claim, reviewer):
    claim = make_claim()

    response = client.post(
        f"/v1/claims/{claim.id}/evidence",
        json={
            "url": "https://example.org/a",
            "title": "Cargo data",
            "publisher": "USDA",
            "published_on": "2025-11-05",
            "quote": "12 cargoes",
            "stance": "context",
        },
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("pending", 2)
    event = client.get(f"/v1/claims/{claim.id}/history").json()["events"][-1]
    assert event["kind"] == "evidence_added"
    assert event["evidence"] == [
        {
            "url": "https://example.org/a",
            "title": "Cargo data",
            "publisher": "USDA",
            "published_on": "2025-11-05",
            "quote": "12 cargoes",
            "stance": "context",
        }
    ]


def test_evidence_with_unknown_stance_is_422(client, make_claim, reviewer):
    claim = make_claim()

    response = client.post(
        f"/v1/claims/{claim.id}/evidence",
        json={"url": "https://example.org/a", "title": "t", "stance": "maybe"},
        headers={**reviewer, "If-Match": claim.etag},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stance"


def test_viewer_cannot_create_claims(client, viewer):
    response = client.post("/v1/claims", json={"statement": "s", "claimant": "x"}, headers=viewer)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/claims", {}),
        ("PATCH", "/v1/claims/{id}", {"nonsense": 1}),
        ("POST", "/v1/claims/{id}/status", {"status": "maybe"}),
        ("POST", "/v1/claims/{id}/evidence", {}),
    ],
)
def test_viewer_hears_403_before_anything_about_its_body_or_if_match(
    client, make_claim, viewer, method, path, body
):
    claim = make_claim()

    response = client.request(method, path.format(id=claim.id), json=body, headers=viewer)

    assert response.status_code == 403
    assert "viewer may not" in response.json()["detail"]


def test_sources_are_created_listed_and_read(client, reviewer):
    created = client.post(
        "/v1/sources",
        json={"title": "NBC Meet the Press", "url": "https://www.nbcnews.com/meet-the-press"},
        headers=reviewer,
    )

    assert created.status_code == 201
    assert created.headers["Location"] == f"/v1/sources/{created.json()['id']}"
    assert client.get(created.headers["Location"]).json() == created.json()
    assert created.json() in client.get("/v1/sources").json()["items"]


def test_source_url_must_be_http(client, reviewer):
    response = client.post(
        "/v1/sources", json={"title": "t", "url": "ftp://x.org/a"}, headers=reviewer
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


def test_a_topic_given_twice_is_kept_once(client, reviewer):
    body = {"statement": "Tariffs fall", "claimant": "x", "topics": ["tariffs", "trade", "tariffs"]}

    response = client.post("/v1/claims", json=body, headers=reviewer)

    assert response.status_code == 201, response.text
    assert response.json()["topics"] == ["tariffs", "trade"]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_claim_without_stated_on_is_stated_on_the_newsrooms_day(make_app, reviewer, zone):
    # UTC+14 and UTC-11: at any hour, one of them is on another day than UTC
    from zoneinfo import ZoneInfo

    from fastapi.testclient import TestClient

    from claims.clock import today

    with TestClient(make_app(timezone=zone)) as client:
        response = client.post(
            "/v1/claims", json={"statement": "A bridge opens", "claimant": "x"}, headers=reviewer
        )

    assert response.status_code == 201, response.text
    assert response.json()["stated_on"] == today(ZoneInfo(zone)).isoformat()
