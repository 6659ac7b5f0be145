"""Two labellers' agreement is scored with the evaluation's own measures."""

from __future__ import annotations

from pathlib import Path

import yaml

from claims.extract.agreement import agreement
from claims.extract.labels import load

TEXT = "The ministry said the bridge will open in May. The mayor said a new port could follow."


def _write(folder: Path, claims: list[dict]) -> Path:
    folder.mkdir()
    article = {
        "name": "bridge-2026-01-05",
        "outlet": "Test",
        "url": "https://example.org/bridge",
        "published_on": "2026-01-05",
        "title": "Bridge",
        "kind": "infrastructure",
        "text": TEXT,
        "claims": claims,
    }
    (folder / "bridge-2026-01-05.yaml").write_text(yaml.safe_dump(article), "utf-8")
    return folder


def _claim(quote: str, claimant: str, **extra) -> dict:
    return {"quote": quote, "core": True, "quote_kind": "reported", "claimant": claimant,
            "certainty": "asserted", "due_from": None, "due_by": "2026-05-31",
            "due_by_ok": ["2026-05-31"], "due_reason": "in May", **extra}  # fmt: skip


def test_identical_labels_agree_on_every_measure(tmp_path):
    claims = [_claim("the bridge will open in May", "ministry")]
    first = _write(tmp_path / "a", claims)
    second = _write(tmp_path / "b", claims)

    total = agreement(first, second).overall

    assert (total.recall, total.precision, total.claimant_accuracy) == (1.0, 1.0, 1.0)


def test_a_claim_only_one_labeller_saw_is_a_miss_for_the_other(tmp_path):
    bridge = _claim("the bridge will open in May", "ministry")
    port = _claim("a new port could follow", "mayor", certainty="possible")
    first = _write(tmp_path / "a", [bridge, port])
    second = _write(tmp_path / "b", [bridge])

    total = agreement(first, second).overall

    assert (total.found, total.claims) == (1, 2)


def test_a_different_speaker_counts_against_speaker_agreement(tmp_path):
    first = _write(tmp_path / "a", [_claim("the bridge will open in May", "ministry")])
    second = _write(tmp_path / "b", [_claim("the bridge will open in May", "the mayor")])

    assert agreement(first, second).overall.claimant_accuracy == 0.0


SECOND = Path(__file__).resolve().parents[1] / "data" / "news" / "heldout" / "second"


def test_the_second_labelling_labels_the_same_texts_as_the_first():
    second = sorted(SECOND.glob("*.yaml"))

    assert second, "tests/data/news/heldout/second/ holds the held-out part's second labelling"
    for path in second:
        first = path.parent.parent / path.name
        assert load(path).text == load(first).text, path.name
