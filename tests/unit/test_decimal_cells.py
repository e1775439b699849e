"""Decimal cells (rates, factors, percentages) of an officer's workbook: what cannot be read is refused on its row,
naming the field, never with a traceback.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fundapp.services import migration as mg
from fundapp.services.errors import ImportRefused
from fundapp.services.import_cells import FieldProblem
from fundapp.services.import_fields import read_decimal
from fundapp.services.import_read import Row
from tests.unit.test_migration import assistant, foreign_workbook

FACTOR = "hệ số lãi quá hạn (overdue_factor)"
TOO_LONG = "quá lớn hoặc quá nhiều chữ số (tối đa 16 ký tự, dưới 1.000.000)"


def _row(name: str, value: object) -> Row:
    return Row("book.xlsx[loans]", 2, {name: value})


def _decimal(value: object) -> Decimal:
    return read_decimal(_row("overdue_factor", value), "overdue_factor", FACTOR)


def _refusal(value: object) -> str:
    with pytest.raises(FieldProblem) as info:
        _decimal(value)
    return str(info.value)


# -- the old workbook (Nhập sổ cũ) -------------------------------------------------------------------------------
def _old_book(tmp_path: Path, change) -> Path:
    """The sample fund's old book (test_migration.foreign_workbook), its loans sheet changed by ``change(ws, row)``
    on every loan row."""
    from openpyxl import load_workbook

    path = foreign_workbook(tmp_path / "so-cu.xlsx")
    wb = load_workbook(path)
    ws = wb["Hợp đồng"]
    for row in range(5, 45):
        change(ws, row)
    wb.save(path)
    return path


# -- a number no cell holds --------------------------------------------------------------------------------------
HUGE = "1.2345678901234567e999999999"


def test_an_old_books_rate_beyond_any_number_is_not_read_and_is_refused_on_its_row(ctx, tmp_path):
    """Text such as «1.2345678901234567e999999999» raised decimal.InvalidOperation while the rate was rounded, so
    the preview failed on its row; it is now a cell that cannot be read (red in the preview), refused by the import
    with the field and the row."""
    assert mg.read_value("rate", HUGE) == (HUGE, False)  # raised InvalidOperation
    assert mg.read_value("rate", "1.2345678901234567e-999999999") == ("1.2345678901234567e-999999999", False)
    assert mg.read_value("rate", "1e999999999") == ("1e999999999", False)
    assert mg.read_value("rate", "7,2 %/năm") == (mg.RateText("7.2", "year"), True)

    def huge(ws, row):
        if row == 5:
            ws.cell(row, 5).value = HUGE
            ws.cell(row, 5).number_format = "General"

    book, maps = assistant(_old_book(tmp_path, huge))
    cell = mg.preview(book.sheet("Hợp đồng"), maps["Hợp đồng"], 1)[0][1]["loans.annual_rate"]
    assert not cell.read and cell.text() == f"«{HUGE}» ?"
    with pytest.raises(ImportRefused) as info:
        mg.import_workbook(ctx, book, maps, dry_run=True)
    assert info.value.problems == [f"so-cu.xlsx[Hợp đồng]:5: lãi suất năm (annual_rate): «{HUGE}» {TOO_LONG}"]


def test_a_decimal_beyond_any_number_is_refused_by_its_size():
    """read_decimal's abs() raised decimal.Overflow on «1e999999999» (a CSV's or a text cell's rate)."""
    assert _refusal("1e999999999") == f"{FACTOR}: «1e999999999» {TOO_LONG}"
    assert _refusal(HUGE) == f"{FACTOR}: «{HUGE}» {TOO_LONG}"
    assert _refusal("-1e999999999") == f"{FACTOR}: «-1e999999999» {TOO_LONG}"
