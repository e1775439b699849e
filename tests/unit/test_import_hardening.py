"""Import values out of range, cells read as shown, Excel's Vietnamese CSV, unusual rates (issue 11.3, 10.11, 10.14).

Every bad value is refused on its own row as ``file:line: reason`` before anything is written, on
SQLite and on PostgreSQL (which refuses NUL bytes and over-long text itself, with a traceback).
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import SAMPLE
from tests.workbooks import csv_workbook

FULL = (26, 40, 297)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder)
    return folder


def _set(folder: Path, sheet: str, line: int, column: str, value: str) -> None:
    path = folder / f"{sheet}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    rows[line - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def _refused(ctx, source, where: str, *words: str) -> str:
    with pytest.raises(ImportRefused) as info:
        check_and_import(ctx, source)
    hits = [p for p in info.value.problems if p.startswith(where)]
    assert hits, info.value.problems
    for word in words:
        assert word in hits[0], hits[0]
    assert balances_json(ctx, ctx.today()) == []  # nothing written
    return hits[0]


CASES = [
    ("borrowers", 3, "members", str(10**30), "borrowers.csv:3:", "quá lớn"),
    ("borrowers", 4, "members", str(2**63), "borrowers.csv:4:", "quá lớn"),
    ("borrowers", 5, "members", "-5", "borrowers.csv:5:", "không được âm"),
    ("loans", 2, "amount", str(10**30), "loans.csv:2:", "quá lớn"),
    ("loans", 3, "amount", str(2**63), "loans.csv:3:", "quá lớn"),
    ("loans", 4, "amount", "-1000000", "loans.csv:4:", "phải lớn hơn 0 đồng (nhận được -1.000.000)"),  # a number, as 0 is
    ("loans", 5, "term_months", "120000", "loans.csv:5:", "tối đa 600 tháng"),
    ("loans", 6, "term_months", str(2**63), "loans.csv:6:", "quá lớn"),
    ("transactions", 5, "date", "9999-12-31", "transactions.csv:5:", "sau ngày hôm nay 31/12/2024"),
    ("transactions", 6, "date", "1999-12-31", "transactions.csv:6:", "trước ngày 01/01/2000"),
    ("loans", 7, "contract_date", "2025-01-01", "loans.csv:7:", "01/01/2025"),
    ("borrowers", 6, "name", "Hợp tác xã\x00 Tân Lập", "borrowers.csv:6:", "U+0000"),
    ("borrowers", 7, "name", "Hợp tác xã " + "rất " * 80, "borrowers.csv:7:", "tối đa 255"),
    ("loans", 8, "purpose", "x" * 256, "loans.csv:8:", "tối đa 255"),
    ("transactions", 7, "reference", "GN-" + "9" * 70, "transactions.csv:7:", "tối đa 64"),
    ("loans", 9, "annual_rate", "72", "loans.csv:9:", "bất thường"),
    ("loans", 10, "annual_rate", "0.072", "loans.csv:10:", "xác nhận lãi suất bất thường"),
    ("loans", 11, "annual_rate", "1e999", "loans.csv:11:", "quá lớn"),
]


@pytest.mark.parametrize(("sheet", "line", "column", "value", "where", "word"), CASES,
                         ids=[f"{c[2]}={c[3][:12]!s}" for c in CASES])
def test_a_value_out_of_range_is_refused_on_its_line(ctx, tmp_path, sheet, line, column, value, where, word):
    folder = _copy(tmp_path)
    _set(folder, sheet, line, column, value)
    _refused(ctx, folder, where, word)


def test_a_loan_number_with_a_slash_states_the_safe_alphabet(ctx, tmp_path):
    folder = _copy(tmp_path)
    rows = list(csv.reader((folder / "loans.csv").open(encoding="utf-8", newline="")))
    old = rows[1][0]
    for name in ("loans", "transactions"):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(f"{old},", "HD/2024/001,"), encoding="utf-8")
    message = _refused(ctx, folder, "loans.csv:2:", "HD/2024/001", "A–Z a–z", "không dấu /")
    assert "số hợp đồng" in message


def test_a_field_over_the_csv_limit_is_a_problem_of_its_line(ctx, tmp_path):
    folder = _copy(tmp_path)
    _set(folder, "borrowers", 4, "address", "x" * 140_000)
    _refused(ctx, folder, "borrowers.csv:4:", "131.072")


def test_an_unusual_rate_is_imported_once_confirmed(ctx, tmp_path):
    from fundapp.services.loans import loan_view

    folder = _copy(tmp_path)
    _set(folder, "loans", 3, "annual_rate", "0.3")
    loan_no = list(csv.reader((folder / "loans.csv").open(encoding="utf-8")))[2][0]
    with pytest.raises(ImportRefused):
        check_and_import(ctx, folder)
    summary = check_and_import(ctx, folder, accept_unusual_rates=True)
    assert (summary.borrowers, summary.loans, summary.transactions) == FULL
    assert loan_view(ctx, loan_no, date(2024, 12, 31)).terms.rate == Decimal("0.3")


def test_excel_vietnamese_csv_with_semicolons_and_decimal_commas_imports_the_same(ctx, tmp_path):
    folder = tmp_path / "excel-vi"
    folder.mkdir()
    for name in ("borrowers", "loans", "transactions"):
        rows = list(csv.reader((SAMPLE / f"{name}.csv").open(encoding="utf-8-sig", newline="")))
        if name == "loans":
            for r in rows[1:]:
                for c in ("annual_rate", "overdue_factor"):
                    i = rows[0].index(c)
                    r[i] = r[i].replace(".", ",")
        with open(folder / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, delimiter=";").writerows(rows)
    assert ";7,2;" in (folder / "loans.csv").read_text(encoding="utf-8-sig")
    summary = check_and_import(ctx, folder)
    assert (summary.borrowers, summary.loans, summary.transactions) == FULL
    from tests import golden

    got = {r.pop("loan_no"): r for r in balances_json(ctx, date(2024, 2, 20))}
    want = golden.expected()["balances"]["2024-02-20"]
    assert {k: {f: got[k][f] for f in want[k]} for k in want} == want


def _workbook(tmp_path: Path, rate_cell=None, extra=None) -> Path:
    def adjust(name, ws):
        if name == "loans" and rate_cell is not None:
            col = [c.value for c in ws[1]].index("annual_rate") + 1
            for r in range(2, ws.max_row + 1):
                rate_cell(ws.cell(row=r, column=col))
        if extra:
            extra(name, ws)

    return csv_workbook(SAMPLE, ("borrowers", "loans", "transactions"), tmp_path / "book.xlsx", adjust)


def test_a_percent_formatted_rate_cell_is_read_as_excel_shows_it(ctx, tmp_path):
    """0.072 formatted 0.0% shows "7.2%": it is 7,2 %/năm, so the first interest is ≈ 611.000 đ, not 6.115 đ."""
    def as_percent(cell):
        cell.value = float(Decimal(str(cell.value)) / 100)
        cell.number_format = "0.0%"

    path = _workbook(tmp_path, as_percent)
    summary = check_and_import(ctx, path)
    assert (summary.borrowers, summary.loans, summary.transactions) == FULL
    from tests import golden

    got = {r.pop("loan_no"): r for r in balances_json(ctx, date(2024, 12, 31))}
    want = golden.expected()["balances"]["2024-12-31"]
    assert {k: {f: got[k][f] for f in want[k]} for k in want} == want


def test_a_plain_fraction_rate_cell_needs_confirmation(ctx, tmp_path):
    def as_fraction(cell):
        cell.value = float(Decimal(str(cell.value)) / 100)

    path = _workbook(tmp_path, as_fraction)
    _refused(ctx, path, "book.xlsx[loans]:2:", "bất thường")


def test_error_cells_and_huge_float_amounts_are_refused_on_their_rows(ctx, tmp_path):
    def hostile(name, ws):
        if name == "transactions":
            col = [c.value for c in ws[1]].index("amount") + 1
            ws.cell(row=3, column=col).value = 1e30
            ws.cell(row=4, column=col).value = "#N/A"
            ws.cell(row=4, column=col).data_type = "e"
        if name == "borrowers":
            col = [c.value for c in ws[1]].index("members") + 1
            ws.cell(row=2, column=col).value = True

    path = _workbook(tmp_path, extra=hostile)
    with pytest.raises(ImportRefused) as info:
        check_and_import(ctx, path)
    problems = "\n".join(info.value.problems)
    assert "book.xlsx[transactions]:3:" in problems and "quá lớn" in problems
    assert "book.xlsx[transactions]:4:" in problems and "#N/A" in problems
    assert "book.xlsx[borrowers]:2:" in problems and "đúng/sai" in problems
    assert balances_json(ctx, ctx.today()) == []


def test_the_command_line_takes_the_confirmation_flag(tmp_path):
    import os
    import subprocess
    import sys

    folder = _copy(tmp_path)
    _set(folder, "loans", 3, "annual_rate", "45")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FUNDAPP_TODAY": "2024-12-31"}

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "fundapp", "--db", str(tmp_path / "b.sqlite"), "import",
                               str(folder), *extra], cwd=root, env=env, capture_output=True, text=True)

    refused = run()
    assert refused.returncode == 2 and "loans.csv:3:" in refused.stderr and "bất thường" in refused.stderr
    assert "chạy lại lệnh với --accept-unusual-rates" in refused.stderr  # how the command line confirms them
    done = run("--accept-unusual-rates")
    assert done.returncode == 0, done.stderr


def test_a_refusal_of_only_unusual_rates_says_so_for_the_gui(ctx, tmp_path):
    folder = _copy(tmp_path)
    _set(folder, "loans", 3, "annual_rate", "0.3")
    _set(folder, "loans", 4, "annual_rate", "45")
    with pytest.raises(ImportRefused) as only_rates:
        check_and_import(ctx, folder)
    assert only_rates.value.unusual_rates_only and len(only_rates.value.problems) == 2
    _set(folder, "loans", 5, "amount", "-1")
    with pytest.raises(ImportRefused) as mixed:
        check_and_import(ctx, folder)
    assert not mixed.value.unusual_rates_only
