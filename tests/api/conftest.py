"""The API's tests run through both front doors: the dispatcher and FastAPI's routing.

``CLAIMS_FAST_PATH`` chooses the door in production; here every API test runs with each, on
each database, and must pass both ways (the answers are the same by construction: both doors
call ``api.contract.respond``; ``test_doors.py`` checks it with generated requests).
"""

from __future__ import annotations

import pytest

from claims.config import Settings
from tests.conftest import Database

DOORS = ("front-door", "fastapi")


@pytest.fixture(params=DOORS)
def settings(request: pytest.FixtureRequest, database: Database) -> Settings:
    """Settings on the test's database, with the fast path on (front-door) or off (fastapi)."""
    return Settings(database_url=database.url, fast_path=request.param == "front-door")
