"""What every query and write module of the ledger shares: the clock of records, adding a record to the unit of
work, a select run as plain driver SQL, the dialect's upsert and the version check of a shared book."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from . import journal

_R = TypeVar("_R")


def now() -> datetime:
    """The time a record is written: timezone-aware UTC (``datetime``), the clock every ``*_at`` column takes."""
    return datetime.now(UTC)


def added(s: Session, record: _R, chained: str | None = None) -> _R:
    """``record`` added to unit of work ``s`` and flushed (its id assigned); with ``chained`` (the journal's kind:
    "entry", "audit", "closing", "report") also tracked for the book's hash chain when the unit commits. Returns
    the record."""
    s.add(record)
    s.flush()
    if chained is not None:
        journal.track(s, chained, [record.id])
    return record


def driver_rows(s: Session, stmt) -> list:
    """``stmt`` (a Core select with literal values only) run as plain driver SQL: no per-value result processing
    (dates come as text on SQLite)."""
    conn = s.connection()
    return conn.exec_driver_sql(str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))).fetchall()


def dated_rows(s: Session, stmt, dates: Sequence[int], make: Callable[..., Any] = tuple) -> list:
    """``driver_rows`` of ``stmt`` with the columns at the positions ``dates`` as ``datetime.date`` — SQLite's
    driver gives them as ISO text (parsed here; NULL stays None), PostgreSQL's as dates — each row made by
    ``make._make`` from its columns (a NamedTuple class; plain tuples by default). The one place the ledger's plain
    driver reads turn SQLite's date text into dates."""
    rows = driver_rows(s, stmt)
    build = tuple if make is tuple else make._make
    if s.get_bind().dialect.name != "sqlite" or not dates:
        return list(map(build, rows))
    parse, out = date.fromisoformat, []
    for r in rows:
        r = list(r)
        for c in dates:
            if r[c] is not None:
                r[c] = parse(r[c])
        out.append(build(r))
    return out


def upsert(s: Session, model: type):
    """The dialect's INSERT with ON CONFLICT (SQLite 3.24+, PostgreSQL)."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(model)


def touch_version(s: Session, model: type, record_id: int, expected_version: int) -> bool:
    """Bump a row's version if it is still ``expected_version`` (a stale edit on a shared book is refused)."""
    result = s.execute(
        update(model).where(model.id == record_id, model.version == expected_version).values(version=expected_version + 1)
    )
    return result.rowcount == 1
