"""The tracker's own actors: the names its history records for writes no token made.

A token may not take one of these names: history would then show a person's change as the
tracker's own (or the other way round), and "who" must never be in doubt.
"""

from __future__ import annotations

from typing import Final

from claims.models import Actor
from claims.status import Role

OPERATOR: Final = Actor(name="operator", role=Role.ADMIN)
"""Whoever runs the ``claims`` command on the server's machine (already holds the database)."""
SEED: Final = Actor(name="seed", role=Role.EDITOR)
"""The curated seed claims (``claims seed``, ``claims serve`` on an empty database)."""
EXTRACT: Final = Actor(name="extract", role=Role.REVIEWER)
"""Claims created by ``claims extract --apply``."""
DEADLINE_WATCHER: Final = Actor(name="deadline-watcher", role=Role.VIEWER)
"""The due-soon and overdue events: the server itself, with no more rights than a reader."""

RESERVED_NAMES: Final = frozenset(a.name for a in (OPERATOR, SEED, EXTRACT, DEADLINE_WATCHER))
