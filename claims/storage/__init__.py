"""Storage: the engine, transactions, and every query the tracker runs.

Only this package writes SQL; services call it inside ``transaction(session)``, the one place
that commits. One module per thing it holds:

    tables.py    handles on the tables (for the queries here)
    engine.py    engine and pragmas, ``transaction()``, database errors classified
    runtime.py   the event loop's reader, the inline SQLite writer, WAL checkpoints
    claims.py    claim rows, compare-and-set, topics, the tally
    listing.py   the list: filters, keyset pages and cursors, summary counts, filter choices
    events.py    the global seq, history events, evidence rows, the change feed, verdicts
    sources.py   source documents
    tokens.py    access tokens (hashes only)
    teamwork.py  internal notes on claims, assignments
    keys.py      idempotency keys
    records.py   rows as JSON records and back
    bulk.py      the export's streamed snapshot and the import's bulk writes
    files.py     SQLite files as wholes: the online backup copy, integrity checks

Callers use ``from claims import storage`` and the names re-exported below.
"""

from claims.storage.bulk import (
    STREAM_BATCH,
    counts,
    finish_import,
    insert_rows,
    is_empty,
    set_condition,
    snapshot,
    stream_claims,
    stream_events,
    stream_evidence,
    stream_sources,
)
from claims.storage.claims import (
    OPEN_ENDED,
    claim_version,
    count_claims,
    find_claim,
    find_claim_to_write,
    insert_claim,
    quotes_of_source,
    slug_taken,
    tally,
    tally_moves,
    update_claim,
)
from claims.storage.engine import (
    DatabaseUrlError,
    Executor,
    add_commit_listener,
    check_database,
    is_sqlite,
    make_engine,
    normalise_url,
    remove_commit_listener,
    transaction,
    unavailable_from,
)
from claims.storage.events import (
    NOTIFY_CHANNEL,
    changes_since,
    first_verdict,
    insert_event,
    insert_evidence,
    iter_chains,
    last_status_change,
    latest_seq,
    list_events,
    lock_seq,
    next_seq,
    notified_seqs,
    set_seq,
    source_status_changes,
    verdict_events,
)
from claims.storage.keys import (
    find_key,
    finish_key,
    insert_key,
    purge_keys,
    touch_key,
)
from claims.storage.listing import (
    SORTS,
    ClaimFilter,
    claimants_like,
    decode_cursor,
    distinct_claimants,
    distinct_topics,
    encode_cursor,
    list_claims,
    summary_counts,
    tally_counts,
)
from claims.storage.records import record_row, row_record
from claims.storage.runtime import InlineWriter, LoopReader, WriterBusy
from claims.storage.sources import find_source, find_source_by, insert_source, list_sources
from claims.storage.tables import (
    claim_t,
    event_t,
    evidence_t,
    key_t,
    seq_t,
    source_t,
    tally_t,
    token_t,
    topic_t,
)
from claims.storage.teamwork import find_assignment, insert_note, list_notes, set_assignment
from claims.storage.tokens import (
    find_token_by_hash,
    insert_token,
    list_tokens,
    revoke_token,
    touch_token,
)

__all__ = [
    "NOTIFY_CHANNEL",
    "OPEN_ENDED",
    "SORTS",
    "STREAM_BATCH",
    "ClaimFilter",
    "DatabaseUrlError",
    "Executor",
    "InlineWriter",
    "LoopReader",
    "WriterBusy",
    "add_commit_listener",
    "changes_since",
    "check_database",
    "claim_t",
    "claim_version",
    "claimants_like",
    "count_claims",
    "counts",
    "decode_cursor",
    "distinct_claimants",
    "distinct_topics",
    "encode_cursor",
    "event_t",
    "evidence_t",
    "find_assignment",
    "find_claim",
    "find_claim_to_write",
    "find_key",
    "find_source",
    "find_source_by",
    "find_token_by_hash",
    "finish_import",
    "finish_key",
    "first_verdict",
    "insert_claim",
    "insert_event",
    "insert_evidence",
    "insert_key",
    "insert_note",
    "insert_rows",
    "insert_source",
    "insert_token",
    "is_empty",
    "is_sqlite",
    "iter_chains",
    "key_t",
    "last_status_change",
    "latest_seq",
    "list_claims",
    "list_events",
    "list_notes",
    "list_sources",
    "list_tokens",
    "lock_seq",
    "make_engine",
    "next_seq",
    "normalise_url",
    "notified_seqs",
    "purge_keys",
    "quotes_of_source",
    "record_row",
    "remove_commit_listener",
    "revoke_token",
    "row_record",
    "seq_t",
    "set_assignment",
    "set_condition",
    "set_seq",
    "slug_taken",
    "snapshot",
    "source_status_changes",
    "source_t",
    "stream_claims",
    "stream_events",
    "stream_evidence",
    "stream_sources",
    "summary_counts",
    "tally",
    "tally_counts",
    "tally_moves",
    "tally_t",
    "token_t",
    "topic_t",
    "touch_key",
    "touch_token",
    "transaction",
    "unavailable_from",
    "update_claim",
    "verdict_events",
]
