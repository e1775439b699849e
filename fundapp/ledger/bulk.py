"""The bulk insert an import writes its borrowers, loans, life events' parameters and the loan list's figures with
(executemany through Core); its entries go through ``journal.insert_chained`` (the driver's rows, ``bulk_rows``)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from . import journal
from .models import (
    EntryEventRecord,
    EntryRecord,
)


def insert_rows(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Core executemany on ``model``'s table, one per run of rows naming the same columns. Not through the ORM's
    bulk path: it splits the rows again by which values are None (a few rows per statement when some references
    or dates are missing) and costs ~3× the statement itself."""
    conn = s.connection()
    for _, same in groupby(rows, key=tuple):
        conn.execute(insert(model.__table__), list(same))


def bulk_insert(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """executemany through Core (an import writes tens of thousands of rows: ORM objects cost 25×); life events'
    parameters written so are chained (``journal``) when the unit commits, like any other. Raises ValueError for
    entries (``journal.insert_chained`` writes them)."""
    if not rows:
        return
    if model is EntryRecord:  # its journal rows are hashed from the values written: journal.insert_chained
        raise ValueError("entries are written by journal.insert_chained")
    insert_rows(s, model, rows)
    if model is EntryEventRecord:
        journal.track(s, "event", [r["entry_id"] for r in rows])
