"""The log's signing key (Ed25519) and the signed text of a checkpoint.

The private key lives in one file (CLAIMS_LOG_KEY_FILE), made once by ``claims keys init``
(PKCS #8 PEM, readable by its owner only) and never overwritten, printed or logged; its public
half is served at ``GET /v1/log/key``. A checkpoint's signature is Ed25519 over
``checkpoint_text`` (docs/history.md spells it out for outsiders), base64; the key's id is the
lowercase hex SHA-256 of its 32 raw public bytes. Ed25519 signatures are deterministic, so
the same checkpoint signed by the same key always reads the same.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from claims.config import Settings
from claims.errors import ClaimsError

ALGORITHM = "Ed25519"
CHECKPOINT_HEADER = "claim-tracker checkpoint v1"
DEFAULT_FILE_NAME = "claims-log.key"


class KeyFileError(ClaimsError):
    """The key file exists already (``keys init``), or cannot be read or used."""


def checkpoint_text(size: int, root_hash: str, timestamp: str) -> bytes:
    """Return the bytes a checkpoint's signature covers: four lines, each ending in ``\\n``."""
    return f"{CHECKPOINT_HEADER}\n{size}\n{root_hash}\n{timestamp}\n".encode()


def key_path(settings: Settings) -> Path:
    """Where the private key is: CLAIMS_LOG_KEY_FILE, or ``claims-log.key`` beside the SQLite
    database file (in the working directory on PostgreSQL)."""
    if settings.log_key_file:
        return Path(settings.log_key_file)
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        return Path(DEFAULT_FILE_NAME)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / DEFAULT_FILE_NAME
    return Path(DEFAULT_FILE_NAME)


def key_id(public_raw: bytes) -> str:
    """Return the id of a public key: the hex SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_raw).hexdigest()


@dataclass(frozen=True)
class PublicKey:
    """A public key as the API serves it and verifiers use it."""

    raw: bytes

    @property
    def id(self) -> str:
        """The key's id (see ``key_id``)."""
        return key_id(self.raw)

    def public(self) -> dict[str, str]:
        """The public form (``GET /v1/log/key``)."""
        pem = (
            Ed25519PublicKey.from_public_bytes(self.raw)
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )
        return {
            "algorithm": ALGORITHM,
            "key_id": self.id,
            "public_key": base64.b64encode(self.raw).decode("ascii"),
            "public_key_pem": pem,
        }

    def verifies(self, text: bytes, signature: str) -> bool:
        """Tell whether ``signature`` (base64) is this key's signature of ``text``."""
        try:
            raw = base64.b64decode(signature, validate=True)
            Ed25519PublicKey.from_public_bytes(self.raw).verify(raw, text)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


class Signer:
    """The private key, loaded from its file: signs checkpoint texts."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_key = PublicKey(
            key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        )

    def sign(self, text: bytes) -> str:
        """Return the base64 Ed25519 signature of ``text``."""
        return base64.b64encode(self._key.sign(text)).decode("ascii")

    def __repr__(self) -> str:  # never show the key, wherever an object is printed
        return f"Signer(key_id={self.public_key.id!r})"


def init_key(path: Path) -> PublicKey:
    """Make a new key pair and write the private key to ``path`` (mode 0600).

    Raises KeyFileError when the file exists (a key is never replaced by accident) or cannot
    be written.
    """
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(
            f"{path} exists already; a log key is never overwritten (move it away yourself if "
            "you really mean to replace it: checkpoints signed by it then no longer verify "
            "with the new key)"
        ) from None
    except OSError as exc:
        raise KeyFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return Signer(key).public_key


def load_signer(settings: Settings) -> Signer | None:
    """Return the signer of the configured key file; None when there is no such file.

    Raises KeyFileError when the file exists but holds no Ed25519 private key.
    """
    path = key_path(settings)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyFileError(
            f"cannot read the log key file (CLAIMS_LOG_KEY_FILE): {exc.strerror or exc}"
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileError(
            "the log key file (CLAIMS_LOG_KEY_FILE) holds no unencrypted PEM private key"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError("the log key file (CLAIMS_LOG_KEY_FILE) holds no Ed25519 key")
    return Signer(key)


def load_public_key(path: Path) -> PublicKey:
    """Read a public key from a PEM file (a public key, or the private key itself).

    Raises KeyFileError when the file cannot be read or holds no Ed25519 key.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        if b"PRIVATE KEY" in data:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise KeyFileError(f"{path} holds no PEM key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} holds a key, but not an Ed25519 one")
    return PublicKey(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
