"""The README documents every setting and every command, and its examples run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from claims.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def test_the_readmes_using_it_block_runs_as_pasted(tmp_path):
    """The "Using it" block, against a real `claims serve`: the verdict lands."""
    block = README.split("## Using it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CLAIMS_DATABASE_URL": f"sqlite:///{tmp_path / 'claims.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        script = block.replace(".venv/bin/claims", f"{sys.executable} -m claims").replace(
            "127.0.0.1:8000", f"127.0.0.1:{port}"
        )
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=ROOT,
        )
        claim = httpx.get(
            f"http://127.0.0.1:{port}/v1/claims/trump-beijing-visit-before-lunar-new-year"
        ).json()
    finally:
        server.kill()
        server.wait(timeout=10)

    assert ran.returncode == 0, ran.stderr
    assert claim["status"] == "broken"
    assert '"status_changed"' in ran.stdout


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
