"""Import an export into an empty database: all of it, same ids and hashes, or nothing.

Every line is validated (``claims.interop.records``) and every claim's hash chain recomputed
before its rows are written; rows go in in batches, all inside one transaction, so any refusal
(a malformed line, an unknown format version, a broken chain, a file that ends early, a row the
database rejects, events that do not hash to the header's log checkpoint) rolls everything
back. The error names the line. Memory holds one claim's events and one batch of rows at a
time, never the file; the history log's tree is built from the written events at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from claims import history, storage, transparency
from claims.errors import ClaimsError, Conflict
from claims.interop.records import (
    FORMAT,
    RECORD,
    VERSION,
    ClaimData,
    EventData,
    EvidenceData,
    Header,
    SourceData,
)
from claims.models import Event, error_message

_BATCH = 500
"""Claims (with their events and evidence) written per batch."""


class ImportRefused(ClaimsError):
    """The file cannot be imported; ``line`` is the 1-based line at fault (None: the file)."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line is not None else reason)
        self.line = line
        self.reason = reason


class DatabaseNotEmpty(Conflict):
    """An import only goes into a database without sources, claims or history."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: the count of each kind of record and the global ``seq``."""

    counts: dict[str, int]
    seq: int


def import_database(session: Session, lines: Iterable[bytes]) -> ImportSummary:
    """Load an export (its lines, in order) into an empty database, in one transaction.

    Raises DatabaseNotEmpty, ImportRefused.
    """
    with storage.transaction(session):
        storage.lock_seq(session)
        if not storage.is_empty(session):
            raise DatabaseNotEmpty(
                "the database already holds sources, claims or history; import only goes into "
                "an empty database (point CLAIMS_DATABASE_URL at a new one)"
            )
        loader = _Loader(session)
        for number, raw in enumerate(lines, start=1):
            loader.feed(number, raw)
        summary = loader.finish()
    return summary


def _reason(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    if error["type"] == "json_invalid":
        return f"not valid JSON ({error['msg'].removeprefix('Invalid JSON: ')})"
    parts = [str(p) for p in error["loc"]]
    if parts and parts[0] in ("source", "claim", "event", "evidence"):
        parts = parts[1:]  # the discriminator's tag, already named by "type"
    where = ".".join(parts)
    return f"{where}: {error_message(error)}" if where else error_message(error)


@dataclass
class _Claim:
    """The claim being read, with its events and evidence, until the next claim starts."""

    line: int
    data: ClaimData
    events: list[tuple[int, EventData]] = field(default_factory=list)
    evidence: list[tuple[int, EvidenceData]] = field(default_factory=list)


@dataclass
class _Batch:
    """Rows waiting to be written, each with the line it came from."""

    sources: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    claims: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    topics: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    evidence: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class _Loader:
    """Reads the lines one by one, checks them, and writes them in batches."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.header: Header | None = None
        self.seen = {"source": 0, "claim": 0, "event": 0, "evidence": 0}
        self.last_line = 0
        self.last_source_id = 0
        self.last_claim_id = 0
        self.current: _Claim | None = None
        self.batch = _Batch()
        self.forward_conditions: list[tuple[int, int, int]] = []

    # -- reading -------------------------------------------------------------------------

    def feed(self, number: int, raw: bytes) -> None:
        """Take one line of the file."""
        self.last_line = number
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            raise ImportRefused(number, "empty line; every line must hold one JSON object")
        if self.header is None:
            self.header = self._read_header(number, raw)
            return
        try:
            record = RECORD.validate_json(raw)
        except ValidationError as exc:
            raise ImportRefused(number, _reason(exc)) from None
        self.seen[record.type] += 1
        if record.type == "source":
            self._source(number, record.data)
        elif record.type == "claim":
            self._claim(number, record.data)
        elif record.type == "event":
            self._event(number, record.data)
        else:
            self._evidence(number, record.data)

    def _read_header(self, number: int, raw: bytes) -> Header:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ImportRefused(number, f"not valid JSON ({exc})") from None
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            raise ImportRefused(
                number, f'not a claims export: the first line must be {{"format": "{FORMAT}", …}}'
            )
        if value.get("version") != VERSION:
            raise ImportRefused(
                number,
                f"unknown format version {value.get('version')!r}; this tracker reads version "
                f"{VERSION}",
            )
        try:
            return Header.model_validate(value)
        except ValidationError as exc:
            raise ImportRefused(number, _reason(exc)) from None

    def _source(self, number: int, data: SourceData) -> None:
        if self.current is not None or self.last_claim_id:
            raise ImportRefused(number, "sources must all come before the first claim")
        if data.id <= self.last_source_id:
            raise ImportRefused(number, f"source {data.id} is out of order (ids must increase)")
        self.last_source_id = data.id
        self.batch.sources.append((number, data.model_dump()))

    def _claim(self, number: int, data: ClaimData) -> None:
        if data.id <= self.last_claim_id:
            raise ImportRefused(number, f"claim {data.id} is out of order (ids must increase)")
        self._close_claim()
        self.last_claim_id = data.id
        self.current = _Claim(number, data)

    def _event(self, number: int, data: EventData) -> None:
        claim = self._owner(number, "event", data.claim_id)
        if claim.events and data.seq <= claim.events[-1][1].seq:
            raise ImportRefused(
                number, f"event seq {data.seq} is out of order (seqs must increase)"
            )
        assert self.header is not None
        if data.seq > self.header.seq:
            raise ImportRefused(
                number, f"event seq {data.seq} is above the header's seq {self.header.seq}"
            )
        claim.events.append((number, data))

    def _evidence(self, number: int, data: EvidenceData) -> None:
        self._owner(number, "evidence", data.claim_id).evidence.append((number, data))

    def _owner(self, number: int, kind: str, claim_id: int) -> _Claim:
        if self.current is None or self.current.data.id != claim_id:
            after = f"claim {self.current.data.id}" if self.current else "the sources"
            raise ImportRefused(
                number,
                f"{kind} of claim {claim_id} is misplaced: it must follow its claim (found "
                f"after {after})",
            )
        return self.current

    # -- checking a claim and queueing its rows --------------------------------------------

    def _close_claim(self) -> None:
        claim, self.current = self.current, None
        if claim is None:
            return
        self._check_history(claim)
        row = claim.data.model_dump()
        condition = row["condition_claim_id"]
        if condition is not None and condition >= claim.data.id:
            # Not inserted yet: link it once every claim is in.
            self.forward_conditions.append((claim.line, claim.data.id, condition))
            row["condition_claim_id"] = None
        self.batch.claims.append((claim.line, row))
        for topic in dict.fromkeys(claim.data.topics):
            self.batch.topics.append((claim.line, {"claim_id": claim.data.id, "topic": topic}))
        self.batch.events.extend((line, event.row()) for line, event in claim.events)
        self.batch.evidence.extend((line, item.model_dump()) for line, item in claim.evidence)
        if len(self.batch.claims) >= _BATCH:
            self._flush()

    def _check_history(self, claim: _Claim) -> None:
        data = claim.data
        if not claim.events:
            raise ImportRefused(
                claim.line, f"claim {data.id} has no history (every claim starts with 'created')"
            )
        line_of = {event.seq: line for line, event in claim.events}
        bad = history.verify_chain(Event(**event.row()) for _, event in claim.events)
        if bad is not None:
            raise ImportRefused(
                line_of[bad.seq],
                f"the history of claim {data.id} is broken at seq {bad.seq}: {bad.reason}",
            )
        last = claim.events[-1][1]
        if (last.status, last.version) != (data.status, data.version):
            raise ImportRefused(
                claim.line,
                f"claim {data.id} is {data.status} at version {data.version}, but its history "
                f"ends with {last.status} at version {last.version}",
            )
        for line, item in claim.evidence:
            if item.event_seq not in line_of:
                raise ImportRefused(
                    line,
                    f"evidence {item.id} cites event seq {item.event_seq}, which is not in the "
                    f"history of claim {data.id}",
                )

    # -- writing ---------------------------------------------------------------------------

    def _flush(self) -> None:
        batch, self.batch = self.batch, _Batch()
        self._write(storage.source_t, batch.sources)
        self._write(storage.claim_t, batch.claims)
        self._write(storage.topic_t, batch.topics)
        self._write(storage.event_t, batch.events)
        self._write(storage.evidence_t, batch.evidence)

    def _write(self, table: sa.Table, rows: list[tuple[int, dict[str, Any]]]) -> None:
        if not rows:
            return
        try:
            with self.session.begin_nested():
                storage.insert_rows(self.session, table, [row for _, row in rows])
        except (IntegrityError, DataError):
            # Find the line the database refuses, so the error can name it.
            for line, row in rows:
                try:
                    with self.session.begin_nested():
                        storage.insert_rows(self.session, table, [row])
                except (IntegrityError, DataError) as exc:
                    raise ImportRefused(line, _refusal(table, row, exc)) from None

    def finish(self) -> ImportSummary:
        """Check the file was complete, write what is left and set the counters."""
        if self.header is None:
            raise ImportRefused(None, "the file is empty; a claims export starts with its header")
        self._close_claim()
        self._flush()
        for line, claim_id, condition in self.forward_conditions:
            try:
                with self.session.begin_nested():
                    storage.set_condition(self.session, claim_id, condition)
            except IntegrityError:
                raise ImportRefused(
                    line, f"condition_claim_id: there is no claim {condition}"
                ) from None
        expected = self.header.counts.model_dump()
        if self.seen != expected:
            missing = ", ".join(
                f"{expected[kind]} {kind} record(s) announced, {self.seen[kind]} found"
                for kind in expected
                if expected[kind] != self.seen[kind]
            )
            raise ImportRefused(
                self.last_line,
                f"the file ends here but does not match its header ({missing}); is it cut short?",
            )
        storage.finish_import(self.session, self.header.seq)
        checkpoint = self.header.checkpoint
        if checkpoint is not None:
            try:
                transparency.adopt_checkpoint(
                    self.session,
                    checkpoint.size,
                    checkpoint.root_hash,
                    datetime.fromisoformat(checkpoint.timestamp),
                )
            except transparency.CheckpointMismatch as exc:
                raise ImportRefused(
                    1, f"the history does not match the export's log checkpoint: {exc.detail}"
                ) from None
        return ImportSummary(self.seen, self.header.seq)


def _refusal(table: sa.Table, row: dict[str, Any], exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    what = f"{table.name} {row.get('id', row.get('seq', ''))}".strip()
    if "unique" in text.lower() or "duplicate" in text.lower():
        return f"{what} repeats one already in the file ({text})"
    if "foreign key" in text.lower():
        return f"{what} refers to a row that is not in the file ({text})"
    return f"the database refuses {what}: {text}"
