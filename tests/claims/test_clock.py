"""Timestamps are written one way everywhere (API, history hashes, exports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from claims.clock import iso


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
