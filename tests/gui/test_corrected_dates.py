"""A date refused and then corrected brings its figures back, even when the day typed again is the one the field
last took (a tester's trial, 03/12/2026: the repayment dialog's amounts stayed «—» after 05/12/2026 was corrected to
03/12/2026)."""

from __future__ import annotations

import pytest

from tests.gui.conftest import run_dialog, wait_jobs
from tests.gui.helpers import open_loan, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LATER = "02/01/2025"  # the day after the sample book's today, 31/12/2024


def _type_date(qtbot, window, edit, text: str) -> None:
    """Empty the field, type ``text`` key by key and leave the field, as an officer does."""
    edit.setFocus()
    edit.clear()
    type_text(edit, text)
    edit.editingFinished.emit()
    qtbot.wait(300)  # a preview's pause in typing
    wait_jobs(qtbot, window.env)


def test_the_repayment_dialog_shows_its_amounts_again_once_the_day_is_corrected(window, qtbot, boxes):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog("repay")
    run_dialog(d)
    wait_jobs(qtbot, window.env)
    day = d.on.text()  # the day the dialog opened on, the one the field last took
    due, settlement = d.due_now.text(), d.settlement.text()
    assert "—" not in (due, settlement)
    d.amount.setText("1.500.000")
    _type_date(qtbot, window, d.on, LATER)
    assert d.due_now.text() == d.settlement.text() == "—" and "Sửa ngày thu" in d.split.text()
    _type_date(qtbot, window, d.on, day)  # the same day again
    assert d.form.error_text("on") == ""
    assert (d.due_now.text(), d.settlement.text()) == (due, settlement)
    assert "Sửa ngày thu" not in d.split.text() and "1.500.000" in d.split.text()
    d.grab().save("/tmp/y_repay.png")
    d.reject()


@pytest.mark.parametrize("action", ["restructure", "relief", "write_off"])
def test_every_event_dialog_previews_again_once_the_day_is_corrected(window, qtbot, boxes, action):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog(action)
    run_dialog(d)
    if action == "relief":
        qtbot.waitUntil(lambda: d.limits is not None)
        d.most_button.click()
    qtbot.waitUntil(lambda: d.preview is not None)
    wait_jobs(qtbot, window.env)
    day, shown = d.on.text(), d.summary.text()
    _type_date(qtbot, window, d.on, LATER)
    assert d.preview is None and d.summary.text() == ""
    _type_date(qtbot, window, d.on, day)  # the same day again
    assert d.form.error_text("on") == ""
    assert d.preview is not None and d.summary.text() == shown
    d.reject()

