"""``claims extract``: the draft on stdout or in a file, and ``--apply`` on both databases."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml
from sqlalchemy import select
from sqlmodel import Session

from claims import storage
from claims.clock import today
from claims.config import Settings
from claims.seeding import default_seeds_dir, load_seeds
from tests.conftest import claims_command, claims_process, write_marks

ARTICLE = default_seeds_dir() / "2025-10-26-us-china-trade-framework.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")
TITLE = TEXT.splitlines()[0]
SEED_ARGS = ("extract", str(ARTICLE), "--published-on", "2025-10-26")


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _draft(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(_ok(result).stdout)


def _claims(engine) -> list:
    with Session(engine) as session:
        return list(session.execute(select(storage.claim_t).order_by(storage.claim_t.c.id)))


def _overlaps(a: str, b: str) -> bool:
    return a in b or b in a


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The seed story's draft as ``claims extract`` prints it: made once, read by several tests
    (each run starts an extraction worker, a fresh interpreter of its own)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('seed-draft') / 'claims.db'}"
    return _draft(claims_command(url, *SEED_ARGS))


def test_extract_prints_a_draft_with_the_lunar_new_year_visit(seed_draft):
    draft = seed_draft

    visit = [c for c in draft["claims"] if "Beijing" in c["quote"] and "Lunar" in c["quote"]]
    assert len(visit) == 1
    assert visit[0]["due_by"] == "2026-02-16"
    assert draft["source"] == {"title": TITLE, "url": None, "published_on": "2025-10-26"}


def test_extract_draft_quotes_are_substrings_of_the_article(seed_draft):
    draft = seed_draft

    assert draft["claims"]
    for claim in draft["claims"]:
        assert claim["quote"] in TEXT
        assert TEXT[claim["quote_start"] : claim["quote_end"]] == claim["quote"]


def test_extract_out_writes_the_draft_to_the_file(run_claims_once, seed_draft, tmp_path):
    target = tmp_path / "draft.json"

    result = _ok(run_claims_once(*SEED_ARGS, "--out", str(target)))

    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == seed_draft


def test_extract_format_yaml_parses_to_the_same_draft(run_claims_once, seed_draft):
    result = _ok(run_claims_once(*SEED_ARGS, "--format", "yaml"))

    assert yaml.safe_load(result.stdout) == seed_draft


def test_extract_reads_the_article_from_standard_input_as_a_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    article = "The museum will reopen next month.\n"

    result = claims_process(url, "extract", "-", "--published-on", "2026-01-15", stdin=article)

    draft = _draft(result)
    assert [c["due_by"] for c in draft["claims"]] == ["2026-02-28"]


def test_extract_published_on_defaults_to_today(run_claims_once):
    draft = _draft(run_claims_once("extract", str(ARTICLE)))

    assert draft["source"]["published_on"] == today(Settings().zone).isoformat()


def test_extract_apply_creates_pending_claims_with_the_source(run_claims, engine):
    draft = _draft(run_claims(*SEED_ARGS, "--apply"))

    claims = _claims(engine)
    assert sorted(c.quote for c in claims) == sorted(c["quote"] for c in draft["claims"])
    assert {c.status for c in claims} == {"pending"}
    with Session(engine) as session:
        sources = storage.list_sources(session)
    assert [(s.title, s.text) for s in sources] == [(TITLE, TEXT)]
    assert {c.source_id for c in claims} == {sources[0].id}


def test_extract_apply_prints_the_summary_on_stderr(run_claims):
    result = _ok(run_claims(*SEED_ARGS, "--apply"))

    count = len(json.loads(result.stdout)["claims"])
    assert result.stderr.strip() == f"created {count}, skipped 0"


def test_extract_apply_records_the_extract_actor(run_claims, engine):
    _ok(run_claims(*SEED_ARGS, "--apply"))

    with Session(engine) as session:
        actors = set(
            session.execute(select(storage.event_t.c.actor_name, storage.event_t.c.actor_role))
        )
    assert actors == {("extract", "reviewer")}


def test_extract_apply_twice_creates_nothing_the_second_time(run_claims, engine):
    _ok(run_claims(*SEED_ARGS, "--apply"))
    marks = write_marks(engine)

    result = _ok(run_claims(*SEED_ARGS, "--apply"))

    count = len(json.loads(result.stdout)["claims"])
    assert result.stderr.strip() == f"created 0, skipped {count}"
    assert write_marks(engine) == marks


def test_extract_apply_after_seed_skips_the_proposals_the_seed_quotes(run_claims, engine):
    _ok(run_claims("seed"))
    seed_quotes = [c.data.quote for c in load_seeds(default_seeds_dir() / "claims.yaml").claims]

    result = _ok(run_claims(*SEED_ARGS, "--apply"))

    proposals = [c["quote"] for c in json.loads(result.stdout)["claims"]]
    held = [q for q in proposals if any(_overlaps(q, s) for s in seed_quotes)]
    assert any("Lunar New Year" in q for q in held)  # the curated Beijing visit
    assert result.stderr.strip() == f"created {len(proposals) - len(held)}, skipped {len(held)}"
    claims = _claims(engine)
    assert len(claims) == len(seed_quotes) + len(proposals) - len(held)
    assert len({c.source_id for c in claims}) == 1  # the seed's source, found by its title


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("extract", "no-such-article.txt"), "cannot read no-such-article.txt"),
        ((*SEED_ARGS[:2], "--published-on", "2025-13-01"), "--published-on: '2025-13-01'"),
        (
            (*SEED_ARGS[:2], "--published-on", "2099-01-01", "--apply"),
            "--published-on: must not be in the future",
        ),
        ((*SEED_ARGS, "--url", "ftp://example.org/a"), "--url: must be an http(s) URL"),
    ],
    ids=["missing-file", "malformed-date", "future-date", "non-http-url"],
)
def test_extract_bad_input_is_one_line_and_exit_2(run_claims_once, args, message):
    result = run_claims_once(*args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: ")
    assert message in result.stderr


def test_extract_over_the_time_limit_is_one_line_and_exit_1(run_claims_once, tmp_path):
    article = tmp_path / "long.txt"
    article.write_text(TEXT * 40, encoding="utf-8")

    result = run_claims_once(
        "extract", str(article), "--published-on", "2025-10-26",
        env={"CLAIMS_EXTRACT_TIMEOUT_S": "0.3"},
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: text: the article took longer than 0.3 s")
    assert "CLAIMS_EXTRACT_TIMEOUT_S" in result.stderr
