"""How far two labellers agree: one labeller's labels scored as if they were proposals.

A target for the extractor means little above what two careful people reach on the same
articles. ``python -m claims.extract.agreement FIRST SECOND`` reads two folders of labels
files of the same articles (matched by file name), scores SECOND's labels against FIRST's
with the evaluation's own ``score`` (every label of SECOND, core or borderline, counts as a
proposal), then the other way round, and prints both columns like the evaluation's summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .evaluate import FileReport, Report, format_summary, score
from .labels import Article, load
from .proposals import Proposal


def as_proposals(article: Article) -> list[Proposal]:
    """An article's labels as the proposals a labeller would have made."""
    return [
        Proposal(
            quote=label.quote,
            quote_kind=label.quote_kind or "reported",
            statement=label.quote[:500],
            claimant=label.claimant,
            certainty=label.certainty,  # type: ignore[arg-type]
            due_from=label.due_from,
            due_by=label.due_by,
            stated_on=article.published_on,
            slug=f"label-{index}",
            sentence_start=label.start,
            sentence_end=label.end,
            quote_start=label.start,
            quote_end=label.end,
        )
        for index, label in enumerate(article.labels)
    ]


def agreement(first: Path, second: Path) -> Report:
    """Score ``second``'s labels against ``first``'s, on the articles both folders label."""
    files: list[FileReport] = []
    for path in sorted(first.glob("*.yaml")):
        other = second / path.name
        if not other.exists():
            continue
        gold, theirs = load(path), load(other)
        if gold.text != theirs.text:
            raise ValueError(f"{path.name}: the two files do not label the same text")
        files.append(score(gold, as_proposals(theirs)))
    return Report(files, "labels", f"{second.name} vs {first.name}", str(second))


def main(argv: list[str] | None = None) -> int:
    """Print both directions of the agreement between two folders of labels."""
    parser = argparse.ArgumentParser(prog="python -m claims.extract.agreement")
    parser.add_argument("first", type=Path, help="a folder of labels files")
    parser.add_argument("second", type=Path, help="the same articles labelled by someone else")
    args = parser.parse_args(argv)
    reports = [agreement(args.first, args.second), agreement(args.second, args.first)]
    print(format_summary(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
