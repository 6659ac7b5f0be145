"""Helpers for the extraction tests: run the extractor on a snippet and pick one proposal."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract import Proposal, extract
from claims.extract.backends import backend


def only(text: str, published_on: date) -> Proposal:
    """Extract from ``text`` and return its single proposal (fails if not exactly one)."""
    proposals = extract(text, published_on=published_on)
    assert len(proposals) == 1, [p.quote for p in proposals]
    return proposals[0]


def quoting(text: str, key: str, published_on: date) -> Proposal:
    """Extract from ``text`` and return the first proposal whose quote contains ``key`` (fails,
    listing the quotes, when none does)."""
    proposals = extract(text, published_on=published_on)
    found = [p for p in proposals if key in p.quote]
    assert found, [p.quote for p in proposals]
    return found[0]


@pytest.fixture
def dateparser_backend(monkeypatch: pytest.MonkeyPatch):
    """Force the dateparser fallback (as on platforms without a Duckling wheel)."""
    pytest.importorskip("dateparser")
    monkeypatch.setenv("CLAIMS_EXTRACT_BACKEND", "dateparser")
    backend.cache_clear()
    yield backend()
    monkeypatch.delenv("CLAIMS_EXTRACT_BACKEND")
    backend.cache_clear()
