"""The measurement: labelled files load, the seed story meets its targets, the report prints."""

from __future__ import annotations

from pathlib import Path

from claims.extract import evaluate, format_report
from claims.extract.evaluate import load, main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_seed_story_meets_targets(tmp_path):
    (tmp_path / "seed.yaml").write_text((DATA / "seed-2025-10-26.yaml").read_text("utf-8"),
                                        "utf-8")
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
