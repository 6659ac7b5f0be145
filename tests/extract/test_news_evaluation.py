"""The real-news set: every file is well formed, the split is large enough, and the held-out part
meets the extraction targets of issue 17 (recall, precision, deadline, speaker, certainty, speed).

The held-out part is scored here and never tuned on (tests/data/news/README.md). Between rounds
it may be empty (a part opened for error analysis moves into ``dev/`` and its successor is
labelled before it lands): the tests that need held-out articles then skip, and run again once
the new part lands.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from claims.extract.evaluate import Report, evaluate, load

NEWS = Path(__file__).resolve().parents[1] / "data" / "news"
FILES = sorted(NEWS.glob("*/*.yaml"))
KINDS = {
    "diplomacy",
    "trade",
    "central-bank",
    "company",
    "election",
    "sport",
    "infrastructure",
    "energy",
    "health",
    "other",
}
CERTAINTIES = {"asserted", "expected", "possible", "conditional"}


# Issue 17 is open: the extractor does not meet these targets on the held-out part yet. Strict,
# so a target that starts being met fails here until its mark is removed (docs/extraction.md
# has the figures).
NOT_YET = pytest.mark.xfail(strict=True, reason="issue 17: held-out target not met yet")


HELDOUT_FILES = [path for path in FILES if path.parent.name == "heldout"]
EMPTY_HELDOUT = (
    "the held-out part is empty: it was opened and moved into dev/, and its successor is not "
    "there (these tests run again once it is)"
)


@pytest.fixture(scope="module")
def heldout() -> Report:
    if not HELDOUT_FILES:
        pytest.skip(EMPTY_HELDOUT)
    return evaluate(NEWS / "heldout", "held-out")


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_news_file_follows_the_schema_and_quotes_its_text(path):
    data = yaml.safe_load(path.read_text("utf-8"))

    article = load(path)  # raises when a quote is not an exact substring of the text

    assert path.parent.name in {"dev", "heldout"}
    assert data["name"] == path.stem
    assert data["outlet"]
    assert data["url"].startswith("http")
    assert isinstance(data["published_on"], date)
    assert data["kind"] in KINDS
    assert any(label.core for label in article.labels)
    for item in data["claims"]:
        assert item["quote"] in data["text"]
        assert isinstance(item["core"], bool)
        assert item["quote_kind"] in {"direct", "reported"}
        assert item["certainty"] in CERTAINTIES
        assert item["claimant"]
        assert isinstance(item["due_by_ok"], list)
        assert item["due_by_ok"]
        assert item["due_reason"]


def test_news_set_holds_at_least_40_articles_in_all():
    assert len(FILES) >= 40


@pytest.mark.skipif(not HELDOUT_FILES, reason=EMPTY_HELDOUT)
def test_split_holds_at_least_15_heldout_articles():
    assert len(HELDOUT_FILES) >= 15


@NOT_YET
def test_heldout_recall_of_core_claims_is_at_least_0_9(heldout):
    total = heldout.overall

    assert total.recall >= 0.9, f"{total.found}/{total.claims}"


def test_heldout_sentence_precision_is_at_least_0_8(heldout):
    total = heldout.overall

    assert total.precision >= 0.8, f"{total.correct_sentences}/{total.proposed_sentences}"


def test_heldout_deadline_accuracy_is_at_least_0_9(heldout):
    total = heldout.overall

    assert total.deadline_accuracy >= 0.9, f"{total.deadline_ok}/{total.found}"


@NOT_YET
def test_heldout_speaker_accuracy_is_at_least_0_85(heldout):
    total = heldout.overall

    assert total.claimant_accuracy >= 0.85, f"{total.claimant_ok}/{total.found}"


@NOT_YET
def test_heldout_certainty_accuracy_is_at_least_0_9(heldout):
    total = heldout.overall

    assert total.certainty_accuracy >= 0.9, f"{total.certainty_ok}/{total.found}"


def test_heldout_articles_extract_without_errors(heldout):
    assert heldout.overall.errors == 0, [f.notes[0] for f in heldout.files if f.errors]


def test_heldout_articles_each_extract_in_under_a_second(heldout):
    assert heldout.files
    assert heldout.max_seconds < 1.0


def test_readme_lists_every_article_with_its_part():
    readme = (NEWS / "README.md").read_text("utf-8")

    for path in FILES:
        assert f"| {path.parent.name} | `{path.stem}` |" in readme, path.stem
