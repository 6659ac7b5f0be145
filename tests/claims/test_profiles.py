"""The scorecard of a claimant, topic or story: counts, a share kept only with enough verdicts."""

from __future__ import annotations

import pytest

from claims import profiles


def _rows(**counts: int) -> list[tuple[str, int, int, int]]:
    return [(status, n, 0, 0) for status, n in counts.items()]


def test_scorecard_below_the_threshold_gives_no_share():
    card = profiles.scorecard(_rows(pending=3, fulfilled=2, broken=2))

    assert card["total"] == 7
    assert card["judged"] == 4
    assert card["kept_percent"] is None
    assert card["partly_percent"] is None


@pytest.mark.parametrize(
    ("counts", "kept", "partly"),
    [
        ({"fulfilled": 5}, 100, 0),
        ({"fulfilled": 2, "partially_fulfilled": 1, "broken": 2, "void": 4}, 40, 20),
        ({"fulfilled": 1, "broken": 5, "pending": 9}, 17, 0),
    ],
)
def test_scorecard_shares_count_judged_verdicts_only(counts, kept, partly):
    card = profiles.scorecard(_rows(**counts))

    assert (card["kept_percent"], card["partly_percent"]) == (kept, partly)
    assert card["judged"] >= profiles.MIN_VERDICTS
