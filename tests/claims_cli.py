"""Run the ``claims`` command in the test process, or as a real ``python -m claims`` process.

A ``python -m claims`` process spends about a second importing before it does anything, and
the suite runs the command hundreds of times, so ``run_in_process`` invokes the Typer app
here instead, with Typer's test runner (Typer carries its own copy of click): its own stdin,
stdout and stderr, the environment set for the call. It returns what ``subprocess.run``
would have: the exit code, stdout and stderr. What a process would not carry over from one
run to the next is undone after each call: the engines the command opened are disposed of
(a process that exits closes its connections), the working directory and the environment
are put back. An exception the command does not handle becomes exit 1 with its traceback on
stderr, as the interpreter would print it.

``run_as_process`` runs the real entry point, for the tests that need a process of its own
(``serve``, signals, a terminal, a writer beside the test's server) and for the few that
check ``python -m claims`` end to end (their names end in ``_as_a_process``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from typer.testing import CliRunner

from claims.cli import app

ROOT = Path(__file__).resolve().parents[1]
PROG_NAME = "python -m claims"  # what click names the command in usage lines of a process


@contextlib.contextmanager
def _engines_disposed_after() -> Iterator[None]:
    """Dispose of every engine this thread connects with inside the block, on the way out."""
    opened: dict[int, Engine] = {}
    me = threading.get_ident()

    def record(conn: Connection) -> None:
        if threading.get_ident() == me:
            opened.setdefault(id(conn.engine), conn.engine)

    event.listen(Engine, "engine_connect", record)
    try:
        yield
    finally:
        event.remove(Engine, "engine_connect", record)
        for engine in opened.values():
            engine.dispose()


def run_in_process(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``claims ARGS`` in this process, with ``env`` added to the environment."""
    runner = CliRunner()
    with contextlib.chdir(ROOT), _engines_disposed_after():
        result = runner.invoke(
            app,
            list(args),
            input=stdin if stdin is not None else b"",
            env=env,
            prog_name=PROG_NAME,
            catch_exceptions=True,
        )
    stderr = result.stderr_bytes
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception)).encode()
    return subprocess.CompletedProcess(
        ["claims", *args], result.exit_code, result.stdout_bytes, stderr
    )


def run_as_process(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m claims ARGS`` in a process of its own, with ``env`` added."""
    return subprocess.run(
        [sys.executable, "-m", "claims", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        check=False,
    )


def as_text(result: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    """The same result with stdout and stderr decoded, as ``subprocess.run(text=True)``."""
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        _text(result.stdout),
        _text(result.stderr),
    )


def _text(data: bytes) -> str:
    # text=True decodes in the locale's encoding (UTF-8 here) with universal newlines.
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
