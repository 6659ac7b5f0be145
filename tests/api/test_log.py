"""The transparency log over HTTP: checkpoints, their signature, consistency and inclusion proofs.

The checks here are written from docs/history.md, not from the tracker's code: a leaf is
SHA-256 of 0x00 and the event's canonical JSON (as the history endpoint shows it, hash
included), the root is RFC 9162's Merkle Tree Hash of every event in seq order, and the
signature is Ed25519 over the four-line checkpoint text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlmodel import Session

from claims import signing, storage, translog, transparency
from claims.storage.tables import log_checkpoint_t, log_leaf_t
from tests.claims.test_translog import mth
from tests.conftest import EVIDENCE


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def all_events(client: TestClient) -> list[dict]:
    """Every event of every claim, from the public history endpoints, in seq order."""
    claims = client.get("/v1/claims", params={"limit": 200}).json()["items"]
    events = [
        e for c in claims for e in client.get(f"/v1/claims/{c['id']}/history").json()["events"]
    ]
    return sorted(events, key=lambda e: e["seq"])


def move(client: TestClient, claim, status: str, headers, **extra) -> None:
    etag = client.get(f"/v1/claims/{claim.id}").headers["ETag"]
    response = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": status, "note": f"now {status}", **extra},
        headers={"If-Match": etag, **headers},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def some_history(make_claim, client, reviewer, editor):
    """Three claims, one moved twice and given a verdict: 6 events."""
    first, second, _third = make_claim(), make_claim(), make_claim()
    move(client, first, "in_progress", reviewer)
    move(client, first, "fulfilled", editor, evidence=[EVIDENCE])
    move(client, second, "stalled", reviewer)
    return first


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "log.key"
    signing.init_key(path)
    return path


@pytest.fixture
def signed_client(make_app, key_file):
    with TestClient(make_app(log_key_file=str(key_file)), raise_server_exceptions=False) as c:
        yield c


def test_checkpoint_of_an_empty_log_is_the_hash_of_nothing(client):
    response = client.get("/v1/log/checkpoint")

    assert response.status_code == 200
    body = response.json()
    assert body["size"] == 0
    assert body["root_hash"] == hashlib.sha256(b"").hexdigest()
    assert body["timestamp"].endswith("Z")


def test_checkpoint_root_is_the_merkle_hash_of_every_event_in_seq_order(client, some_history):
    events = all_events(client)

    body = client.get("/v1/log/checkpoint").json()

    assert body["size"] == len(events) == 6
    assert body["root_hash"] == mth([canonical(e) for e in events]).hex()


def test_checkpoint_without_a_key_is_served_unsigned(client, some_history):
    body = client.get("/v1/log/checkpoint").json()

    assert body["signature"] is None
    assert body["key_id"] is None


def test_key_without_a_key_file_is_404_saying_so(client):
    response = client.get("/v1/log/key")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "claims keys init" in response.json()["detail"]


def test_checkpoint_signature_verifies_with_the_served_key(signed_client, some_history):
    key = signed_client.get("/v1/log/key").json()
    body = signed_client.get("/v1/log/checkpoint").json()
    raw = base64.b64decode(key["public_key"])
    text = (
        f"claim-tracker checkpoint v1\n{body['size']}\n{body['root_hash']}\n{body['timestamp']}\n"
    )

    Ed25519PublicKey.from_public_bytes(raw).verify(
        base64.b64decode(body["signature"]), text.encode()
    )

    assert key["algorithm"] == "Ed25519"
    assert body["key_id"] == key["key_id"] == hashlib.sha256(raw).hexdigest()


def test_same_log_gives_the_same_checkpoint_every_time(signed_client, some_history):
    first = signed_client.get("/v1/log/checkpoint").json()
    second = signed_client.get("/v1/log/checkpoint").json()

    assert first == second


def test_consistency_proof_shows_an_older_checkpoint_is_a_prefix(
    signed_client, some_history, make_claim, editor
):
    old = signed_client.get("/v1/log/checkpoint").json()
    make_claim()
    move(signed_client, some_history, "broken", editor, evidence=[EVIDENCE])
    new = signed_client.get("/v1/log/checkpoint").json()

    response = signed_client.get("/v1/log/proof", params={"from": old["size"], "to": new["size"]})

    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == (old["size"], new["size"]) == (6, 8)
    assert translog.verify_consistency(
        old["size"],
        new["size"],
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(h) for h in body["proof"]],
    )


def test_consistency_proof_to_defaults_to_the_current_log(client, some_history):
    body = client.get("/v1/log/proof", params={"from": 2}).json()

    assert body["to"] == 6


def test_inclusion_proof_of_every_event_verifies(client, some_history):
    events = all_events(client)
    root = bytes.fromhex(client.get("/v1/log/checkpoint").json()["root_hash"])

    for index, event in enumerate(events):
        response = client.get("/v1/log/inclusion", params={"seq": event["seq"]})

        assert response.status_code == 200
        body = response.json()
        leaf = hashlib.sha256(b"\x00" + canonical(event)).digest()
        assert body["event"] == event
        assert (body["index"], body["size"], body["leaf_hash"]) == (index, 6, leaf.hex())
        proof = [bytes.fromhex(h) for h in body["proof"]]
        assert translog.verify_inclusion(leaf, index, 6, proof, root)


def test_inclusion_proof_in_an_older_log_verifies_against_its_root(client, some_history):
    events = all_events(client)
    root = mth([canonical(e) for e in events[:4]])

    body = client.get("/v1/log/inclusion", params={"seq": events[1]["seq"], "size": 4}).json()

    leaf = hashlib.sha256(b"\x00" + canonical(events[1])).digest()
    assert translog.verify_inclusion(leaf, 1, 4, [bytes.fromhex(h) for h in body["proof"]], root)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/log/proof", {"from": 2, "to": 7}, "to"),
        ("/v1/log/proof", {"from": 5, "to": 3}, "from"),
        ("/v1/log/proof", {"from": 0}, "from"),
        ("/v1/log/proof", {"from": "two"}, "from"),
        ("/v1/log/proof", {}, "from"),
        ("/v1/log/inclusion", {"seq": 99}, "seq"),
        ("/v1/log/inclusion", {"seq": 1, "size": 7}, "size"),
        ("/v1/log/inclusion", {"seq": 5, "size": 3}, "size"),
        ("/v1/log/inclusion", {"seq": 1, "depth": 3}, "depth"),
    ],
)
def test_bad_range_is_422_naming_the_field(client, some_history, path, params, field):
    response = client.get(path, params=params)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_writes_leave_the_tree_to_the_next_checkpoint(client, some_history, engine):
    """A status change costs no hashing of the log: the tree grows when a checkpoint is asked."""
    with Session(engine) as session:
        before = storage.log_head(session)

    client.get("/v1/log/checkpoint")

    with Session(engine) as session:
        after = storage.log_head(session)
        published = session.execute(
            sa.select(sa.func.count()).select_from(log_checkpoint_t)
        ).scalar_one()
    assert before == (0, 0)
    assert after[0] == 6
    assert published == 1


def test_log_reads_need_a_token_when_reads_do(make_app, viewer):
    with TestClient(make_app(reads_require_token=True), raise_server_exceptions=False) as c:
        anonymous = c.get("/v1/log/checkpoint")
        with_token = c.get("/v1/log/checkpoint", headers=viewer)

    assert anonymous.status_code == 401
    assert with_token.status_code == 200


def test_claim_page_shows_the_latest_checkpoint(client, some_history):
    page = client.get(f"/claims/{some_history.slug}")
    checkpoint = client.get("/v1/log/checkpoint").json()

    assert page.status_code == 200
    assert checkpoint["root_hash"] in page.text
    assert f'<span class="checkpoint-size">{checkpoint["size"]}</span>' in page.text
    assert 'href="/v1/log/checkpoint"' in page.text


def test_atom_feed_carries_the_latest_checkpoint(signed_client, some_history):
    feed = feedparser.parse(signed_client.get("/v1/feeds/verdicts.atom").content)
    checkpoint = signed_client.get("/v1/log/checkpoint").json()

    assert not feed.bozo
    assert f"{checkpoint['size']} events, root {checkpoint['root_hash']}" in feed.feed.subtitle
    assert f"signed by key {checkpoint['key_id']}" in feed.feed.subtitle
    assert any(link.href.endswith("/v1/log/checkpoint") for link in feed.feed.links)


def test_concurrent_checkpoints_extend_the_tree_once(some_history, engine):
    """Many readers asking at once after new events: one extends the tree, all get its head."""
    def ask(_n: int) -> tuple[int, bytes]:
        with Session(engine) as session:
            checkpoint = transparency.current_checkpoint(session)
        return checkpoint.size, checkpoint.root_hash

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, range(16)))

    assert set(answers) == {answers[0]}
    assert answers[0][0] == 6
    with Session(engine) as session:
        leaves = session.execute(sa.select(sa.func.count()).select_from(log_leaf_t)).scalar_one()
    assert leaves == 6
