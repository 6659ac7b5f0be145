"""Hand-labelled articles: what a labels file holds and how it is read (``load``).

A labels file is YAML: ``published_on``, either ``text`` (the article) or ``text_file`` (a path
relative to the labels file's folder or one of its parents), optional ``title``, and ``claims``:
each with the verbatim ``quote`` (an exact substring of the text), ``claimant``, ``certainty``,
``due_from`` and ``due_by``; the real-news set adds ``core``, ``claimant_ok``, ``due_by_ok`` and
``quote_kind`` (``tests/data/news/README.md``). ``claims.extract.evaluate`` scores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

# A company's legal form names no other party: "General Motors Co." is General Motors, and
# labellers write it either way ("Enbridge Inc", "Enbridge Inc.", "Enbridge").
_LEGAL_FORM = re.compile(
    r",?\s+(?:inc|co|corp|corporation|ltd|limited|plc|llc|ag|sa|nv|se|asa|ab)\.?$"
)


def _norm(name: str | None) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", (name or "").strip().lower())
    name = _LEGAL_FORM.sub("", re.sub(r"\s+", " ", name.replace("’", "'")))
    return name.rstrip(".")


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
    core: bool = True
    claimant_ok: tuple[str, ...] = ()
    due_by_ok: tuple[date | None, ...] = ()
    quote_kind: str | None = None

    def speaker_matches(self, claimant: str | None) -> bool:
        """Whether a proposed claimant is the labelled one or an accepted other name."""
        return _norm(claimant) in {_norm(name) for name in (self.claimant, *self.claimant_ok)}

    def deadline_matches(self, due_by: date | None) -> bool:
        """Whether a proposed ``due_by`` is among the accepted ones (null included)."""
        return due_by in (self.due_by_ok or (self.due_by,))


@dataclass
class Article:
    """A labelled article: text, publication date and its labels."""

    name: str
    text: str
    published_on: date
    title: str | None
    labels: list[Label]


def _find_text_file(base: Path, relative: str) -> Path:
    for folder in (base, *base.parents):
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{relative} not found from {base}")


def _label(item: dict[str, Any], start: int) -> Label:
    ok = item.get("due_by_ok")
    return Label(
        item["quote"],
        item["claimant"],
        item["certainty"],
        item.get("due_from"),
        item.get("due_by"),
        start,
        start + len(item["quote"]),
        core=bool(item.get("core", True)),
        claimant_ok=tuple(item.get("claimant_ok") or ()),
        due_by_ok=tuple(ok) if ok is not None else (),
        quote_kind=item.get("quote_kind"),
    )


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
        labels.append(_label(item, start))
    return Article(path.name, text, data["published_on"], data.get("title"), labels)
