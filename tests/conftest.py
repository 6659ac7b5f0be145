"""Fixtures: a fresh database per test on SQLite and on PostgreSQL, an app, a client, tokens.

Each test gets its own database, copied from a template migrated once per session with
``alembic upgrade head`` (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL), so no test sees another's data. PostgreSQL tests skip only when no server
answers; with ``CI=true`` a missing server fails the run instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.app import create_app
from claims import migrate, storage, tokens
from claims.config import Settings
from claims.status import Role
from tests.claims_cli import as_text, run_as_process, run_in_process

ROOT = Path(__file__).resolve().parents[1]
# The deadline watcher is a background writer whose passes a test cannot time (it would add
# overdue events to any test's past-due claims): off for every app and `claims serve` the
# tests start, on in the tests of deadline events (tests/*/test_deadline_events.py and the
# two-worker test of tests/webhooks/test_processes.py).
os.environ.setdefault("CLAIMS_DEADLINE_WATCH", "false")

PG_ADMIN_URL = os.environ.get("CLAIMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def _pg_dsn(dbname: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname


def sa_url(dbname: str) -> str:
    """SQLAlchemy URL of a throwaway PostgreSQL database."""
    return _pg_dsn(dbname).replace("postgresql://", "postgresql+psycopg://", 1)


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection made (modules, classes, test items) out of the collector's way.

    Those objects live for the whole run; frozen, a full collection late in the suite walks
    only what the tests left, not hundreds of thousands of import-time objects.
    """
    gc.collect()
    gc.freeze()


_FASTAPI_CACHES = (
    "_is_gen_callable_cached",
    "_is_async_gen_callable_cached",
    "_is_coroutine_callable_cached",
)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Forget FastAPI's per-callable caches: they hold every route of every app a test built.

    FastAPI keeps up to 4,096 callables per cache (its own private ``lru_cache``); a process
    with one app never notices, but the suite builds an app per test.
    """
    from fastapi.dependencies import models

    for name in _FASTAPI_CACHES:
        cache = getattr(models, name, None)
        if cache is not None and hasattr(cache, "cache_clear"):
            cache.cache_clear()


@pytest.fixture(scope="session")
def pg_available() -> bool:
    """Whether a PostgreSQL server answers (CI must have one)."""
    try:
        _pg_admin("SELECT 1")
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL does not answer at {PG_ADMIN_URL}: {exc}")
        return False
    return True


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, pg_available: bool) -> Iterator[dict]:
    """Databases migrated to head once per session, to copy per test."""
    made: dict[str, str] = {}
    sqlite_file = tmp_path_factory.mktemp("template") / "template.db"
    engine = storage.make_engine(Settings(database_url=f"sqlite:///{sqlite_file}"), pool_size=1)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    made["sqlite"] = str(sqlite_file)
    copies = None
    if pg_available:
        name = f"claims_tmpl_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        engine = storage.make_engine(Settings(database_url=sa_url(name)), pool_size=1)
        migrate.upgrade(engine)
        engine.dispose()
        made["postgresql"] = name
        made["postgresql_copies"] = copies = PgCopies(name)
    try:
        yield made
    finally:
        if copies is not None:
            copies.close()
        if "postgresql" in made:
            _pg_admin(f'DROP DATABASE IF EXISTS "{made["postgresql"]}" WITH (FORCE)')


# PostgreSQL 15 copies a template through the WAL by default: 4.5 MB of WAL for each copy of
# the 8 MB template, which every DROP DATABASE's forced checkpoint then flushes as well. With
# the tests' ~750 copies a run, `pytest tests/api -k postgresql` fell behind on its drops (95
# used copies still holding their idle connections) and failed with "too many clients".
# Copying the files writes ~10 kB of WAL, a drop takes half the time (58 vs 130 ms, measured
# idle), and that run keeps under 10 copies and passes, 25 % faster. Older servers know only
# file copies (and no STRATEGY clause).
def _copy_files_clause() -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        version = int(conn.execute("SHOW server_version_num").fetchone()[0])
    return " STRATEGY FILE_COPY" if version >= 150000 else ""


class PgCopies:
    """Fresh copies of the PostgreSQL template, made one test ahead and dropped behind.

    ``CREATE DATABASE … TEMPLATE`` and ``DROP DATABASE`` each take about a second of mostly
    disk waits on a busy machine; two threads do them while the tests run, so a test gets a
    copy nobody has used without waiting for one. Each copy is still made for one test only.
    """

    AHEAD = 2
    RETRY_AFTER = 0.5  # seconds after a copy failed

    def __init__(self, template: str):
        self.template = template
        self.clause = _copy_files_clause()
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=self.AHEAD)
        self._dropping: queue.Queue[str | None] = queue.Queue()
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []

    def _start(self) -> None:
        # Lazily: a run that asks for no PostgreSQL database makes no copies.
        for target in (self._make, self._drop):
            thread = threading.Thread(target=target, name=f"pg-copies{target.__name__}")
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def _make(self) -> None:
        while not self._closed.is_set():
            name = f"claims_t_{uuid.uuid4().hex[:12]}"
            try:
                _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"{self.clause}')
            except Exception as exc:
                # Handed to the test that waits for this copy, and the next copy is tried
                # afresh: a moment of "too many clients" fails one test, where a thread that
                # stopped here made every later test of the worker wait two minutes and error.
                self._hand_over(exc)
                self._closed.wait(self.RETRY_AFTER)
                continue
            if not self._hand_over(name):
                self._dropping.put(name)
                return

    def _hand_over(self, item: str | BaseException) -> bool:
        """Queue a copy (or the error that stopped one) for ``take``; False when closed
        while the queue was full."""
        while True:
            try:
                self._ready.put(item, timeout=0.2)
                return True
            except queue.Full:
                if self._closed.is_set():
                    return False

    def _drop(self) -> None:
        while (name := self._dropping.get()) is not None:
            with contextlib.suppress(Exception):  # one copy left behind; the others go on
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self) -> str:
        """The name of a fresh copy of the template, for one test."""
        if not self._threads:
            self._start()
        got = self._ready.get(timeout=120)
        if isinstance(got, BaseException):
            raise got
        return got

    def give_back(self, name: str) -> None:
        """Drop a copy a test is done with (in the background)."""
        self._dropping.put(name)

    def close(self) -> None:
        """Stop making copies and drop every one left (waits for the drops)."""
        if not self._threads:
            return
        self._closed.set()
        self._threads[0].join(timeout=60)
        while not self._ready.empty():
            got = self._ready.get_nowait()
            if isinstance(got, str):
                self._dropping.put(got)
        self._dropping.put(None)
        self._threads[1].join(timeout=300)


@dataclass
class Database:
    """A throwaway database for one test."""

    backend: str
    url: str


def _fresh_database(backend: str, templates: dict, tmp_path: Path) -> Iterator[Database]:
    if backend == "sqlite":
        target = tmp_path / "claims.db"
        shutil.copy(templates["sqlite"], target)
        yield Database("sqlite", f"sqlite:///{target}")
        return
    if "postgresql" not in templates:
        pytest.skip(f"PostgreSQL does not answer at {PG_ADMIN_URL}")
    copies: PgCopies = templates["postgresql_copies"]
    name = copies.take()
    try:
        yield Database("postgresql", sa_url(name))
    finally:
        copies.give_back(name)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, templates: dict, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database: each test runs once on SQLite and once on PostgreSQL."""
    yield from _fresh_database(request.param, templates, tmp_path)


@pytest.fixture
def pg_database(templates: dict, tmp_path: Path) -> Iterator[Database]:
    """A fresh PostgreSQL database, for behaviour only PostgreSQL has."""
    yield from _fresh_database("postgresql", templates, tmp_path)


@pytest.fixture
def settings(database: Database) -> Settings:
    """Settings pointing at the test's database."""
    return Settings(database_url=database.url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """The engine of the test's database."""
    engine = storage.make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for arranging and checking data directly."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def make_app(engine: Engine, settings: Settings) -> Callable[..., Any]:
    """Build an app on the test's database, optionally with other settings."""

    def build(**overrides: Any) -> Any:
        return create_app(settings.model_copy(update=overrides), engine=engine)

    return build


@pytest.fixture
def client(make_app: Callable[..., Any]) -> Iterator[TestClient]:
    """A real HTTP client (httpx through ASGI) on a fresh app."""
    with TestClient(make_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def make_token(engine: Engine) -> Callable[[Role, str | None], dict[str, str]]:
    """Issue a token with a role; return the Authorization header for it."""

    def issue(role: Role, name: str | None = None) -> dict[str, str]:
        with Session(engine) as session:
            _row, secret = tokens.create_token(
                session, name or f"{role.value}-{uuid.uuid4().hex[:6]}", role, by=tokens.OPERATOR
            )
        return {"Authorization": f"Bearer {secret}"}

    return issue


@pytest.fixture
def viewer(make_token) -> dict[str, str]:
    """Authorization header of a viewer."""
    return make_token(Role.VIEWER, "vera-viewer")


@pytest.fixture
def reviewer(make_token) -> dict[str, str]:
    """Authorization header of a reviewer."""
    return make_token(Role.REVIEWER, "rita-reviewer")


@pytest.fixture
def editor(make_token) -> dict[str, str]:
    """Authorization header of an editor."""
    return make_token(Role.EDITOR, "ed-editor")


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    """Authorization header of an admin."""
    return make_token(Role.ADMIN, "ada-admin")


@dataclass
class MadeClaim:
    """A claim made through the API, with its ETag at creation."""

    id: int
    slug: str
    etag: str
    body: dict[str, Any]


@pytest.fixture
def make_claim(client: TestClient, reviewer: dict[str, str]) -> Callable[..., MadeClaim]:
    """Create a claim through the API; keyword arguments override the defaults."""
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> MadeClaim:
        n = next(counter)
        body = {
            "statement": f"Country {n} buys substantial soybeans by year end",
            "claimant": "Scott Bessent",
            "claimant_role": "US Treasury Secretary",
            "stated_on": "2025-10-26",
            "certainty": "expected",
            "due_by": "2025-12-31",
            "topics": ["agriculture"],
            **fields,
        }
        response = client.post("/v1/claims", json=body, headers=reviewer)
        assert response.status_code == 201, response.text
        data = response.json()
        return MadeClaim(data["id"], data["slug"], response.headers["ETag"], data)

    return make


EVIDENCE = {
    "url": "https://example.org/news/soybeans",
    "title": "China books US soybean cargoes",
    "stance": "supports",
}


def on_a_loop_of_its_own(scenario: Coroutine[Any, Any, Any]) -> Any:
    """Run ``scenario`` on a loop of its own thread (the test's thread may have a loop running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario).result()


def write_marks(engine: Engine) -> tuple[int, int]:
    """The latest seq and the number of events: both unchanged after a refused write."""
    with Session(engine) as session:
        events = session.execute(select(func.count()).select_from(storage.event_t)).scalar_one()
        return storage.latest_seq(session), events


@dataclass
class LiveServer:
    """The app served by uvicorn on a real socket, in a thread of the test process."""

    url: str
    app: Any


@pytest.fixture
def live_server(make_app: Callable[..., Any]) -> Iterator[LiveServer]:
    """Serve a fresh app over real HTTP (for streams and long-polls)."""
    app = make_app(heartbeat_seconds=1.0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# ---------------------------------------------------------------------------------------------
# The ``claims`` command: in this process, or as a real process (tests/claims_cli.py)

Runner = Callable[..., subprocess.CompletedProcess[str]]


def claims_command(
    database_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``claims ARGS`` on a database, in this process; return what a process would."""
    return as_text(run_in_process(*args, env={"CLAIMS_DATABASE_URL": database_url, **(env or {})}))


def claims_process(
    database_url: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m claims ARGS`` on a database and return the finished process."""
    return as_text(
        run_as_process(
            *args,
            env={"CLAIMS_DATABASE_URL": database_url, **(env or {})},
            stdin=stdin.encode() if stdin is not None else None,
        )
    )


@pytest.fixture
def run_claims(settings: Settings) -> Runner:
    """Run ``claims ARGS`` against the test's database (once per backend), in this process."""
    return lambda *args, env=None: claims_command(settings.database_url, *args, env=env)


@pytest.fixture
def run_claims_once(tmp_path: Path) -> Runner:
    """Run ``claims ARGS`` for behaviour that does not depend on the backend, in this process."""
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    return lambda *args, env=None: claims_command(url, *args, env=env)


@pytest.fixture
def claims_as_a_process(settings: Settings) -> Runner:
    """Run the real ``python -m claims ARGS`` on the test's database (once per backend)."""
    return lambda *args, env=None: claims_process(settings.database_url, *args, env=env)
