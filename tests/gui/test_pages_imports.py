"""Nhập dữ liệu: a broken book is checked, every bad line listed, nothing written; the good book imports 40 loans."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from fundapp.services.borrowers import list_borrowers
from fundapp.services.queries import list_loans
from fundapp.services.reports import quarterly_json
from fundapp.ui.pages.imports import Page, split_problem
from tests.golden import SAMPLE, expected
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files, refreshed_page

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def page(qtbot, ctx, qsettings, boxes):
    return refreshed_page(qtbot, Page, ctx, qsettings)


def rows(table) -> list[tuple[str, str, str]]:
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_problem_text_splits_into_file_line_reason():
    assert split_problem("loans.csv:7: số tiền phải là số") == ("loans.csv", "7", "số tiền phải là số")
    assert split_problem("so.xlsx[loans]:12: ngày sai") == ("so.xlsx[loans]", "12", "ngày sai")
    assert split_problem("tệp không đọc được") == ("", "", "tệp không đọc được")


def test_a_broken_book_lists_its_bad_lines_and_writes_nothing(page, qtbot, ctx, tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE, broken)
    loans = (broken / "loans.csv").read_text(encoding="utf-8").splitlines()
    assert loans[2].startswith("HD2022-002,")
    loans[2] = loans[2].replace(",480000000,", ",bốn trăm triệu,")  # line 3: the amount in words
    (broken / "loans.csv").write_text("\n".join(loans) + "\n", encoding="utf-8")
    with open(broken / "transactions.csv", "a", encoding="utf-8") as f:
        f.write("HD9999-999,2024-05-02,repayment,1000000,PT-X\n")  # line 299: no such loan
    files = Files(monkeypatch)
    files.folder = str(broken)
    page.folder_button.click()
    wait_jobs(qtbot, page.env)

    listed = rows(page.table)
    assert ("loans.csv", "3") in [(f, line) for f, line, _ in listed], listed
    assert ("transactions.csv", "299") in [(f, line) for f, line, _ in listed], listed
    assert any("HD9999-999" in reason for f, _, reason in listed if f == "transactions.csv")
    assert len(listed) == len(page.problems) and "dòng có lỗi" in page.status.text()
    assert not page.import_button.isEnabled()
    page.import_button.click()  # disabled: nothing happens
    wait_jobs(qtbot, page.env)
    assert list_borrowers(ctx) == [] and list_loans(ctx) == []


def test_the_sample_book_is_checked_then_imported(page, qtbot, ctx, boxes, monkeypatch):
    announced = []
    page.env.changes.changed.connect(announced.append)
    files = Files(monkeypatch)
    files.folder = str(SAMPLE)
    page.folder_button.click()
    wait_jobs(qtbot, page.env)
    assert page.checked is not None and page.checked.loans == 40
    assert page.table.rowCount() == 0 and page.import_button.isEnabled()
    assert list_loans(ctx) == []  # the check wrote nothing

    boxes.answer = QMessageBox.StandardButton.No
    page.import_button.click()
    wait_jobs(qtbot, page.env)
    assert list_loans(ctx) == [] and page.imported is None

    boxes.answer = QMessageBox.StandardButton.Yes
    page.import_button.click()
    wait_jobs(qtbot, page.env)
    assert page.imported.loans == 40 and len(list_loans(ctx)) == 40
    assert announced == [frozenset({"borrowers", "loans"})]
    assert "Đã nhập" in page.status.text() and "40 khoản vay" in page.status.text()
    assert quarterly_json(ctx, 2024, 4)["outstanding"] == expected()["quarters"]["2024-Q4"]["outstanding"]
    assert not page.import_button.isEnabled()


def test_a_folder_without_the_files_says_what_to_choose(page, qtbot, ctx, tmp_path, monkeypatch):
    files = Files(monkeypatch)
    files.folder = str(tmp_path)
    page.folder_button.click()
    wait_jobs(qtbot, page.env)
    assert "borrowers.csv" in page.status.text() and "Chưa ghi gì" in page.status.text()
    assert not page.import_button.isEnabled()


def test_an_unusual_rate_is_asked_about_and_imported_once_confirmed(page, qtbot, ctx, boxes, tmp_path, monkeypatch):
    """Issue 10.11: a check refused only for a contract rate outside 0,5–30 %/năm asks the officer, naming the row
    and the rate; «Không» leaves the rows listed and nothing written, «Có» checks again accepting it, then imports."""
    import csv
    from datetime import date
    from decimal import Decimal

    from fundapp.services.loans import loan_view

    unusual = tmp_path / "unusual"
    shutil.copytree(SAMPLE, unusual)
    table = list(csv.reader((unusual / "loans.csv").open(encoding="utf-8")))
    table[2][table[0].index("annual_rate")] = "0.072"  # loans.csv:3, 0,072 %/năm: a %/tháng typed as %/năm?
    with (unusual / "loans.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    loan_no = table[2][0]
    files = Files(monkeypatch)
    files.folder = str(unusual)

    boxes.answer = QMessageBox.StandardButton.No
    page.folder_button.click()
    wait_jobs(qtbot, page.env)
    asked = [(title, text) for kind, title, text in boxes.shown if kind == "question"]
    assert len(asked) == 1 and asked[0][0] == "Lãi suất bất thường"
    assert "loans.csv:3:" in asked[0][1] and "0,072" in asked[0][1] and "0,5–30 %/năm" in asked[0][1]
    assert "dòng lệnh" not in asked[0][1] and "--accept" not in asked[0][1]  # a new officer's trial: not the CLI's
    assert [(f, line) for f, line, _ in rows(page.table)] == [("loans.csv", "3")]
    assert not page.import_button.isEnabled() and list_loans(ctx) == []

    boxes.shown.clear()
    boxes.answer = QMessageBox.StandardButton.Yes
    page.check_button.click()
    wait_jobs(qtbot, page.env)
    assert page.checked is not None and page.checked.loans == 40 and page.import_button.isEnabled()
    assert page.table.rowCount() == 0 and "đã được xác nhận" in page.status.text()
    assert list_loans(ctx) == []  # the check, even confirmed, wrote nothing
    page.import_button.click()
    wait_jobs(qtbot, page.env)
    assert page.imported is not None and page.imported.loans == 40 and len(list_loans(ctx)) == 40
    assert loan_view(ctx, loan_no, date(2024, 12, 31)).terms.rate == Decimal("0.072")


def test_a_folder_of_events_only_is_ready_to_import_and_says_so(page, qtbot, ctx, boxes, monkeypatch, tmp_path):
    """An officer's trial: a folder adding one restructuring to a loan already in the book (empty borrowers, loans
    and transactions, INTERCHANGE.md's optional events file) was checked without a fault and then called «Không có
    dòng nào mới để nhập», the import button left off: the page counted borrowers, loans and transactions only."""
    from fundapp.services.imports import check_and_import

    check_and_import(ctx, SAMPLE)
    folder = tmp_path / "events-only"
    folder.mkdir()
    for name in ("borrowers", "loans", "transactions"):
        header = (SAMPLE / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        (folder / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    (folder / "events.csv").write_text(
        "loan_no,date,kind,reference,reason,extend_months,grace_periods,relief_of,amount\n"
        "HD2022-002,2024-12-20,restructure,QĐ-CC-9999,Dịch tả lợn châu Phi,24,0,,\n", encoding="utf-8")
    files = Files(monkeypatch)
    files.folder = str(folder)
    page.folder_button.click()
    wait_jobs(qtbot, page.env)
    assert page.import_button.isEnabled(), page.status.text()
    assert "Sẵn sàng nhập 0 khách hàng, 0 khoản vay, 0 giao dịch, 1 sự kiện" in page.status.text(), page.status.text()
    # the empty problems table says the check found none, not «Chưa kiểm tra nguồn nào» under «Kiểm tra xong»
    assert page.table.empty_message() == "Không có dòng lỗi nào trong «events-only».", page.table.empty_message()
    # and the question before writing names what will be written (it asked to import «0 khách hàng, 0 khoản vay,
    # 0 giao dịch» — a new officer's trial)
    boxes.answer = QMessageBox.StandardButton.No
    page.import_button.click()
    kind, _title, question = boxes.shown[-1]
    assert kind == "question" and "1 sự kiện" in question, question


def test_a_folder_already_imported_is_said_so_with_the_command_lines_summary(page, qtbot, ctx, monkeypatch):
    """Checking the sample fund in a book that already holds it: every row listed, and the status says first that
    the book already holds them, then the one summary the command line ends with — not «fix the rows and check
    again», there being nothing to fix (an officer's trial)."""
    from fundapp.services.imports import check_and_import

    check_and_import(ctx, SAMPLE)
    files = Files(monkeypatch)
    files.folder = str(SAMPLE)
    page.folder_button.click()
    wait_jobs(qtbot, page.env)
    assert len(rows(page.table)) == 363
    assert page.status.text() == (
        "Sổ đã có sẵn mọi dòng bị từ chối dưới đây (cùng mã khách hàng, số hợp đồng hoặc số chứng từ): có vẻ dữ liệu "
        "này đã được nhập vào sổ trước đây, không cần nhập lại. Không nhập dữ liệu: 363 dòng có lỗi trong 3 tệp, "
        "chưa ghi gì vào sổ."), page.status.text()
    assert not page.import_button.isEnabled()
