"""Empty and unfinished states say why (issue 10 item 8): blank charts and tables on an empty book, a search
that hides every row, and a quarter not yet ended (on screen, in the PDF and in the .xlsx)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_an_empty_book_says_why_its_charts_and_tables_are_blank(empty_window, qtbot):
    win = empty_window
    overview = win.show_page("overview")
    wait_jobs(qtbot, win.env)
    why = "Chưa có dữ liệu: chưa có khoản vay nào được giải ngân đến ngày 31/12/2024."
    for chart in (overview.disbursed_chart, overview.outstanding_chart, overview.area_chart):
        assert chart.empty_text() == why and chart.empty.isVisible()

    expected = {
        "loans": "Sổ chưa có khoản vay nào.",
        "borrowers": "Sổ chưa có khách hàng nào.",
        "applications": "Chưa có hồ sơ vay nào.",
    }
    for name, start in expected.items():
        page = win.show_page(name)
        wait_jobs(qtbot, win.env)
        assert page.table.empty_message().startswith(start), name
    borrowers = win.show_page("borrowers")
    assert borrowers.loans_table.empty_message().startswith("Chọn một khách hàng")
    imports = win.show_page("imports")
    assert imports.table.empty_message().startswith("Các dòng có lỗi hiện ở đây")
    settings = win.show_page("settings")
    wait_jobs(qtbot, win.env)
    assert settings.product_table.empty_message().startswith("Chưa có sản phẩm vay nào")


def test_a_table_says_when_the_search_hides_every_row(window, qtbot):
    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    assert loans.table.empty_message() == ""
    loans.search.setText("khong co khoan vay nay")
    assert loans.proxy.rowCount() == 0
    assert loans.table.empty_message() == "Không có dòng nào khớp với tìm kiếm hoặc bộ lọc."
    detail = loans.open_loan(loans.model.rows[0].id)
    wait_jobs(qtbot, window.env)
    assert detail.history.empty_message() == ""  # a disbursed loan has its history


def test_a_quarter_not_yet_ended_is_counted_to_today_and_says_so(sample_ctx, qsettings, qtbot, boxes, tmp_path):
    """On 30/11/2024 the fourth quarter has not ended: figures to 30/11, and the screen, PDF and .xlsx say so."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fundapp.app import open_book
    from fundapp.domain.reporting import period_reports
    from fundapp.services.book_loader import load_book
    from fundapp.services.documents import quarterly_pdf, write_quarterly
    from fundapp.ui.pages.reports import Page
    from tests.gui.pages_env import reports_page

    def fourth_quarter_2024(ctx) -> Page:
        return reports_page(qtbot, ctx, qsettings, 2024, 4)

    ctx = open_book(sample_ctx.db.url, user="tester", today=date(2024, 11, 30))
    page = fourth_quarter_2024(ctx)
    mark = "Quý chưa kết thúc — số liệu đến hết ngày 30/11/2024"
    assert mark in page.period.text()
    reports = page.reports
    assert (reports.current.start, reports.current.end, reports.year_to_date.end) == (
        date(2024, 10, 1), date(2024, 11, 30), date(2024, 11, 30))
    assert reports.year_before.end == date(2023, 11, 30)  # the same days a year before
    loans = [b.input for b in load_book(ctx.db)]
    [expected] = period_reports(loans, [(date(2024, 10, 1), date(2024, 11, 30))])
    assert reports.current.total.outstanding == expected.total.outstanding > 0
    assert page.summary.item(5, 1).text() == f"{expected.total.outstanding:,}".replace(",", ".")

    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(
        quarterly_pdf(ctx, 2024, 4))).pages)
    assert mark in text and "Từ ngày 01/10/2024 đến ngày 30/11/2024" in text
    xlsx = tmp_path / "q4.xlsx"
    write_quarterly(ctx, 2024, 4, xlsx=xlsx)
    cells = [str(c.value) for row in load_workbook(xlsx)["Tổng hợp"].iter_rows(max_row=6) for c in row if c.value]
    assert any(mark in c for c in cells)

    ended = open_book(sample_ctx.db.url, user="tester", today=date(2025, 1, 2))
    page2 = fourth_quarter_2024(ended)
    assert "chưa kết thúc" not in page2.period.text() and page2.reports.current.end == date(2024, 12, 31)
    for c in (ctx, ended):
        c.db.dispose()


def test_the_users_and_closing_dialogs_say_why_their_tables_are_empty(empty_window, qtbot):
    """Sổ → Người dùng… and Sổ → Khóa sổ… on a book with no user and never closed showed a blank grid (a new
    officer's trial): each says why, and what fills it."""
    from fundapp.ui.closing_dialog import ClosingDialog
    from fundapp.ui.users_dialog import UsersDialog

    users = UsersDialog(empty_window.env.ctx, empty_window)
    qtbot.addWidget(users)
    assert users.table.rowCount() == 0
    assert users.table.empty_message().startswith("Sổ chưa có người dùng nào nên chưa cần đăng nhập.")
    closing = ClosingDialog(empty_window.env.ctx, empty_window)
    qtbot.addWidget(closing)
    assert closing.history.rowCount() == 0
    assert closing.history.empty_message().startswith("Chưa khóa sổ lần nào")
