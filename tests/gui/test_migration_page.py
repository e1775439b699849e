"""Nhập sổ cũ driven as an officer would (issue 15): the sample fund's old workbook (titles, merged and two-row
headers, Vietnamese column names in another order, dates and money written several ways: tests/unit/
test_migration.py) is picked, its sheets and guessed columns shown, one column changed, the first rows previewed as
read, checked, imported all at once: the book then holds the same balances as the plain import of the golden CSVs.
The mapping is remembered for the next workbook with the same headers. A broken workbook lists each bad row with
its sheet and row and writes nothing. With FUNDAPP_SCREENSHOTS=DIR the page is saved there (docs/screenshots)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fundapp.services.queries import list_loans
from fundapp.services.reports import balances_json
from tests.gui.conftest import wait_jobs
from tests.gui.test_english import english_language
from tests.gui.test_layout import shown_when_chosen
from tests.gui.test_life_event_dialogs import shot
from tests.unit.test_migration import foreign_workbook

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
D = date(2024, 12, 31)


def _select(page, title: str) -> None:
    row = next(i for i in range(page.sheets.count()) if page.sheets.item(i).text().startswith(title + " →"))
    page.sheets.setCurrentRow(row)


def _cell(table, row: int, header: str) -> str:
    column = next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == header)
    return table.item(row, column).text()


def _red(table) -> list[tuple[int, str, str]]:
    """(row, column header, text) of every cell of ``table`` shown red (a cell the import refuses)."""
    return [(r, table.horizontalHeaderItem(c).text(), table.item(r, c).text()) for r in range(table.rowCount())
            for c in range(table.columnCount()) if table.item(r, c).foreground().color().name() == "#b00020"]


def test_an_old_workbook_mapped_previewed_checked_and_imported(empty_window, qtbot, boxes, tmp_path):
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    window = empty_window
    ctx = window.env.ctx
    page = window.show_page("migration")
    page.set_source(foreign_workbook(tmp_path / "so-cu.xlsx"))
    wait_jobs(qtbot, window.env)
    assert [page.sheets.item(i).text() for i in range(page.sheets.count())] == [
        "Khách hàng → Khách hàng (26 dòng)", "Hợp đồng → Khoản vay (40 dòng)", "Giao dịch → Giao dịch (297 dòng)"]
    _select(page, "Hợp đồng")
    assert page.target.currentData() == "loans"
    assert "Dòng tiêu đề: 3–4; 40 dòng dữ liệu." in page.sheet_info.text() and "45" in page.sheet_info.text()
    assert page.mapping.item(5, 0).text() == "Thời hạn Số tháng"
    assert page.combo_of(5).shown_text() == "Khoản vay — Thời hạn vay (tháng)"  # as the closed chooser shows it
    assert page.combo_of(6).shown_text() == "Khoản vay — Kỳ hạn trả nợ (tháng)"
    # the first rows as they will be read: an Excel date and a text date, money with dots and in words
    assert _cell(page.preview, 0, "Dòng") == "5"
    assert _cell(page.preview, 0, "Khoản vay — Số tiền vay") == "1.330.000.000"
    assert _cell(page.preview, 0, "Khoản vay — Lãi suất (%/năm)") == "7,8 %/năm"
    assert _cell(page.preview, 0, "Khoản vay — Ngày hợp đồng") == "28/03/2024"
    assert _cell(page.preview, 1, "Khoản vay — Ngày hợp đồng") == "18/07/2022"
    assert _cell(page.preview, 2, "Khoản vay — Số tiền vay") == "1.030.000.000"  # "1030 triệu"
    assert _cell(page.preview, 1, "Khoản vay — Phương thức trả nợ") == "Gốc đều, lãi theo dư nợ giảm dần"  # the label, not the code
    # the workbook imports whole (below), so nothing of its preview is red: integer cells «0» kỳ ân hạn, 12 tháng
    assert _cell(page.preview, 0, "Khoản vay — Số kỳ ân hạn gốc") == "0"
    assert _cell(page.preview, 0, "Khoản vay — Thời hạn vay (tháng)") == "12"
    assert _red(page.preview) == []
    shot(window, "migration_page")
    # the officer leaves the borrowers' sector out: the preview follows
    _select(page, "Khách hàng")
    assert _cell(page.preview, 0, "Khách hàng — Số thành viên") == "55" and _red(page.preview) == []
    sector = next(r for r in range(page.mapping.rowCount()) if page.mapping.item(r, 0).text() == "Ngành nghề")
    assert page.combo_of(sector).currentData() == "borrowers.sector"
    page.combo_of(sector).setCurrentIndex(0)
    assert page.mappings["Khách hàng"].columns[sector] == ""
    assert "Khách hàng — Ngành nghề" not in [page.preview.horizontalHeaderItem(c).text()
                                              for c in range(page.preview.columnCount())]
    page.check_button.click()
    wait_jobs(qtbot, window.env)
    assert "Sẵn sàng nhập 26 khách hàng, 40 khoản vay, 297 giao dịch" in page.status.text(), page.status.text()
    assert list_loans(ctx) == [] and page.import_button.isEnabled()
    page.import_button.click()
    wait_jobs(qtbot, window.env)
    assert "Đã nhập 26 khách hàng, 40 khoản vay, 297 giao dịch từ «so-cu.xlsx»" in page.status.text()
    plain = open_book(str(tmp_path / "plain.sqlite"), user="tester", today=D)
    try:
        check_and_import(plain, SAMPLE)
        assert balances_json(ctx, D) == balances_json(plain, D)
    finally:
        plain.db.dispose()
    # next time, a workbook with the same headers is mapped as the officer left it
    page.set_source(foreign_workbook(tmp_path / "so-cu-2.xlsx"))
    wait_jobs(qtbot, window.env)
    _select(page, "Khách hàng")
    assert page.combo_of(sector).currentData() == ""
    assert "Dùng cách ghép cột đã lưu lần trước" in page.sheet_info.text()


def test_a_broken_workbook_names_each_bad_row_and_writes_nothing(empty_window, qtbot, boxes, tmp_path):
    window = empty_window
    page = window.show_page("migration")
    page.set_source(foreign_workbook(tmp_path / "so-cu.xlsx", broken=True))
    wait_jobs(qtbot, window.env)
    _select(page, "Khách hàng")
    red = [(r, page.preview.item(r, c)) for r in range(page.preview.rowCount())
           for c in range(page.preview.columnCount())
           if page.preview.item(r, c) and page.preview.item(r, c).text() == "«hợp tác» ?"]
    assert [r for r, _ in red] == [3]  # the 4th borrower's kind cannot be read: the preview shows it already
    assert red[0][1].foreground().color().name() == "#b00020"
    page.check_button.click()
    wait_jobs(qtbot, window.env)
    rows = [[page.problems_table.item(r, c).text() for c in range(3)] for r in range(page.problems_table.rowCount())]
    places = {(sheet, line) for sheet, line, _ in rows}
    assert {("Khách hàng", "7"), ("Hợp đồng", "10"), ("Giao dịch", "10"), ("Giao dịch", "14"),
            ("Giao dịch", "23")} <= places
    assert "dòng có lỗi. Chưa ghi gì vào sổ." in page.status.text()
    assert not page.import_button.isEnabled()
    assert page.tabs.currentWidget() is page.problems_table
    shot(window, "migration_problems")
    assert list_loans(window.env.ctx) == []


def test_an_unusual_rate_in_an_old_workbook_is_asked_as_on_the_import_page(empty_window, qtbot, boxes, tmp_path):
    """The migration page asks about a contract rate outside 0,5–30 %/năm with the import page's own question
    (ImportPage.confirm_unusual_rates: one question, not two wordings); «Không» leaves the row listed and nothing
    written, «Có» checks again accepting it."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QMessageBox

    path = foreign_workbook(tmp_path / "so-cu.xlsx")
    book = load_workbook(path)
    sheet = book["Hợp đồng"]
    column = next(c.column for row in sheet.iter_rows(min_row=3, max_row=4) for c in row
                  if isinstance(c.value, str) and c.value.strip() == "Lãi suất")
    sheet.cell(row=5, column=column, value="0,072")  # HD2024-001 at 0,072 %/năm: a %/tháng typed as %/năm?
    book.save(path)
    window = empty_window
    page = window.show_page("migration")
    page.set_source(path)
    wait_jobs(qtbot, window.env)
    boxes.answer = QMessageBox.StandardButton.No
    page.check_button.click()
    wait_jobs(qtbot, window.env)
    asked = [(title, text) for kind, title, text in boxes.shown if kind == "question"]
    assert len(asked) == 1 and asked[0][0] == "Lãi suất bất thường"
    assert asked[0][1].startswith("Lãi suất của 1 khoản vay nằm ngoài khoảng thường gặp 0,5–30 %/năm:")
    assert "0,072" in asked[0][1] and "Hợp đồng" in asked[0][1]
    assert page.problems_table.rowCount() == 1 and not page.import_button.isEnabled() and list_loans(window.env.ctx) == []

    boxes.shown.clear()
    boxes.answer = QMessageBox.StandardButton.Yes
    page.check_button.click()
    wait_jobs(qtbot, window.env)
    assert page.accept_unusual_rates and page.checked is not None and page.checked.loans == 40
    assert page.import_button.isEnabled() and list_loans(window.env.ctx) == []


def test_a_rate_typed_with_a_comma_is_quoted_back_with_the_comma(empty_window, qtbot, boxes, tmp_path):
    """The old workbook's page quoted a rate typed «9,6…» back as «9.6…» (a thousands grouping in Vietnamese) and
    offered «9.61234567890123»; its preview wrote a factor typed «1,25» as «1.25», a rate «1E-7» as «1e-7 %/năm»,
    a factor «1E-7» as a cell it could not read (the import takes it), and a percent cell showing 7,8 % as «7.8».
    Every number of its messages and preview is written in the Vietnamese form, plainly."""
    from openpyxl import load_workbook

    path = foreign_workbook(tmp_path / "so-cu.xlsx")
    book = load_workbook(path)
    sheet = book["Hợp đồng"]
    sheet.cell(row=5, column=5, value="9,6123456789012345678")  # Lãi suất: more digits than the column holds
    sheet.cell(row=5, column=12, value="1,25")  # Hệ số lãi quá hạn
    sheet.cell(row=6, column=13, value="1E-7")  # Lãi suất chậm trả
    sheet.cell(row=7, column=12, value="1E-7")
    book.save(path)
    window = empty_window
    page = window.show_page("migration")
    page.set_source(path)
    wait_jobs(qtbot, window.env)
    _select(page, "Hợp đồng")
    # more digits than the column holds: red, as the import refuses it (below), quoted as written
    assert _cell(page.preview, 0, "Khoản vay — Lãi suất (%/năm)") == "«9,6123456789012345678» ?"
    assert _red(page.preview) == [(0, "Khoản vay — Lãi suất (%/năm)", "«9,6123456789012345678» ?")]
    assert _cell(page.preview, 0, "Khoản vay — Hệ số lãi quá hạn") == "1,25"
    assert _cell(page.preview, 1, "Khoản vay — Lãi chậm trả lãi (%/năm)") == "0,0000001 %/năm"
    assert _cell(page.preview, 2, "Khoản vay — Hệ số lãi quá hạn") == "0,0000001"
    assert page.preview.item(2, 0).foreground().color().name() != "#b00020"
    rate_column = next(r for r in range(page.mapping.rowCount()) if page.mapping.item(r, 0).text() == "Lãi suất")
    assert page.mapping.item(rate_column, 1).text() == "9,6123456789012345678 | 7,2 | 6,6 %"  # 6,6 %: a percent cell
    page.preview.horizontalScrollBar().setValue(page.preview.horizontalScrollBar().maximum())  # the rates in sight
    shot(window, "migration_rates")

    page.check_button.click()
    wait_jobs(qtbot, window.env)
    rows = [[page.problems_table.item(r, c).text() for c in range(3)] for r in range(page.problems_table.rowCount())]
    assert rows == [["Hợp đồng", "5", "lãi suất năm (annual_rate): «9,6123456789012345678» có quá nhiều chữ số (tối "
                                      "đa 16 ký tự) — làm tròn theo số hợp đồng ghi, ví dụ 9,61234567890123"],
                    # a late rate above 0 below 0,5 %/năm is confirmed first, as an unusual contract rate is
                    ["Hợp đồng", "6", "lãi chậm trả (late_interest_rate): 0,0000001 %/năm bất thường (thường từ 0,5 đến "
                                      "30 %/năm); nếu đúng là như vậy, nhập lại và xác nhận lãi suất bất thường"]]
    shot(window, "migration_rates_refused")
    assert list_loans(window.env.ctx) == []


def _with_events_and_openings(path: Path) -> Path:
    """The sample fund's old workbook with a sheet of events and one of opening balances, laid out the fund's way."""
    from openpyxl import load_workbook

    book = load_workbook(foreign_workbook(path))
    sheet = book.create_sheet("Cơ cấu nợ")
    sheet.append(["Số HĐ", "Ngày QĐ", "Loại sự kiện", "Số QĐ", "Lý do", "Số tháng gia hạn", "Số kỳ ân hạn",
                  "Loại lãi miễn giảm", "Số tiền miễn giảm"])
    sheet.append(["HD2022-002", "05/11/2024", "Cơ cấu", "QĐ-CC-0019", "Bão lũ", 3, 1, None, None])
    sheet = book.create_sheet("Số dư đầu kỳ")
    sheet.append(["Số HĐ", "Ngày chuyển số dư", "Ngày giải ngân đầu tiên", "Số đã giải ngân", "Dư nợ gốc",
                  "Gốc quá hạn", "Ngày đến hạn cũ nhất chưa trả", "Lãi đến hạn chưa trả", "Lãi dự thu", "Lãi quá hạn",
                  "Lãi chậm trả"])
    sheet.append(["HD2020-001", "31/12/2023", "15/01/2020", 500000000, 300000000, 0, None, 0, 0, 0, 0])
    book.save(path)
    return path


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_field_a_column_can_be_taken_as_reads_whole_at_1366(request, qtbot, tmp_path, language):
    """At 1366×768 a column's chooser showed «Sự kiện (cơ cấu, miễn giảm, xóa nợ) — Số tiền mi…»: the sheet's long name
    before every field left no room for the field, so an officer could not tell which one was chosen. Whatever field
    is chosen, the closed chooser now shows its name whole (and its sheet, shortly), inside the window; the list
    groups the fields under their sheet's name, a heading never chosen (the arrow keys step over it), and what is
    stored is the field's key as before."""
    from fundapp.services.migration import BY_KEY, IGNORE
    from fundapp.ui.i18n import tr

    with english_language() if language == "en" else nullcontext():
        window = request.getfixturevalue("empty_window")
        window.resize(1366, 768)
        page = window.show_page("migration")
        page.set_source(_with_events_and_openings(tmp_path / "so-cu.xlsx"))
        wait_jobs(qtbot, window.env)
        cut = []
        for row in range(page.sheets.count()):
            page.sheets.setCurrentRow(row)
            qtbot.wait(1)
            table = page.mapping
            right = table.columnViewportPosition(2) + table.columnWidth(2)
            assert right <= table.viewport().width(), f"the choosers end at {right} px, past {table.viewport().width()}"
            assert table.columnWidth(1) >= 200  # the examples keep their room
            for column in range(table.rowCount()):
                for key, text, need, room in shown_when_chosen(page.combo_of(column)):
                    if need > room or (key != IGNORE and tr(BY_KEY[key].label) not in text):
                        cut.append(f"{page.sheets.item(row).text()} column {column}: {text!r} {need} px in {room}")
        assert not cut, "\n".join(cut)
        shot(window, f"migration_choosers_{language}")

        _select(page, "Hợp đồng")
        combo = page.combo_of(8)  # «Ngày ký HĐ»: the loans' last field, the transactions' heading next
        assert combo.currentData() == "loans.contract_date"
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentData() == "transactions.loan_no" and page.mappings["Hợp đồng"].columns[8] == "transactions.loan_no"
        qtbot.keyClick(combo, Qt.Key.Key_Up)
        assert page.mappings["Hợp đồng"].columns[8] == "loans.contract_date"


def test_a_mapping_problem_is_listed_under_its_sheet(empty_window, qtbot, boxes, tmp_path):
    """A new officer's trial: a mapping that lacks the loan number of «Giao dịch» was listed in «Dòng có lỗi» with an
    empty «Trang» though its sheet is known."""
    window = empty_window
    page = window.show_page("migration")
    page.set_source(foreign_workbook(tmp_path / "so-cu.xlsx"))
    wait_jobs(qtbot, window.env)
    _select(page, "Giao dịch")
    loan_no = next(r for r in range(page.mapping.rowCount()) if page.combo_of(r).currentData() == "transactions.loan_no")
    page.combo_of(loan_no).setCurrentIndex(0)
    page.check_button.click()
    wait_jobs(qtbot, window.env)
    rows = [[page.problems_table.item(r, c).text() for c in range(3)] for r in range(page.problems_table.rowCount())]
    assert rows and all(sheet == "Giao dịch" for sheet, _line, _reason in rows), rows
