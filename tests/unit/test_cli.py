"""The command line on the sample book, on SQLite and on PostgreSQL: every figure equals expected.json."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date

import pytest

from tests import golden
from tests.golden import ROOT, SAMPLE


def fundapp(url: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", url, *args], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result


def test_sample_book_through_the_command_line(book_url):
    fundapp(book_url, "import", str(SAMPLE))
    expected = golden.expected()
    for when in ("2022-12-31", "2024-02-20", "2024-12-31"):
        rows = json.loads(fundapp(book_url, "balances", "--as-of", when, "--format", "json").stdout)
        assert [r["loan_no"] for r in rows] == sorted(expected["balances"][when])
        assert {r.pop("loan_no"): r for r in rows} == expected["balances"][when]
    for quarter in ("2023-Q4", "2024-Q2"):
        year, q = quarter.split("-Q")
        got = json.loads(fundapp(book_url, "report", "quarterly", "--year", year, "--quarter", q,
                                 "--format", "json").stdout)
        assert got == expected["quarters"][quarter]
    schedule = json.loads(fundapp(book_url, "schedule", "HD2022-028", "--format", "json").stdout)
    assert [{k: r[k] for k in ("no", "due_date", "principal")} for r in schedule] == expected["schedules"]["HD2022-028"]
    assert all({"interest", "principal_paid", "interest_paid"} <= set(r) for r in schedule)


def _empty_book(path) -> str:
    """An empty book made at ``path`` (a read command no longer makes one: it refuses a missing book)."""
    from fundapp.app import open_book

    open_book(str(path)).db.dispose()
    return str(path)


def test_errors_are_in_vietnamese_with_a_non_zero_status(tmp_path):
    book = _empty_book(tmp_path / "b.sqlite")
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", book, "schedule", "HD-KHONG-CO"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode != 0 and "Không có khoản vay" in result.stderr
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", book, "balances", "--as-of", "31-02-2024"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 2 and "không hợp lệ" in result.stderr


def test_main_py_runs_the_command_line_too(tmp_path):
    result = subprocess.run([sys.executable, "main.py", "--db", _empty_book(tmp_path / "b.sqlite"), "balances",
                             "--format", "json"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0 and json.loads(result.stdout) == []


def _dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")  # the papers group thousands with dots


def _dmy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _pdf_text(path) -> str:
    """The PDF's text without any whitespace (pypdf's spacing and line breaks vary), NFC."""
    from pypdf import PdfReader

    text = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _assert_lines(text: str, *lines: str) -> None:
    for line in lines:
        assert re.sub(r"\s+", "", line) in text, f"missing {line!r}"


def _balance_lines(figures: dict, when: str, last_due: str) -> list[str]:
    """The balances of a statement or reconciliation: each figure of expected.json after its label; after the last due
    date ``last_due`` the in-term interest left is day D_n's, payable at once (DOMAIN.md "Daily accrual")."""
    accrued = (f"Lãi trong hạn dự thu (của ngày đến hạn cuối {_dmy(last_due)})" if when > last_due
               else "Lãi trong hạn dự thu (kỳ hiện tại)")
    return [f"Dư nợ gốc {_dong(figures['principal_outstanding'])} đ",
            f"Trong đó: nợ gốc quá hạn {_dong(figures['principal_overdue'])} đ",
            f"Lãi đến hạn chưa trả {_dong(figures['interest_due_unpaid'])} đ",
            f"{accrued} {_dong(figures['interest_accrued'])} đ",
            f"Lãi quá hạn (tính đến hết ngày {_dmy(when)}) {_dong(figures['overdue_interest_accrued'])} đ",
            f"Lãi chậm trả (tính đến hết ngày {_dmy(when)}) {_dong(figures['late_interest_accrued'])} đ",
            f"Số ngày quá hạn {figures['days_past_due']} ngày", f"Nhóm nợ {figures['debt_group']}"]


def test_documents_from_the_command_line(tmp_path):
    """Each paper the command line writes carries the sample book's figures of expected.json (balances at its date,
    the schedule, the tranche, the installments due in the month), each after its label, and the number it printed."""
    book = str(tmp_path / "b.sqlite")
    fundapp(book, "import", str(SAMPLE))
    expected = golden.expected()
    loan = "HD2022-002"  # overdue since 2022: every balance figure is non-zero
    last_due = expected["schedules"][loan][-1]["due_date"]  # 2023-07-27
    with open(SAMPLE / "transactions.csv", encoding="utf-8-sig", newline="") as f:
        entries = [r for r in csv.DictReader(f) if r["loan_no"] == loan]

    def paper(name: str, *args: str, env: dict | None = None) -> str:
        out = subprocess.run([sys.executable, "-m", "fundapp", "--db", book, *args, "--pdf", str(tmp_path / name)],
                             capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env={**os.environ, **(env or {})})
        assert out.returncode == 0, out.stderr
        text = _pdf_text(tmp_path / name)
        number = re.search(r"\(số (\S+)\)", out.stdout)
        if number:  # the number the register gave is the one printed
            _assert_lines(text, f"Số: {number[1]}")
        return text

    t = paper("statement.pdf", "statement", loan, "--as-of", "2024-02-20")
    _assert_lines(t, "SAO KÊ KHOẢN VAY", f"Hợp đồng tín dụng số {loan}", "Tính đến hết ngày 20/02/2024",
                  *_balance_lines(expected["balances"]["2024-02-20"][loan], "2024-02-20", last_due))
    for e in entries:  # the history: every entry of the loan, with its date, reference and amount
        _assert_lines(t, f"{_dmy(e['date'])} {e['reference']} {'Giải ngân' if e['kind'] == 'disbursement' else 'Thu nợ'}"
                         f" {_dong(int(e['amount']))}")

    t = paper("schedule.pdf", "schedule-pdf", loan)
    _assert_lines(t, "LỊCH TRẢ NỢ", f"Kèm theo Hợp đồng tín dụng số {loan}")
    for k in expected["schedules"][loan]:
        _assert_lines(t, f"{k['no']} {_dmy(k['due_date'])} {_dong(k['principal'])}")

    tranche = next(e for e in entries if e["kind"] == "disbursement")
    t = paper("receipt.pdf", "receipt", loan, "--reference", tranche["reference"])
    amount = int(tranche["amount"])
    _assert_lines(t, "GIẤY NHẬN NỢ", f"Số tiền nhận nợ lần thứ 1: {_dong(amount)} đ",
                  "Bằng chữ: Bốn trăm tám mươi triệu đồng.",
                  f"Ngày nhận nợ: {_dmy(tranche['date'])} (chứng từ {tranche['reference']})",
                  f"Tổng số đã nhận nợ: {_dong(amount)} đ (kể cả lần này)")
    assert amount == 480_000_000

    t = paper("minutes.pdf", "reconciliation", loan, "--as-of", "2023-12-31")
    _assert_lines(t, "BIÊN BẢN ĐỐI CHIẾU CÔNG NỢ", "Số liệu tính đến hết ngày 31/12/2023",
                  *_balance_lines(expected["balances"]["2023-12-31"][loan], "2023-12-31", last_due),
                  # what is payable on 31/12, item by item: the overdue and late interest to the end of 30/12, so
                  # the total is told apart from the balances to the end of 31/12 (it stood alone, unexplained)
                  "IV. SỐ TIỀN PHẢI TRẢ NGÀY 31/12/2023",
                  f"Gốc đến hạn chưa trả {_dong(expected['balances']['2023-12-31'][loan]['principal_overdue'])} đ",
                  "Lãi quá hạn phải trả ngày 31/12/2023 (tính đến hết ngày 30/12/2023)",
                  "Lãi chậm trả phải trả ngày 31/12/2023 (tính đến hết ngày 30/12/2023)",
                  "Lãi trong hạn sau ngày đến hạn cuối (phải trả ngay)")

    # the notices of March 2024, issued on 20/02/2024: every installment due in March, unpaid then
    t = paper("notices.pdf", "notices", "--month", "2024-03", env={"FUNDAPP_TODAY": "2024-02-20"})
    due = [(no, k) for no, schedule in expected["schedules"].items() for k in schedule
           if k["due_date"].startswith("2024-03") and k["principal"]]  # HD2022-039, prepaid to 1 đ, owes 0 then
    assert len(due) == 11
    _assert_lines(t, "THÔNG BÁO NỢ ĐẾN HẠN", "Kỳ trả nợ tháng 03/2024")
    for no, k in due:
        _assert_lines(t, f"{no} {k['no']} {_dmy(k['due_date'])} {_dong(k['principal'])} đ")
    arrears = expected["balances"]["2024-02-20"][loan]  # and a loan in arrears: its debt due and unpaid that day
    _assert_lines(t, "Nợ đã đến hạn chưa trả, phải trả ngày 20/02/2024:",
                  f"{loan} {_dong(arrears['principal_overdue'])} {_dong(arrears['interest_due_unpaid'])}")


# -- life events: sample-fund-events through the command line, and the event commands -------------------------------
EVENTS = SAMPLE.parent / "sample-fund-events"
LATE = {"FUNDAPP_TODAY": "2025-12-31"}  # the events book runs to June 2025


def fundapp_late(url: str, *args: str, status: int = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", url, *args], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, env={**os.environ, **LATE})
    assert result.returncode == status, result.stderr
    return result


def test_events_book_through_the_command_line(book_url):
    fundapp_late(book_url, "import", str(EVENTS))
    expected = json.loads((EVENTS / "expected.json").read_text(encoding="utf-8"))
    for when in ("2022-12-31", "2024-06-30", "2025-06-30"):
        rows = json.loads(fundapp_late(book_url, "balances", "--as-of", when, "--format", "json").stdout)
        assert {r.pop("loan_no"): r for r in rows} == expected["balances"][when], when
    for quarter in ("2022-Q4", "2023-Q4", "2024-Q4"):
        year, q = quarter.split("-Q")
        got = json.loads(fundapp_late(book_url, "report", "quarterly", "--year", year, "--quarter", q,
                                      "--format", "json").stdout)
        assert got == expected["quarters"][quarter], quarter
    # restructured twice, restructured with grace, opened mid-life with arrears, %/tháng annuity restructured
    for loan_no in ("HD2022-024", "HD2023-021", "HD2021-032", "HD2024-035", "HD2022-023"):
        schedule = json.loads(fundapp_late(book_url, "schedule", loan_no, "--format", "json").stdout)
        assert [{k: r[k] for k in ("no", "due_date", "principal")} for r in schedule] == \
            expected["schedules"][loan_no], loan_no


def _balances(url: str, when: str) -> dict[str, dict]:
    rows = json.loads(fundapp_late(url, "balances", "--as-of", when, "--format", "json").stdout)
    return {r.pop("loan_no"): r for r in rows}


def test_restructure_relief_and_write_off_commands(book_url):
    fundapp_late(book_url, "import", str(EVENTS))
    before = _balances(book_url, "2025-06-30")
    assert before["HD2023-005"]["principal_overdue"] == 45_500_000 and before["HD2023-005"]["debt_group"] == 3
    old_schedule = json.loads(fundapp_late(book_url, "schedule", "HD2023-005", "--format", "json").stdout)

    out = fundapp_late(book_url, "restructure", "HD2023-005", "--on", "2025-06-30", "--extend-months", "3",
                       "--grace", "0", "--reference", "QĐ-CC-0100", "--reason", "Ảnh hưởng bão lũ").stdout
    assert "6.731.507 đ" in out  # the unpaid installment interest deferred to the next installment
    fundapp_late(book_url, "relief", "HD2024-012", "--on", "2025-06-30", "--of", "overdue_interest", "--amount",
                 "1.000.000", "--reference", "QĐ-MG-0100", "--reason", "Thiên tai")  # read as a form reads it
    out = fundapp_late(book_url, "write-off", "HD2024-028", "--on", "2025-06-30", "--reference", "QĐ-XL-0100",
                       "--reason", "Hợp tác xã giải thể").stdout
    assert "850.000.000 đ" in out and "20.323.554 đ" in out

    after = _balances(book_url, "2025-06-30")
    r = after["HD2023-005"]  # arrears moved to the new schedule, interest deferred, group 2 for a first restructuring
    assert (r["principal_outstanding"], r["principal_overdue"], r["interest_due_unpaid"], r["days_past_due"],
            r["debt_group"]) == (682_500_000, 0, 0, 0, 2)
    # + the deferred interest, + day 30/06's in-term interest on the 45.500.000 đ no longer overdue (4 %/năm)
    assert r["interest_accrued"] == before["HD2023-005"]["interest_accrued"] + 6_731_507 + 4_986 == 12_046_904
    assert after["HD2024-012"]["overdue_interest_accrued"] == before["HD2024-012"]["overdue_interest_accrued"] - 1_000_000
    w = after["HD2024-028"]
    b = before["HD2024-028"]
    assert (w["principal_outstanding"], w["written_off_principal"]) == (0, b["principal_outstanding"])
    assert w["written_off_interest"] == (b["interest_due_unpaid"] + b["interest_accrued"]
                                         + b["overdue_interest_accrued"] + b["late_interest_accrued"]) == 20_323_554
    untouched = {no for no in before if no not in ("HD2023-005", "HD2024-012", "HD2024-028")}
    assert {no: after[no] for no in untouched} == {no: before[no] for no in untouched}
    schedule = json.loads(fundapp_late(book_url, "schedule", "HD2023-005", "--format", "json").stdout)
    assert len(schedule) == len(old_schedule) + 1 and schedule[-1]["due_date"] == "2029-01-16"
    quarter = json.loads(fundapp_late(book_url, "report", "quarterly", "--year", "2025", "--quarter", "2",
                                      "--format", "json").stdout)
    assert (quarter["restructured_count"], quarter["interest_relieved"], quarter["written_off_principal"],
            quarter["written_off_interest"]) == (1, 1_000_000, 850_000_000, 20_323_554)


REFUSED_COMMANDS = [
    (("relief", "HD2024-012", "--on", "2025-06-30", "--of", "overdue_interest", "--amount", "100000000"),
     "19.087.151"),  # the most relievable: overdue interest payable that day (accrued through the day before)
    (("restructure", "HD2024-001", "--on", "2025-06-30", "--extend-months", "7", "--grace", "0"), "7"),
    (("write-off", "HD2023-026", "--on", "2024-03-24"), "tất toán"),
    (("restructure", "HD2023-026", "--on", "2024-03-24", "--extend-months", "1"), "tất toán"),
    (("relief", "HD2022-025", "--on", "2023-01-07", "--of", "late_interest", "--amount", "1000"), "HD"),
]


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_refused_event_commands_exit_2_and_write_nothing(book_url):
    fundapp_late(book_url, "import", str(EVENTS))
    before = _balances(book_url, "2025-06-30")
    for args, words in REFUSED_COMMANDS:
        result = fundapp_late(book_url, *args, "--reference", "QĐ-SAI-1", "--reason", "Kiểm tra", status=2)
        assert result.stderr.startswith("fundapp: ") and "Traceback" not in result.stderr, result.stderr
        if words != "HD":
            assert words in result.stderr, (args, result.stderr)
    # an amount is read as a form reads it: «1_000» (Python's int() took it) is refused on the option, in words
    result = fundapp_late(book_url, "relief", "HD2024-012", "--on", "2025-06-30", "--of", "overdue_interest",
                          "--amount", "1_000", "--reference", "QĐ-SAI-1", "--reason", "Kiểm tra", status=2)
    assert "--amount: «1_000» không phải số tiền" in result.stderr and "Traceback" not in result.stderr
    assert _balances(book_url, "2025-06-30") == before
    # the decision number was never used: a valid event may take it
    fundapp_late(book_url, "relief", "HD2024-012", "--on", "2025-06-30", "--of", "overdue_interest", "--amount", "1",
                 "--reference", "QĐ-SAI-1", "--reason", "Kiểm tra")
