"""Random workflows through the HTTP API, checked against a model after every step.

A Hypothesis ``RuleBasedStateMachine`` creates claims, edits them, moves them to any status
and attaches evidence, each time as a random role (no token, viewer, reviewer, editor, admin)
and with a fresh, stale or missing ``If-Match``. The model says which answers the request may
get under SPEC section 2 (the status rules) and section 3 (tokens, If-Match); when it may
succeed, it must, and the model applies it. After every step the invariants are checked for
every claim the machine made: its status and version, its history (one event per version, the
kinds and correction flags the model expects, the hash chain recomputed independently), and
the change feed (every write of the machine exactly once, in seq order).

The database is one per test (per backend); each run of the machine only looks at the claims
and the feed positions it made itself.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from claims.status import Role
from tests.conftest import EVIDENCE
from tests.reliability.conftest import recompute_chain

OPEN = ("pending", "in_progress", "stalled")
VERDICTS = ("fulfilled", "partially_fulfilled", "broken", "void")
# Weighted towards the roles that may write, so that verdicts and corrections happen often.
ROLES = [None, "viewer", "reviewer", "reviewer", "editor", "editor", "editor", "admin"]
WRITERS = {"reviewer", "editor", "admin"}
EDITORS = {"editor", "admin"}
IF_MATCH = ["fresh"] * 6 + ["stale", "missing"]
MAX_CLAIMS = 3
statement_numbers = itertools.count(1)


@dataclass
class ModelClaim:
    """What the machine expects one claim to be."""

    id: int
    etag: str
    status: str = "pending"
    version: int = 1
    quote: str | None = None
    events: list[tuple[str, bool]] = field(default_factory=lambda: [("created", False)])


class ClaimWorkflow(RuleBasedStateMachine):
    """The claim workflow as random roles drive it over HTTP (see the module docstring)."""

    def __init__(self, client: Any, tokens: dict[str | None, dict[str, str]]) -> None:
        super().__init__()
        self.client = client
        self.tokens = tokens
        self.claims: list[ModelClaim] = []
        self.writes: list[tuple[int, str, int]] = []  # (claim id, kind, version), in order
        self.since = 0

    @initialize()
    def remember_where_the_feed_is(self) -> None:
        self.since = self.client.get("/v1/summary").json()["seq"]

    # -- helpers ---------------------------------------------------------------------------

    def _headers(self, role: str | None, claim: ModelClaim, if_match: str) -> dict[str, str]:
        headers = dict(self.tokens[role])
        if if_match == "fresh":
            headers["If-Match"] = claim.etag
        elif if_match == "stale":
            headers["If-Match"] = f'"{claim.version + 7}.n"'
        return headers

    @staticmethod
    def _gatekeeping(role: str | None, if_match: str) -> set[int]:
        """The refusals any write to a claim may get before its own rules are looked at."""
        refusals = set()
        if role is None:
            refusals.add(401)
        elif role not in WRITERS:
            refusals.add(403)
        if if_match == "missing":
            refusals.add(428)
        elif if_match == "stale":
            refusals.add(412)
        return refusals

    def _check(self, response: Any, refusals: set[int]) -> bool:
        """Assert the answer is allowed; return whether the write happened."""
        if refusals:
            assert response.status_code in refusals, (refusals, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            return False
        assert response.status_code in (200, 201), response.text
        return True

    def _applied(self, claim: ModelClaim, response: Any, kind: str, correction: bool) -> None:
        body = response.json()
        claim.version += 1
        assert body["version"] == claim.version
        claim.etag = response.headers["ETag"]
        claim.status = body["status"]
        claim.events.append((kind, correction))
        self.writes.append((claim.id, kind, claim.version))

    # -- rules -----------------------------------------------------------------------------

    @precondition(lambda self: len(self.claims) < MAX_CLAIMS)
    @rule(role=st.sampled_from(ROLES))
    def create(self, role: str | None) -> None:
        body = {"statement": f"Machine claim {next(statement_numbers)}", "claimant": "Xi Jinping"}

        response = self.client.post("/v1/claims", json=body, headers=self.tokens[role])

        refusals = {401} if role is None else {403} if role not in WRITERS else set()
        if self._check(response, refusals):
            assert response.status_code == 201
            assert response.json()["status"] == "pending"
            claim = ModelClaim(response.json()["id"], response.headers["ETag"])
            self.claims.append(claim)
            self.writes.append((claim.id, "created", 1))

    @precondition(lambda self: self.claims)
    @rule(
        pick=st.integers(0, MAX_CLAIMS - 1),
        role=st.sampled_from(ROLES),
        if_match=st.sampled_from(IF_MATCH),
        quote=st.sampled_from([None, "We will buy soybeans", "Maybe later"]),
        reason=st.sampled_from([None, "The quote was cut short"]),
    )
    def edit(
        self, pick: int, role: str | None, if_match: str, quote: str | None, reason: str | None
    ) -> None:
        claim = self.claims[pick % len(self.claims)]
        body: dict[str, Any] = {"quote": quote}
        if reason is not None:
            body["reason"] = reason
        refusals = self._gatekeeping(role, if_match)
        correction = claim.status in VERDICTS  # editing under a verdict corrects it
        if correction and quote != claim.quote:
            if role not in EDITORS:
                refusals.add(403)
            elif reason is None:
                refusals.add(422)  # a correction says why

        response = self.client.patch(
            f"/v1/claims/{claim.id}", json=body, headers=self._headers(role, claim, if_match)
        )

        if self._check(response, refusals):
            if quote == claim.quote:  # an edit that changes nothing writes nothing
                assert response.json()["version"] == claim.version
            else:
                claim.quote = quote
                self._applied(claim, response, "edited", correction=correction)

    @precondition(lambda self: self.claims)
    @rule(
        pick=st.integers(0, MAX_CLAIMS - 1),
        role=st.sampled_from(ROLES),
        if_match=st.sampled_from(IF_MATCH),
        to=st.sampled_from(OPEN + VERDICTS),
        note=st.sampled_from([True, True, True, False]),
        evidence=st.sampled_from([True, True, False]),
    )
    def change_status(
        self, pick: int, role: str | None, if_match: str, to: str, note: bool, evidence: bool
    ) -> None:
        self._move(self.claims[pick % len(self.claims)], role, if_match, to, note, evidence)

    @precondition(lambda self: self.claims)
    @rule(
        pick=st.integers(0, MAX_CLAIMS - 1),
        role=st.sampled_from(sorted(EDITORS)),
        to=st.sampled_from((*VERDICTS, "in_progress")),
        evidence=st.sampled_from([True, True, False]),
    )
    def editor_decides(self, pick: int, role: str, to: str, evidence: bool) -> None:
        # The same request as change_status, drawn so that verdicts and corrections are common.
        self._move(self.claims[pick % len(self.claims)], role, "fresh", to, True, evidence)

    def _move(
        self,
        claim: ModelClaim,
        role: str | None,
        if_match: str,
        to: str,
        note: bool,
        evidence: bool,
    ) -> None:
        body: dict[str, Any] = {"status": to}
        if note:
            body["note"] = f"{role} moves it to {to}"
        if evidence:
            body["evidence"] = [EVIDENCE]
        refusals = self._gatekeeping(role, if_match)
        from_verdict, to_verdict = claim.status in VERDICTS, to in VERDICTS
        if to == claim.status:
            refusals.add(409)  # setting the status it already has
        elif (from_verdict or to_verdict) and role not in EDITORS:
            refusals.add(403)  # verdicts, corrections and reopening are for editors
        elif not note or (to_verdict and not evidence):
            refusals.add(422)  # every move needs a note; a verdict also needs evidence

        response = self.client.post(
            f"/v1/claims/{claim.id}/status",
            json=body,
            headers=self._headers(role, claim, if_match),
        )

        if self._check(response, refusals):
            assert response.json()["status"] == to
            self._applied(claim, response, "status_changed", correction=from_verdict)

    @precondition(lambda self: self.claims)
    @rule(
        pick=st.integers(0, MAX_CLAIMS - 1),
        role=st.sampled_from(ROLES),
        if_match=st.sampled_from(IF_MATCH),
    )
    def add_evidence(self, pick: int, role: str | None, if_match: str) -> None:
        claim = self.claims[pick % len(self.claims)]

        response = self.client.post(
            f"/v1/claims/{claim.id}/evidence",
            json=EVIDENCE,
            headers=self._headers(role, claim, if_match),
        )

        if self._check(response, self._gatekeeping(role, if_match)):
            self._applied(claim, response, "evidence_added", correction=False)

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def each_claim_is_what_the_model_says(self) -> None:
        for claim in self.claims:
            response = self.client.get(f"/v1/claims/{claim.id}")
            body = response.json()
            assert (body["status"], body["version"]) == (claim.status, claim.version)
            assert response.headers["ETag"] == claim.etag

    @invariant()
    def each_history_has_one_event_per_version_and_a_sound_chain(self) -> None:
        for claim in self.claims:
            events = self.client.get(f"/v1/claims/{claim.id}/history").json()["events"]
            assert len(events) == claim.version
            assert [(e["kind"], e["correction"]) for e in events] == claim.events
            assert [e["version"] for e in events] == list(range(1, claim.version + 1))
            assert events[-1]["status"] == claim.status
            for before, after in itertools.pairwise(events):
                if after["kind"] == "status_changed":
                    assert after["from_status"] == before["status"]
                    assert after["to_status"] == after["status"]
            assert recompute_chain(events) == []

    @invariant()
    def the_feed_lists_every_write_once_in_seq_order(self) -> None:
        page = self.client.get("/v1/changes", params={"since": self.since, "limit": 1000})
        changes = page.json()["changes"]
        seqs = [c["seq"] for c in changes]
        assert seqs == sorted(set(seqs))
        assert [(c["claim_id"], c["kind"], c["version"]) for c in changes] == self.writes


def test_random_workflows_keep_the_status_rules_and_every_invariant(client, make_token):
    tokens: dict[str | None, dict[str, str]] = {None: {}}
    for role in Role:
        tokens[role.value] = make_token(role, f"machine-{role.value}")

    run_state_machine_as_test(
        lambda: ClaimWorkflow(client, tokens),
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
