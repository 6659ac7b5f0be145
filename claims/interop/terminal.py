"""What ``claims export`` and ``claims import`` need around the terminal: a progress bar, files.

The bar is drawn on standard error, and only when standard error is a terminal: piped or
captured output (scripts, CI, ``claims export > file``) stays free of it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

Tick = Callable[[int, int | None], None]
"""Told ``(done, total)``; total None while unknown."""

_TICK_BYTES = 1 << 20


@contextmanager
def progress_bar(description: str) -> Iterator[Tick | None]:
    """Yield a ``(done, total)`` callback driving a bar on stderr, or None off a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def open_input(name: str) -> Iterator[tuple[BinaryIO, int | None]]:
    """Open a file to read as bytes (``-``: standard input), with its size when it has one.

    Raises OSError when the file cannot be opened.
    """
    if name == "-":
        yield sys.stdin.buffer, None
        return
    with open(name, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        yield stream, size or None


def lines(stream: BinaryIO, tick: Tick | None, total: int | None) -> Iterator[bytes]:
    """Yield the stream's lines, telling ``tick`` how many bytes are read now and then."""
    done = reported = 0
    for line in stream:
        done += len(line)
        if tick is not None and done - reported >= _TICK_BYTES:
            tick(done, total)
            reported = done
        yield line
    if tick is not None:
        tick(done, total)
