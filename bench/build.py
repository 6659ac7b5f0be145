"""Build a benchmark database of N realistic claims, with their history, on SQLite or PostgreSQL.

Claims get varied claimants, topics, deadlines (2024-2028, some open-ended) and statuses in
newsroom-like proportions; every claim has its ``created`` event and, unless pending, the
``status_changed`` event that moved it (verdicts with evidence), hash-chained as the service
would chain them, so ``claims verify`` passes on the result.

    python bench/build.py --claims 100000 --url sqlite:///bench/data/100k.db
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from claims import history, migrate, storage
from claims.config import Settings
from claims.models import Event

CLAIMANTS = [
    ("Scott Bessent", "US Treasury Secretary"), ("Donald Trump", "US President"),
    ("Xi Jinping", "President of China"), ("Jamieson Greer", "US Trade Representative"),
    ("Li Chenggang", "China's top trade negotiator"),
    ("Karoline Leavitt", "White House Press Secretary"),
    ("Ursula von der Leyen", "President of the European Commission"),
    ("Keir Starmer", "UK Prime Minister"),
    ("Olaf Scholz", None), ("Narendra Modi", "Prime Minister of India"),
]  # fmt: skip
TOPICS = ["rare-earths", "tariffs", "agriculture", "diplomacy", "drugs", "trade-deal",
          "export-controls", "energy", "climate", "budget"]  # fmt: skip
SUBJECTS = ["soybean purchases", "a deferral on rare earth export controls", "a visit to Beijing",
            "a reciprocal meeting in Washington", "a trade deal", "lower fentanyl tariffs",
            "new chip export rules", "a carbon border levy", "a budget vote",
            "an energy pact"]  # fmt: skip
VERBS = ["will announce", "expects to finalise", "could conclude", "plans to sign", "will deliver"]
STATUSES = (["pending"] * 60 + ["in_progress"] * 15 + ["stalled"] * 5 + ["fulfilled"] * 10
            + ["partially_fulfilled"] * 5 + ["broken"] * 3 + ["void"] * 2)  # fmt: skip
VERDICTS = {"fulfilled", "partially_fulfilled", "broken", "void"}
EVIDENCE = {"url": "https://example.org/report", "title": "Wire report", "publisher": "Wire",
            "published_on": None, "quote": None, "stance": "context"}  # fmt: skip


def _event(claim_id: int, seq: int, kind: str, at: datetime, status: str, version: int,
           prev: str | None, **extra: object) -> dict:  # fmt: skip
    row = {
        "seq": seq, "claim_id": claim_id, "kind": kind, "at": at, "actor_name": "bench",
        "actor_role": "editor", "note": None, "from_status": None, "to_status": None,
        "occurred_on": None, "correction": False, "evidence": [], "changes": {},
        "status": status, "version": version, "prev_hash": prev, **extra,
    }  # fmt: skip
    row["hash"] = history.chain_hash(prev, history.event_body(Event(**row, hash="")))
    return row


def build(url: str, count: int, *, seed: int = 7, batch: int = 5000) -> None:
    """Create (migrate) the database at ``url`` and fill it with ``count`` claims."""
    rng = random.Random(seed)
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    migrate.upgrade(engine)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    seq = 0
    started = time.monotonic()
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # Index the text once at the end instead of row by row.
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS claim_fts_insert")
        for first in range(1, count + 1, batch):
            claims, topics, events, evidence = [], [], [], []
            for claim_id in range(first, min(first + batch, count + 1)):
                who, role = rng.choice(CLAIMANTS)
                subject = rng.choice(SUBJECTS)
                stated = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
                due = None if rng.random() < 0.1 else stated + timedelta(days=rng.randrange(7, 900))
                status = rng.choice(STATUSES)
                created = base + timedelta(seconds=claim_id * 7)
                changed = (
                    created + timedelta(days=rng.randrange(1, 60))
                    if status != "pending"
                    else created
                )
                picked = rng.sample(TOPICS, rng.randrange(1, 3))
                version = 1 if status == "pending" else 2
                claims.append({
                    "id": claim_id, "slug": f"claim-{claim_id}-{subject.split()[-1]}",
                    "statement": f"{who} {rng.choice(VERBS)} {subject} (#{claim_id})",
                    "quote": f"We {rng.choice(VERBS)} {subject}.", "quote_kind": "direct",
                    "claimant": who,
                    "claimant_role": role, "source_id": None, "stated_on": stated,
                    "certainty": rng.choice(["asserted", "expected", "possible", "conditional"]),
                    "condition": None, "condition_claim_id": None, "due_from": None, "due_by": due,
                    "due_text": None, "resolution_criteria": "As stated.", "topics": picked,
                    "status": status, "version": version, "created_at": created,
                    "updated_at": changed, "status_changed_at": changed,
                })  # fmt: skip
                topics += [{"claim_id": claim_id, "topic": t} for t in picked]
                seq += 1
                created_event = _event(claim_id, seq, "created", created, "pending", 1, None)
                events.append(created_event)
                if status != "pending":
                    seq += 1
                    ev = [dict(EVIDENCE)] if status in VERDICTS else []
                    events.append(_event(
                        claim_id, seq, "status_changed", changed, status, 2,
                        created_event["hash"], note="bench move", from_status="pending",
                        to_status=status, evidence=ev,
                    ))  # fmt: skip
                    if ev:
                        evidence.append({**EVIDENCE, "claim_id": claim_id, "event_seq": seq})
            conn.execute(sa.insert(storage.claim_t), claims)
            conn.execute(sa.insert(storage.topic_t), topics)
            conn.execute(sa.insert(storage.event_t), events)
            if evidence:
                conn.execute(sa.insert(storage.evidence_t), evidence)
        # The counter on SQLite, the event_seq sequence on PostgreSQL (written directly, the
        # events above left it at 1: every write would then have failed on a taken seq).
        storage.set_seq(conn, seq)  # type: ignore[arg-type]
        # The services keep the tally claim by claim; a bulk load counts it once at the end.
        conn.execute(sa.delete(storage.tally_t))
        due_key = sa.func.coalesce(storage.claim_t.c.due_by, storage.OPEN_ENDED)
        conn.execute(
            sa.insert(storage.tally_t).from_select(
                ["status", "due_key", "count"],
                sa.select(storage.claim_t.c.status, due_key, sa.func.count()).group_by(
                    storage.claim_t.c.status, due_key
                ),
            )
        )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')")
            conn.exec_driver_sql(
                "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
                "INSERT INTO claim_fts(rowid, statement, quote, claimant) "
                "VALUES (new.id, new.statement, new.quote, new.claimant); END"
            )
        else:
            for table in ("claim", "evidence"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"built {count} claims, {seq} events in {time.monotonic() - started:.1f}s at {url}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    build(args.url, args.claims)
