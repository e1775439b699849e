"""Driving modal dialogs as an officer would: the dialog opens through the page's own slot (exec),
a timer fills it in and confirms it, and the test waits until it closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (qtbot.keyClicks aborts on non-ASCII text: NOTES.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def drive(qtbot, action: Callable[[], object], fill: Callable[[QWidget], None], timeout: int = 20000) -> None:
    """Run ``action`` (which opens a modal dialog), fill the dialog with ``fill(dialog)``, and make sure it closed."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert dialog is not None, "no dialog opened"
            fill(dialog)
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=timeout)
        except BaseException as exc:  # reported after exec() returns
            outcome.append(exc)
            if dialog is not None:
                dialog.reject()
        else:
            outcome.append(None)

    QTimer.singleShot(0, run)
    action()
    assert outcome, "the dialog was never driven"
    if outcome[0] is not None:
        raise outcome[0]


def press_enter(dialog: QWidget) -> None:
    """Enter confirms (the Đồng ý button is the default)."""
    QTest.keyClick(dialog, Qt.Key.Key_Return)


def open_loan(window, qtbot, loan_no: str):
    """The loans page's page of loan ``loan_no`` (found in the list as shown), opened and its jobs done."""
    from tests.gui.conftest import wait_jobs

    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    row = next(r for r in loans.model.rows if r.loan_no == loan_no)
    detail = loans.open_loan(row.id)
    wait_jobs(qtbot, window.env)
    assert detail.view is not None and detail.view.loan_no == loan_no
    return detail


def type_date(qtbot, window, edit, text: str) -> None:
    """Empty the date field ``edit``, type ``text`` key by key and leave the field, as an officer does; then let a
    preview's pause in typing pass and the window's jobs end."""
    from tests.gui.conftest import wait_jobs

    edit.setFocus()
    edit.clear()
    type_text(edit, text)
    edit.editingFinished.emit()
    qtbot.wait(300)  # a preview's pause in typing
    wait_jobs(qtbot, window.env)


def open_event_dialog(window, qtbot, loan_no: str, action: str):
    """Loan ``loan_no``'s life-event dialog ``action`` ("restructure", "relief", "write_off") opened from its page
    and run, the most relievable chosen for a relief, once its first preview is shown; returns the dialog."""
    from tests.gui.conftest import run_dialog

    d = open_loan(window, qtbot, loan_no).make_dialog(action)
    run_dialog(d)
    if action == "relief":
        qtbot.waitUntil(lambda: d.limits is not None)
        d.most_button.click()
    qtbot.waitUntil(lambda: d.preview is not None)
    return d
