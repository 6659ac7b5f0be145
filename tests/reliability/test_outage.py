"""Database outages: a database that is locked or briefly unreachable gives 503 + Retry-After,
never a half-written change, and the same app serves again once the database is back.

PostgreSQL is made unreachable without touching the shared server: the app talks to it
through a small TCP proxy that the test cuts (every open connection closed, new ones refused)
and restores, or freezes (connections stay open, no byte goes through: a server that stopped
answering) and thaws. PostgreSQL is made busy by locking the claim table from another
connection, SQLite by holding its write lock.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from api.app import create_app
from claims import storage
from claims.status import Role
from tests.conftest import EVIDENCE, write_marks
from tests.reliability.conftest import assert_consistent, claim_versions, wait_until


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target address until cut; restore lets traffic through."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._flowing = threading.Event()
        self._flowing.set()
        self._closing = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._acceptor.start()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones, as a dead database host would."""
        self._open.clear()
        self._drop_all()

    def restore(self) -> None:
        """Let connections through again."""
        self._open.set()

    def freeze(self) -> None:
        """Hold every byte, on open connections and new ones alike, as a server that stopped
        answering would: the sockets stay open and their data is acknowledged."""
        self._flowing.clear()

    def thaw(self) -> None:
        """Send what was held, and everything after it."""
        self._flowing.set()

    def close(self) -> None:
        """Stop the proxy and close every socket it holds."""
        self._closing.set()
        self._open.clear()
        self._acceptor.join(timeout=5)
        self._listener.close()
        self._drop_all()
        self._flowing.set()  # pumps holding bytes find their sockets closed, and end

    def _drop_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                self._flowing.wait()
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


# ---------------------------------------------------------------------------------------------
# PostgreSQL unreachable

pg_only = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def proxy(settings) -> Iterator[TcpProxy]:
    """A cuttable TCP proxy in front of the test's PostgreSQL server."""
    url = make_url(settings.database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield proxy
    finally:
        proxy.close()


def _through(proxy: TcpProxy, settings, **changes: Any):
    url = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port)
    return settings.model_copy(
        update={"database_url": url.render_as_string(hide_password=False), **changes}
    )


@pytest.fixture
def proxied(settings, proxy: TcpProxy) -> Iterator[TestClient]:
    """A client on an app that reaches the test's database only through ``proxy``."""
    with TestClient(create_app(_through(proxy, settings)), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def seeded(proxied: TestClient, make_token) -> dict[str, Any]:
    """An editor token and one claim, made through the proxied app while the database is up."""
    editor = make_token(Role.EDITOR, "outage-editor")
    created = proxied.post(
        "/v1/claims",
        json={"statement": "Washington hosts Xi next year", "claimant": "Donald Trump"},
        headers=editor,
    )
    assert created.status_code == 201, created.text
    return {"editor": editor, "id": created.json()["id"], "etag": created.headers["ETag"]}


READS = [
    "/v1/claims",
    "/v1/claims/{id}",
    "/v1/claims/{id}/history",
    "/v1/summary",
    "/v1/changes?since=0",
    "/v1/sources",
]


def _writes(claim_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("POST", "/v1/claims", {"statement": "A new deal", "claimant": "Donald Trump"}),
        ("PATCH", f"/v1/claims/{claim_id}", {"quote": "We have a deal"}),
        ("POST", f"/v1/claims/{claim_id}/status", {"status": "in_progress", "note": "talks"}),
        ("POST", f"/v1/claims/{claim_id}/evidence", EVIDENCE),
        ("POST", "/v1/sources", {"title": "Readout of the Kuala Lumpur talks"}),
    ]


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["status"] == 503


@pg_only
@pytest.mark.parametrize("path", READS)
def test_read_while_postgresql_is_unreachable_is_503_with_retry_after(proxied, proxy, seeded, path):
    proxy.cut()

    response = proxied.get(path.format(id=seeded["id"]))

    _assert_unavailable(response)


@pg_only
def test_writes_while_postgresql_is_unreachable_are_503_and_write_nothing(
    proxied, proxy, seeded, engine
):
    before = write_marks(engine)
    proxy.cut()

    responses = [
        proxied.request(
            method, path, json=body, headers={**seeded["editor"], "If-Match": seeded["etag"]}
        )
        for method, path, body in _writes(seeded["id"])
    ]

    for response in responses:
        _assert_unavailable(response)
    assert write_marks(engine) == before
    assert_consistent(engine)


@pg_only
def test_healthz_while_postgresql_is_unreachable_is_503(proxied, proxy, seeded):
    proxy.cut()

    response = proxied.get("/healthz")

    _assert_unavailable(response)


@pg_only
def test_same_app_serves_again_within_seconds_after_postgresql_returns(
    proxied, proxy, seeded, engine
):
    proxy.cut()
    for path in READS:
        proxied.get(path.format(id=seeded["id"]))
    proxied.post(
        f"/v1/claims/{seeded['id']}/evidence",
        json=EVIDENCE,
        headers={**seeded["editor"], "If-Match": seeded["etag"]},
    )

    proxy.restore()

    def all_reads_ok() -> bool:
        return all(proxied.get(p.format(id=seeded["id"])).status_code == 200 for p in READS)

    assert wait_until(all_reads_ok, timeout=5, step=0.2)
    written = proxied.post(
        f"/v1/claims/{seeded['id']}/evidence",
        json=EVIDENCE,
        headers={**seeded["editor"], "If-Match": seeded["etag"]},
    )
    assert written.status_code == 200, written.text
    assert proxied.get("/healthz").status_code == 200
    assert_consistent(engine)


@pg_only
@pytest.mark.slow
def test_outages_in_the_middle_of_writes_leave_only_whole_writes(proxied, proxy, seeded, engine):
    stop = threading.Event()
    acked: list[tuple[int, int]] = []
    seen: set[int] = set()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        flip = {"pending": "in_progress", "in_progress": "stalled", "stalled": "in_progress"}
        try:
            while not stop.is_set():
                current = proxied.get(f"/v1/claims/{seeded['id']}")
                if current.status_code != 200:
                    seen.add(current.status_code)
                    continue
                response = proxied.post(
                    f"/v1/claims/{seeded['id']}/status",
                    json={"status": flip[current.json()["status"]], "note": f"writer {n}"},
                    headers={**seeded["editor"], "If-Match": current.headers["ETag"]},
                )
                seen.add(response.status_code)
                if response.status_code == 503:
                    assert response.headers["Retry-After"]
                elif response.status_code == 200:
                    acked.append((seeded["id"], response.json()["version"]))
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for w in writers:
        w.start()
    for _ in range(3):  # three short outages while the writes stream in
        time.sleep(0.4)
        proxy.cut()
        time.sleep(0.4)
        proxy.restore()
    after_last_outage = len(acked)
    recovered = wait_until(lambda: len(acked) >= after_last_outage + 5, timeout=10)
    stop.set()
    for w in writers:
        w.join(timeout=30)

    assert errors == []
    assert recovered
    assert seen <= {200, 412, 503}, seen
    assert 503 in seen
    assert claim_versions(engine)[seeded["id"]] >= max(v for _, v in acked)
    assert_consistent(engine)


# ---------------------------------------------------------------------------------------------
# PostgreSQL not answering, or keeping a lock

# The apps below wait 0.5 s for a lock, and give up on a database that does not answer a
# second later (``storage.runtime.ANSWER_GRACE_S``); the defaults are 5 and 6 s.
QUICK_LOCK_TIMEOUT_MS = 500
# Before, such requests waited for ever, or for as long as the lock lasted.
ANSWERED_WITHIN = 4.0


def _answers_within(
    seconds: float, requests: list[Callable[[], httpx.Response]], *, then: Callable[[], None]
) -> list[httpx.Response | None]:
    """Send ``requests`` at once and return their answers, None for each that had none after
    ``seconds``; then call ``then`` (ending the outage), and let the others finish."""
    pool = ThreadPoolExecutor(len(requests))
    try:
        sent = [pool.submit(request) for request in requests]
        wait(sent, timeout=seconds)
        return [answer.result() if answer.done() else None for answer in sent]
    finally:
        then()
        pool.shutdown(wait=True)


@pytest.fixture
def impatient_proxied(settings, proxy: TcpProxy) -> Iterator[TestClient]:
    """``proxied``, on an app that waits only briefly for PostgreSQL."""
    quick = _through(proxy, settings, pg_lock_timeout_ms=QUICK_LOCK_TIMEOUT_MS)
    with TestClient(create_app(quick), raise_server_exceptions=False) as client:
        yield client


@pg_only
def test_claim_reads_by_id_while_postgresql_stops_answering_are_503_within_seconds(
    impatient_proxied, proxy, make_token
):
    reviewer = make_token(Role.REVIEWER, "frozen-reviewer")
    ids = [
        impatient_proxied.post(
            "/v1/claims",
            json={"statement": f"Pier {n} reopens by March", "claimant": "Port authority"},
            headers=reviewer,
        ).json()["id"]
        for n in range(7)
    ]
    # Read once: the app's read connections are open, and kept.
    assert impatient_proxied.get(f"/v1/claims/{ids[0]}").status_code == 200
    proxy.freeze()

    answers = _answers_within(
        ANSWERED_WITHIN,
        [partial(impatient_proxied.get, f"/v1/claims/{claim_id}") for claim_id in ids[1:]],
        then=proxy.thaw,
    )

    assert None not in answers, f"{answers.count(None)} of 6 reads unanswered"
    for answer in answers:
        _assert_unavailable(answer)
    assert wait_until(
        lambda: impatient_proxied.get(f"/v1/claims/{ids[1]}").status_code == 200, timeout=15
    )


@pytest.fixture
def impatient_pg(settings) -> Iterator[TestClient]:
    """A client on an app that waits only briefly for a PostgreSQL lock."""
    quick = settings.model_copy(update={"pg_lock_timeout_ms": QUICK_LOCK_TIMEOUT_MS})
    with TestClient(create_app(quick), raise_server_exceptions=False) as client:
        yield client


@pg_only
def test_requests_while_postgresql_keeps_the_claim_table_locked_are_503_and_write_nothing(
    impatient_pg, make_token, settings, engine
):
    editor = make_token(Role.EDITOR, "locked-out-editor")
    created = impatient_pg.post(
        "/v1/claims",
        json={"statement": "The canal reopens by May", "claimant": "Canal authority"},
        headers=editor,
    )
    assert created.status_code == 201, created.text
    before = write_marks(engine)
    locker = psycopg.connect(settings.database_url.replace("+psycopg", "", 1))
    locker.execute("LOCK TABLE claim IN ACCESS EXCLUSIVE MODE")

    answers = _answers_within(
        ANSWERED_WITHIN,
        [
            partial(impatient_pg.get, f"/v1/claims/{created.json()['id']}"),
            partial(impatient_pg.get, "/v1/claims?limit=2"),
            partial(
                impatient_pg.post,
                "/v1/claims",
                json={"statement": "The locks reopen by June", "claimant": "Canal authority"},
                headers=editor,
            ),
        ],
        then=locker.close,  # ends its transaction, and the lock
    )

    assert None not in answers, [a and a.status_code for a in answers]
    for answer in answers:
        _assert_unavailable(answer)
    assert write_marks(engine) == before
    assert_consistent(engine)


# ---------------------------------------------------------------------------------------------
# SQLite busy

sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def impatient(settings) -> Iterator[TestClient]:
    """A client on an app whose SQLite writers wait only 200 ms for the write lock."""
    quick = settings.model_copy(update={"sqlite_busy_timeout_ms": 200})
    engine = storage.make_engine(quick)
    try:
        with TestClient(create_app(quick, engine=engine), raise_server_exceptions=False) as c:
            yield c
    finally:
        engine.dispose()


@pytest.fixture
def write_lock(settings) -> Callable[[], contextlib.AbstractContextManager[None]]:
    """Hold SQLite's write lock from another connection (``BEGIN IMMEDIATE``) while inside."""
    path = settings.database_url.removeprefix("sqlite:///")

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    return hold


@pytest.fixture
def made(impatient: TestClient, make_token) -> dict[str, Any]:
    """An editor (already used once, so authenticating it writes nothing) and one claim."""
    editor = make_token(Role.EDITOR, "busy-editor")
    created = impatient.post(
        "/v1/claims",
        json={"statement": "Soybean orders resume", "claimant": "Scott Bessent"},
        headers=editor,
    )
    assert created.status_code == 201, created.text
    return {"editor": editor, "id": created.json()["id"], "etag": created.headers["ETag"]}


@sqlite_only
def test_writes_while_sqlite_is_locked_are_503_and_write_nothing(
    impatient, made, write_lock, engine
):
    before = write_marks(engine)

    with write_lock():
        responses = [
            impatient.request(
                method, path, json=body, headers={**made["editor"], "If-Match": made["etag"]}
            )
            for method, path, body in _writes(made["id"])
        ]

    for response in responses:
        _assert_unavailable(response)
    assert write_marks(engine) == before
    assert_consistent(engine)


@sqlite_only
def test_reads_while_sqlite_is_locked_still_answer(impatient, made, write_lock):
    with write_lock():
        codes = [impatient.get(path.format(id=made["id"])).status_code for path in READS]

    assert codes == [200] * len(READS)


@sqlite_only
def test_write_after_the_sqlite_lock_is_released_succeeds(impatient, made, write_lock, engine):
    with write_lock():
        refused = impatient.post(
            f"/v1/claims/{made['id']}/evidence",
            json=EVIDENCE,
            headers={**made["editor"], "If-Match": made["etag"]},
        )

    response = impatient.post(
        f"/v1/claims/{made['id']}/evidence",
        json=EVIDENCE,
        headers={**made["editor"], "If-Match": made["etag"]},
    )

    assert refused.status_code == 503
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert_consistent(engine)
