"""Both doors give the same answers: generated requests, valid and not, through each.

Two apps on two databases built the same way, one answering the declared endpoints with the
front door (``CLAIMS_FAST_PATH=true``), the other through FastAPI's routing. Every generated
request goes to both, in the same order, so both databases stay in step; the answers must have
the same status, the same body (timestamps and hashes aside: the clocks differ) and the same
contract headers.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from api.app import create_app
from claims import storage, tokens
from claims.config import Settings

CONTRACT_HEADERS = (
    "etag",
    "cache-control",
    "content-type",
    "location",
    "allow",
    "retry-after",
    "www-authenticate",
)
SECRETS = {"viewer": "ct_viewer-secret", "reviewer": "ct_reviewer-secret", "editor": "ct_editor"}
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
_HASH = re.compile(rb"[0-9a-f]{64}")


class Pair:
    """Two apps, one per door, each on its own copy of the same database."""

    def __init__(self, fast: TestClient, framework: TestClient) -> None:
        self.fast = fast
        self.framework = framework

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> None:
        """Send one request to both; assert the answers agree."""
        one = self.fast.request(method, url, headers=headers, content=body)
        two = self.framework.request(method, url, headers=headers, content=body)

        assert one.status_code == two.status_code, (method, url, one.text, two.text)
        assert _plain(one.content) == _plain(two.content), (method, url)
        for name in CONTRACT_HEADERS:
            assert one.headers.get(name) == two.headers.get(name), (method, url, name)


def _plain(body: bytes) -> bytes:
    return _HASH.sub(b"H", _TIME.sub(b"T", body))


@pytest.fixture
def pair(templates: dict, tmp_path: Path) -> Iterator[Pair]:
    """The two apps, with the same tokens and claims."""
    clients = []
    for door in ("fast", "framework"):
        target = tmp_path / f"{door}.db"
        shutil.copy(templates["sqlite"], target)
        app_settings = Settings(database_url=f"sqlite:///{target}", fast_path=door == "fast")
        engine = storage.make_engine(app_settings, pool_size=1)
        with Session(engine) as session, storage.transaction(session):
            for role, secret in SECRETS.items():
                storage.insert_token(
                    session,
                    {
                        "name": role,
                        "role": role,
                        "token_hash": tokens.hash_token(secret),
                        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
                    },
                )
        engine.dispose()
        clients.append(TestClient(create_app(app_settings), raise_server_exceptions=False))
    with clients[0] as fast, clients[1] as framework:
        both = Pair(fast, framework)
        for n in range(3):
            body = (
                b'{"statement": "Claim %d comes true", "claimant": "Ann Example", '
                b'"due_by": "2099-01-0%d", "topics": ["trade"]}' % (n, n + 1)
            )
            both.send("POST", "/v1/claims", _auth("reviewer"), body)
        yield both


def _auth(role: str | None) -> dict[str, str]:
    if role is None:
        return {}
    if role == "garbage":
        return {"Authorization": "Bearer ct_nobody"}
    return {"Authorization": f"Bearer {SECRETS[role]}"}


ODD_NUMBERS = st.sampled_from(
    ["0", "1", "2", "3", "٣", "-1", "1e3", " 2", "2147483647", "2147483648", "9" * 25, "", "x"]
)
REFS = st.one_of(
    ODD_NUMBERS, st.sampled_from(["claim-0-comes-true", "no-such-slug", "UPPER", "a%2Fb"])
)
WORDS = (
    "open", "verdict", "pending,broken", "done", "trade", "ann", "due_by", "-id", "true",
    "2099-01-01", "2099-13-01", "eyJ4Ijp9", "bm90LWEtY3Vyc29y",
)  # fmt: skip
QUERY_VALUES = st.one_of(ODD_NUMBERS, st.sampled_from(WORDS))
QUERY_NAMES = st.sampled_from(
    ["status", "topic", "claimant", "source", "overdue", "due_soon", "due_before", "q", "sort",
     "limit", "cursor", "since", "after", "wait", "_", "unknown"]
)  # fmt: skip
IF_MATCH = st.sampled_from([None, '"1.n"', '"2.n"', '"1.o"', "1", "*", 'W/"1.n"', ""])
BODIES = st.sampled_from(
    [
        None,
        b"",
        b"not json",
        b"{}",
        b'{"status": "in_progress", "note": "talks"}',
        b'{"status": "stalled"}',
        b'{"status": "fulfilled", "note": "done", "evidence": [{"url": "https://e.org/a", '
        b'"title": "Done", "stance": "supports"}]}',
        b'{"status": "in_progress", "note": "x", "extra": 1}',
        b'{"statement": "Edited claim"}',
        b'{"statement": "New claim", "claimant": "Bo"}',
        b'{"url": "https://e.org/b", "title": "Report", "stance": "context"}',
        b'{"url": "javascript:alert(1)", "title": "x", "stance": "context"}',
    ]
)


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str], bytes | None]:
    """One request to a declared endpoint, or near one."""
    ref = draw(REFS)
    method, path = draw(
        st.sampled_from(
            [
                ("GET", "/v1/claims"),
                ("GET", "/v1/summary"),
                ("GET", "/v1/changes"),
                ("GET", f"/v1/claims/{ref}"),
                ("GET", f"/v1/claims/{ref}/history"),
                ("POST", "/v1/claims"),
                ("PATCH", f"/v1/claims/{ref}"),
                ("POST", f"/v1/claims/{ref}/status"),
                ("POST", f"/v1/claims/{ref}/evidence"),
                ("DELETE", f"/v1/claims/{ref}"),
            ]
        )
    )
    params = draw(st.lists(st.tuples(QUERY_NAMES, QUERY_VALUES), max_size=3))
    if any(name == "wait" for name, _ in params):
        params = [(n, v) for n, v in params if n != "wait"] + [("wait", "0")]
    query = "&".join(f"{name}={value}" for name, value in params)
    headers = _auth(draw(st.sampled_from([None, "viewer", "reviewer", "editor", "garbage"])))
    if_match = draw(IF_MATCH)
    if if_match is not None:
        headers["If-Match"] = if_match
    if draw(st.booleans()):
        headers["If-None-Match"] = draw(st.sampled_from(['"1.n"', "*", '"L0-x"']))
    if draw(st.booleans()):
        headers["Idempotency-Key"] = draw(st.sampled_from(["k1", "k2", "bad key"]))
    body = draw(BODIES) if method in ("POST", "PATCH") else None
    if body:
        headers["Content-Type"] = "application/json"
    return method, path + (f"?{query}" if query else ""), headers, body


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(requests(), min_size=1, max_size=4))
def test_both_doors_give_the_same_answers(pair: Pair, sequence: list[Any]) -> None:
    for method, url, headers, body in sequence:
        pair.send(method, url, headers, body)
