"""Claim extraction: propose forward-looking claims, claimants and deadlines, offline.

``extract(text, published_on=…)`` returns :class:`Proposal` objects (quote, claimant, certainty,
due dates with a reason) for an editor to review; ``draft(...)`` wraps them with their source as
JSON-ready data; ``evaluate(data_dir)`` measures the extractor against hand-labelled articles.

Modules: ``sentences`` (splitting with offsets), ``units`` (claim units of a sentence),
``cues`` and ``conditions`` (what is forward-looking and how sure), ``claimants``, ``names``,
``noun_phrases`` and ``institutions`` (who said it), ``dates``, ``phrases``, ``durations``,
``periods`` and ``backends`` (deadlines), ``statements`` (statement, criteria, merging),
``topics`` (topics and slugs), ``proposals`` (the pipeline), ``evaluate`` (the measurement).
Nothing here touches the database or the network.
"""

import importlib
from typing import Any

from .proposals import Proposal, draft, extract

__all__ = ["Proposal", "draft", "evaluate", "extract", "format_report"]


def __getattr__(name: str) -> Any:
    # evaluate is loaded on first use, so `python -m claims.extract.evaluate` runs cleanly;
    # the functions then replace the submodule as this package's attributes
    if name in {"evaluate", "format_report"}:
        module = importlib.import_module(f"{__name__}.evaluate")
        globals().update(evaluate=module.evaluate, format_report=module.format_report)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
