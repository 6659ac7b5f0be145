"""The transparency log's use cases: checkpoints, proofs, and checking a saved checkpoint.

Every history event, in ``seq`` order, is a leaf of one append-only Merkle tree
(``claims.translog``); a leaf's bytes are the event's canonical public JSON, chain hash
included. Writes do not touch the tree: it is extended lazily, when a checkpoint (or a proof)
is asked for after new events, by hashing only the new events and the few nodes they complete
(``storage.merkle``). So a status change costs what it did, and a checkpoint costs O(new
events + log n). Each size the log is published at is recorded once, with the time it was
first published, so the same size always gives the same checkpoint (and, Ed25519 being
deterministic, the same signature).

``check_saved_checkpoint`` is what ``claims verify --checkpoint`` runs: it recomputes the tree
from the events themselves, trusting no stored hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import history, signing, storage, translog
from claims.clock import as_utc, iso, now
from claims.config import Settings
from claims.errors import ClaimsError, InvalidInput, NotFound

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
CHECKPOINT_PATH = "/v1/log/checkpoint"
_BATCH = 200  # events hashed and inserted at a time when the tree is extended (flat memory)


class LogInconsistent(ClaimsError):
    """The stored tree disagrees with itself (a checkpoint already published for this size has
    another root): the server refuses to publish a second, conflicting checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's size, its root hash and when it was first published."""

    size: int
    root_hash: bytes
    made_at: datetime

    @property
    def timestamp(self) -> str:
        """``made_at`` as the tracker writes timestamps."""
        return iso(self.made_at)

    def text(self) -> bytes:
        """The bytes its signature covers (``signing.checkpoint_text``)."""
        return signing.checkpoint_text(self.size, self.root_hash.hex(), self.timestamp)

    def public(self, signer: signing.Signer | None) -> dict[str, Any]:
        """The public form (``GET /v1/log/checkpoint``), signed when a key is configured."""
        return {
            "size": self.size,
            "root_hash": self.root_hash.hex(),
            "timestamp": self.timestamp,
            "signature": signer.sign(self.text()) if signer is not None else None,
            "key_id": signer.public_key.id if signer is not None else None,
        }


def leaf_bytes(event: history.EventLike) -> bytes:
    """Return an event's leaf bytes: its canonical public JSON, ``hash`` included."""
    return history.canonical_json(history.public_event(event))


# ---------------------------------------------------------------------------------------------
# Checkpoints


def current_checkpoint(session: Session) -> Checkpoint:
    """Return the checkpoint of the whole log as it is now, first appending to the stored
    tree the events written since it was last extended. Raises LogInconsistent."""
    size, last = storage.log_head(session)
    if last == storage.last_event_seq(session):
        row = storage.find_checkpoint(session, size)
        if row is not None:
            return _checkpoint(row)
    with storage.transaction(session):
        storage.lock_log(session)
        size, root = _extend(session)
        checkpoint = _publish(session, size, root, now())
    return checkpoint


def latest_published(db: storage.Executor, *, at_most: int) -> Checkpoint | None:
    """Return the largest checkpoint published of at most ``at_most`` events, or None."""
    row = storage.latest_checkpoint(db, at_most=at_most)
    return _checkpoint(row) if row is not None else None


class CheckpointMismatch(ClaimsError):
    """Events do not hash to the root of the checkpoint that came with them (an import)."""


def adopt_checkpoint(session: Session, size: int, root_hash: str, timestamp: datetime) -> None:
    """Build the tree of the events just imported (inside the import's transaction), check
    that their first ``size`` hash to ``root_hash``, and record the checkpoint as published.
    Raises CheckpointMismatch."""
    storage.lock_log(session)
    total, _root = _extend(session)
    if size > total:
        raise CheckpointMismatch(f"the checkpoint covers {size} events, but there are {total}")
    nodes = storage.read_nodes(session, translog.cover(0, size) if size else [])
    root = translog.range_hash(0, size, nodes)
    if root.hex() != root_hash:
        raise CheckpointMismatch(
            f"the first {size} events hash to the root {root.hex()}, not to the checkpoint's "
            f"{root_hash}: the history was changed after the checkpoint was made"
        )
    _publish(session, size, root, timestamp)


def _checkpoint(row: Row) -> Checkpoint:
    return Checkpoint(row.size, bytes(row.root_hash), as_utc(row.made_at))


def _extend(session: Session) -> tuple[int, bytes]:
    """Append every event not yet in the stored tree (inside the caller's transaction, which
    holds the log's lock); return the new size and root."""
    size, last = storage.log_head(session)
    needed = translog.cover(0, size) if size else []
    stored = storage.read_nodes(session, needed)
    missing = [node for node in needed if node not in stored]
    if missing:
        raise LogInconsistent(f"the stored log tree lacks its node {missing[0]}")
    frontier = [(level, index, stored[(level, index)]) for level, index in needed]
    # Leaves go in seq order for good, so only up to the horizon: an event still in flight
    # below it would otherwise have to come in behind a later leaf.
    upto = storage.latest_seq(session)
    while rows := storage.events_after(session, last, _BATCH, upto=upto):
        seqs = {size + offset: row.seq for offset, row in enumerate(rows)}
        done = translog.append(frontier, size, [translog.leaf_hash(leaf_bytes(r)) for r in rows])
        storage.insert_log_nodes(session, done.nodes, seqs)
        frontier, size, last = done.frontier, done.size, rows[-1].seq
    return size, translog.fold([h for _level, _index, h in frontier])


def _publish(session: Session, size: int, root: bytes, made_at: datetime) -> Checkpoint:
    """Record the checkpoint of ``size`` leaves unless it was published before; return the
    published one. Raises LogInconsistent when the earlier one has another root."""
    row = storage.find_checkpoint(session, size)
    if row is None:
        storage.insert_checkpoint(session, size, root, made_at)
        return Checkpoint(size, root, made_at)
    if bytes(row.root_hash) != root:
        raise LogInconsistent(
            f"the checkpoint published for size {size} has root {bytes(row.root_hash).hex()}, "
            f"but the stored tree gives {root.hex()}"
        )
    return _checkpoint(row)


def checkpoint(session: Session, settings: Settings) -> dict[str, Any]:
    """Return the current checkpoint's public form, signed when the server has a key.

    Raises LogInconsistent, signing.KeyFileError (a key file that cannot be used).
    """
    return current_checkpoint(session).public(signing.load_signer(settings))


def describe(checkpoint: Mapping[str, Any]) -> str:
    """Say a checkpoint in one line, for readers to archive (the Atom feed)."""
    signed = f"signed by key {checkpoint['key_id']}" if checkpoint["key_id"] else "unsigned"
    return (
        f"History log checkpoint: {checkpoint['size']} events, root {checkpoint['root_hash']}, "
        f"at {checkpoint['timestamp']}, {signed} (the signed form: {CHECKPOINT_PATH})."
    )


def public_key(settings: Settings) -> dict[str, str]:
    """Return the public half of the log's key. Raises NotFound when there is none."""
    signer = signing.load_signer(settings)
    if signer is None:
        raise NotFound(
            "this tracker has no log signing key: its checkpoints are unsigned (an admin makes "
            "one with `claims keys init`)"
        )
    return signer.public_key.public()


# ---------------------------------------------------------------------------------------------
# Proofs


def _hashes(session: Session, ranges: list[translog.Range]) -> list[str]:
    nodes = storage.read_nodes(session, translog.nodes_for(ranges))
    return [translog.range_hash(start, end, nodes).hex() for start, end in ranges]


def consistency_proof(session: Session, first: int, second: int | None = None) -> dict[str, Any]:
    """Return the proof that the log of ``first`` events is a prefix of the log of ``second``
    (default: the whole log now). Raises InvalidInput naming ``from`` or ``to``."""
    size = current_checkpoint(session).size
    second = size if second is None else second
    if second > size:
        raise InvalidInput.on("to", f"the log holds {size} events; ask for at most {size}")
    if first < 1:
        raise InvalidInput.on("from", "must be at least 1 (the empty log is a prefix of any)")
    if first > second:
        raise InvalidInput.on("from", f"must not be above to ({second})")
    ranges = translog.consistency_ranges(first, second)
    return {"from": first, "to": second, "proof": _hashes(session, ranges)}


def inclusion_proof(session: Session, seq: int, size: int | None = None) -> dict[str, Any]:
    """Return the proof that the event ``seq`` is in the log of ``size`` events (default: the
    whole log now), with the event and its leaf. Raises InvalidInput naming ``seq`` or
    ``size``."""
    current = current_checkpoint(session).size
    size = current if size is None else size
    if size > current:
        raise InvalidInput.on("size", f"the log holds {current} events; ask for at most {current}")
    leaf = storage.find_leaf(session, seq)
    event = storage.find_event(session, seq)
    if leaf is None or event is None:
        raise InvalidInput.on("seq", f"no history event has seq {seq}")
    if leaf.idx >= size:
        raise InvalidInput.on(
            "size", f"event seq {seq} is leaf {leaf.idx} of the log: size must be above that"
        )
    return {
        "seq": seq,
        "index": leaf.idx,
        "size": size,
        "leaf_hash": bytes(leaf.hash).hex(),
        "event": history.public_event(event),
        "proof": _hashes(session, translog.inclusion_ranges(leaf.idx, size)),
    }


# ---------------------------------------------------------------------------------------------
# Checking a saved checkpoint against the events (``claims verify --checkpoint``)


class BadCheckpointFile(ClaimsError):
    """The saved checkpoint is not a checkpoint (a field is missing or malformed)."""


@dataclass(frozen=True)
class SavedCheckpoint:
    """A checkpoint someone saved (the JSON of ``GET /v1/log/checkpoint``)."""

    size: int
    root_hash: str
    timestamp: str
    signature: str | None
    key_id: str | None

    @classmethod
    def parse(cls, value: Any) -> SavedCheckpoint:
        """Read the JSON value of a saved checkpoint. Raises BadCheckpointFile naming the field."""
        if not isinstance(value, Mapping):
            raise BadCheckpointFile("a checkpoint is a JSON object (from GET /v1/log/checkpoint)")
        size, root = value.get("size"), value.get("root_hash")
        stamp, signature, key = value.get("timestamp"), value.get("signature"), value.get("key_id")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BadCheckpointFile("size: must be a whole number of events, 0 or more")
        if not isinstance(root, str) or not _HEX64.match(root):
            raise BadCheckpointFile("root_hash: must be 64 lowercase hex digits")
        if not isinstance(stamp, str) or not stamp:
            raise BadCheckpointFile("timestamp: must be the checkpoint's time, as served")
        if signature is not None and not isinstance(signature, str):
            raise BadCheckpointFile("signature: must be base64 text or null")
        if key is not None and not isinstance(key, str):
            raise BadCheckpointFile("key_id: must be hex text or null")
        return cls(size, root, stamp, signature, key)

    def text(self) -> bytes:
        """The bytes its signature covers."""
        return signing.checkpoint_text(self.size, self.root_hash, self.timestamp)


@dataclass(frozen=True)
class CheckpointReport:
    """What checking a saved checkpoint found: ``problem`` is None when the log is an honest
    extension of it; ``notes`` say what was (and was not) checked."""

    problem: str | None
    size: int
    notes: list[str]


def check_saved_checkpoint(
    session: Session, saved: SavedCheckpoint, key: signing.PublicKey | None
) -> CheckpointReport:
    """Check a saved checkpoint against the log: its signature (with ``key``), then that the
    first ``saved.size`` events, hashed afresh, still give its root (so the log only grew);
    also that every checkpoint the tracker stored matches the events."""
    notes: list[str] = []
    if saved.signature is None:
        notes.append("the checkpoint is unsigned: only its root was checked")
    elif key is None:
        return CheckpointReport(
            "the checkpoint is signed, but there is no public key to check it with (set "
            "CLAIMS_LOG_KEY_FILE or pass --public-key)",
            0,
            notes,
        )
    elif saved.key_id is not None and saved.key_id != key.id:
        return CheckpointReport(
            f"the checkpoint was signed by key {saved.key_id}, not by this log's key {key.id}",
            0,
            notes,
        )
    elif not key.verifies(saved.text(), saved.signature):
        return CheckpointReport(
            "the checkpoint's signature does not verify: it was not signed by this log's key, "
            "or its size, root or time were changed",
            0,
            notes,
        )
    else:
        notes.append(f"signature by key {key.id} verifies")
    return _recompute(session, saved, notes)


def _recompute(session: Session, saved: SavedCheckpoint, notes: list[str]) -> CheckpointReport:
    published = {row.size: bytes(row.root_hash) for row in storage.list_checkpoints(session)}
    builder = translog.Builder()
    prefix_root = translog.EMPTY_ROOT if saved.size == 0 else None
    last_seq_in_prefix = 0
    first_changed: str | None = None
    disagreeing: str | None = None
    for row in storage.stream_log(session):
        leaf = translog.leaf_hash(leaf_bytes(row))
        recorded = row.leaf_hash is not None
        if (
            first_changed is None
            and recorded
            and (row.leaf_idx, bytes(row.leaf_hash))
            != (
                builder.size,
                leaf,
            )
        ):
            first_changed = f"event seq {row.seq} no longer matches the leaf the log recorded"
        builder.add(leaf)
        if builder.size == saved.size:
            prefix_root, last_seq_in_prefix = builder.root, row.seq
        stored_root = published.get(builder.size)
        if disagreeing is None and stored_root is not None and stored_root != builder.root:
            disagreeing = (
                f"the checkpoint the log published for size {builder.size} does not match "
                "its events"
            )
    size = builder.size
    if size < saved.size:
        return CheckpointReport(
            f"the log was truncated: it holds {size} events, but the checkpoint covers "
            f"{saved.size}",
            size,
            notes,
        )
    assert prefix_root is not None
    if prefix_root.hex() != saved.root_hash:
        where = f" ({first_changed})" if first_changed else ""
        return CheckpointReport(
            f"the log was rewritten: its first {saved.size} events (up to seq "
            f"{last_seq_in_prefix}) no longer hash to the checkpoint's root{where}",
            size,
            notes,
        )
    if disagreeing is not None:
        return CheckpointReport(disagreeing, size, notes)
    notes.append(
        f"the log of {size} events extends the checkpoint's {saved.size}: nothing in it was "
        "changed or removed"
    )
    return CheckpointReport(None, size, notes)
