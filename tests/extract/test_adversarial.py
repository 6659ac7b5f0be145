"""Issue 14, finding 3: no input makes the extractor slow (linear-time patterns and caps)."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extract.proposals import extract

SIZE = 200_000
PUB = date(2025, 1, 1)


def _seconds(text: str) -> float:
    started = time.perf_counter()
    extract(text[:SIZE], published_on=PUB)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("punctuation run", "!?.;:,-)("),
        ("trailer symbols", "x   #@$%#@$%#@$%"),
        ("capitalised words", "Aa "),
        ("capitalised initials", "A. "),
        ("initials", "J. R. R. "),
        ("straight quotes", '"'),
        ("abbreviations", "U.S. "),
        ("one long word", "A"),
        ("short lines", "Aa Bb Cc.\n"),
        ("name run before a verb", "Bob Smith Jones " * 5000 + "said he will go tomorrow. "),
    ],
)
def test_extract_adversarial_200kb_takes_under_a_second(name, unit):
    text = unit * (SIZE // len(unit) + 1)

    assert _seconds(text) < 1.0, name


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.one_of(
        st.text(alphabet=".,;:!?…\"“”’'()[]-—#@ ", min_size=1, max_size=12),
        st.lists(st.from_regex(r"[A-Z][a-z]{0,6}\.?", fullmatch=True), min_size=1,
                 max_size=6).map(lambda words: " ".join(words) + " "),
        st.lists(st.from_regex(r"[A-Z]\.", fullmatch=True), min_size=1,
                 max_size=4).map(lambda words: " ".join(words) + " "),
    )
)
def test_extract_generated_runs_200kb_take_under_a_second(unit):
    text = unit * (SIZE // len(unit) + 1)

    assert _seconds(text) < 1.0
