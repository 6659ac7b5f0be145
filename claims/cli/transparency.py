"""``claims keys``: the log's signing key; and the saved-checkpoint check of ``claims verify``.

``keys init`` makes the Ed25519 key pair that signs the log's checkpoints and writes the
private key to CLAIMS_LOG_KEY_FILE (never over an existing file); only the public key is ever
printed. ``check_checkpoint_file`` is what ``claims verify --checkpoint FILE`` adds to the
chain checks: exit 4 naming what is wrong when the log is not an extension of the checkpoint.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from claims.cli.base import (
    EXIT_BROKEN_HISTORY,
    app,
    command_group,
    errors_to_exit,
    fail,
    load_settings,
    open_engine,
)

keys_app = command_group(
    help="The key that signs the history log's checkpoints.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")

CheckpointOption = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint",
        help="A checkpoint saved earlier (the JSON of GET /v1/log/checkpoint): also check its "
        "signature and that the log still extends it (nothing rewritten or removed).",
    ),
]
PublicKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        help="PEM file of the log's public key, to check the checkpoint's signature with "
        "(default: the key of CLAIMS_LOG_KEY_FILE).",
    ),
]


@keys_app.command("init")
@errors_to_exit
def keys_init() -> None:
    """Make the log's signing key pair; the private key goes to CLAIMS_LOG_KEY_FILE (mode
    0600) and is never overwritten; the public key is printed."""
    from claims import signing

    path = signing.key_path(load_settings())
    key = signing.init_key(path)
    typer.echo(f"log signing key written to {path} (keep it secret; back it up)")
    typer.echo(f"key id {key.id}; public key (also served at GET /v1/log/key):")
    typer.echo(key.public()["public_key_pem"].rstrip())


@keys_app.command("show")
@errors_to_exit
def keys_show() -> None:
    """Print the public half of the log's signing key (PEM) and its id."""
    from claims import signing

    path = signing.key_path(load_settings())
    signer = signing.load_signer(load_settings())
    if signer is None:
        raise fail(f"there is no log key at {path}; make one with `claims keys init`", 1)
    typer.echo(f"key id {signer.public_key.id}")
    typer.echo(signer.public_key.public()["public_key_pem"].rstrip())


def check_checkpoint_file(file: Path, public_key: Path | None) -> None:
    """Check the log against a saved checkpoint; print what was checked, or exit 4 (2 for a
    file that is no checkpoint) naming what is wrong."""
    from sqlmodel import Session

    from claims import signing, transparency

    try:
        saved = transparency.SavedCheckpoint.parse(json.loads(file.read_text(encoding="utf-8")))
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    except (ValueError, transparency.BadCheckpointFile) as exc:
        raise fail(f"{file} is not a saved checkpoint: {exc}", 2) from None
    if public_key is not None:
        key: signing.PublicKey | None = signing.load_public_key(public_key)
    else:
        signer = signing.load_signer(load_settings())
        key = signer.public_key if signer is not None else None
    with Session(open_engine()) as session:
        report = transparency.check_saved_checkpoint(session, saved, key)
    for note in report.notes:
        typer.echo(note)
    if report.problem is not None:
        raise fail(f"checkpoint {file} (size {saved.size}): {report.problem}", EXIT_BROKEN_HISTORY)
