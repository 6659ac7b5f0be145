"""Measure the extractor against hand-labelled articles: recall, precision, claimants, deadlines.

A labels file is YAML: ``published_on``, either ``text`` (the article) or ``text_file`` (a path
relative to the labels file's folder or one of its parents), optional ``title``, and ``claims``:
each with the verbatim ``quote`` (an exact substring of the text), ``claimant``, ``certainty``,
``due_from`` and ``due_by`` (null when open). A proposal matches a label when their quotes
overlap (one-to-one, largest overlap first). Reported per file and overall:

- recall: labelled claims matched by a proposal;
- precision (sentence level): sentences with a proposal that hold a labelled claim, over all
  sentences with a proposal;
- claimant accuracy, exact-deadline accuracy (both ``due_from`` and ``due_by`` equal) and
  certainty accuracy, over the matched claims.

Run ``python -m claims.extract.evaluate tests/data`` to print the report.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .backends import backend
from .proposals import Proposal, extract
from .sentences import sentences


@dataclass(frozen=True)
class Label:
    """One hand-labelled claim, located in the text."""

    quote: str
    claimant: str
    certainty: str
    due_from: date | None
    due_by: date | None
    start: int
    end: int


@dataclass
class Article:
    """A labelled article: text, publication date and its labels."""

    name: str
    text: str
    published_on: date
    title: str | None
    labels: list[Label]


@dataclass
class FileReport:
    """The measurements for one labelled article."""

    name: str
    claims: int = 0
    found: int = 0
    claimant_ok: int = 0
    deadline_ok: int = 0
    certainty_ok: int = 0
    proposed_sentences: int = 0
    correct_sentences: int = 0
    proposals: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of labelled claims found."""
        return _ratio(self.found, self.claims)

    @property
    def precision(self) -> float:
        """Share of proposed sentences that hold a labelled claim."""
        return _ratio(self.correct_sentences, self.proposed_sentences)

    @property
    def claimant_accuracy(self) -> float:
        """Share of found claims with the right claimant."""
        return _ratio(self.claimant_ok, self.found)

    @property
    def deadline_accuracy(self) -> float:
        """Share of found claims with exactly the right due_from and due_by."""
        return _ratio(self.deadline_ok, self.found)

    @property
    def certainty_accuracy(self) -> float:
        """Share of found claims with the right certainty class."""
        return _ratio(self.certainty_ok, self.found)


@dataclass
class Report:
    """Per-file reports and their total."""

    files: list[FileReport]
    backend: str

    @property
    def overall(self) -> FileReport:
        """Sum every count over the files."""
        total = FileReport("overall")
        for report in self.files:
            for name in ("claims", "found", "claimant_ok", "deadline_ok", "certainty_ok",
                         "proposed_sentences", "correct_sentences", "proposals", "seconds"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return total


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def _norm(name: str | None) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", (name or "").strip().lower())
    return re.sub(r"\s+", " ", name.replace("’", "'"))


def _find_text_file(base: Path, relative: str) -> Path:
    for folder in (base, *base.parents):
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{relative} not found from {base}")


def load(path: Path) -> Article:
    """Read one labels file. Raises ValueError when a quote is not in the text."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "text_file" in data:
        text = _find_text_file(path.parent, data["text_file"]).read_text(encoding="utf-8")
    else:
        text = data["text"]
    labels = []
    for item in data.get("claims", []):
        start = text.find(item["quote"])
        if start < 0:
            raise ValueError(f"{path.name}: quote not in text: {item['quote']!r}")
        labels.append(Label(item["quote"], item["claimant"], item["certainty"],
                            item.get("due_from"), item.get("due_by"), start,
                            start + len(item["quote"])))
    return Article(path.name, text, data["published_on"], data.get("title"), labels)


def score(article: Article, proposals: list[Proposal]) -> FileReport:
    """Compare proposals with an article's labels."""
    report = FileReport(article.name, claims=len(article.labels), proposals=len(proposals))
    spans = [(s.start, s.end) for s in sentences(article.text)]

    def sentence_of(position: int) -> int:
        return next((i for i, (s, e) in enumerate(spans) if s <= position < e), -1)

    gold = {sentence_of(label.start) for label in article.labels}
    proposed = {sentence_of(p.quote_start) for p in proposals}
    report.proposed_sentences = len(proposed)
    report.correct_sentences = len(proposed & gold)
    for index in sorted(proposed - gold):
        report.notes.append(f"extra sentence: {article.text[slice(*spans[index])][:90]}")
    pairs = sorted(
        ((min(label.end, p.quote_end) - max(label.start, p.quote_start), li, pi)
         for li, label in enumerate(article.labels) for pi, p in enumerate(proposals)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for overlap, li, pi in pairs:
        if overlap > 0 and li not in matched and pi not in used:
            matched[li] = pi
            used.add(pi)
    for li, label in enumerate(article.labels):
        if li not in matched:
            report.notes.append(f"missed: {label.quote[:90]}")
            continue
        report.found += 1
        got = proposals[matched[li]]
        if _norm(got.claimant) == _norm(label.claimant):
            report.claimant_ok += 1
        else:
            report.notes.append(f"claimant: {got.claimant!r} ≠ {label.claimant!r} "
                                f"({label.quote[:50]})")
        if (got.due_from, got.due_by) == (label.due_from, label.due_by):
            report.deadline_ok += 1
        else:
            report.notes.append(f"deadline: {got.due_from}..{got.due_by} ≠ "
                                f"{label.due_from}..{label.due_by} ({label.quote[:50]})")
        if got.certainty == label.certainty:
            report.certainty_ok += 1
        else:
            report.notes.append(f"certainty: {got.certainty} ≠ {label.certainty} "
                                f"({label.quote[:50]})")
    return report


def evaluate(data_dir: str | Path) -> Report:
    """Run the extractor on every labels file (``*.yaml``) in ``data_dir`` and score it."""
    files = []
    for path in sorted(Path(data_dir).glob("*.yaml")):
        article = load(path)
        started = time.perf_counter()
        proposals = extract(article.text, published_on=article.published_on,
                            title=article.title)
        elapsed = time.perf_counter() - started
        report = score(article, proposals)
        report.seconds = elapsed
        files.append(report)
    return Report(files, backend().name)


def format_report(report: Report, *, notes: bool = True) -> str:
    """Render a report as a plain-text table (and, with ``notes``, every miss)."""
    header = (f"{'file':34} {'claims':>6} {'found':>5} {'recall':>6} {'prec.':>6} "
              f"{'claimant':>8} {'deadline':>8} {'certainty':>9} {'seconds':>7}")
    lines = [header, "-" * len(header)]
    for item in [*report.files, report.overall]:
        if item.name == "overall":
            lines.append("-" * len(header))
        lines.append(
            f"{item.name:34} {item.claims:6d} {item.found:5d} {item.recall:6.2f} "
            f"{item.precision:6.2f} {item.claimant_accuracy:8.2f} {item.deadline_accuracy:8.2f} "
            f"{item.certainty_accuracy:9.2f} {item.seconds:7.3f}"
        )
    lines.append(f"date backend: {report.backend}")
    if notes:
        for item in report.files:
            for note in item.notes:
                lines.append(f"  {item.name}: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation report for a folder of labels files."""
    parser = argparse.ArgumentParser(prog="python -m claims.extract.evaluate")
    parser.add_argument("data_dir", nargs="?", default="tests/data")
    parser.add_argument("--quiet", action="store_true", help="omit the list of misses")
    args = parser.parse_args(argv)
    print(format_report(evaluate(args.data_dir), notes=not args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
