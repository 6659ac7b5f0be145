"""PostgreSQL's reads on the event loop (``storage.PooledRuntime``): the connections it keeps
open are lent one read at a time, and a lost one is replaced."""

from __future__ import annotations

import asyncio
import socket

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from claims import storage
from claims.errors import Unavailable
from tests.conftest import on_a_loop_of_its_own

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


def _slow_read(conn: sa.Connection, seconds: float) -> int:
    return conn.execute(sa.text("SELECT 1 FROM pg_sleep(:s)"), {"s": seconds}).scalar_one()


def _backend(conn: sa.Connection) -> int:
    return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def test_reads_beyond_the_pool_wait_for_a_kept_connection(settings):
    async def scenario() -> tuple[list[int], set[int]]:
        runtime = storage.PooledRuntime(settings.model_copy(update={"pool_size": 2}))
        runtime.keep_connections()
        try:
            results = await asyncio.gather(*(runtime.read(_slow_read, 0.05) for _ in range(6)))
            backends = {await runtime.read(_backend) for _ in range(6)}
            return results, backends
        finally:
            await runtime.aclose()

    results, backends = on_a_loop_of_its_own(scenario())

    assert results == [1] * 6
    assert len(backends) <= 2


def test_a_lost_connection_is_replaced_and_reads_answer_again(settings):
    dsn = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    async def scenario() -> tuple[type[BaseException], type[BaseException], int]:
        runtime = storage.PooledRuntime(settings)
        runtime.keep_connections()
        try:
            pid = await runtime.read(_backend)
            with psycopg.connect(dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            with pytest.raises(sa.exc.DBAPIError) as lost:
                await runtime.read(_backend)
            with pytest.raises(Unavailable) as refused:  # fails fast for a second
                await runtime.read(_backend)
            await asyncio.sleep(1.1)
            return lost.type, refused.type, await runtime.read(_backend)
        finally:
            await runtime.aclose()

    lost, refused, fresh = on_a_loop_of_its_own(scenario())

    assert issubclass(lost, sa.exc.DBAPIError)
    assert refused is Unavailable
    assert fresh > 0


def _claims(conn: sa.Connection) -> int:
    return conn.execute(sa.text("SELECT count(*) FROM claim")).scalar_one()


def test_a_read_refused_for_a_held_lock_is_unavailable_and_keeps_its_connection(settings):
    dsn = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    async def scenario() -> tuple[type[BaseException], int, int]:
        runtime = storage.PooledRuntime(settings.model_copy(update={"pg_lock_timeout_ms": 200}))
        runtime.keep_connections()
        try:
            pid = await runtime.read(_backend)
            with psycopg.connect(dsn) as locker:
                locker.execute("LOCK TABLE claim IN ACCESS EXCLUSIVE MODE")
                with pytest.raises(Unavailable) as refused:
                    async with asyncio.timeout(5):  # before: waited as long as the lock
                        await runtime.read(_claims)
            # Not a lost connection: the next read goes at once, on the same one.
            return refused.type, pid, await runtime.read(_backend)
        finally:
            await runtime.aclose()

    refused, before, after = on_a_loop_of_its_own(scenario())

    assert refused is Unavailable
    assert after == before


def test_reads_fail_fast_for_a_second_after_the_database_refused_a_connection(settings):
    with socket.socket() as s:  # a port nobody listens on: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = make_url(settings.database_url).set(host="127.0.0.1", port=port)
    nowhere = settings.model_copy(update={"database_url": url.render_as_string(False)})

    async def scenario() -> tuple[type[BaseException], type[BaseException]]:
        runtime = storage.PooledRuntime(nowhere)
        runtime.keep_connections()
        try:
            with pytest.raises(sa.exc.DBAPIError) as lost:
                await runtime.read(_backend)
            # Else each read of a group that failed, retried alone, would try to connect again.
            with pytest.raises(Unavailable) as refused:
                await runtime.read(_backend)
            return lost.type, refused.type
        finally:
            await runtime.aclose()

    lost, refused = on_a_loop_of_its_own(scenario())

    assert issubclass(lost, sa.exc.DBAPIError)
    assert refused is Unavailable
