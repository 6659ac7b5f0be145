"""A claim's ETag names its version and the calendar marks of the body it tags."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from api import etags
from claims.config import Settings


def test_a_claims_tag_is_for_the_day_its_body_was_shaped_for():
    # Due on the 1st: shaped on the 1st it is due soon, shaped on the 2nd overdue. A body
    # shaped just before midnight must not get the tag of the day after.
    row = SimpleNamespace(version=3, status="pending", due_by=date(2026, 12, 1))
    settings = Settings(database_url="sqlite://")
    assert etags.for_claim(row, settings, date(2026, 12, 1)) == '"3.s"'
    assert etags.for_claim(row, settings, date(2026, 12, 2)) == '"3.o"'
