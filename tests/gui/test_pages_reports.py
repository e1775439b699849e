"""Báo cáo: the quarter's figures on screen equal expected.json; the report files are written, never over a file
the officer did not agree to replace."""

from __future__ import annotations

import sys

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QMessageBox, QScrollArea

from fundapp.formatting import group_thousands
from tests.golden import expected
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files, reports_page

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def page(qtbot, sample_ctx, qsettings, boxes):
    return reports_page(qtbot, sample_ctx, qsettings, 2023, 4)


def cells(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
            for r in range(table.rowCount())}


def test_2023_q4_figures_are_the_golden_ones(page):
    q4, q4_before = expected()["quarters"]["2023-Q4"], expected()["quarters"]["2022-Q4"]
    summary = cells(page.summary)
    assert page.summary.horizontalHeaderItem(1).text() == "Quý IV/2023"
    for label, key in [("Số lượt giải ngân", "disbursed_count"), ("Số khoản vay được giải ngân", "disbursed_loans"),
                       ("Số tiền giải ngân", "disbursed_amount"), ("Thu nợ gốc", "principal_collected"),
                       ("Thu lãi", "interest_collected"), ("Dư nợ cuối kỳ", "outstanding"),
                       ("Nợ gốc quá hạn", "overdue_principal")]:
        assert summary[label][0] == group_thousands(q4[key]), label
        assert summary[label][1] == group_thousands(q4_before[key]), label
    assert summary["Dư nợ cuối kỳ"][0] == "13.997.986.277"
    year_disbursed = sum(expected()["quarters"][f"2023-Q{q}"]["disbursed_amount"] for q in range(1, 5))
    assert summary["Số tiền giải ngân"][2] == group_thousands(year_disbursed)

    districts = cells(page.districts)
    for name, figures in q4["by_district"].items():
        assert districts[name] == [group_thousands(figures["disbursed_amount"]), group_thousands(figures["outstanding"])]
    assert districts["Tổng cộng"] == [group_thousands(q4["disbursed_amount"]), group_thousands(q4["outstanding"])]

    groups = cells(page.groups)
    names = {"1": "nợ đủ tiêu chuẩn", "2": "nợ cần chú ý", "3": "nợ dưới tiêu chuẩn", "4": "nợ nghi ngờ",
             "5": "nợ có khả năng mất vốn"}  # Circular 14/2024's names, as the PDF prints them
    for g, n in q4["debt_groups"].items():
        assert groups[f"Nhóm {g}: {names[g]}"][0] == str(n)
    assert groups["Tổng cộng"][0] == str(sum(q4["debt_groups"].values()))
    assert page.summary.item(0, 1).textAlignment() & Qt.AlignmentFlag.AlignRight


def test_save_pdf_and_excel_then_refuse_to_overwrite_without_consent(page, qtbot, boxes, tmp_path, monkeypatch):
    files = Files(monkeypatch)
    files.save = str(tmp_path / "quy4.pdf")
    page.pdf_button.click()
    wait_jobs(qtbot, page.env)
    text = " ".join((PdfReader(tmp_path / "quy4.pdf").pages[0].extract_text() or "").split())
    assert "2023" in text
    assert boxes.shown[-1][0] == "information" and "quy4.pdf" in boxes.shown[-1][2]

    files.save = str(tmp_path / "quy4")  # no suffix typed: .xlsx is added
    page.xlsx_button.click()
    wait_jobs(qtbot, page.env)
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "quy4.xlsx").sheetnames

    before = (tmp_path / "quy4.pdf").read_bytes()
    (tmp_path / "quy4.pdf").write_bytes(b"the officer's own file")
    files.save = str(tmp_path / "quy4.pdf")
    boxes.answer = QMessageBox.StandardButton.No
    page.pdf_button.click()
    wait_jobs(qtbot, page.env)
    assert boxes.shown[-1][0] == "question" and "quy4.pdf" in boxes.shown[-1][2]
    assert (tmp_path / "quy4.pdf").read_bytes() == b"the officer's own file"
    boxes.answer = QMessageBox.StandardButton.Yes
    page.pdf_button.click()
    wait_jobs(qtbot, page.env)
    assert (tmp_path / "quy4.pdf").read_bytes()[:5] == before[:5] == b"%PDF-"


def test_due_notices_for_a_month_are_written_with_progress(page, qtbot, boxes, tmp_path, monkeypatch):
    from datetime import date

    files = Files(monkeypatch)
    files.save = str(tmp_path / "tb.pdf")
    page.notice_month.setValue(date(2024, 12, 1))
    moves: list[tuple[int, int]] = []
    page._notice_bridge.moved.connect(lambda d, t: moves.append((d, t)))
    page.notice_button.click()
    wait_jobs(qtbot, page.env, timeout=60000)
    count = len(PdfReader(tmp_path / "tb.pdf").pages)
    assert count >= 1
    assert "thông báo nợ đến hạn tháng 12/2024" in page.status.text()
    assert moves and moves[-1][0] == moves[-1][1]
    assert page.notice_button.isEnabled() and page.notice_progress.isHidden()
    # written again after a repayment: the notice whose total changed takes a new number, and the officer is told
    # (the command line said so on stderr, the window did not)
    from fundapp.domain.events import Kind
    from fundapp.services import posting
    from fundapp.services.events import loan_id_of

    assert "cấp số mới" not in boxes.shown[-1][2]
    posting.post_transaction(page.env.ctx, loan_id_of(page.env.ctx, "HD2022-002"), Kind.REPAYMENT, date(2024, 12, 31),
                             2_000_000)
    page.notice_button.click()
    wait_jobs(qtbot, page.env, timeout=60000)
    assert boxes.shown[-1][2].endswith(f"): cấp số mới {count + 1:02d}/TB-QHT"), boxes.shown[-1][2]


def test_portfolio_as_excel(page, qtbot, tmp_path, monkeypatch):
    files = Files(monkeypatch)
    files.save = str(tmp_path / "danh-muc.xlsx")
    page.portfolio_button.click()
    wait_jobs(qtbot, page.env, timeout=60000)
    assert (tmp_path / "danh-muc.xlsx").read_bytes()[:2] == b"PK"


def test_annual_report_as_pdf(page, qtbot, tmp_path, monkeypatch):
    files = Files(monkeypatch)
    files.save = str(tmp_path / "nam-2023.pdf")
    page.period_year.setValue(2023)
    page.period_kind.setCurrentIndex(1)  # the whole year
    page.period_button.click()
    wait_jobs(qtbot, page.env, timeout=60000)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(tmp_path / "nam-2023.pdf").pages)
    assert "BÁO CÁO TÌNH HÌNH CHO VAY NĂM 2023" in text and "13.997.986.277" in text  # 2023 Q4's outstanding


def test_a_build_without_documents_says_so(page, qtbot, boxes, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "fundapp.services.documents", None)
    page.preview_button.click()
    wait_jobs(qtbot, page.env)
    assert "chưa có trong phiên bản này" in boxes.shown[-1][2]


def test_preview_shows_the_quarterly_pdf(page, qtbot):
    page.preview_button.click()
    wait_jobs(qtbot, page.env)
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible())
    qtbot.waitUntil(lambda: page.preview.document.pageCount() >= 1)
    assert page.preview.windowTitle() == "Xem trước: bao-cao-quy-4-2023.pdf"
    page.preview.reject()


def _notices_box_says(page) -> list[str]:
    """The texts the notices' box shows besides its month's label."""
    box = next(b for b in page.findChildren(QGroupBox) if b.title() == "Thông báo nợ đến hạn")
    return [label.text() for label in box.findChildren(QLabel) if label.isVisible() and label.text() != "Tháng"]


def test_a_month_gone_by_is_refused_whole_and_in_view_in_both_languages(window, qtbot):
    """A notice is dated the day it is made and quotes that day's debt: the page said under a past month that its
    amounts were today's and made the notices (HD2022-002: 389.676.637 đ on 11/2024's, 12/2024's and 01/2025's, an
    officer's trial). A month gone by is now refused beside «Tháng» in the service's words
    (documents.notice_month_message), whole and in view at 1366×768; this month and the next say nothing."""
    from datetime import date
    from pathlib import Path

    from fundapp.services.documents import due_notices
    from fundapp.services.errors import ValidationError
    from tests.gui.test_layout import layout_problems

    ctx = window.env.ctx
    page = window.show_page("reports")
    wait_jobs(qtbot, window.env)
    assert ctx.today() == date(2024, 12, 31) and page.notice_month.value() == date(2024, 12, 1)
    assert _notices_box_says(page) == []
    page.notice_month.setValue(date(2024, 11, 1))
    refusal = ("Tháng 11/2024 đã qua: thông báo nợ đến hạn lập cho tháng này (12/2024) đã gồm mọi khoản nợ đến hạn "
               "còn chưa trả đến hôm nay 31/12/2024")
    assert _notices_box_says(page) == [refusal] and page.notice_problem.text() == refusal
    with pytest.raises(ValidationError) as refused:  # the service says the same
        due_notices(ctx, 2024, 11)
    assert str(refused.value.message) == refusal
    qtbot.wait(20)  # the refusal's lines laid out
    page.findChild(QScrollArea).ensureWidgetVisible(page.notice_problem)  # the officer scrolls down to the notices
    qtbot.wait(20)
    assert not page.notice_problem.visibleRegion().isEmpty() and layout_problems(window) == []
    shots = Path("/tmp/fundapp-shots")
    shots.mkdir(exist_ok=True)
    window.grab().save(str(shots / "reports-notices-past-month.png"))
    for fine in (date(2024, 12, 1), date(2025, 1, 1)):
        page.notice_month.setValue(fine)
        assert _notices_box_says(page) == []
    from tests.gui.test_english import english_language

    with english_language():
        page.notice_month.setValue(date(2024, 10, 1))
        assert page.notice_problem.isVisible() and page.notice_problem.text().startswith(
            "Month 10/2024 has gone by: this month's notices of debt due (12/2024)")


def test_every_chooser_and_button_shows_without_scrolling_at_1366x768(window, qtbot):
    """A new officer's trial: at 1366×768 «Đến ngày», «Tháng», the year of the six-month report and their buttons
    sat below the fold, under the quarter's tables; each of the page's controls now shows whole as the page opens."""
    from PySide6.QtCore import QPoint, QRect

    page = window.show_page("reports")
    wait_jobs(qtbot, window.env)
    qtbot.wait(20)  # laid out
    assert window.size().width() == 1366 and window.size().height() == 768
    scroll = page.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert scroll.verticalScrollBar().value() == 0
    controls = {"Năm": page.year, "Quý": page.quarter, "Xem trước PDF": page.preview_button,
                "Lưu PDF…": page.pdf_button, "Lưu Excel…": page.xlsx_button, "Đến ngày": page.portfolio_date,
                "Lưu danh mục cho vay…": page.portfolio_button, "Năm (6 tháng, năm)": page.period_year,
                "6 tháng đầu năm / Cả năm": page.period_kind, "Lưu báo cáo…": page.period_button,
                "Tháng": page.notice_month, "Lập thông báo nợ đến hạn…": page.notice_button}
    hidden = [name for name, w in controls.items()
              if not w.isVisible() or not viewport.rect().contains(QRect(w.mapTo(viewport, QPoint(0, 0)), w.size()))]
    assert hidden == []


def test_the_tables_labels_read_whole_at_125_percent(window, qtbot):
    """At 125 % (1366×768 is then 1093×614) «Số lượt cơ cấu lại thời hạn tr…», «Nợ gốc xử lý rủi ro (xóa nợ …» and
    three more of the quarter's labels were cut, and the page scrolled sideways: each label now wraps and its row
    grows, the page fits its width; back at 100 % the rows are one line again."""
    page = window.show_page("reports")
    wait_jobs(qtbot, window.env)

    def cut(size: tuple[int, int]) -> tuple[list[str], int]:
        window.resize(*size)
        qtbot.wait(50)  # laid out, the rows fitted to the new width
        tables = (page.summary, page.groups, page.districts)
        short = [t.item(r, 0).text() for t in tables for r in range(t.rowCount()) if t.sizeHintForRow(r) > t.rowHeight(r)]
        return short, max(page.summary.rowHeight(r) for r in range(page.summary.rowCount()))

    one_line = page.summary.verticalHeader().defaultSectionSize()
    short, tallest = cut((1093, 614))
    assert short == [] and tallest > one_line  # some labels took two lines
    sideways = page.findChild(QScrollArea).horizontalScrollBar()
    assert sideways.maximum() == 0  # and the page fits its width: nothing to scroll sideways to
    figures = [page.summary.item(r, c).text() for r in range(page.summary.rowCount()) for c in (1, 2, 3)]
    widest = max(page.summary.fontMetrics().horizontalAdvance(t) for t in figures)
    assert widest < min(page.summary.columnWidth(c) for c in (1, 2, 3))  # every figure whole
    short, tallest = cut((1366, 768))
    assert short == [] and tallest == one_line
