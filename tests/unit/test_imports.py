"""Broken books are refused whole, every bad row reported as file:line: reason, the book unchanged."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import ROOT, SAMPLE


def broken_copy(tmp_path: Path, sheet: str, line: int, column: str, value: str) -> Path:
    """The sample book with one cell changed (line counts the header as 1)."""
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / f"{sheet}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


CASES = [
    ("transactions", 5, "loan_no", "HD9999-999", "transactions.csv:5:", "HD9999-999"),
    ("transactions", 6, "date", "2023-02-30", "transactions.csv:6:", "không phải ngày hợp lệ"),
    ("transactions", 7, "amount", "-5000", "transactions.csv:7:", "không hợp lệ"),
    ("transactions", 12, "amount", "năm triệu", "transactions.csv:12:", "không hợp lệ"),
    ("transactions", 2, "amount", "999000000000", "transactions.csv:2:", "vượt số tiền được duyệt"),
    ("transactions", 8, "amount", "9000000000", "transactions.csv:8:", "vượt số tiền tất toán"),
    ("transactions", 8, "date", "2021-01-01", "transactions.csv:8:", "chưa được giải ngân"),
    ("transactions", 10, "reference", "GN-00180", "transactions.csv:10:", "bị trùng"),
    ("transactions", 11, "kind", "refund", "transactions.csv:11:", "loại giao dịch"),
    ("loans", 3, "frequency_months", "2", "loans.csv:3:", "1, 3, 6 hoặc 12"),
    ("loans", 4, "method", "balloon", "loans.csv:4:", "Phương thức trả nợ"),
    ("loans", 5, "annual_rate", "6,6", "loans.csv:5:", "dấu chấm"),
    ("loans", 6, "borrower_code", "KH9999", "loans.csv:6:", "KH9999"),
    ("borrowers", 3, "kind", "coop", "borrowers.csv:3:", "loại hình"),
]


@pytest.mark.parametrize(("sheet", "line", "column", "value", "where", "words"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_a_broken_book_writes_nothing(ctx, tmp_path, sheet, line, column, value, where, words):
    folder = broken_copy(tmp_path, sheet, line, column, value)
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    problems = err.value.problems
    hit = [p for p in problems if p.startswith(where)]
    assert hit, problems
    assert words in hit[0], hit
    assert balances_json(ctx, ctx.today()) == []  # nothing half-written


def test_every_bad_row_is_reported(ctx, tmp_path):
    folder = broken_copy(tmp_path, "transactions", 5, "amount", "abc")
    lines = (folder / "transactions.csv").read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace("2022-", "2022-13-")  # line 10: impossible date
    (folder / "transactions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    assert {p.split(": ")[0] for p in err.value.problems} >= {"transactions.csv:5", "transactions.csv:10"}


def test_nfd_names_are_stored_nfc(ctx, tmp_path):
    import unicodedata

    from fundapp.services.lending import list_borrowers

    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / "borrowers.csv"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    check_and_import(ctx, folder)
    names = [b.name for b in list_borrowers(ctx)]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert "Hợp tác xã lợn Tân Lập" in names


def test_xlsx_with_three_sheets_imports_the_same(ctx, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in ("borrowers", "loans", "transactions"):
        ws = wb.create_sheet(name)
        with open(SAMPLE / f"{name}.csv", encoding="utf-8-sig") as f:
            for i, row in enumerate(csv.reader(f)):
                # numbers as numbers where Excel would keep them so
                ws.append([int(v) if i and v.isdigit() and len(v) < 15 else v for v in row])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    summary = check_and_import(ctx, path)
    assert (summary.borrowers, summary.loans, summary.transactions) == (26, 40, 297)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fundapp", *args], capture_output=True, text=True, cwd=ROOT,
                          encoding="utf-8")


def test_command_line_exit_2_and_same_text(tmp_path):
    folder = broken_copy(tmp_path, "transactions", 7, "amount", "-5")
    result = _cli("--db", str(tmp_path / "b.sqlite"), "import", str(folder))
    assert result.returncode == 2
    assert "transactions.csv:7:" in result.stderr and "chưa ghi gì vào sổ" in result.stderr
    after = _cli("--db", str(tmp_path / "b.sqlite"), "balances", "--as-of", "2024-12-31", "--format", "json")
    assert after.returncode == 0 and after.stdout.strip() == "[]"
