"""Claim extraction: propose forward-looking claims, claimants and deadlines, offline.

``extract(text, published_on=…)`` returns :class:`Proposal` objects (quote, claimant, certainty,
due dates with a reason) for an editor to review; ``evaluate(data_dir)`` measures it against
hand-labelled articles. Modules: ``sentences`` (splitting with offsets), ``cues`` (what is
forward-looking and how sure), ``claimants`` (who said it), ``dates`` / ``periods`` /
``backends`` (deadlines), ``topics`` (topics and slugs), ``proposals`` (the pipeline),
``evaluate`` (the measurement). Nothing here touches the database.
"""

from typing import Any

from .proposals import Proposal, extract

__all__ = ["Proposal", "evaluate", "extract", "format_report"]


def __getattr__(name: str) -> Any:
    # evaluate is imported on first use, so `python -m claims.extract.evaluate` runs cleanly
    if name in {"evaluate", "format_report"}:
        from . import evaluate as module

        return getattr(module, name)
    raise AttributeError(name)
