"""Broken books are refused whole, every bad row reported as file:line: reason, the book unchanged."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import ROOT, SAMPLE, sample_with
from tests.workbooks import csv_workbook


def broken_copy(tmp_path: Path, sheet: str, line: int, column: str, value: str) -> Path:
    """The sample book with one cell changed (line counts the header as 1)."""
    return sample_with(tmp_path, sheet, line, {column: value})


CASES = [
    ("transactions", 5, "loan_no", "HD9999-999", "transactions.csv:5:", "HD9999-999"),
    ("transactions", 6, "date", "2023-02-30", "transactions.csv:6:", "không phải ngày hợp lệ"),
    ("transactions", 7, "amount", "-5000", "transactions.csv:7:", "phải lớn hơn 0 đồng (nhận được -5.000)"),  # a number, as 0 is
    ("transactions", 12, "amount", "năm triệu", "transactions.csv:12:", "không hợp lệ"),
    ("transactions", 2, "amount", "999000000000", "transactions.csv:2:", "vượt số còn được giải ngân"),
    ("transactions", 8, "amount", "9000000000", "transactions.csv:8:", "vượt số tiền tất toán"),
    ("transactions", 8, "date", "2021-01-01", "transactions.csv:8:", "chưa được giải ngân"),
    ("transactions", 10, "reference", "GN-00180", "transactions.csv:10:", "bị trùng"),
    ("transactions", 11, "kind", "refund", "transactions.csv:11:", "loại giao dịch"),
    ("loans", 3, "frequency_months", "2", "loans.csv:3:", "1, 3, 6 hoặc 12"),
    ("loans", 4, "method", "balloon", "loans.csv:4:", "Phương thức trả nợ"),
    ("loans", 5, "annual_rate", "6,6,6", "loans.csv:5:", "dấu chấm"),  # "6,6" is read (issue 10.14)
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

    from fundapp.services.borrowers import list_borrowers

    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / "borrowers.csv"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    check_and_import(ctx, folder)
    names = [b.name for b in list_borrowers(ctx)]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert "Hợp tác xã lợn Tân Lập" in names


def test_xlsx_with_three_sheets_imports_the_same(ctx, tmp_path):
    path = csv_workbook(SAMPLE, ("borrowers", "loans", "transactions"), tmp_path / "book.xlsx")
    summary = check_and_import(ctx, path)
    assert (summary.borrowers, summary.loans, summary.transactions) == (26, 40, 297)


def _cli(*args: str, env_today: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "FUNDAPP_TODAY": env_today} if env_today else None
    return subprocess.run([sys.executable, "-m", "fundapp", *args], capture_output=True, text=True, cwd=ROOT,
                          encoding="utf-8", env=env)


def test_command_line_exit_2_and_same_text(tmp_path):
    folder = broken_copy(tmp_path, "transactions", 7, "amount", "-5")
    result = _cli("--db", str(tmp_path / "b.sqlite"), "import", str(folder))
    assert result.returncode == 2
    assert "transactions.csv:7:" in result.stderr and "chưa ghi gì vào sổ" in result.stderr
    # nothing was written into a book that did not exist: no book file is left behind (89c0cee), and the next
    # command says there is no book rather than reading an empty one
    assert not (tmp_path / "b.sqlite").exists()
    after = _cli("--db", str(tmp_path / "b.sqlite"), "balances", "--as-of", "2024-12-31", "--format", "json")
    assert after.returncode == 2 and "fundapp import" in after.stderr and after.stdout == ""


@pytest.fixture
def late_ctx(book_url):
    """An opened book whose 'today' is 31/12/2025, after the last entry of sample-fund-events (June 2025)."""
    from fundapp.app import open_book

    context = open_book(book_url, user="tester", today=date(2025, 12, 31))
    yield context
    context.db.dispose()


# -- life events: sample-fund-events and the refusals of sample-fund-events.refusals.json --------------------------
EVENTS_BOOK = SAMPLE.parent / "sample-fund-events"
REFUSALS = json.loads((SAMPLE.parent / "sample-fund-events.refusals.json").read_text(encoding="utf-8"))["refused"]
FIGURE_KEYS = ("most", "remaining", "settlement_amount", "largest_prepayment")


def _dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def book_with_row(tmp_path: Path, case: dict) -> tuple[Path, str]:
    """sample-fund-events with the case's row added at the end of its file, or replacing the loan's opening row;
    returns the folder and the ``file:line:`` where the refusal must be reported."""
    folder = tmp_path / "book"
    shutil.copytree(EVENTS_BOOK, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / case["file"]
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    new = [str(case["row"].get(column, "")) for column in rows[0]]
    if case.get("replaces"):
        line = next(i for i, r in enumerate(rows) if i and r[0] == case["row"]["loan_no"]) + 1
        rows[line - 1] = new
    else:
        rows.append(new)
        line = len(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder, f"{case['file']}:{line}:"


def test_the_events_book_imports_with_its_counts(late_ctx):
    ctx = late_ctx
    summary = check_and_import(ctx, EVENTS_BOOK)
    assert (summary.borrowers, summary.loans, summary.transactions, summary.events, summary.openings) == (
        24, 36, 246, 18, 4)


@pytest.mark.parametrize("case", REFUSALS, ids=[c["case"] for c in REFUSALS])
def test_each_refused_event_row_refuses_the_whole_import(late_ctx, tmp_path, case):
    ctx = late_ctx
    folder, where = book_with_row(tmp_path, case)
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    hit = [p for p in err.value.problems if p.startswith(where)]
    assert hit, err.value.problems
    for key in FIGURE_KEYS:
        if key in case:
            assert _dotted(case[key]) in hit[0], (key, hit[0])
    assert balances_json(ctx, ctx.today()) == []  # the book stays empty


def test_a_refused_event_exits_2_on_the_command_line(tmp_path):
    case = next(c for c in REFUSALS if c["case"] == "relief_above_payable")
    folder, where = book_with_row(tmp_path, case)
    book = str(tmp_path / "b.sqlite")
    result = _cli("--db", book, "import", str(folder), env_today="2025-12-31")
    assert result.returncode == 2
    assert where in result.stderr and "222.124" in result.stderr
    assert not (tmp_path / "b.sqlite").exists()  # a refused import into a new file leaves no book (89c0cee)


def test_monthly_rate_is_kept_as_stated(late_ctx):
    ctx = late_ctx
    from fundapp.services.loans import loan_view

    check_and_import(ctx, EVENTS_BOOK)
    terms = loan_view(ctx, "HD2024-004", date(2024, 12, 31)).terms
    assert (terms.rate, str(terms.rate_unit)) == (Decimal("0.65"), "month")


@pytest.mark.parametrize(("annual", "monthly"), [("6.6", "0.55"), ("", "")])
def test_a_loan_needs_exactly_one_rate(late_ctx, tmp_path, annual, monthly):
    ctx = late_ctx
    folder = broken_copy(tmp_path, "loans", 3, "annual_rate", annual)
    path = folder / "loans.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[0].append("monthly_rate")
    for i, r in enumerate(rows[1:], start=2):
        r.append(monthly if i == 3 else "")
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    assert any(p.startswith("loans.csv:3:") and "monthly_rate" in p for p in err.value.problems)


def test_events_and_openings_sheets_of_an_xlsx_import_the_same(late_ctx, tmp_path):
    ctx = late_ctx
    path = csv_workbook(EVENTS_BOOK, ("borrowers", "loans", "transactions", "events", "openings"),
                        tmp_path / "book.xlsx")
    summary = check_and_import(ctx, path)
    assert (summary.transactions, summary.events, summary.openings) == (246, 18, 4)
    expected = json.loads((EVENTS_BOOK / "expected.json").read_text(encoding="utf-8"))
    got = {r.pop("loan_no"): r for r in balances_json(ctx, date(2024, 12, 31))}
    assert got == expected["balances"]["2024-12-31"]


def test_an_entry_on_or_before_the_opening_day_is_refused_on_its_row(late_ctx, tmp_path):
    ctx = late_ctx
    case = next(c for c in REFUSALS if c["case"] == "entry_on_cut_over_day")
    folder, where = book_with_row(tmp_path, case)
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    assert [p for p in err.value.problems if p.startswith(where) and "04/06/2022" in p]


@pytest.mark.parametrize(("file", "row", "words"), [
    ("openings.csv", ["HD2022-036", "2022-10-19", "2022-08-08", "860000000", "860000000", "0", "", "0", "13416000", "0",
                      "0", ""], "nhiều nhất một dòng"),
    ("events.csv", ["HD2022-006", "2022-09-20", "gia_han", "QĐ-SAI-1", "x", "6", "0", "", ""], "loại sự kiện"),
    ("events.csv", ["HD2023-002", "2023-05-08", "interest_relief", "QĐ-SAI-2", "x", "", "", "lai_phat", "1000"],
     "relief_of"),
    ("events.csv", ["HD2022-006", "2022-09-20", "restructure", "QĐ-CC-0004", "x", "6", "0", "", ""], "bị trùng"),
    ("events.csv", ["HD2022-006", "2022-09-20", "restructure", "QĐ-SAI-3", "x", "-3", "0", "", ""], "không được âm"),
], ids=["second-opening", "unknown-kind", "unknown-relief", "duplicate-decision", "negative-extension"])
def test_bad_event_and_opening_rows_are_named(late_ctx, tmp_path, file, row, words):
    folder = tmp_path / "book"
    shutil.copytree(EVENTS_BOOK, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / file
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows.append(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ImportRefused) as err:
        check_and_import(late_ctx, folder)
    hit = [p for p in err.value.problems if p.startswith(f"{file}:{len(rows)}:")]
    assert hit and words in hit[0], err.value.problems
    assert balances_json(late_ctx, date(2024, 12, 31)) == []


@pytest.mark.parametrize(("sheet", "line", "column", "value", "where", "words"), CASES,
                         ids=[f"en-{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_a_broken_row_is_named_in_english_under_english(ctx, tmp_path, sheet, line, column, value, where, words):
    """Issue 16: an import's row problems are catalogue messages, rendered in the officer's language — under
    English no Vietnamese word is left outside the quoted value (they were Vietnamese f-strings)."""
    import re

    from fundapp import i18n

    folder = broken_copy(tmp_path, sheet, line, column, value)
    i18n.set_language("en")
    try:
        with pytest.raises(ImportRefused) as err:
            check_and_import(ctx, folder)
        hit = [p for p in err.value.problems if p.startswith(where)]
        message = err.value.message
    finally:
        i18n.set_language("vi")
    vietnamese = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
    assert hit, err.value.problems
    for text in [*hit, message]:
        assert not vietnamese.search(re.sub(r"«[^»]*»| đ\b", "", text)), text  # «value», the đồng sign
    assert words in next(p for p in err.value.problems if p.startswith(where))  # Vietnamese once switched back


def test_the_command_line_counts_the_events_and_openings_it_imported(tmp_path):
    """The summary said «24 khách hàng, 36 khoản vay, 246 giao dịch» of sample-fund-events and nothing of its 18
    events and 4 openings, which the import wrote all the same (an officer's trial of the events book)."""
    result = _cli("--db", str(tmp_path / "b.sqlite"), "import", str(EVENTS_BOOK), env_today="2025-12-31")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("Đã nhập: 24 khách hàng, 36 khoản vay, 246 giao dịch, 18 sự kiện (cơ cấu lại, "
                                     "miễn giảm, xóa nợ), 4 số dư chuyển sang từ sample-fund-events.")
