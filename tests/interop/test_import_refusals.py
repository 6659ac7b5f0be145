"""`claims import` refuses what it cannot load whole, names the line, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest

from tests.interop.conftest import EMPTY, table_counts

Lines = list[bytes]


def _index(lines: Lines, kind: str, nth: int = 0) -> int:
    """Index of the nth line holding a record of ``kind``."""
    found = [i for i, line in enumerate(lines) if orjson.loads(line).get("type") == kind]
    return found[nth]


def _edit(lines: Lines, index: int, change: Callable[[dict], None]) -> Lines:
    record = orjson.loads(lines[index])
    change(record)
    return [*lines[:index], orjson.dumps(record, option=orjson.OPT_SORT_KEYS), *lines[index + 1 :]]


def unknown_version(lines: Lines) -> tuple[Lines, int]:
    return _edit(lines, 0, lambda r: r.update(version=2)), 1


def not_an_export(lines: Lines) -> tuple[Lines, int]:
    return [b'{"hello": "world"}', *lines[1:]], 1


def tampered_note(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 2)
    return _edit(lines, i, lambda r: r["data"].update(note="rewritten")), i + 1


def tampered_hash(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 1)
    return _edit(lines, i, lambda r: r["data"].update(hash="0" * 64)), i + 1


def removed_event(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 1)
    return [*lines[:i], *lines[i + 1 :]], i + 1  # the next event no longer links


def not_json(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 1)
    return [*lines[:i], b'{"type": "claim", "data": {', *lines[i + 1 :]], i + 1


def unknown_status(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(status="maybe")), i + 1


def unknown_record(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "evidence", 0)
    return _edit(lines, i, lambda r: r.update(type="token")), i + 1


def empty_line(lines: Lines) -> tuple[Lines, int]:
    return [*lines[:3], b"", *lines[3:]], 4


def duplicate_slug(lines: Lines) -> tuple[Lines, int]:
    first, second = _index(lines, "claim", 0), _index(lines, "claim", 1)
    slug = orjson.loads(lines[first])["data"]["slug"]
    return _edit(lines, second, lambda r: r["data"].update(slug=slug)), second + 1


def event_before_its_claim(lines: Lines) -> tuple[Lines, int]:
    claim = _index(lines, "claim", 1)
    event = lines[claim + 1]
    moved = [*lines[:claim], event, lines[claim], *lines[claim + 2 :]]
    return moved, claim + 1


def cut_short(lines: Lines) -> tuple[Lines, int]:
    return lines[:-1], len(lines) - 1


def script_source_url(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "source", 0)
    return _edit(lines, i, lambda r: r["data"].update(url="javascript:alert(1)")), i + 1


def script_evidence_url(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "evidence", 0)
    return _edit(lines, i, lambda r: r["data"].update(url="javascript:alert(1)")), i + 1


def all_digit_slug(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(slug="12345")), i + 1


def path_in_slug(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(slug="Bad Slug/../x?<b>")), i + 1


def blank_statement(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(statement="   ")), i + 1


def script_url_cited_by_an_event(lines: Lines) -> tuple[Lines, int]:
    i = next(
        n for n, line in enumerate(lines) if orjson.loads(line).get("data", {}).get("evidence")
    )

    def spoil(r: dict) -> None:
        r["data"]["evidence"][0]["url"] = "javascript:alert(1)"

    return _edit(lines, i, spoil), i + 1


def nul_in_a_source_url(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "source", 0)
    return _edit(lines, i, lambda r: r["data"].update(url="https://example.org/\u0000")), i + 1


def control_in_a_note(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 2)
    return _edit(lines, i, lambda r: r["data"].update(note="talks\u0001 under way")), i + 1


def invisible_note(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 2)
    return _edit(lines, i, lambda r: r["data"].update(note=" \u200b ")), i + 1


def bidi_override_in_a_statement(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(statement="Deal \u202esigned")), i + 1


def control_in_a_source_text(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "source", 0)
    return _edit(lines, i, lambda r: r["data"].update(text="Line one.\u0007")), i + 1


def control_in_an_edit(lines: Lines) -> tuple[Lines, int]:
    i = next(n for n, line in enumerate(lines) if orjson.loads(line).get("data", {}).get("changes"))

    def spoil(r: dict) -> None:
        name = next(iter(r["data"]["changes"]))
        r["data"]["changes"][name] = ["before", "after\u0001"]

    return _edit(lines, i, spoil), i + 1


def control_in_an_actor_name(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "event", 0)
    return _edit(lines, i, lambda r: r["data"]["actor"].update(name="desk\u001b")), i + 1
def boolean_evidence_id(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "evidence", 0)
    return _edit(lines, i, lambda r: r["data"].update(id=True)), i + 1  # true is not 1


def boolean_claim_id(lines: Lines) -> tuple[Lines, int]:
    i = _index(lines, "claim", 0)
    return _edit(lines, i, lambda r: r["data"].update(id=True)), i + 1


CASES = [
    (unknown_version, b"unknown format version 2"),
    (not_an_export, b"not a claims export"),
    (tampered_note, b"hash does not match"),
    (tampered_hash, b"hash does not match"),
    (removed_event, b"prev_hash does not link"),
    (not_json, b"not valid JSON"),
    (unknown_status, b"data.status"),
    (unknown_record, b"'token'"),
    (empty_line, b"empty line"),
    (duplicate_slug, b"repeats one already in the file"),
    (event_before_its_claim, b"misplaced"),
    (cut_short, b"cut short"),
    # The import holds records to the API's own field types.
    (script_source_url, b"source: data.url: must be an http(s) URL"),
    (script_evidence_url, b"evidence: data.url"),
    (all_digit_slug, b"claim: data.slug"),
    (path_in_slug, b"claim: data.slug"),
    (blank_statement, b"data.statement"),
    (script_url_cited_by_an_event, b"event: data.evidence.0.url"),
    (nul_in_a_source_url, b"source: data.url"),
    (control_in_a_note, b"event: data.note: must not contain the control character U+0001"),
    (invisible_note, b"event: data.note: must hold visible text"),
    (bidi_override_in_a_statement, b"claim: data.statement: must not contain the bidi"),
    (control_in_a_source_text, b"source: data.text"),
    (control_in_an_edit, b"event: data.changes"),
    (control_in_an_actor_name, b"event: data.actor.name"),
    (boolean_evidence_id, b"data.id"),
    (boolean_claim_id, b"data.id"),
]


@pytest.mark.parametrize(("spoil", "words"), CASES, ids=[case.__name__ for case, _ in CASES])
def test_import_refuses_a_bad_file_naming_the_line_and_writes_nothing(
    cli, database, sample_export, spoil, words
):
    lines, line_number = spoil(sample_export.splitlines())

    result = cli("import", "-", stdin=b"\n".join(lines) + b"\n")

    assert result.returncode == 1, result.stdout.decode()
    assert f"error: line {line_number}:".encode() in result.stderr, result.stderr.decode()
    assert words in result.stderr, result.stderr.decode()
    assert table_counts(database.url) == EMPTY


def test_import_into_a_database_with_claims_is_refused_and_changes_nothing(
    cli, database, sample_export, make_claim
):
    make_claim()
    before = table_counts(database.url)

    result = cli("import", "-", stdin=sample_export)

    assert result.returncode == 1
    assert b"already holds" in result.stderr
    assert table_counts(database.url) == before


def test_import_of_an_empty_file_is_refused(cli, database):
    result = cli("import", "-", stdin=b"")

    assert result.returncode == 1
    assert b"empty" in result.stderr
    assert table_counts(database.url) == EMPTY


def test_import_of_a_missing_file_is_a_usage_error(cli, database, tmp_path):
    result = cli("import", str(tmp_path / "nowhere.jsonl"))

    assert result.returncode == 2
    assert b"cannot read" in result.stderr
    assert table_counts(database.url) == EMPTY


def test_import_into_a_database_with_only_tokens_is_allowed(cli, database, sample_export, admin):
    result = cli("import", "-", stdin=sample_export)

    assert result.returncode == 0, result.stderr.decode()
    assert table_counts(database.url)["claim"] == 3
