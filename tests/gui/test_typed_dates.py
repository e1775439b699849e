"""What an officer types in a date field is the day taken, or the field says what is wrong and nothing goes on; a
day after the book's today is refused at the field of every entry dialog, before any quote or question; the
repayment dialog shows its whole preview at its default size; a disabled action says why (a new officer's trial,
03/12/2026)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from fundapp.formatting import group_thousands
from tests.gui.conftest import run_dialog, wait_jobs
from tests.gui.helpers import open_event_dialog, open_loan, press_enter, type_date, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
SCREEN = 768  # the officers' laptops: 1366×768


def test_the_repayment_dialog_takes_the_day_typed_or_says_why_not(window, qtbot, boxes):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog("repay")
    run_dialog(d)
    wait_jobs(qtbot, window.env)
    d.amount.setText("1.500.000")
    for typed, says in (("31/02/2024", "Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày"),
                        ("31022024", "Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày"),
                        ("05/01/2025", "sau ngày hôm nay 31/12/2024: không ghi được nghiệp vụ ở tương lai")):
        type_date(qtbot, window, d.on, typed)
        assert d.on.text() == typed  # the officer's text stays; no other day is put in its place
        assert says in d.form.error_text("on")
        qtbot.wait(20)  # the refusal laid out
        assert _cut_labels(d) == []  # said whole, as wide as the row
        assert d.due_now.text() == d.settlement.text() == "—"  # no quote for another day, nor for a future one
        assert "1.500.000" not in d.split.text()
        press_enter(d)  # refused at the field: no question, no posting
        wait_jobs(qtbot, window.env)
        assert boxes.shown == [] and d.isVisible() and says in d.form.error_text("on")
    type_date(qtbot, window, d.on, "3/12/2024")  # read as typed, shown dd/mm/yyyy
    assert d.on.text() == "03/12/2024" and d.on.value() == date(2024, 12, 3) and d.form.error_text("on") == ""
    assert d.due_now.text() != "—"
    d.reject()


@pytest.mark.parametrize("action", ["disburse", "repay", "restructure", "relief", "write_off"])
def test_every_entry_dialog_refuses_a_day_after_today_at_its_field(window, qtbot, boxes, action):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog(action)
    run_dialog(d)
    wait_jobs(qtbot, window.env)
    type_date(qtbot, window, d.on, "02/01/2025")
    assert d.on.text() == "02/01/2025"
    assert "Ngày 02/01/2025" in d.form.error_text("on") and "sau ngày hôm nay 31/12/2024" in d.form.error_text("on")
    assert getattr(d, "preview", None) is None
    press_enter(d)
    wait_jobs(qtbot, window.env)
    assert boxes.shown == [] and d.isVisible()
    d.reject()


def test_the_batch_dialog_and_the_loan_page_refuse_a_day_after_today(window, qtbot, boxes):
    from fundapp.ui.batch_dialog import BatchRestructureDialog

    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    d = BatchRestructureDialog(window.env, loans.model.rows, date(2024, 12, 31), parent=window)
    run_dialog(d)
    type_date(qtbot, window, d.on, "01/01/2025")
    assert "sau ngày hôm nay 31/12/2024" in d.form.error_text("on")
    d.reject()
    detail = open_loan(window, qtbot, "HD2024-019")
    shown = detail.figures["principal_outstanding"].text()
    type_date(qtbot, window, detail.as_of, "31/02/2024")
    assert detail.as_of.text() == "31/02/2024" and "Ngày 31/02/2024 không có" in detail.as_of_problem.text()
    type_date(qtbot, window, detail.as_of, "01/01/2025")
    assert "không tính được số liệu của ngày chưa đến" in detail.as_of_problem.text()
    assert detail.figures["principal_outstanding"].text() == shown


def _cut_labels(dialog: QWidget) -> list[tuple[str, int, int]]:
    """Each wrapped label shown lower than its text needs at its width: (name or text, height, needed)."""
    return [(label.objectName() or label.text()[:40], label.height(), label.heightForWidth(label.width()))
            for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def test_the_repayment_preview_shows_whole_at_the_default_size(window, qtbot, boxes):
    detail = open_loan(window, qtbot, "HD2024-019")
    d = detail.make_dialog("repay")
    run_dialog(d)
    qtbot.waitUntil(lambda: d.quote is not None)
    default = d.size()
    for amount, settled in ((d.quote.settlement, True), (1_500_000, False)):
        d.amount.setText(group_thousands(amount))
        qtbot.waitUntil(lambda s=settled: d.preview is not None and d.preview.allocation.settled is s)
        qtbot.wait(300)
        wait_jobs(qtbot, window.env)
        assert d.preview.allocation.settled is settled
        assert ("Khoản vay được tất toán." in d.split.text()) is settled
        assert _cut_labels(d) == [] and d.size() == default  # whole, and the dialog did not have to grow
        assert d.frameGeometry().height() <= SCREEN - 40
    d.reject()


@pytest.mark.parametrize("action", ["restructure", "relief", "write_off"])
def test_every_event_preview_shows_whole_within_the_screen(window, qtbot, boxes, action):
    d = open_event_dialog(window, qtbot, "HD2024-019", action)
    qtbot.wait(50)
    assert _cut_labels(d) == [] and d.frameGeometry().height() <= SCREEN - 40
    d.reject()


def test_the_written_off_loans_disabled_actions_say_why(window, qtbot, boxes):
    from fundapp.services.events import write_off

    detail = open_loan(window, qtbot, "HD2024-019")
    write_off(window.env.ctx, detail.view.id, date(2024, 12, 31), "QĐ-XL-0001", "Giải thể")
    detail.reload()
    wait_jobs(qtbot, window.env)
    buttons = (detail.disburse_button, detail.repay_button, detail.reverse_button, detail.events_button,
               detail.terms_button, detail.statement_button, detail.schedule_button, detail.notice_button,
               detail.more_button)
    actions = (detail.receipt_action, detail.decision_action, detail.amendment_action)
    disabled = [w for w in (*buttons, *actions) if not w.isEnabled()]
    assert detail.disburse_button in disabled and detail.events_button in disabled
    assert [w.text() for w in disabled if not w.toolTip().strip()] == []
    assert "xử lý rủi ro (xóa nợ) ngày 31/12/2024" in detail.events_button.toolTip()


def test_an_amount_refused_is_quoted_as_typed(qtbot):
    from fundapp.ui.widgets.fields import FieldForm, MoneyEdit

    host = QWidget()
    qtbot.addWidget(host)
    form = FieldForm(host)
    edit = form.add("amount", "Số tiền", MoneyEdit())
    host.show()
    type_text(edit, "5 tỷ rưỡi")
    edit.editingFinished.emit()
    assert edit.text() == "5 tỷ rưỡi"
    assert form.error_text("amount").startswith("«5 tỷ rưỡi» không phải số tiền")
