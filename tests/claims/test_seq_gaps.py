"""``claims verify``'s seq rule on SQLite: no gap, except the gaps an import noted."""

from __future__ import annotations

from claims.replay import check_seqs


def test_dense_seqs_up_to_the_counter_verify():
    assert check_seqs([1, 2, 3], 3) is None


def test_a_missing_seq_is_a_removed_event():
    bad = check_seqs([1, 2, 4], 4)

    assert bad is not None
    assert bad.seq == 3
    assert "removed" in bad.reason


def test_a_gap_an_import_noted_is_not_a_removed_event():
    assert check_seqs([3, 4, 6], 7, skipped={1, 2, 5, 7}) is None


def test_a_removed_event_next_to_a_noted_gap_is_still_found():
    bad = check_seqs([1, 4, 6], 6, skipped={2, 3})

    assert bad is not None
    assert bad.seq == 5


def test_a_removed_last_event_after_noted_gaps_is_found():
    bad = check_seqs([1, 3], 4, skipped={2})

    assert bad is not None
    assert bad.seq == 4
