"""How background loops (the webhook dispatcher, the deadline watcher) log a failing pass.

A database that is down, or whose tables are gone, fails every pass, once a second: a
traceback each time buried the log (about 1,100 lines in 20 s). The first failure of a kind is
logged in full, repeats of it not at all, and the first pass that works again says so.
"""

from __future__ import annotations

import logging

from claims import storage


class PassFailures:
    """The failure state of one background loop, for its log."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self._log = log
        self._what = what
        self._failing: str | None = None

    def failed(self, exc: BaseException) -> None:
        """Log a failed pass, unless it fails as the pass before did."""
        kind = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
        if kind == self._failing:
            return
        self._failing = kind
        unavailable = storage.unavailable_from(exc)
        if unavailable is not None:  # an outage: one line says it, no traceback
            self._log.warning("%s pass failed: %s (%s)", self._what, unavailable, kind)
        else:
            self._log.exception("%s pass failed", self._what, exc_info=exc)

    def succeeded(self) -> None:
        """Note a pass that worked; after failures, log that the loop recovered."""
        if self._failing is not None:
            self._failing = None
            self._log.warning("%s recovered", self._what)
