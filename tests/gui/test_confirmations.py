"""Nothing irreversible without a question (issue 10, good desktop habits): rejecting an application asks first,
"Không" writes nothing; "Có" rejects."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import wait_jobs
from tests.gui.helpers import drive, press_enter

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_rejecting_an_application_asks_first(window, qtbot, boxes):
    from fundapp.services.applications import list_applications, receive_application
    from fundapp.services.borrowers import list_borrowers

    ctx = window.env.ctx
    borrower = list_borrowers(ctx)[0]
    app_id = receive_application(ctx, borrower.id, 200_000_000, "Mua giống", "nông nghiệp", 300_000_000,
                                 100_000_000, None, date(2024, 12, 2)).id
    window.env.changes.announce("applications")
    apps = window.show_page("applications")
    wait_jobs(qtbot, window.env)
    apps.select(app_id)

    def fill(d):
        asked = len(boxes.shown)
        d.text.setText("Phương án không khả thi")
        press_enter(d)
        assert len(boxes.shown) == asked + 1 and boxes.shown[-1][1] == "Từ chối hồ sơ vay"
        if boxes.answer == QMessageBox.StandardButton.No:
            assert d.isVisible()  # the officer is back in the dialog
            d.reject()

    boxes.answer = QMessageBox.StandardButton.No
    drive(qtbot, lambda: apps.do("reject"), fill)
    wait_jobs(qtbot, window.env)
    assert boxes.shown[-1][2] == f"Từ chối hồ sơ #{app_id}? Hồ sơ đã từ chối không xét tiếp được."
    assert next(a for a in list_applications(ctx) if a.id == app_id).status == "received"  # nothing written

    boxes.answer = QMessageBox.StandardButton.Yes
    drive(qtbot, lambda: apps.do("reject"), fill)
    wait_jobs(qtbot, window.env)
    assert next(a for a in list_applications(ctx) if a.id == app_id).status == "rejected"


def test_closing_the_book_asks_first(empty_window, qtbot, boxes):
    """«Khóa sổ đến ngày này» closed the book at one click: every posting up to that day refused afterwards, and only
    the director reopens. It asks first, «Không» by default, and «Không» closes nothing."""
    from PySide6.QtCore import QDate

    from fundapp.services.closing import closed_through
    from fundapp.ui.closing_dialog import ClosingDialog

    ctx = empty_window.env.ctx
    dialog = ClosingDialog(ctx, empty_window)
    qtbot.addWidget(dialog)
    dialog.through.setDate(QDate(2024, 6, 30))
    boxes.answer = QMessageBox.StandardButton.No
    dialog.close_period()
    assert boxes.shown[-1][1] == "Khóa sổ" and "30/06/2024" in boxes.shown[-1][2]
    assert boxes.defaults[-1] == QMessageBox.StandardButton.No
    assert closed_through(ctx) is None
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.close_period()
    assert closed_through(ctx) == date(2024, 6, 30)
