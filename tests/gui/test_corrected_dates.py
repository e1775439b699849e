"""A date refused and then corrected brings its figures back, even when the day typed again is the one the field
last took; a day set by the program clears the refusal shown beside the field, even with the field's signals blocked
(a tester's trial, 03/12/2026: the repayment dialog's amounts stayed «—» after 05/12/2026 was corrected to
03/12/2026, and the loan page kept «Ngày 02/01/2027 sau ngày hôm nay…» beside the next loan's today)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QWidget

from tests.gui.conftest import run_dialog, wait_jobs
from tests.gui.helpers import open_event_dialog, open_loan, type_date, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LATER = "02/01/2025"  # the day after the sample book's today, 31/12/2024


def test_the_repayment_dialog_shows_its_amounts_again_once_the_day_is_corrected(window, qtbot, boxes):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog("repay")
    run_dialog(d)
    wait_jobs(qtbot, window.env)
    day = d.on.text()  # the day the dialog opened on, the one the field last took
    due, settlement = d.due_now.text(), d.settlement.text()
    assert "—" not in (due, settlement)
    d.amount.setText("1.500.000")
    type_date(qtbot, window, d.on, LATER)
    assert d.due_now.text() == d.settlement.text() == "—" and "Sửa ngày thu" in d.split.text()
    type_date(qtbot, window, d.on, day)  # the same day again
    assert d.form.error_text("on") == ""
    assert (d.due_now.text(), d.settlement.text()) == (due, settlement)
    assert "Sửa ngày thu" not in d.split.text() and "1.500.000" in d.split.text()
    d.grab().save("/tmp/y_repay.png")
    d.reject()


@pytest.mark.parametrize("action", ["restructure", "relief", "write_off"])
def test_every_event_dialog_previews_again_once_the_day_is_corrected(window, qtbot, boxes, action):
    d = open_event_dialog(window, qtbot, "HD2024-019", action)
    wait_jobs(qtbot, window.env)
    day, shown = d.on.text(), d.summary.text()
    type_date(qtbot, window, d.on, LATER)
    assert d.preview is None and d.summary.text() == ""
    type_date(qtbot, window, d.on, day)  # the same day again
    assert d.form.error_text("on") == ""
    assert d.preview is not None and d.summary.text() == shown
    d.reject()


def test_the_loan_page_opens_the_next_loan_without_the_last_ones_refusal(window, qtbot, boxes):
    detail = open_loan(window, qtbot, "HD2024-019")
    type_date(qtbot, window, detail.as_of, LATER)
    assert "sau ngày hôm nay 31/12/2024" in detail.as_of_problem.text()
    detail.back_button.setFocus()  # the officer clicks «← Danh sách khoản vay»: the field left, still refused
    detail.back_button.click()
    assert "sau ngày hôm nay 31/12/2024" in detail.as_of_problem.text()
    detail = open_loan(window, qtbot, "HD2022-002")
    assert detail.as_of.text() == "31/12/2024" and detail.as_of.problem_text() == ""
    assert detail.as_of_problem.text() == "" and detail.view.as_of == date(2024, 12, 31)


def test_a_day_set_with_the_signals_blocked_clears_the_refusal_shown_under_the_field(qtbot):
    from fundapp.ui.widgets.fields import DateEdit, FieldForm

    host = QWidget()
    qtbot.addWidget(host)
    form = FieldForm(host)
    edit = form.add("on", "Ngày", DateEdit(date(2024, 12, 31)))
    host.show()
    type_text(edit, "x")
    edit.editingFinished.emit()
    assert form.error_text("on") != ""
    edit.blockSignals(True)
    edit.setValue(date(2024, 12, 30))
    edit.blockSignals(False)
    assert form.error_text("on") == "" and edit.problem_text() == ""
