"""The bulk insert an import writes with (executemany through Core, entries chained by the journal)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from . import journal
from .models import (
    EntryEventRecord,
    EntryRecord,
)

CHAIN_NOW = 5000  # rows of entries inserted at once from which their journal rows are appended at once


def insert_returning_ids(s: Session, model: type, rows: list[dict[str, Any]]) -> list[int]:
    """executemany through Core returning the new ids in the order of ``rows`` (SQLite ≥ 3.35, PostgreSQL)."""
    if not rows:
        return []
    if s.get_bind().dialect.name == "sqlite":
        # the unit holds the write lock (BEGIN IMMEDIATE): the next ids are ours. RETURNING in parameter order
        # makes SQLAlchemy insert row by row on SQLite (900,000 entries: minutes); explicit ids keep executemany
        first = (s.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        insert_rows(s, model, [dict(r, id=i) for r, i in zip(rows, ids, strict=True)])
    else:
        stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids = list(s.scalars(stmt, rows))
    if model is EntryRecord:
        if len(ids) >= CHAIN_NOW:  # an import's batch: chained at once, not held in memory until the commit
            journal.append(s.connection(), [("entry", i) for i in ids])
        else:
            journal.track(s, "entry", ids)
    return ids


def insert_rows(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Core executemany on ``model``'s table, one per run of rows naming the same columns. Not through the ORM's
    bulk path: it splits the rows again by which values are None (a few rows per statement when some references
    or dates are missing) and costs ~3× the statement itself."""
    conn = s.connection()
    for _, same in groupby(rows, key=tuple):
        conn.execute(insert(model.__table__), list(same))


def bulk_insert(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """executemany through Core (an import writes tens of thousands of rows: ORM objects cost 25×). Entries and
    events written so are chained (``journal``) like any other."""
    if not rows:
        return
    if model is EntryRecord:
        insert_returning_ids(s, model, rows)
        return
    insert_rows(s, model, rows)
    if model is EntryEventRecord:
        journal.track(s, "event", [r["entry_id"] for r in rows])
