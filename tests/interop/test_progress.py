"""The export and import draw a progress bar on a terminal, and only there."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.interop.conftest import ROOT, fill


def _run_with_terminal_stderr(url: str, *args: str) -> tuple[int, bytes, bytes]:
    """Run ``claims ARGS`` with standard error on a pseudo-terminal; return code, out, err."""
    main, child = pty.openpty()
    result = subprocess.run(
        [sys.executable, "-m", "claims", *args],
        env={**os.environ, "CLAIMS_DATABASE_URL": url},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=child,
        timeout=120,
        check=False,
    )
    os.close(child)
    err = b""
    try:
        while chunk := os.read(main, 4096):
            err += chunk
    except OSError:
        pass  # the terminal's other end is closed: everything has been read
    finally:
        os.close(main)
    return result.returncode, result.stdout, err


def test_export_draws_a_progress_bar_on_a_terminal(database, tmp_path):
    fill(database.url)

    code, out, err = _run_with_terminal_stderr(
        database.url, "export", "--out", str(tmp_path / "x.jsonl")
    )

    assert code == 0
    assert b"exporting claims" in err
    assert b"exported 1 source(s)" in out


def test_import_draws_a_progress_bar_on_a_terminal(new_database, database, tmp_path):
    origin = new_database("sqlite")
    fill(origin.url)
    target = tmp_path / "x.jsonl"
    _run_with_terminal_stderr(origin.url, "export", "--out", str(target))

    code, out, err = _run_with_terminal_stderr(database.url, "import", str(target))

    assert code == 0, err.decode()
    assert b"importing" in err
    assert b"imported 1 source(s)" in out
