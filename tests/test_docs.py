"""The README documents every setting and every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_readme(name):
    assert f"`CLAIMS_{name.upper()}`" in README


@pytest.mark.parametrize(
    "command",
    [
        "claims serve",
        "claims db upgrade",
        "claims seed",
        "claims token create",
        "claims verify",
        "claims extract",
        "claims backup",
        "claims restore",
    ],
)
def test_every_command_is_documented_in_the_readme(command):
    assert command in README
