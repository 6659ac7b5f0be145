"""The test suite's own PostgreSQL copies: one failed copy fails one test, not the rest."""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest

from tests.conftest import PgCopies, _pg_admin


def test_a_failed_copy_fails_one_test_and_the_next_copy_is_made(pg_available):
    if not pg_available:
        pytest.skip("PostgreSQL does not answer")
    template = f"claims_tmpl_{uuid.uuid4().hex[:12]}"  # made only after the first copy failed
    copies = PgCopies(template)
    copies.RETRY_AFTER = 0.05
    try:
        with pytest.raises(psycopg.Error):
            copies.take()
        _pg_admin(f'CREATE DATABASE "{template}"')
        name = None
        for _ in range(50):  # the failures made while the template was missing come first
            try:
                name = copies.take()
                break
            except psycopg.Error:
                continue
        assert name is not None
        assert name.startswith("claims_t_")
        copies.give_back(name)
    finally:
        copies.close()
        _pg_admin(f'DROP DATABASE IF EXISTS "{template}"')


def test_closing_while_copies_keep_failing_does_not_wait(pg_available):
    if not pg_available:
        pytest.skip("PostgreSQL does not answer")
    copies = PgCopies(f"claims_tmpl_{uuid.uuid4().hex[:12]}")  # never made: every copy fails
    copies.RETRY_AFTER = 0.05
    with pytest.raises(psycopg.Error):
        copies.take()
    time.sleep(0.5)  # the queue fills with failures nobody takes
    started = time.monotonic()
    copies.close()
    assert time.monotonic() - started < 5
