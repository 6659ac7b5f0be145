#!/usr/bin/env python3
"""Check a claim tracker's history log against a checkpoint you saved earlier.

Needs Python 3.11+ and the ``cryptography`` package, nothing from the tracker:

    python3 verify_checkpoint.py https://tracker.example.org saved.json [--public-key log.pub]
                                 [--save newer.json]

It checks the saved checkpoint's signature, fetches the tracker's current checkpoint and checks
its signature, then fetches a consistency proof (RFC 9162, section 2.1.4) and checks that the
log you saved is a prefix of the log now: nothing in it was changed, reordered or removed.
Exit status: 0 the log only grew; 1 it did not (or a signature is wrong); 2 it could not check
(network, file or usage problem).

Pin the key: pass ``--public-key`` with the PEM you got once from ``/v1/log/key`` (or from the
newsroom out of band). Without it the script uses the key the tracker serves now, which a
tracker that rewrote its history could have replaced; it says so. docs/history.md describes
every format used here.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEADER = "claim-tracker checkpoint v1"


class Failed(Exception):
    """The log or a checkpoint does not check out (exit 1)."""


class CannotCheck(Exception):
    """Something needed for the check could not be had (exit 2)."""


def fetch(base: str, path: str, params: dict[str, int] | None = None) -> Any:
    """GET a JSON document from the tracker."""
    url = base.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and path == "/v1/log/key":
            return None
        raise CannotCheck(f"GET {url} answered {exc.code}: {exc.read()[:300]!r}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CannotCheck(f"GET {url} failed: {exc}") from None


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list) -> bool:
    """RFC 9162 section 2.1.4.2: verify a consistency proof between two tree sizes."""
    if first == 0:
        return first_root == hashlib.sha256(b"").digest() and not proof
    if first == second:
        return first_root == second_root and not proof
    if first > second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def check_signature(checkpoint: dict, key: Ed25519PublicKey | None, name: str) -> str:
    """Check one checkpoint's signature; return what was found, raise Failed if it is bad."""
    if checkpoint.get("signature") is None:
        return f"{name}: unsigned (the tracker has no signing key)"
    if key is None:
        raise Failed(f"{name} is signed, but there is no public key to check it with")
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = hashlib.sha256(raw).hexdigest()
    if checkpoint.get("key_id") != key_id:
        raise Failed(f"{name} was signed by key {checkpoint.get('key_id')}, not by {key_id}")
    text = f"{HEADER}\n{checkpoint['size']}\n{checkpoint['root_hash']}\n{checkpoint['timestamp']}\n"
    try:
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), text.encode())
    except (InvalidSignature, ValueError):
        raise Failed(f"{name}'s signature does not verify: it was altered or forged") from None
    return f"{name}: signature by key {key_id} verifies"


def load_key(args: argparse.Namespace, base: str) -> tuple[Ed25519PublicKey | None, str]:
    if args.public_key:
        try:
            key = serialization.load_pem_public_key(Path(args.public_key).read_bytes())
        except (OSError, ValueError) as exc:
            raise CannotCheck(f"cannot read the public key {args.public_key}: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise CannotCheck(f"{args.public_key} is not an Ed25519 public key")
        return key, "pinned key"
    served = fetch(base, "/v1/log/key")
    if served is None:
        return None, "the tracker serves no key"
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(served["public_key"]))
    return key, "key served by the tracker now (not pinned: pass --public-key to pin it)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the tracker's base URL, e.g. https://tracker.example.org")
    parser.add_argument(
        "checkpoint", help="a checkpoint saved earlier (JSON of /v1/log/checkpoint)"
    )
    parser.add_argument("--public-key", help="PEM file of the log's public key (pins it)")
    parser.add_argument("--save", help="write the tracker's current checkpoint here once checked")
    args = parser.parse_args(argv)
    try:
        try:
            saved = json.loads(Path(args.checkpoint).read_text(encoding="utf-8"))
            saved_root = bytes.fromhex(saved["root_hash"])
            saved_size = int(saved["size"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CannotCheck(f"{args.checkpoint} is not a saved checkpoint: {exc}") from None
        key, source = load_key(args, args.url)
        print(f"key: {source}")
        print(check_signature(saved, key, "saved checkpoint"))
        current = fetch(args.url, "/v1/log/checkpoint")
        print(check_signature(current, key, "current checkpoint"))
        size, root = int(current["size"]), bytes.fromhex(current["root_hash"])
        if size < saved_size:
            raise Failed(
                f"the log shrank: it holds {size} events, the saved checkpoint {saved_size}"
            )
        proof: list[bytes] = []
        if 0 < saved_size < size:
            answer = fetch(args.url, "/v1/log/proof", {"from": saved_size, "to": size})
            proof = [bytes.fromhex(h) for h in answer["proof"]]
        if not consistent(saved_size, size, saved_root, root, proof):
            raise Failed(
                f"the log of {size} events does not extend the saved one of {saved_size}: its "
                "history was rewritten"
            )
        print(f"OK: the log grew from {saved_size} to {size} events; nothing was rewritten")
        if args.save:
            Path(args.save).write_text(json.dumps(current, indent=1) + "\n", encoding="utf-8")
            print(f"saved the current checkpoint to {args.save}")
    except Failed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except CannotCheck as exc:
        print(f"cannot check: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
