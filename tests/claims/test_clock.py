"""Timestamps are written one way everywhere (API, history hashes, exports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.clock import iso, today


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (datetime(2025, 10, 26, 14, 3, 7, 123456), "2025-10-26T14:03:07.123456Z"),
        (datetime(2025, 10, 26, 14, 3, 7, tzinfo=UTC), "2025-10-26T14:03:07.000000Z"),
        (
            datetime(2025, 10, 27, 0, 30, tzinfo=timezone(timedelta(hours=2))),
            "2025-10-26T22:30:00.000000Z",
        ),
    ],
)
def test_timestamps_are_written_in_utc_with_microseconds_and_z(value, written):
    assert iso(value) == written


@given(st.datetimes(timezones=st.none() | st.just(UTC)))
def test_every_timestamp_has_six_digits_of_microseconds(value):
    v = value
    assert iso(v) == (
        f"{v.year:04}-{v.month:02}-{v.day:02}T{v.hour:02}:{v.minute:02}:{v.second:02}"
        f".{v.microsecond:06}Z"
    )


def test_today_is_the_date_in_each_configured_zone():
    # Kiritimati and Niue are 25 hours apart: at any moment their dates differ.
    ahead, behind = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Niue")
    for _ in range(2):  # the second time from what is kept for the second
        assert today(ahead) == datetime.now(ahead).date()
        assert today(behind) == datetime.now(behind).date()
        assert today(ahead) != today(behind)
