"""The API's tests run through both front doors: the dispatcher and FastAPI's routing.

``CLAIMS_FAST_PATH`` chooses the door in production; here every API test runs with each and
must pass both ways (the answers are the same by construction: both doors call
``api.contract.respond``; ``test_doors.py`` checks it with generated requests). Through the
front door every test runs on both databases; through FastAPI's routing on SQLite only, since
which door answers does not depend on the database (and the suite stays under ten minutes).
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out FastAPI's door on PostgreSQL (see the module docstring)."""
    dropped = [item for item in items if _params(item) == ("fastapi", "postgresql")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


def _params(item: pytest.Item) -> tuple[str | None, str | None]:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("settings"), params.get("database")
