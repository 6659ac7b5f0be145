"""Helpers to run the real ``claims`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


def _runner(database_url: str) -> Runner:
    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "CLAIMS_DATABASE_URL": database_url, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "claims", *args],
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def run_claims(settings) -> Runner:
    """Run ``claims ARGS`` against the test's database (once per backend)."""
    return _runner(settings.database_url)


@pytest.fixture
def run_claims_once(tmp_path: Path) -> Runner:
    """Run ``claims ARGS`` for behaviour that does not depend on the backend."""
    return _runner(f"sqlite:///{tmp_path / 'claims.db'}")
