"""`claims --help` and every command's help read as paragraphs: a docstring's hard line breaks
do not show as broken lines in the terminal (claims.cli.base.command_group)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from claims.cli import app

WIDE = {"COLUMNS": "1000"}  # wide enough that the terminal never wraps a paragraph itself


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every command and group under ``group``: its path and its help text."""
    found = [(path, group.help or "")]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (Typer's own copy of click's Group)
            found += _commands(command, (*path, name))
        else:
            found.append(((*path, name), command.help or ""))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def _paragraphs(help_text: str) -> list[str]:
    text = inspect.cleandoc(help_text).replace("`", "")
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _lines(output: str) -> list[str]:
    return [" ".join(re.sub(r"[│╭╮╰╯─]", " ", line).split()) for line in output.splitlines()]


def test_extract_help_prints_a_docstring_paragraph_on_one_line(run_claims_once):
    docstring = inspect.cleandoc(dict(COMMANDS)[("extract",)])
    wrapped = max(docstring.split("\n\n"), key=lambda p: p.count("\n"))
    assert wrapped.count("\n") >= 2  # hard-wrapped in the source

    result = run_claims_once("extract", "--help", env=WIDE)

    assert result.returncode == 0, result.stderr
    assert _paragraphs(wrapped)[0] in _lines(result.stdout)


@pytest.mark.parametrize(
    ("path", "help_text"), COMMANDS, ids=[" ".join(("claims", *path)) for path, _ in COMMANDS]
)
def test_every_help_paragraph_is_one_line(path, help_text):
    result = CliRunner().invoke(app, [*path, "--help"], env=WIDE)

    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert [p for p in _paragraphs(help_text) if p not in lines] == []
