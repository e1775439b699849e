"""The bulk insert an import writes its borrowers, loans, life events' parameters and the loan list's figures with
(through the driver: ``bulk_rows.write_rows``, executemany or COPY); its entries go through ``journal.insert_chained`` (the driver's rows, ``bulk_rows``)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from . import journal
from .bulk_rows import write_rows
from .models import (
    EntryEventRecord,
    EntryRecord,
)


def insert_rows(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column values) into ``model``'s table on ``s``'s connection, one driver executemany
    (COPY on PostgreSQL: ``bulk_rows.write_rows``) per run of rows naming the same columns, a column left out taking
    its model's default as a Core insert would. Not through the ORM's bulk path nor Core's executemany: they cost
    ~3× and ~1× the statement itself in parameter processing (100,000 loans, 50,000 borrowers an import)."""
    conn = s.connection()
    table = model.__table__
    for names, same in groupby(rows, key=tuple):
        missing = [c for c in table.columns if c.name not in names and c.default is not None]
        if any(not c.default.is_scalar for c in missing):  # a default made by a function: Core makes it
            conn.execute(insert(table), list(same))
            continue
        extra = tuple(c.default.arg for c in missing)
        write_rows(conn, table, [*names, *(c.name for c in missing)], [(*r.values(), *extra) for r in same])


def bulk_insert(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Through the driver (``bulk_rows.write_rows``; an import writes tens of thousands of rows: ORM objects cost 25×); life events'
    parameters written so are chained (``journal``) when the unit commits, like any other. Raises ValueError for
    entries (``journal.insert_chained`` writes them)."""
    if not rows:
        return
    if model is EntryRecord:  # its journal rows are hashed from the values written: journal.insert_chained
        raise ValueError("entries are written by journal.insert_chained")
    insert_rows(s, model, rows)
    if model is EntryEventRecord:
        journal.track(s, "event", [r["entry_id"] for r in rows])
