"""How statuses read to people outside the tracker (ClaimReview ratings, feed titles).

The numeric scale is the one ClaimReview publishes (docs/interop.md): 5 is best, 1 worst;
``void`` (the claim cannot be judged) has a label but no number, so it is never averaged in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from claims.status import Status

BEST_RATING: Final = 5
WORST_RATING: Final = 1


@dataclass(frozen=True)
class Label:
    """A status's human name and, for judged verdicts, its place on the rating scale."""

    name: str
    rating: int | None = None


LABELS: Final[dict[Status, Label]] = {
    Status.PENDING: Label("Pending"),
    Status.IN_PROGRESS: Label("In progress"),
    Status.STALLED: Label("Stalled"),
    Status.FULFILLED: Label("Fulfilled", 5),
    Status.PARTIALLY_FULFILLED: Label("Partially fulfilled", 3),
    Status.BROKEN: Label("Broken", 1),
    Status.VOID: Label("Void (cannot be judged)"),
}


def label(status: Status | str) -> Label:
    """Return the label of a status."""
    return LABELS[Status(status)]
