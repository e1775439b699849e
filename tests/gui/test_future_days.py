"""No figures and no papers of a day after the book's today on screen (a new officer's trial, 03/12/2026: Năm 2027,
Quý I showed «nợ xấu 64,94 %» and «Lưu PDF…» took 02/BC-QHT; «Số dư tại ngày» 01/03/2027 showed 79 days past due
and previewed its statement; the overview counted to 30/06/2027). The choosers stop at today; whatever still asks
for a later day is refused by the services in their words, said on the page, and nothing is numbered."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files, make_env

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

FIGURES = "Ngày {on} sau ngày hôm nay {today}: không tính được số liệu của ngày chưa đến"


def _reports_page(qtbot, ctx, qsettings):
    from fundapp.ui.pages.reports import Page

    page = Page(make_env(ctx, qsettings))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.reports is not None, timeout=20000)
    wait_jobs(qtbot, page.env)
    return page


def test_the_reports_page_offers_no_quarter_not_yet_begun_and_says_why_one_is_refused(
        sample_ctx, qsettings, qtbot, boxes, tmp_path, monkeypatch):
    from fundapp.app import open_book
    from fundapp.services.documents import document_register

    ctx = open_book(sample_ctx.db.url, user="tester", today=date(2024, 5, 20))  # the second quarter runs
    page = _reports_page(qtbot, ctx, qsettings)
    assert page.chosen() == (2024, 2)
    assert "Quý chưa kết thúc — số liệu đến hết ngày 20/05/2024" in page.period.text()  # as the command line counts
    page.year.setValue(2025)
    assert page.year.value() == 2024 and page.year.maximum() == 2024
    items = page.quarter.model()
    assert [items.item(i).isEnabled() for i in range(4)] == [True, True, False, False]
    assert items.item(2).toolTip() == "Quý chưa bắt đầu: chưa có số liệu"
    assert page.period_year.maximum() == 2024
    assert page.portfolio_date.maximumDate() == QDate(2024, 5, 20)
    page.year.setValue(2023)  # a year gone by: every quarter
    assert all(items.item(i).isEnabled() for i in range(4))
    page.year.setValue(2024)
    wait_jobs(qtbot, page.env)

    # a quarter not begun, asked past the choosers (a page left open from an earlier day would): refused in words
    monkeypatch.setattr(page, "chosen", lambda: (2024, 3))
    page.refresh()
    wait_jobs(qtbot, page.env)
    refusal = "Quý 3/2024 chưa bắt đầu (hôm nay 20/05/2024): chưa có số liệu để báo cáo"  # as asked, not 01/07/2024
    assert page.reports is None and refusal in page.period.text()
    assert page.summary.rowCount() == page.districts.rowCount() == page.groups.rowCount() == 0
    files = Files(monkeypatch)
    files.save = str(tmp_path / "q3.pdf")
    page.save_quarterly("pdf")
    wait_jobs(qtbot, page.env)
    assert refusal in boxes.texts()
    assert not (tmp_path / "q3.pdf").exists() and document_register(ctx) == []  # no 01/BC-QHT taken
    ctx.db.dispose()


def test_an_administrative_quarter_begun_in_december_is_offered(sample_ctx, qsettings, qtbot, boxes):
    """Decree 09/2019's first quarter begins on 15 December: on the 20th it is the quarter in progress."""
    from fundapp.app import open_book
    from fundapp.services.settings import FundSettings, save_settings

    save_settings(sample_ctx, FundSettings(period_convention="administrative"))
    ctx = open_book(sample_ctx.db.url, user="tester", today=date(2024, 12, 20))
    page = _reports_page(qtbot, ctx, qsettings)
    assert page.year.maximum() == 2025
    page.year.setValue(2025)
    items = page.quarter.model()
    assert [items.item(i).isEnabled() for i in range(4)] == [True, False, False, False]
    assert page.chosen() == (2025, 1)
    qtbot.waitUntil(lambda: page.reports is not None and page.chosen() == (page.reports.year, page.reports.quarter)
                    and page.reports.year == 2025, timeout=20000)
    assert page.reports.current.start == date(2024, 12, 15) and page.reports.unfinished_until == date(2024, 12, 20)
    ctx.db.dispose()


def test_the_overview_offers_no_later_day_and_says_why_one_is_refused(sample_ctx, qsettings, qtbot, boxes,
                                                                      monkeypatch):
    from fundapp.ui.pages.overview import Page

    page = Page(make_env(sample_ctx, qsettings))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    wait_jobs(qtbot, page.env)
    assert page.as_of.maximumDate() == QDate(2024, 12, 31)
    page.as_of.setValue(date(2025, 6, 30))
    qtbot.mouseClick(page.recompute, Qt.MouseButton.LeftButton)
    wait_jobs(qtbot, page.env)
    assert page.data.as_of == date(2024, 12, 31) and "30/06/2025" not in page.status.text()

    monkeypatch.setattr(page.as_of, "value", lambda: date(2025, 6, 30))  # a later day, past the field
    qtbot.mouseClick(page.recompute, Qt.MouseButton.LeftButton)
    wait_jobs(qtbot, page.env)
    assert FIGURES.format(on="30/06/2025", today="31/12/2024") in boxes.texts()
    assert page.data.as_of == date(2024, 12, 31)  # the figures on screen stay those of their day, and say so
    assert page.status.text() == "Số liệu tính đến hết ngày 31/12/2024." and page.recompute.isEnabled()


def test_the_loan_page_shows_no_figures_and_no_statement_of_a_later_day(window, qtbot, boxes, monkeypatch):
    from fundapp.services.documents import document_register
    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview

    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == "HD2022-002")
    detail = window.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, env)
    assert detail.view.as_of == date(2024, 12, 31)
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda dialog: shown.append(dialog) or 1)

    detail.as_of.setValue(date(2025, 3, 1))
    wait_jobs(qtbot, env)
    problem = getattr(detail, "as_of_problem", None)  # a date field that says beside itself why
    said = boxes.texts() + (problem.text() if problem is not None else "")
    assert "01/03/2025 sau ngày hôm nay 31/12/2024" in said
    assert detail.view.as_of == date(2024, 12, 31)  # no projected figures of 01/03/2025

    before = len(boxes.shown)
    detail.print_document("statement")
    wait_jobs(qtbot, env)
    assert shown == []  # no preview of a statement «Tính đến hết ngày 01/03/2025»
    assert any("01/03/2025" in text and "31/12/2024" in text for _, _, text in boxes.shown[before:])
    assert document_register(env.ctx) == []
