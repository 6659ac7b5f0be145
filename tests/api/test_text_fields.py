"""Free text and URLs: one rule for every field (claims/models/fields.py), refused with a 422
naming the field, never a 500, and nothing written.

A text holds something visible, no control character but tab, newline and carriage return, and
no bidirectional embedding, override or isolate; a URL is http(s) without spaces or controls.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import EVIDENCE, write_marks

NEW = {"statement": "The US and China sign a trade deal", "claimant": "Donald Trump"}
BLANK = " \u200b "  # a space, a zero-width space, a space: nothing visible
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


def _assert_422(response: Any, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors, errors
    return errors


def _status(client, claim, headers, **body):
    return client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", **body},
        headers={**headers, "If-Match": claim.etag},
    )


def test_note_with_a_control_character_is_422_naming_note(client, make_claim, editor, engine):
    claim = make_claim()
    before = write_marks(engine)

    response = _status(client, claim, editor, note="talks\x01 under way")

    errors = _assert_422(response, "note")
    assert "U+0001" in errors["note"]
    assert write_marks(engine) == before


def test_required_note_of_only_invisible_characters_is_422_naming_note(
    client, make_claim, editor, engine
):
    claim = make_claim()
    before = write_marks(engine)

    response = _status(client, claim, editor, note=BLANK)

    errors = _assert_422(response, "note")
    assert "visible" in errors["note"]
    assert write_marks(engine) == before


def test_bidi_override_in_a_statement_is_422_naming_statement(client, reviewer, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims", json={**NEW, "statement": f"Deal signed {RLO}yadirf yb"}, headers=reviewer
    )

    errors = _assert_422(response, "statement")
    assert "U+202E" in errors["statement"]
    assert write_marks(engine) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("statement", BLANK),
        ("statement", "\x0bDeal signed\x0c"),  # trimming must not hide a control at either end
        ("claimant", "Donald\x1b[31m Trump"),
        ("claimant_role", "\u2066President\u2069"),
        ("quote", "we will\x7f"),
        ("condition", "if\x0cthe deal holds"),
        ("due_text", "by\x00Friday"),
        ("resolution_criteria", "\ufeff\u2060"),
    ],
)
def test_bad_text_in_any_claim_field_is_422_naming_it(client, reviewer, engine, field, value):
    before = write_marks(engine)

    response = client.post("/v1/claims", json={**NEW, field: value}, headers=reviewer)

    _assert_422(response, field)
    assert write_marks(engine) == before


def test_tab_and_newline_are_allowed_in_text(client, reviewer):
    response = client.post(
        "/v1/claims", json={**NEW, "quote": "Line one,\n\tline two.\r\nEnd."}, headers=reviewer
    )

    assert response.status_code == 201, response.text
    assert response.json()["quote"] == "Line one,\n\tline two.\r\nEnd."


@pytest.mark.parametrize(
    "url", ["https://example.org/a\x00b", "https://example.org/\x01", "https://exa\u200bmple.org/"]
)
def test_control_in_an_evidence_url_is_422_naming_url(client, make_claim, editor, engine, url):
    claim = make_claim()
    before = write_marks(engine)

    response = client.post(
        f"/v1/claims/{claim.id}/evidence",
        json={**EVIDENCE, "url": url},
        headers={**editor, "If-Match": claim.etag},
    )

    _assert_422(response, "url")
    assert write_marks(engine) == before


def test_nul_in_a_source_url_is_422_naming_url(client, reviewer, engine):
    before = write_marks(engine)

    response = client.post(
        "/v1/sources",
        json={"title": "Readout", "url": "https://example.org/readout\x00.html"},
        headers=reviewer,
    )

    _assert_422(response, "url")
    assert write_marks(engine) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", BLANK), ("publisher", "Wire\x01"), ("text", "Story text\x00"), ("text", "  \n")],
)
def test_bad_text_in_a_source_is_422_naming_it(client, reviewer, engine, field, value):
    before = write_marks(engine)

    response = client.post("/v1/sources", json={"title": "Readout", field: value}, headers=reviewer)

    _assert_422(response, field)
    assert write_marks(engine) == before


@pytest.mark.parametrize("field", ["title", "publisher", "quote"])
def test_control_in_evidence_text_is_422_naming_it(client, make_claim, editor, engine, field):
    claim = make_claim()
    before = write_marks(engine)

    response = _status(
        client,
        claim,
        editor,
        status="fulfilled",
        note="done",
        evidence=[{**EVIDENCE, field: "Wire\x02 report"}],
    )

    _assert_422(response, f"evidence.0.{field}")
    assert write_marks(engine) == before


@pytest.mark.parametrize("reason", [BLANK, "typo\x01"])
def test_bad_edit_reason_is_422_naming_reason(client, make_claim, reviewer, engine, reason):
    claim = make_claim()
    before = write_marks(engine)

    response = client.patch(
        f"/v1/claims/{claim.id}",
        json={"quote": "new words", "reason": reason},
        headers={**reviewer, "If-Match": claim.etag},
    )

    _assert_422(response, "reason")
    assert write_marks(engine) == before


@pytest.mark.parametrize("body", [BLANK, "call\x01 them", f"{RLO}olleh"])
def test_bad_internal_note_is_422_naming_body(client, make_claim, reviewer, body):
    claim = make_claim()

    response = client.post(f"/v1/claims/{claim.id}/notes", json={"body": body}, headers=reviewer)

    _assert_422(response, "body")
    assert client.get(f"/v1/claims/{claim.id}/notes", headers=reviewer).json()["notes"] == []


@pytest.mark.parametrize("name", [BLANK, "desk\x01", f"desk{RLO}"])
def test_bad_token_name_is_422_naming_name(client, admin, name):
    response = client.post("/v1/tokens", json={"name": name, "role": "viewer"}, headers=admin)

    _assert_422(response, "name")
    listed = client.get("/v1/tokens", headers=admin).json()
    assert name not in str(listed)
