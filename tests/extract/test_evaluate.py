"""The measurement: labelled files load, the seed story meets its targets, the report prints."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path

import pytest

from claims.extract import Proposal, evaluate, format_report
from claims.extract.evaluate import evaluate_parts, format_summary, load, main, score
from claims.extract.labels import Label

DATA = Path(__file__).resolve().parents[1] / "data"
# Between rounds the held-out part is empty (tests/data/news/README.md, "The split").
NEEDS_HELDOUT = pytest.mark.skipif(
    not any((DATA / "news" / "heldout").glob("*.yaml")), reason="the held-out part is empty"
)


def test_seed_story_meets_targets(tmp_path):
    (tmp_path / "seed.yaml").write_text((DATA / "seed-2025-10-26.yaml").read_text("utf-8"), "utf-8")
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    (tmp_path / "seeds").symlink_to(seeds)

    (report,) = evaluate(tmp_path).files

    assert report.claims == 11
    assert report.recall == 1.0
    assert report.claimant_accuracy == 1.0
    assert report.deadline_accuracy == 1.0
    assert report.precision >= 0.8


def test_every_labelled_quote_is_in_its_text():
    files = sorted(DATA.glob("*.yaml"))

    articles = [load(path) for path in files]

    assert len(articles) >= 6
    assert all(article.labels for article in articles)


def test_report_prints_every_measure_per_file_and_overall():
    text = format_report(evaluate(DATA), notes=False)

    assert "recall" in text
    assert "prec." in text
    assert "claimant" in text
    assert "deadline" in text
    assert "overall" in text
    assert "seed-2025-10-26.yaml" in text


def test_command_line_prints_the_report(capsys):
    assert main([str(DATA), "--quiet"]) == 0

    assert "overall" in capsys.readouterr().out


def _proposal(text: str, quote: str, claimant: str, due_by=None, certainty="asserted"):
    start = text.index(quote)
    return Proposal(
        quote=quote,
        quote_kind="reported",
        statement=quote,
        claimant=claimant,
        certainty=certainty,
        due_by=due_by,
        stated_on=date(2026, 3, 2),
        slug="x",
        sentence_start=start,
        sentence_end=start + len(quote),
        quote_start=start,
        quote_end=start + len(quote),
    )


def test_news_labels_score_core_claims_with_accepted_speakers_and_deadlines(tmp_path):
    path = tmp_path / "bank-2026-03-02.yaml"
    path.write_text(
        "published_on: 2026-03-02\n"
        "text: |\n"
        "  The central bank will cut rates in April, its governor said.\n"
        "  Analysts think the currency could weaken.\n"
        "  The weather was mild.\n"
        "claims:\n"
        "  - {quote: The central bank will cut rates in April, core: true, claimant: Ana Ruiz,\n"
        "     claimant_ok: [governor], certainty: asserted, due_from: null, due_by: 2026-04-30,\n"
        "     due_by_ok: [2026-04-30, null]}\n"
        "  - {quote: the currency could weaken, core: false, claimant: unattributed,\n"
        "     certainty: possible, due_from: null, due_by: null}\n",
        "utf-8",
    )
    article = load(path)
    text = article.text

    report = score(
        article,
        [
            _proposal(text, "The central bank will cut rates in April", "Governor"),
            _proposal(text, "the currency could weaken", "Analysts", certainty="possible"),
            _proposal(text, "The weather was mild", "unattributed"),
        ],
    )

    assert (report.claims, report.found) == (1, 1)
    assert (report.correct_sentences, report.proposed_sentences) == (1, 2)
    assert report.neutral_sentences == 1
    assert report.claimant_ok == 1
    assert report.deadline_ok == 1
    assert report.exact_deadline_ok == 0


@pytest.fixture(scope="module")
def default_report() -> str:
    """What the default command (no arguments) prints: run once, it evaluates every part."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([]) == 0
    return out.getvalue()


def test_default_command_prints_the_parts_side_by_side_with_counts(default_report):
    summary = default_report.split("== summary ==")[1]
    assert "development" in summary
    assert "held-out" in summary
    assert "synthetic" in summary
    assert re.search(r"recall \(core claims\)\s+\d\.\d\d \(\d+/\d+\)", summary)
    assert "seconds/article (max)" in summary


def test_an_empty_heldout_part_shows_zero_articles_and_no_measures(tmp_path):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "one.yaml").write_text(
        "name: one\n"
        "published_on: 2026-03-01\n"
        "text: |\n"
        "  The central bank will cut rates in April, Governor Ana Ruiz said.\n"
        "claims:\n"
        "  - {quote: The central bank will cut rates in April, core: true, claimant: Ana Ruiz,\n"
        "     certainty: asserted, due_from: null, due_by: 2026-04-30}\n",
        "utf-8",
    )

    reports = evaluate_parts(tmp_path)  # no heldout/ folder at all (git keeps no empty one)

    assert [(r.name, len(r.files)) for r in reports] == [("development", 1), ("held-out", 0)]
    summary = format_summary(reports)
    recall = next(line for line in summary.splitlines() if line.startswith("recall"))
    assert recall.split()[-1] == "n/a"
    assert "gap" not in summary.splitlines()[0]
    assert "no articles in this part yet" in format_report(reports[1])


@NEEDS_HELDOUT
def test_the_default_report_hides_the_heldout_articles_scores_and_misses(default_report):
    heldout = default_report.split("== held-out")[1].split("== synthetic")[0]
    assert "hidden" in heldout
    assert ".yaml" not in heldout


@NEEDS_HELDOUT
def test_open_heldout_shows_its_articles(capsys):
    assert main(["--quiet", "--open-heldout"]) == 0

    heldout = capsys.readouterr().out.split("== held-out")[1].split("== synthetic")[0]
    assert ".yaml" in heldout


def _label(claimant: str, *accepted: str) -> Label:
    return Label("q", claimant, "asserted", None, None, 0, 1, claimant_ok=accepted)


def test_a_company_s_legal_form_does_not_change_who_it_is():
    assert _label("General Motors").speaker_matches("General Motors Co.")
    assert _label("Enbridge Inc").speaker_matches("Enbridge Inc.")
    assert _label("Norsk Hydro ASA").speaker_matches("Norsk Hydro")


def test_a_different_name_still_does_not_match():
    assert not _label("General Motors").speaker_matches("GM Korea")
    assert not _label("Coca-Cola").speaker_matches("Coca")
