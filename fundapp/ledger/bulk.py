"""The bulk insert an import writes its borrowers, loans, life events' parameters and the loan list's figures with
(through the driver: ``bulk_rows.write_rows``, executemany or COPY); its entries go through ``journal.insert_chained`` (the driver's rows, ``bulk_rows``)."""

from __future__ import annotations

import logging
from itertools import groupby
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import journal
from .bulk_rows import write_rows
from .checkpoints import checkpoints, figures
from .models import (
    BorrowerRecord,
    CollateralItemRecord,
    CollateralRevisionRecord,
    EntryEventRecord,
    EntryRecord,
    LoanRecord,
    LoanStateRecord,
)
from .record_models import JournalRecord

log = logging.getLogger("fundapp.ledger")
# the tables an import fills (services.import_write): their planner statistics are taken again after its commit
IMPORTED_TABLES = (BorrowerRecord.__table__, LoanRecord.__table__, EntryRecord.__table__, EntryEventRecord.__table__,
                   LoanStateRecord.__table__, JournalRecord.__table__, checkpoints, figures,
                   CollateralItemRecord.__table__, CollateralRevisionRecord.__table__)
ANALYZE_LOCK_TIMEOUT = "10s"  # waiting longer for another session's ANALYZE or schema change: left to autovacuum


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


def analyze_imported(engine: Engine) -> None:
    """PostgreSQL: ``ANALYZE`` the tables an import fills (``IMPORTED_TABLES``) on a connection of ``engine``'s own,
    after the import committed, so that the next read is planned from their new sizes instead of waiting for
    autovacuum (the 100,000-loan book's first read after its import: 57.6 s planned on empty tables, ~2 s after).
    SQLite: nothing (its planner keeps no statistics unless asked; the import leaves none). Never raises: the import
    has committed, so a refusal (a lock held past ``ANALYZE_LOCK_TIMEOUT``, a lost connection) is only logged and
    autovacuum analyses the tables later."""
    if engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer.format_table
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{ANALYZE_LOCK_TIMEOUT}'")
            conn.exec_driver_sql(f"ANALYZE {', '.join(quote(t) for t in IMPORTED_TABLES)}")
            conn.commit()
    except SQLAlchemyError as err:
        log.warning("ANALYZE after an import left to autovacuum: %s", str(err).splitlines()[0])
