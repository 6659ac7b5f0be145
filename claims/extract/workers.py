"""Run the extractor in worker processes, each article under a hard time limit.

The extractor is CPU work in regular expressions, which hold the GIL and cannot be interrupted:
run in the server's own process, one costly article would stall every other request, and
nothing could stop it. So ``POST /v1/extract`` and ``claims extract`` hand the article to a
worker process and wait for the answer without holding the GIL (a pipe), and a worker that
overruns the limit is killed and replaced; the caller gets :class:`~claims.errors.ExtractTimeout`.

- :class:`ExtractionPool`: up to ``size`` workers, each started on first need (a fresh
  interpreter, ``python -m claims.extract.workers FD``: nothing inherited but the pipe, safe
  beside the server's threads) and then reused, so importing the extractor and loading
  Duckling (about a second) is paid once per worker, never per article, and never counted
  against the limit. Thread-safe. ``close()`` stops every worker.
- :meth:`ExtractionPool.propose` blocks (the CLI); :meth:`ExtractionPool.propose_async` is
  awaited by the API without blocking the event loop (the waiting happens in the pool's own
  threads, not the loop's default executor, which the change hub uses).

A worker ignores Ctrl+C (the server stops it) and exits by itself when its parent dies: its end
of the pipe closes. Nothing here knows about HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from claims.errors import ExtractorBusy, ExtractTimeout, FieldError
from claims.models import ExtractRequest

from .proposals import Proposal, extract

STARTUP_LIMIT_S = 120.0
"""How long a new worker may take to import the extractor before it counts as broken."""
_WARM_UP = "Officials said the talks will resume next Thursday, before the end of the year."


class ExtractionFailed(RuntimeError):
    """A worker died or could not start (not the article's fault: a 500, logged)."""


def _serve(conn: Connection) -> None:
    """A worker's loop: answer each article with its proposals until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us, not Ctrl+C
    extract(_WARM_UP, published_on=date(2025, 1, 1))  # load the date backend before "ready"
    conn.send(("ready", None))
    while True:
        try:
            text, published_on, title, url = conn.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe, or died
        try:
            proposals = extract(text, published_on=published_on, title=title, url=url)
            answer: tuple[str, Any] = ("ok", [p.model_dump() for p in proposals])
        except Exception as exc:  # reported to the caller, which raises it
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except OSError:
            return


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self) -> None:
        # A fresh interpreter running this module (not multiprocessing's spawn, which would
        # re-run the parent's main script), in a session of its own: Ctrl+C and signals to the
        # server's process group reach the server, which stops its workers itself.
        parent, child = socket.socketpair()
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", __name__, str(child.fileno())],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        self.conn = Connection(parent.detach())
        self.ready = False

    def wait_ready(self) -> None:
        """Wait until the worker has imported the extractor. Raises ExtractionFailed."""
        if self.ready:
            return
        try:
            if not self.conn.poll(STARTUP_LIMIT_S):
                raise ExtractionFailed(f"an extraction worker did not start in {STARTUP_LIMIT_S} s")
            self.conn.recv()
        except (EOFError, OSError) as exc:
            raise ExtractionFailed(f"an extraction worker died while starting: {exc!r}") from exc
        self.ready = True

    def ask(self, job: tuple[Any, ...], timeout: float) -> tuple[str, Any] | None:
        """Send one article; return the answer, or None when it took longer than ``timeout``."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            raise ExtractionFailed(f"an extraction worker died: {exc!r}") from exc

    def kill(self) -> None:
        """Kill the process: a regex cannot be interrupted any other way."""
        if self.process.poll() is None:
            self.process.kill()

    def stop(self) -> None:
        """Kill the process, reap it and close the pipe."""
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        with contextlib.suppress(OSError):
            self.conn.close()


class ExtractionPool:
    """Worker processes that run the extractor, each article under ``timeout`` seconds."""

    def __init__(self, size: int = 1, *, timeout: float = 5.0) -> None:
        self.size = size
        self.timeout = timeout
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._changed = threading.Condition()
        self._closed = False
        self._waiters: ThreadPoolExecutor | None = None

    def propose(
        self, request: ExtractRequest, *, wait_until: float | None = None
    ) -> list[Proposal]:
        """Run the extractor on a request in a worker process.

        Waits for a free worker until ``wait_until`` (``time.monotonic()``; default: one time
        limit from now). Raises ExtractTimeout (the article took longer than the limit; its
        worker is replaced), ExtractorBusy (no worker came free in time), ExtractionFailed.
        """
        if wait_until is None:
            wait_until = time.monotonic() + self.timeout
        worker = self._take(wait_until)
        try:
            worker.wait_ready()  # start-up is not the article's time
            answer = worker.ask(
                (request.text, request.published_on, request.title, request.url), self.timeout
            )
        except BaseException:
            self._drop(worker)
            raise
        if answer is None:
            self._drop(worker, replace=True)
            raise ExtractTimeout(
                f"text: the article took longer than {self.timeout:g} s to extract (the limit, "
                "CLAIMS_EXTRACT_TIMEOUT_S); send it in shorter parts",
                [FieldError("text", f"took longer than {self.timeout:g} s to extract")],
            )
        self._give_back(worker)
        kind, value = answer
        if kind != "ok":
            raise ExtractionFailed(f"the extractor failed: {value}")
        return [Proposal.model_validate(p) for p in value]

    async def propose_async(self, request: ExtractRequest) -> list[Proposal]:
        """:meth:`propose`, awaited without blocking the event loop (same errors)."""
        wait_until = time.monotonic() + self.timeout  # the wait for a thread counts too
        with self._changed:
            if self._closed:
                raise ExtractionFailed("the extraction pool is closed")
            if self._waiters is None:
                self._waiters = ThreadPoolExecutor(
                    max_workers=4 * self.size, thread_name_prefix="claims-extract-wait"
                )
            waiters = self._waiters
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            waiters, lambda: self.propose(request, wait_until=wait_until)
        )

    def close(self) -> None:
        """Stop every worker, busy ones too (their callers get ExtractionFailed); idempotent."""
        with self._changed:
            self._closed = True
            idle, busy = list(self._idle), list(self._busy)
            self._idle.clear()
            waiters, self._waiters = self._waiters, None
            self._changed.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()  # its caller, woken by the closed pipe, reaps it
        if waiters is not None:
            waiters.shutdown(wait=False, cancel_futures=True)

    def processes(self) -> list[int]:
        """The process ids of the workers alive now (for tests and diagnostics)."""
        with self._changed:
            workers = [*self._idle, *self._busy]
        return [w.process.pid for w in workers if w.process.poll() is None]

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the workers --------------------------------------------------------------------------
    def _take(self, wait_until: float) -> _Worker:
        with self._changed:
            while True:
                if self._closed:
                    raise ExtractionFailed("the extraction pool is closed")
                if self._idle:
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                if len(self._busy) + self._starting < self.size:
                    self._starting += 1
                    break
                remaining = wait_until - time.monotonic()
                if remaining <= 0:
                    raise ExtractorBusy(
                        "every extraction worker is busy; retry shortly",
                        retry_after=max(1, round(self.timeout)),
                    )
                self._changed.wait(remaining)
        try:
            worker = _Worker()
        except BaseException:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
            raise
        with self._changed:  # one step, so the count never reads short of the workers
            self._starting -= 1
            self._busy.add(worker)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._changed:
            self._busy.discard(worker)
            closed = self._closed
            if not closed:
                self._idle.append(worker)
                self._changed.notify()
        if closed:
            worker.stop()

    def _drop(self, worker: _Worker, *, replace: bool = False) -> None:
        """Stop a worker; with ``replace``, start its successor now (ready by the next use)."""
        with self._changed:  # the successor takes the place in one step
            self._busy.discard(worker)
            replace = replace and not self._closed
            if replace:
                self._starting += 1
            else:
                self._changed.notify()
        worker.stop()
        if not replace:
            return
        try:
            successor = _Worker()
        except BaseException:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._starting -= 1
            closed = self._closed
            if not closed:
                self._idle.append(successor)
                self._changed.notify()
        if closed:
            successor.stop()


if __name__ == "__main__":  # a worker: python -m claims.extract.workers FD
    _serve(Connection(int(sys.argv[1])))
