"""Measure the extractor against hand-labelled articles: recall, precision, speakers, deadlines.

The labels files and how they are read: ``claims.extract.labels``. A proposal matches a label
when their quotes overlap (one-to-one, largest overlap first). Measured per file, per part and
side by side:

- recall: core claims matched by a proposal;
- sentence precision: sentences with a proposal that hold a core claim, over those plus the
  sentences with a proposal that hold no labelled claim at all (a proposal on a sentence holding
  only non-core claims counts neither way);
- over the matched core claims: speaker (the claimant or any ``claimant_ok``, normalised),
  deadline (``due_by`` among ``due_by_ok``, or equal to ``due_by`` when that list is absent),
  exact deadline (``due_from`` and ``due_by`` both equal to the labeller's best) and certainty;
- seconds per article (wall clock, max and mean);
- extractor errors: articles on which ``extract`` raised (scored as proposing nothing).

``python -m claims.extract.evaluate`` prints the default set: the real news's development and
held-out parts and the synthetic ``tests/data`` set; pass a folder to measure only that (a
folder with ``dev/`` or ``heldout/`` is measured part by part). A part with no articles (the
held-out part between rounds: opened, moved into ``dev/``, its successor not yet labelled) is
still shown, with 0 articles and ``n/a`` for every measure, and no gap is computed against it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

from .backends import backend
from .labels import Article, Label, load
from .proposals import Proposal, extract
from .sentences import sentences

_PARTS = (("development", "dev"), ("held-out", "heldout"))


@dataclass
class FileReport:
    """The measurements for one labelled article (or, summed, for a part)."""

    name: str
    labels: int = 0
    claims: int = 0  # core claims
    found: int = 0  # core claims matched
    claimant_ok: int = 0
    deadline_ok: int = 0
    exact_deadline_ok: int = 0
    certainty_ok: int = 0
    proposed_sentences: int = 0  # sentences with a proposal that count (correct + extra)
    correct_sentences: int = 0
    neutral_sentences: int = 0  # proposals on sentences holding only non-core claims
    proposals: int = 0
    errors: int = 0  # the extractor raised on the article (scored as no proposals)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of core claims found."""
        return _ratio(self.found, self.claims)

    @property
    def precision(self) -> float:
        """Share of counted proposed sentences that hold a core claim."""
        return _ratio(self.correct_sentences, self.proposed_sentences)

    @property
    def claimant_accuracy(self) -> float:
        """Share of found core claims with an accepted claimant."""
        return _ratio(self.claimant_ok, self.found)

    @property
    def deadline_accuracy(self) -> float:
        """Share of found core claims whose due_by is among the accepted ones."""
        return _ratio(self.deadline_ok, self.found)

    @property
    def exact_deadline_accuracy(self) -> float:
        """Share of found core claims with exactly the labeller's due_from and due_by."""
        return _ratio(self.exact_deadline_ok, self.found)

    @property
    def certainty_accuracy(self) -> float:
        """Share of found core claims with the right certainty class."""
        return _ratio(self.certainty_ok, self.found)


# every count a part sums over its files (the annotations are strings under __future__)
_COUNTS = [f.name for f in fields(FileReport) if f.type in ("int", "float")]


@dataclass
class Report:
    """Per-file reports of one part of the labelled set, and their total."""

    files: list[FileReport]
    backend: str
    name: str = "all"
    folder: str = ""

    @property
    def overall(self) -> FileReport:
        """Sum every count over the files."""
        total = FileReport("overall")
        for report in self.files:
            for name in _COUNTS:
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return total

    @property
    def max_seconds(self) -> float:
        """The slowest article's extraction time."""
        return max((report.seconds for report in self.files), default=0.0)

    @property
    def mean_seconds(self) -> float:
        """The mean extraction time per article."""
        return self.overall.seconds / len(self.files) if self.files else 0.0

    def measures(self) -> dict[str, tuple[int, int]]:
        """Each ratio measure as (part, whole) counts, in report order."""
        total = self.overall
        return {
            "recall (core claims)": (total.found, total.claims),
            "sentence precision": (total.correct_sentences, total.proposed_sentences),
            "deadline (accepted due_by)": (total.deadline_ok, total.found),
            "deadline (exact)": (total.exact_deadline_ok, total.found),
            "speaker": (total.claimant_ok, total.found),
            "certainty": (total.certainty_ok, total.found),
        }


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def score(article: Article, proposals: list[Proposal]) -> FileReport:
    """Compare proposals with an article's labels."""
    core = [label for label in article.labels if label.core]
    report = FileReport(
        article.name, labels=len(article.labels), claims=len(core), proposals=len(proposals)
    )
    spans = [(s.start, s.end) for s in sentences(article.text)]

    def sentence_of(position: int) -> int:
        return next((i for i, (s, e) in enumerate(spans) if s <= position < e), -1)

    def sentences_of(label: Label) -> set[int]:
        return {i for i, (s, e) in enumerate(spans) if s < label.end and label.start < e}

    gold_core = set().union(*(sentences_of(label) for label in core))
    gold_any = set().union(*(sentences_of(label) for label in article.labels))
    proposed = {sentence_of(p.quote_start) for p in proposals}
    extra = proposed - gold_any
    report.correct_sentences = len(proposed & gold_core)
    report.neutral_sentences = len((proposed & gold_any) - gold_core)
    report.proposed_sentences = report.correct_sentences + len(extra)
    for index in sorted(extra):
        sentence = article.text[slice(*spans[index])] if index >= 0 else "(outside sentences)"
        report.notes.append(f"extra sentence: {sentence[:90]}")
    pairs = sorted(
        (
            (min(label.end, p.quote_end) - max(label.start, p.quote_start), li, pi)
            for li, label in enumerate(article.labels)
            for pi, p in enumerate(proposals)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for overlap, li, pi in pairs:
        if overlap > 0 and li not in matched and pi not in used:
            matched[li] = pi
            used.add(pi)
    for li, label in enumerate(article.labels):
        if not label.core:
            continue
        if li not in matched:
            report.notes.append(f"missed: {label.quote[:90]}")
            continue
        report.found += 1
        _compare(report, label, proposals[matched[li]])
    return report


def _compare(report: FileReport, label: Label, got: Proposal) -> None:
    where = label.quote[:50]
    if label.speaker_matches(got.claimant):
        report.claimant_ok += 1
    else:
        report.notes.append(f"claimant: {got.claimant!r} ≠ {label.claimant!r} ({where})")
    if label.deadline_matches(got.due_by):
        report.deadline_ok += 1
    else:
        accepted = ", ".join(str(day) for day in label.due_by_ok or (label.due_by,))
        report.notes.append(f"deadline: due_by {got.due_by} not in [{accepted}] ({where})")
    if (got.due_from, got.due_by) == (label.due_from, label.due_by):
        report.exact_deadline_ok += 1
    if got.certainty == label.certainty:
        report.certainty_ok += 1
    else:
        report.notes.append(f"certainty: {got.certainty} ≠ {label.certainty} ({where})")


def evaluate(data_dir: str | Path, name: str = "all") -> Report:
    """Run the extractor on every labels file (``*.yaml``) in ``data_dir`` and score it."""
    files = []
    for path in sorted(Path(data_dir).glob("*.yaml")):
        article = load(path)
        started = time.perf_counter()
        failure = None
        try:
            proposals = extract(
                article.text, published_on=article.published_on, title=article.title
            )
        except Exception as error:  # a crash is a finding to report, not the end of the run
            proposals, failure = [], f"extractor error: {type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        report = score(article, proposals)
        report.seconds = elapsed
        if failure:
            report.errors = 1
            report.notes.insert(0, failure)
        files.append(report)
    return Report(files, backend().name, name, str(data_dir))


def default_root() -> Path:
    """``tests/data`` from the working folder, else beside this package in the repository."""
    here = Path("tests/data")
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "tests" / "data"


def evaluate_parts(folder: str | Path | None = None) -> list[Report]:
    """Measure a folder part by part: its ``dev/`` and ``heldout/`` subfolders, and its own files.

    Without a folder: the real news's development and held-out parts (``tests/data/news``) and
    the synthetic set (``tests/data``).
    """
    if folder is None:
        root = default_root()
        return [*evaluate_parts(root / "news"), evaluate(root, "synthetic")]
    folder = Path(folder)
    # Both parts are listed as soon as one exists: an empty or absent held-out folder (git
    # keeps no empty folder) is a part with no articles yet, not a different kind of data.
    has_parts = any((folder / sub).is_dir() for _, sub in _PARTS)
    reports = [evaluate(folder / sub, part) for part, sub in _PARTS] if has_parts else []
    if any(folder.glob("*.yaml")) or not reports:
        reports.append(evaluate(folder, "synthetic" if reports else folder.name or "all"))
    return reports


def _cell(part: int, whole: int) -> str:
    # 0/0 is no measurement: _ratio's 1.0 would read as a perfect score
    return f"{_ratio(part, whole):.2f} ({part}/{whole})" if whole else "n/a"


def format_summary(reports: list[Report]) -> str:
    """The parts side by side, each measure with its counts (and dev minus held-out)."""
    names = [report.name for report in reports]
    scored = {report.name for report in reports if report.files}
    gap = "development" in scored and "held-out" in scored
    header = f"{'measure':28}" + "".join(f"{name:>18}" for name in names)
    header += f"{'gap':>8}" if gap else ""
    lines = [header, "-" * len(header)]
    lines.append(f"{'articles':28}" + "".join(f"{len(r.files):>18d}" for r in reports))
    lines.append(f"{'extractor errors':28}" + "".join(f"{r.overall.errors:>18d}" for r in reports))
    by_part = {report.name: report.measures() for report in reports}
    for measure in reports[0].measures():
        row = f"{measure:28}" + "".join(f"{_cell(*by_part[n][measure]):>18}" for n in names)
        if gap and all(by_part[n][measure][1] for n in ("development", "held-out")):
            diff = _ratio(*by_part["development"][measure]) - _ratio(*by_part["held-out"][measure])
            row += f"{diff:+8.2f}" + (" !" if abs(diff) > 0.1 else "")
        lines.append(row)
    for label, value in (
        ("seconds/article (max)", "max_seconds"),
        ("seconds/article (mean)", "mean_seconds"),
    ):
        lines.append(
            f"{label:28}"
            + "".join(f"{getattr(r, value):>18.3f}" if r.files else f"{'n/a':>18}" for r in reports)
        )
    if gap:
        lines.append(
            "gap = development − held-out; ! marks a gap above 0.10 (a finding to explain)"
        )
    return "\n".join(lines)


def format_report(report: Report, *, notes: bool = True) -> str:
    """Render one part as a plain-text table per file (and, with ``notes``, every miss)."""
    width = max([34, *(len(item.name) + 1 for item in report.files)])
    header = (
        f"{'file':{width}} {'claims':>6} {'found':>5} {'recall':>6} {'prec.':>6} "
        f"{'claimant':>8} {'deadline':>8} {'certainty':>9} {'seconds':>7}"
    )
    lines = [header, "-" * len(header)]
    if not report.files:
        # an empty part has no overall line: its 0/0 ratios would print as perfect scores
        return "\n".join([*lines, "(no articles in this part yet: every measure n/a)"])
    for item in [*report.files, report.overall]:
        if item.name == "overall":
            lines.append("-" * len(header))
        lines.append(
            f"{item.name:{width}} {item.claims:6d} {item.found:5d} {item.recall:6.2f} "
            f"{item.precision:6.2f} {item.claimant_accuracy:8.2f} {item.deadline_accuracy:8.2f} "
            f"{item.certainty_accuracy:9.2f} {item.seconds:7.3f}"
        )
    lines.append(f"date backend: {report.backend}")
    if notes:
        for item in report.files:
            for note in item.notes:
                lines.append(f"  {item.name}: {note}")
    return "\n".join(lines)


def format_parts(
    reports: list[Report], *, notes: bool = True, open_heldout: bool = False
) -> str:
    """Every part's per-file table, then the parts side by side. The held-out part shows only
    its overall line unless ``open_heldout``: reading its articles' misses is tuning on it."""
    blocks = []
    for r in reports:
        title = f"== {r.name} ({r.folder}): {len(r.files)} articles =="
        if r.name == "held-out" and r.files and not open_heldout:
            blocks.append(f"{title}\n(per-article scores and misses hidden: see the summary; "
                          "--open-heldout shows them, and spends the part)")  # fmt: skip
        else:
            blocks.append(f"{title}\n" + format_report(r, notes=notes))
    return "\n\n".join([*blocks, "== summary ==\n" + format_summary(reports)])


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation report for the default set or one folder of labels files."""
    parser = argparse.ArgumentParser(prog="python -m claims.extract.evaluate")
    parser.add_argument(
        "data_dir",
        nargs="?",
        default=None,
        help="a folder of labels files (default: news dev, held-out, synthetic)",
    )
    parser.add_argument("--quiet", action="store_true", help="omit the list of misses")
    parser.add_argument(
        "--open-heldout",
        action="store_true",
        help="also show the held-out part's per-article scores and misses (whoever reads them "
        "can no longer tune rules without tuning on it: label a new part afterwards)",
    )
    args = parser.parse_args(argv)
    reports = evaluate_parts(args.data_dir)
    print(format_parts(reports, notes=not args.quiet, open_heldout=args.open_heldout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
