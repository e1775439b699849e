"""Decimal cells (rates, factors, percentages) of an officer's workbook read as Excel shows them.

A number cell made by a formula holds the formula's binary result: =1.1+0.1 is the float 1.2000000000000002, shown
by Excel (15 significant digits) as 1,2. Digits beyond Excel's 15 that are only such noise are dropped, on the
.xlsx import and on the old workbook's path (Nhập sổ cũ) alike; a float that really has many digits (=20/3,
6.666666666666667) is still refused by read_decimal's length check (16 characters), quoted and offered its rounding
as Excel under Vietnamese settings shows a number cell, with the decimal comma («6,666666666666667», ví dụ
6,66666666666667), where the dot was pinned before (1c36586 gave the comma to text typed with one only). What cannot
be read is refused on its row, naming the field, never with a traceback.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from fundapp.services import migration as mg
from fundapp.services.errors import ImportRefused
from fundapp.services.import_cells import FieldProblem, sheet_value
from fundapp.services.import_fields import read_decimal, read_loan_rate
from fundapp.services.import_read import Row
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests import golden
from tests.golden import SAMPLE
from tests.unit.test_migration import assistant, foreign_workbook
from tests.workbooks import csv_workbook

FACTOR = "hệ số lãi quá hạn (overdue_factor)"
TOO_LONG = "quá lớn hoặc quá nhiều chữ số (tối đa 16 ký tự, dưới 1.000.000)"


def rounded_to(text: str) -> str:
    """The refusal of a number below 1,000,000 with more digits than its column: it names the rounding to offer."""
    return f"có quá nhiều chữ số (tối đa 16 ký tự) — làm tròn theo số hợp đồng ghi, ví dụ {text}"

# the sample's rates and factors as a formula's result holds them (each a float that is not the short decimal)
NOISY = {"5.4": 0.1 + 5.3, "7.2": 0.1 + 7.1, "7.8": 0.4 + 7.4, "6.6": 0.2 + 6.4, "4.0": 4.1 - 0.1,
         "6": 8.2 - 2.2, "1.5": 2.2 - 0.7, "10": 16.1 - 6.1}
assert all(repr(v) != repr(float(k)) for k, v in NOISY.items())


@pytest.fixture
def excel_floats(monkeypatch):
    """Workbooks saved in the test hold a float's every digit, as Excel saves a formula's result
    (1.2000000000000002); openpyxl writes 16 (%.16g), which drops most of a formula's noise."""
    from openpyxl.cell import _writer

    plain = _writer.safe_string
    monkeypatch.setattr(_writer, "safe_string", lambda v: repr(v) if isinstance(v, float) else plain(v))


def _row(name: str, value: object) -> Row:
    return Row("book.xlsx[loans]", 2, {name: value})


def _decimal(value: object) -> Decimal:
    return read_decimal(_row("overdue_factor", value), "overdue_factor", FACTOR)


def _refusal(value: object) -> str:
    with pytest.raises(FieldProblem) as info:
        _decimal(value)
    return str(info.value)


def _balances_are_the_golden(ctx) -> None:
    got = {r.pop("loan_no"): r for r in balances_json(ctx, date(2024, 12, 31))}
    want = golden.expected()["balances"]["2024-12-31"]
    assert {k: {f: got[k][f] for f in want[k]} for k in want} == want


# -- the .xlsx import --------------------------------------------------------------------------------------------
def test_a_formulas_noise_reads_as_the_short_decimal_excel_shows():
    assert 1.1 + 0.1 == 1.2000000000000002
    assert _decimal(1.1 + 0.1) == Decimal("1.2")  # was refused: «1.2000000000000002» quá nhiều chữ số
    assert _decimal(0.1 + 7.1) == Decimal("7.2")  # 7.199999999999999: nines, not zeros
    assert read_loan_rate(_row("annual_rate", 1.1 + 0.1)) == dict(rate=Decimal("1.2"), rate_unit="year")
    assert read_loan_rate(_row("monthly_rate", 0.1 + 0.2)) == dict(rate=Decimal("0.3"), rate_unit="month")


def test_a_percent_cell_with_noise_reads_as_its_percent():
    cell = SimpleNamespace(value=0.07200000000000001, number_format="0.0%", data_type="n")
    assert sheet_value(cell) == "7.2"  # was "7.200000000000001"
    assert sheet_value(SimpleNamespace(value=5.4 / 100, number_format="0.00%", data_type="n")) == "5.4"
    assert sheet_value(SimpleNamespace(value=0.072, number_format="0.0%", data_type="n")) == "7.2"


def test_a_repeating_float_is_refused_as_before_with_the_decimal_comma():
    """=20/3 rounded to 15 digits is 6.66666666666667: digits, not noise; it stays refused by its length. A number
    cell (a float, a percent cell) is quoted and its rounding offered with the decimal comma, as Excel under
    Vietnamese settings shows it (the dot, «6.666666666666667», reads as a thousands grouping)."""
    assert _refusal(20 / 3) == f"{FACTOR}: «6,666666666666667» {rounded_to('6,66666666666667')}"
    assert _refusal(1 / 3) == f"{FACTOR}: «0,3333333333333333» {rounded_to('0,33333333333333')}"
    percent = sheet_value(SimpleNamespace(value=20 / 3 / 100, number_format="0.0%", data_type="n"))
    assert percent == "6.666666666666667"
    assert _refusal(percent) == f"{FACTOR}: «6,666666666666667» {rounded_to('6,66666666666667')}"
    assert _refusal(str(percent)) == f"{FACTOR}: «6.666666666666667» {rounded_to('6.66666666666667')}"  # typed so


def test_the_sixteen_character_bound_stands():
    assert _decimal(1.23456789012345) == Decimal("1.23456789012345")  # 16 characters: kept as it is
    assert _decimal("1.23456789012345") == Decimal("1.23456789012345")
    assert _refusal(1.234567890123457) == f"{FACTOR}: «1,234567890123457» {rounded_to('1,23456789012346')}"  # 17: refused
    assert _refusal("1.234567890123456") == f"{FACTOR}: «1.234567890123456» {rounded_to('1.23456789012346')}"
    # noise after 12 significant digits is dropped; after 13 or 14 they might be the number's own, and stay refused
    assert _decimal(1.23456789261 + 0.00000000007) == Decimal("1.23456789268")  # 1.2345678926800001
    assert _refusal(1405 / 173) == f"{FACTOR}: «8,121387283236995» {rounded_to('8,121387283237')}"  # Excel shows 8,121387283237
    assert _refusal(1.234567890122 + 0.000000000001) == f"{FACTOR}: «1,2345678901230002» {rounded_to('1,234567890123')}"
    assert _refusal(1.2345678901233 + 0.0000000000001) == f"{FACTOR}: «1,2345678901233998» {rounded_to('1,2345678901234')}"


def test_a_plain_float_is_unchanged():
    assert _decimal(7.2) == Decimal("7.2")
    assert _decimal(0.072) == Decimal("0.072")
    assert _decimal(1e-05) == Decimal("0.00001")
    assert str(_decimal(1.5)) == "1.5"


def test_an_xlsx_of_formula_results_imports_to_the_golden_balances(ctx, tmp_path, excel_floats):
    def formulas(name, ws):
        if name != "loans":
            return
        head = [c.value for c in ws[1]]
        for column in ("annual_rate", "overdue_factor", "late_interest_rate"):
            col = head.index(column) + 1
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=col).value = NOISY[str(ws.cell(row=r, column=col).value)]

    path = csv_workbook(SAMPLE, ("borrowers", "loans", "transactions"), tmp_path / "book.xlsx", formulas)
    summary = check_and_import(ctx, path)  # was refused on every loan row
    assert (summary.borrowers, summary.loans, summary.transactions) == (26, 40, 297)
    _balances_are_the_golden(ctx)


def test_an_xlsx_rate_of_twenty_thirds_is_refused_on_its_row(ctx, tmp_path, excel_floats):
    def twenty_thirds(name, ws):
        if name == "loans":
            ws.cell(row=2, column=[c.value for c in ws[1]].index("annual_rate") + 1).value = 20 / 3

    path = csv_workbook(SAMPLE, ("borrowers", "loans", "transactions"), tmp_path / "book.xlsx", twenty_thirds)
    with pytest.raises(ImportRefused) as info:
        check_and_import(ctx, path)
    assert f"book.xlsx[loans]:2: lãi suất năm (annual_rate): «6,666666666666667» {rounded_to('6,66666666666667')}" in info.value.problems


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


def test_the_old_books_formula_cells_read_as_excel_shows_them():
    assert mg.read_value("decimal", 1.1 + 0.1) == ("1.2", True)  # the overdue factor: was the float itself
    assert mg.read_value("rate", 1.1 + 0.1) == ("1.2", True)
    assert mg.read_value("rate", 7.2) == ("7.2", True)
    assert mg.read_value("int", 3.5) == (3.5, False)  # a count is whole or refused, as before
    assert mg.read_value("money", 1.5) == (1.5, False)  # money is whole đồng or refused, as before


def test_the_old_books_twenty_thirds_is_no_longer_rounded_into_a_rate():
    """The old path rounded every rate to 15 digits: =20/3 became 6.66666666666667 (16 characters) and was taken."""
    assert mg.read_value("rate", 20 / 3) == ("6.666666666666667", True)  # was "6.66666666666667"
    percent = sheet_value(SimpleNamespace(value=20 / 3 / 100, number_format="0.0%", data_type="n"))
    assert mg.read_value("rate", percent) == (percent, True)
    assert len(percent) > 16
    assert mg.read_value("decimal", 20 / 3) == ("6.666666666666667", True)


def test_an_old_book_of_formula_results_imports_to_the_golden_balances(ctx, tmp_path, excel_floats):
    def formulas(ws, row):
        rate = ws.cell(row, 5)
        if isinstance(rate.value, str):  # "7,2" as text: a plain number cell of =0.1+7.1 instead
            rate.value = NOISY[rate.value.replace(",", ".")]
        ws.cell(row, 12).value = NOISY["1.5"]  # Hệ số lãi quá hạn, was "1,5"
        ws.cell(row, 13).value = NOISY[str(ws.cell(row, 13).value)]  # Lãi suất chậm trả

    book, maps = assistant(_old_book(tmp_path, formulas))
    first = mg.preview(book.sheet("Hợp đồng"), maps["Hợp đồng"], 1)[0][1]
    assert first["loans.overdue_factor"].text() == "1,5"  # the preview's decimal comma
    done = mg.import_workbook(ctx, book, maps)  # was refused: «1.5000000000000002» quá nhiều chữ số
    assert (done.borrowers, done.loans, done.transactions) == (26, 40, 297)
    _balances_are_the_golden(ctx)


def test_an_old_books_rate_of_twenty_thirds_is_refused_on_its_row(ctx, tmp_path, excel_floats):
    def twenty_thirds(ws, row):
        if row == 6:
            ws.cell(row, 5).value = 20 / 3

    book, maps = assistant(_old_book(tmp_path, twenty_thirds))
    with pytest.raises(ImportRefused) as info:
        mg.import_workbook(ctx, book, maps, dry_run=True)
    assert info.value.problems == [
        f"so-cu.xlsx[Hợp đồng]:6: lãi suất năm (annual_rate): «6,666666666666667» {rounded_to('6,66666666666667')}"]
    cell = mg.preview(book.sheet("Hợp đồng"), maps["Hợp đồng"], 2)[1][1]["loans.annual_rate"]
    assert cell.text() == "«6,666666666666667» ?"  # the problems list quotes what the preview shows


def test_a_percent_cell_of_twenty_thirds_is_quoted_with_the_decimal_comma_on_both_paths(ctx, tmp_path):
    """A percent cell showing 6,666666666666667 % reaches read_decimal as its percent in text with a dot
    (import_cells.PercentText): it is a number cell, quoted and rounded with the comma, on the .xlsx import of our
    layout (where import_read's cleaning turned it into plain text) and on the old workbook's path alike."""
    def our_layout(name, ws):
        if name == "loans":
            cell = ws.cell(row=2, column=[c.value for c in ws[1]].index("annual_rate") + 1)
            cell.value, cell.number_format = 20 / 3 / 100, "0.00%"

    path = csv_workbook(SAMPLE, ("borrowers", "loans", "transactions"), tmp_path / "book.xlsx", our_layout)
    with pytest.raises(ImportRefused) as info:
        check_and_import(ctx, path)
    assert f"book.xlsx[loans]:2: lãi suất năm (annual_rate): «6,666666666666667» {rounded_to('6,66666666666667')}" in info.value.problems

    def old_book(ws, row):
        if row == 6:
            ws.cell(row, 5).value, ws.cell(row, 5).number_format = 20 / 3 / 100, "0.00%"

    book, maps = assistant(_old_book(tmp_path, old_book))
    with pytest.raises(ImportRefused) as info:
        mg.import_workbook(ctx, book, maps, dry_run=True)
    assert info.value.problems == [
        f"so-cu.xlsx[Hợp đồng]:6: lãi suất năm (annual_rate): «6,666666666666667» {rounded_to('6,66666666666667')}"]


def test_a_number_with_two_marks_is_refused_with_an_example_typed_as_the_officer_types_it():
    """«1.000,5» or «6,6,6»: the example was «6.6», a dot that reads as a thousands grouping in Vietnamese."""
    for typed in ("1.000,5", "6,6,6"):
        assert _refusal(typed) == (f"{FACTOR}: «{typed}» — dùng một dấu phẩy (hoặc dấu chấm) cho phần thập phân, "
                                   "ví dụ 6,6")


# -- a number no cell holds --------------------------------------------------------------------------------------
HUGE = "1.2345678901234567e999999999"


def test_an_old_books_rate_beyond_any_number_is_not_read_and_is_refused_on_its_row(ctx, tmp_path):
    """Text such as «1.2345678901234567e999999999» raised decimal.InvalidOperation while the rate was rounded, so
    the preview failed on its row; it is now a cell that cannot be read (red in the preview), refused by the import
    with the field and the row."""
    assert mg.read_value("rate", HUGE) == (HUGE, False)  # raised InvalidOperation
    assert mg.read_value("rate", "1.2345678901234567e-999999999") == ("1.2345678901234567e-999999999", False)
    assert mg.read_value("rate", "1e999999999") == ("1e999999999", False)
    assert mg.read_value("rate", "7,2 %/năm") == (mg.RateText("7,2", "year"), True)

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


def test_a_money_cells_noise_reads_as_the_whole_dong_excel_shows():
    """The same kind in money: =0.07*100000000 holds 7000000.000000001, which Excel shows as 7.000.000; it was
    refused as not digits on the import and left unread on the old workbook's path. Whole đồng Excel shows is taken
    on both; a real fraction of a đồng is refused as before."""
    from fundapp.services.import_fields import read_money

    noisy = 0.07 * 100_000_000
    assert noisy == 7000000.000000001
    assert read_money(_row("amount", noisy), "amount", "số tiền") == 7_000_000  # was refused
    assert mg.read_value("money", noisy) == (7_000_000, True)  # was (7000000.000000001, False)
    assert read_money(_row("amount", 7_000_000.0), "amount", "số tiền") == 7_000_000
    for fraction in (1_500_000.5, 1_500_000.25, 0.5):
        with pytest.raises(FieldProblem) as info:
            read_money(_row("amount", fraction), "amount", "số tiền")
        # a number cell is told it has a fraction of a đồng, not to write digits without dots (typed text's advice),
        # quoted as Excel under Vietnamese settings shows it: «1500000.5» read as a thousands grouping
        shown = repr(fraction).replace(".", ",")
        assert str(info.value) == f"số tiền: «{shown}» có phần lẻ nhỏ hơn 1 đồng — số tiền phải là số đồng nguyên"
        assert mg.read_value("money", fraction) == (fraction, False)


def test_a_number_too_long_for_its_column_is_refused_with_the_rounding_to_type():
    """Last stop's leftover: «6.666666666666667» (=20/3 in a text cell) was refused as «quá lớn hoặc quá nhiều chữ
    số» — the officer was not told it is below 1,000,000 and needs only rounding, nor to what. Too large, or rounding
    to nothing (1e-20), keeps the bounds' message."""
    assert _refusal("8.121387283236995") == f"{FACTOR}: «8.121387283236995» {rounded_to('8.121387283237')}"
    assert _refusal("123456.1234567890123") == f"{FACTOR}: «123456.1234567890123» {rounded_to('123456.123456789')}"
    assert _refusal("1e-20") == f"{FACTOR}: «1e-20» {TOO_LONG}"
    assert _refusal("1000000") == f"{FACTOR}: «1000000» {TOO_LONG}"
    # no rounding that is itself refused (a new officer's trial): one to 1.000.000, or of a negative number
    assert _refusal("999999.99999999999") == f"{FACTOR}: «999999.99999999999» {TOO_LONG}"
    assert _refusal("-6.666666666666667") == f"{FACTOR}: «-6.666666666666667» {TOO_LONG}"


def test_a_number_cell_in_a_whole_number_column_is_quoted_with_the_decimal_comma():
    """A count held in a number cell that is not whole (=12/5 in «Số tháng gia hạn», 2.4) was refused quoting
    «2.4», which a Vietnamese officer reads as twenty-four, while the preview showed «2,4» (a new officer's trial of
    15f554c, the same kind in the whole-number columns); typed text is quoted as typed."""
    from fundapp.services.import_cells import NumberText
    from fundapp.services.import_fields import read_integer

    def refusal(value: object) -> str:
        with pytest.raises(FieldProblem) as info:
            read_integer(_row("extend_months", value), "extend_months", "số tháng gia hạn")
        return str(info.value)

    assert refusal(12 / 5) == "số tháng gia hạn: «2,4» không phải số nguyên"
    assert refusal(NumberText("2.4")) == "số tháng gia hạn: «2,4» không phải số nguyên"
    assert refusal("2.4") == "số tháng gia hạn: «2.4» không phải số nguyên"  # typed: as typed
    assert read_integer(_row("extend_months", 12.0), "extend_months", "số tháng gia hạn") == 12
