"""PostgreSQL's reads on the event loop (``storage.PooledRuntime``): the connections it keeps
open are lent one read at a time, and a lost one is replaced."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
import sqlalchemy as sa

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
