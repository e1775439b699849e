"""Ten times the book (issue 17): what the speed-ups must not change.

The import writes the loan list's figures from its own replay (not by reading its entries back): they equal a
fresh ``refresh_states``. Entry ids assigned by the import on SQLite are consecutive, in posting order, and the
hash chain holds. A read-only unit (``Database.read``) does not wait for a writer holding the SQLite write lock,
and keeps nothing it wrote. A book too large to ``quick_check`` at open is checked by ``Database.quick_check``.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import select, text

from fundapp.app import open_book
from fundapp.ledger import book_file, journal
from fundapp.ledger import db as ledger_db
from fundapp.ledger.models import EntryRecord, LoanStateRecord
from fundapp.services.imports import check_and_import
from fundapp.services.loan_states import refresh_states
from tests.golden import SAMPLE

WHEN = date(2024, 12, 31)


def _states(s) -> dict[int, tuple]:
    S = LoanStateRecord.__table__
    return {r.loan_id: tuple(r) for r in s.execute(select(S).order_by(S.c.loan_id))}


def test_import_states_equal_a_fresh_refresh(sample_ctx) -> None:
    with sample_ctx.db.unit() as s:
        imported = _states(s)
        refresh_states(s, None, WHEN)
        recomputed = _states(s)
    assert len(imported) == 40
    assert imported == recomputed
    outstanding = {r[0]: r for r in imported.values()}
    assert sum(r[3] for r in outstanding.values()) > 0  # principal_outstanding: figures, not zeros


def test_import_ids_consecutive_and_chained(sample_ctx) -> None:
    with sample_ctx.db.unit() as s:
        ids = list(s.scalars(select(EntryRecord.id).order_by(EntryRecord.id)))
        check = journal.verify(s.connection())
    assert ids == list(range(1, len(ids) + 1))
    assert check.ok and check.count >= len(ids)


def test_read_unit_does_not_wait_for_the_write_lock(tmp_path) -> None:
    ctx = open_book(str(tmp_path / "book.sqlite"), user="tester", today=WHEN)
    try:
        check_and_import(ctx, SAMPLE)
        writer = sqlite3.connect(tmp_path / "book.sqlite", timeout=0.1, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # a long import elsewhere holds the write lock
        try:
            t = time.perf_counter()
            with ctx.db.read() as s:
                n = s.scalar(select(text("count(*)")).select_from(EntryRecord))
            assert n > 0
            assert time.perf_counter() - t < 1.0
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        with ctx.db.read() as s:  # a Core write inside a read unit is never kept
            s.execute(text("DELETE FROM loan_state"))
        with ctx.db.read() as s:
            assert s.scalar(text("SELECT count(*) FROM loan_state")) == 40
    finally:
        ctx.db.dispose()


def test_read_unit_refuses_orm_writes(tmp_path) -> None:
    ctx = open_book(str(tmp_path / "book.sqlite"), user="tester", today=WHEN)
    try:
        with pytest.raises(ledger_db.ReadOnlyUnit), ctx.db.read() as s:
            s.add(LoanStateRecord(loan_id=1, as_of=WHEN))
    finally:
        ctx.db.dispose()


def test_large_book_checked_in_the_background(tmp_path, monkeypatch) -> None:
    path = tmp_path / "book.sqlite"
    ctx = open_book(str(path), user="tester", today=WHEN)
    check_and_import(ctx, SAMPLE)
    ctx.db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='entries'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # a leaf page of the entries table overwritten: the header and schema stay sound
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
    with pytest.raises(ledger_db.BookUnavailable):
        ledger_db.inspect_file(path)  # small: checked at open
    monkeypatch.setattr(book_file, "QUICK_CHECK_AT_OPEN", 0)
    assert ledger_db.inspect_file(path) == ledger_db.HEAD  # large: opens at once
    book = ledger_db.Database(ledger_db.resolve_url(str(path)), migrate=False)
    try:
        message = book.quick_check()
    finally:
        book.dispose()
    assert message is not None and "bị hỏng" in message


@pytest.mark.parametrize(("year", "q"), [(2022, 4), (2023, 4), (2024, 2)])
def test_constant_memory_xlsx_holds_every_cell(year, q, monkeypatch) -> None:
    """The quarterly .xlsx written in constant memory (rows flushed in order) holds exactly the cells the same
    workbook holds when built in memory: no row written out of order is lost."""
    import io

    import openpyxl

    from fundapp.documents import quarterly_xlsx, xlsx_sheets
    from fundapp.documents.model import FundInfo
    from tests import golden
    from tests.docs.factory import quarterly_of_loans

    data = quarterly_of_loans(FundInfo(director="Lê Thị Hoa"), golden.sample_loans(), year, q)

    def cells(options: dict) -> dict:
        monkeypatch.setattr(quarterly_xlsx, "CONSTANT_MEMORY", options)
        buf = io.BytesIO()
        quarterly_xlsx.render_quarterly_xlsx(data, buf)
        wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None}

    streamed = cells({**xlsx_sheets.SAFE_OPTIONS, "in_memory": False, "constant_memory": True})
    in_memory = cells(xlsx_sheets.SAFE_OPTIONS)
    assert streamed == in_memory
    assert sum(1 for (sheet, _), v in streamed.items() if sheet == "Danh sách khoản vay" and isinstance(v, int)) > 50
