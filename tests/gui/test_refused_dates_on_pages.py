"""A page's date field that refuses its text says why beside itself, and nothing breaks (a tester's trial at 1366×768
after ab85cb8): on Báo cáo, «Đến ngày» 31/12/2025, 31/02/2024 or empty and «Tháng» 13/2024 raised into «Đã xảy ra lỗi
không mong muốn» at «Lưu danh mục cho vay…», «Lập thông báo nợ đến hạn…» and every refresh, so a new «Năm» left the
tables on the old quarter; on Tổng quan a later day was said only in a tooltip, and the figures of the day before
stood beside it without their day. An action needing the day does nothing; the quarter refreshes; figures of
another day than the field shows say their day."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_jobs
from tests.gui.helpers import type_text
from tests.gui.pages_env import Files, make_env

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LATER = "Ngày 31/12/2025 sau ngày hôm nay 31/12/2024: không tính được số liệu của ngày chưa đến"


def _type(qtbot, page, edit, text: str) -> None:
    """Empty the field, type ``text`` and leave it, as an officer does."""
    edit.setFocus()
    edit.clear()
    type_text(edit, text)
    edit.editingFinished.emit()
    qtbot.wait(350)  # past a debounce
    wait_jobs(qtbot, page.env)


def _page(qtbot, page_class, ctx, qsettings):
    page = page_class(make_env(ctx, qsettings))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def test_the_reports_pages_refused_dates_say_why_and_stop_nothing(sample_ctx, qsettings, qtbot, boxes, tmp_path,
                                                                  monkeypatch):
    from fundapp.ui.pages.reports import Page

    page = _page(qtbot, Page, sample_ctx, qsettings)
    qtbot.waitUntil(lambda: page.reports is not None, timeout=20000)
    wait_jobs(qtbot, page.env)
    files = Files(monkeypatch)
    portfolio, notices = tmp_path / "danh-muc.xlsx", tmp_path / "thong-bao.pdf"
    files.save = str(portfolio)

    for typed, says in (("31/12/2025", LATER), ("31/02/2024", "Ngày 31/02/2024 không có"), ("", "Chưa nhập ngày")):
        _type(qtbot, page, page.portfolio_date, typed)
        assert page.portfolio_date.text() == typed
        assert page.portfolio_problem.isVisible() and says in page.portfolio_problem.text()  # in words, beside it
        qtbot.mouseClick(page.portfolio_button, Qt.MouseButton.LeftButton)
        wait_jobs(qtbot, page.env)
        assert boxes.shown == [] and not portfolio.exists()  # nothing asked, nothing written, no error box
        assert says in page.portfolio_problem.text()
    _type(qtbot, page, page.portfolio_date, "30/06/2024")
    assert page.portfolio_problem.isHidden()

    files.save = str(notices)
    _type(qtbot, page, page.notice_month, "13/2024")
    assert page.notice_month.text() == "13/2024"
    assert page.notice_problem.isVisible() and "13/2024" in page.notice_problem.text()
    _shot(page, "x_reports.png")
    qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    wait_jobs(qtbot, page.env)
    assert boxes.shown == [] and not notices.exists()

    # «Tháng» still refused: another year still brings its quarter's figures, and the chooser and tables agree
    page.year.setValue(2023)
    qtbot.waitUntil(lambda: page.reports is not None and page.reports.year == 2023, timeout=20000)
    wait_jobs(qtbot, page.env)
    assert page.chosen() == (2023, 4) and (page.reports.year, page.reports.quarter) == (2023, 4)
    assert "Quý IV năm 2023" in page.period.text() and page.summary.rowCount() > 0
    page.refresh()  # a change in the book, or the page shown again
    wait_jobs(qtbot, page.env)
    assert boxes.shown == [] and "13/2024" in page.notice_problem.text()

    # a month beyond the next one (an officer's trial: «notices --month 2035-01» made 17 numbered notices of today's
    # arrears headed «tháng 01/2035»): refused beside the field in the service's words, no file asked for
    _type(qtbot, page, page.notice_month, "01/2035")
    far = "Tháng 01/2035 chưa đến: thông báo nợ đến hạn lập trước được nhiều nhất cho tháng sau (tháng 01/2025, " \
          "hôm nay 31/12/2024)"
    assert page.notice_problem.isVisible() and page.notice_problem.text() == far
    _shot(page, "x_reports_far_month.png")
    qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    wait_jobs(qtbot, page.env)
    assert boxes.shown == [] and not notices.exists()
    _type(qtbot, page, page.notice_month, "01/2025")  # the next month is fine
    assert page.notice_problem.isHidden()

    sample_ctx.db.dispose()


def test_a_month_gone_by_is_refused_beside_notices_month_in_the_services_words(sample_ctx, qsettings, qtbot, boxes,
                                                                             tmp_path, monkeypatch):
    """«Tháng» 11/2024 on 31/12/2024 made notices dated 31/12/2024 headed «tháng 11/2024» with December's debt
    (HD2022-002: the same 389.676.637 đ on 11/2024's, 12/2024's and 01/2025's; an officer's trial), a note under the
    field only saying the amounts were today's. A month gone by is refused beside the field in the service's words
    (documents.notice_month_message), no file asked for, nothing numbered; this month and the next are fine, and a
    month shown that goes by as today moves on is refused at the next refresh."""
    import dataclasses

    from fundapp.services.documents import document_register
    from fundapp.ui.pages.reports import Page

    page = _page(qtbot, Page, sample_ctx, qsettings)
    qtbot.waitUntil(lambda: page.reports is not None, timeout=20000)
    wait_jobs(qtbot, page.env)
    from PySide6.QtWidgets import QFileDialog

    notices, asked = tmp_path / "thong-bao.pdf", []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(a) or (str(notices), "")))
    past = ("Tháng 11/2024 đã qua: thông báo nợ đến hạn lập cho tháng này (12/2024) đã gồm mọi khoản nợ đến hạn còn "
            "chưa trả đến hôm nay 31/12/2024")
    for typed, says in (("11/2024", past), ("01/2020", "Tháng 01/2020 đã qua: ")):
        _type(qtbot, page, page.notice_month, typed)
        assert page.notice_month.text() == typed
        assert page.notice_problem.isVisible() and page.notice_problem.text().startswith(says)
        qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
        wait_jobs(qtbot, page.env)
        assert boxes.shown == [] and asked == [] and not notices.exists()
    _shot(page, "x_reports_past_month.png")
    assert [r for r in document_register(sample_ctx) if r.kind == "notice"] == []
    from fundapp.services.documents import notice_month_message

    assert str(notice_month_message(date(2024, 11, 1), date(2024, 12, 31))) == past  # one wording, the service's
    for fine in ("12/2024", "01/2025"):  # this month and the next
        _type(qtbot, page, page.notice_month, fine)
        assert page.notice_problem.isHidden(), fine

    _type(qtbot, page, page.notice_month, "12/2024")
    page.env.ctx = dataclasses.replace(page.env.ctx, today=lambda: date(2025, 1, 2))  # the page stays open
    page.refresh()
    wait_jobs(qtbot, page.env)
    assert page.notice_problem.isVisible() and page.notice_problem.text().startswith(
        "Tháng 12/2024 đã qua: thông báo nợ đến hạn lập cho tháng này (01/2025)")
    sample_ctx.db.dispose()


def test_the_overviews_refused_day_is_said_beside_it_and_the_figures_say_their_day(sample_ctx, qsettings, qtbot,
                                                                                  boxes):
    from fundapp.ui.pages.overview import Page

    page = _page(qtbot, Page, sample_ctx, qsettings)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    wait_jobs(qtbot, page.env)
    _type(qtbot, page, page.as_of, "30/06/2024")
    qtbot.waitUntil(lambda: page.data.as_of == date(2024, 6, 30), timeout=20000)
    wait_jobs(qtbot, page.env)
    shown = page.cards["outstanding"].value.text()

    _type(qtbot, page, page.as_of, "31/12/2025")
    assert page.as_of.text() == "31/12/2025"
    assert page.as_of_problem.isVisible() and page.as_of_problem.text() == LATER
    assert page.status.text() == "Số liệu tính đến hết ngày 30/06/2024."  # the figures beside it are not 31/12/2025's
    qtbot.mouseClick(page.recompute, Qt.MouseButton.LeftButton)
    wait_jobs(qtbot, page.env)
    assert boxes.shown == [] and page.as_of_problem.text() == LATER
    assert page.data.as_of == date(2024, 6, 30) and page.cards["outstanding"].value.text() == shown
    assert page.status.text() == "Số liệu tính đến hết ngày 30/06/2024."

    _type(qtbot, page, page.as_of, "31/12/2024")
    qtbot.waitUntil(lambda: page.data.as_of == date(2024, 12, 31), timeout=20000)
    assert page.as_of_problem.isHidden() and page.status.text() == "Số liệu tính đến hết ngày 31/12/2024."


def test_the_audit_pages_refused_day_is_said_beside_it_and_the_rows_say_their_days(sample_ctx, qsettings, qtbot,
                                                                                    boxes, monkeypatch):
    from fundapp.ui.pages import audit

    monkeypatch.setattr(audit, "allowed", lambda *_a: True)
    page = _page(qtbot, audit.Page, sample_ctx, qsettings)
    _type(qtbot, page, page.start, "01/01/2020")
    _type(qtbot, page, page.end, "31/12/2030")
    page.refresh()
    wait_jobs(qtbot, page.env)
    rows = len(page.rows)
    _type(qtbot, page, page.end, "31/02/2024")
    assert page.end_problem.isVisible() and page.end_problem.text().startswith("Ngày 31/02/2024 không có")
    page.refresh()
    wait_jobs(qtbot, page.env)
    assert boxes.shown == [] and len(page.rows) == rows
    assert page.count.text().startswith("Ngày 31/02/2024 không có")
    assert f"Danh sách đang hiển thị: {rows} thao tác từ 01/01/2020 đến 31/12/2030." in page.count.text()


def _shot(widget, name: str) -> None:
    folder = os.environ.get("FUNDAPP_SCREENSHOTS")
    if folder:
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / name))
