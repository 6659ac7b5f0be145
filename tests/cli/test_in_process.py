"""The suite runs ``claims`` in its own process (tests/claims_cli.py); what a test sees of a
run there must be what it sees of a real ``python -m claims`` process."""

from __future__ import annotations

import pytest

from tests.conftest import claims_command, claims_process


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("token", "create", "--name", "desk", "--role", "owner"), 2),
        (("keys", "show"), 1),
        (("db", "current"), 3),
    ],
    ids=["usage-error", "refused", "database-unusable"],
)
def test_in_process_gives_the_exit_code_and_output_of_a_process(tmp_path, args, code):
    url = f"sqlite:///{tmp_path / 'missing' / 'claims.db'}"

    here = claims_command(url, *args)
    there = claims_process(url, *args)

    assert (here.returncode, here.stdout, here.stderr) == (
        there.returncode,
        there.stdout,
        there.stderr,
    )
    assert here.returncode == code
