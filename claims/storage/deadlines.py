"""The deadline watcher's query: open claims that may owe a ``due_soon`` or ``overdue`` event."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from claims.status import OPEN
from claims.storage.engine import Executor
from claims.storage.tables import claim_t

_c = claim_t.c
_OWING = (
    sa.select(_c.id)
    .where(
        _c.status.in_(sorted(str(s) for s in OPEN)),
        _c.due_by.is_not(None),
        _c.due_by <= sa.bindparam("soon_until", type_=sa.Date),
        _c.overdue_noted_on.is_(None),
        sa.or_(
            _c.due_by < sa.bindparam("today", type_=sa.Date),
            _c.due_soon_noted_on.is_(None),
        ),
    )
    .order_by(_c.due_by, _c.id)
    .limit(sa.bindparam("limit"))
)


def claims_owing_deadline_events(
    db: Executor, *, today: date, soon_until: date, limit: int
) -> list[int]:
    """Ids of open claims past their deadline and not yet noted overdue, or inside the due-soon
    window (``due_by <= soon_until``) and not yet noted due soon; earliest deadline first.

    Served by the ``(status, due_by, id)`` index: it reads the open claims due by
    ``soon_until``, which the watcher notes and most of which reviewers then close.
    """
    rows = db.execute(_OWING, {"today": today, "soon_until": soon_until, "limit": limit})
    return [row[0] for row in rows]
