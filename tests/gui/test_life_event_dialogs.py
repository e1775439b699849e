"""The loan page's life events, clicked as an officer would (issue 15): Cơ cấu lại thời hạn trả nợ with the schedule before and
after, Miễn, giảm lãi with the most relievable shown, Xử lý rủi ro (xóa nợ) with what goes off-balance and the
provision, then a repayment on the written-off loan taken as a recovery. After each, the ledger holds the entry
and the loan page shows the engine's figures (a replay of the stored entries through the domain alone).

With FUNDAPP_SCREENSHOTS=DIR each dialog and the loan page are saved there as PNG (docs/screenshots)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fundapp.domain.engine import InterestRelief, Restructuring, WriteOff, replay_entries
from fundapp.formatting import group_thousands, vnd
from fundapp.ledger import lending_store
from fundapp.services.book_loader import entries_with_ids, terms_of
from fundapp.services.loans import loan_view
from fundapp.services.queries import list_loans
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import drive, open_loan, press_enter, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
TODAY = date(2024, 12, 31)
WRITTEN_OFF = date(2024, 12, 20)
SHOTS = os.environ.get("FUNDAPP_SCREENSHOTS")


def shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _open(window, qtbot, loan_no: str):
    detail = open_loan(window, qtbot, loan_no)
    return window.page("loans"), detail


def _stored(ctx, loan_id):
    """The loan's entries in force as the ledger holds them, and the engine's state over them (domain alone)."""
    with ctx.db.unit() as s:
        record = lending_store.loan(s, loan_id)
        terms, items = terms_of(record), entries_with_ids(s, loan_id)
    return [e for _, e in items], terms


def _post(window, qtbot, boxes, detail, dialog, fill, confirmation: str):
    """Open the loan page's life-event ``dialog`` ("relief", "write_off"…, or a callable opening one), let ``fill``
    fill and confirm it, wait for the posting; the confirmation box shown is ``confirmation``. Returns the loan's
    entries now in force as the ledger holds them."""
    opener = (lambda: detail._run(detail.make_dialog(dialog))) if isinstance(dialog, str) else dialog
    drive(qtbot, opener, fill)
    wait_jobs(qtbot, window.env)
    assert boxes.shown[-1][1] == confirmation
    return _stored(window.env.ctx, detail.view.id)[0]


def test_restructure_then_relief_from_the_loan_page(window, qtbot, boxes):
    ctx = window.env.ctx
    loans, detail = _open(window, qtbot, "HD2024-019")
    loan_id = detail.view.id
    before_entries, terms = _stored(ctx, loan_id)
    assert detail.events_button.isEnabled() and detail.events_box.isHidden()

    def fill_restructure(d):
        shot(d, "restructure_dialog_empty")
        d.extend.setValue(5)  # monthly loan: 5 months is allowed; the preview follows each change
        d.extend.setValue(6)
        d.grace.setValue(1)
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.extend_months == 6 and d.preview.grace_periods == 1)
        p = d.preview
        assert p.deferred_interest == 4_970_959 and p.number == 1 and p.debt_group == 2 and p.group_before == 2
        assert d.before_model.rowCount() == 48 and d.after_model.rowCount() == 54  # 6 installments more
        assert vnd(4_970_959) in d.summary.text() and "nhóm 2" in d.summary.text()
        assert "30/03/2025" in d.summary.text()  # the watch: 90 days from 31/12/2024 and 05/01/2025 paid in time
        shot(d, "restructure_dialog")
        press_enter(d)  # no reason: refused beside the field, nothing asked
        qtbot.waitUntil(lambda: d.form.error_text("reason") != "")
        type_text(d.reason, "Thiệt hại do bão lũ tháng 10/2024")
        d.reference.setText("QĐ-CC-0019")
        press_enter(d)

    entries = _post(window, qtbot, boxes, detail, "restructure", fill_restructure, "Xác nhận cơ cấu lại thời hạn trả nợ")
    assert "không thể" not in boxes.shown[-1][2].lower() and "hủy bằng bút toán hủy" in boxes.shown[-1][2]
    # the ledger holds the restructuring; the page shows the engine's figures over the stored entries
    assert [e for e in entries if e not in before_entries] == [
        Restructuring(TODAY, 6, 1, "QĐ-CC-0019", "Thiệt hại do bão lũ tháng 10/2024")]
    engine = replay_entries(terms, [*before_entries, Restructuring(TODAY, 6, 1)])
    assert [(k.due_on, k.principal) for k in detail.view.schedule] == [(k.due_on, k.principal)
                                                                       for k in engine.schedule()]
    assert detail.figures["debt_group"].text() == str(engine.balances(TODAY).debt_group) == "2"
    assert detail.figures["interest_accrued"].text() == vnd(engine.balances(TODAY).interest_accrued)
    row = next(r for r in detail.history_model.rows if r.kind == "restructure")
    index = detail.history_model.rows.index(row)
    assert detail.history_model.index(index, 1).data() == "Cơ cấu lại thời hạn trả nợ"
    assert "gia hạn 6 tháng, ân hạn gốc 1 kỳ" in detail.history_model.index(index, 9).data()
    assert not detail.events_box.isHidden()
    assert "Đang theo dõi" in detail.events_box.text.text() and "30/03/2025" in detail.events_box.text.text()

    # -- relief: the most of the kind is shown; more is refused beside the amount, naming it --------------
    def fill_relief(d):
        qtbot.waitUntil(lambda: d.limits is not None)
        assert d.limits.late_interest == 34_048 and d.limits.overdue_interest == 147_945
        assert "34.048" in d.most.text()
        d.kind.setCurrentIndex(d.kind.findData("overdue_interest"))
        assert "147.945" in d.most.text()
        d.kind.setCurrentIndex(d.kind.findData("late_interest"))
        d.amount.setText("50000")
        qtbot.waitUntil(lambda: "34.048" in d.form.error_text("amount"))
        d.most_button.click()
        assert d.amount.text() == group_thousands(34_048)
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.result.amount == 34_048)
        assert d.preview.balances.late_interest_accrued == 0 and d.preview.balances.debt_group == 3
        type_text(d.reason, "Hợp tác xã bị thiệt hại, không có khả năng trả")
        shot(d, "relief_dialog")
        press_enter(d)

    entries = _post(window, qtbot, boxes, detail, "relief", fill_relief, "Xác nhận miễn, giảm lãi")
    relief = next(e for e in entries if isinstance(e, InterestRelief))
    assert (relief.relief_of, relief.amount) == ("late_interest", 34_048)
    engine = replay_entries(terms, entries, until=TODAY).balances(TODAY)
    assert engine.late_interest_accrued == 0 and engine.debt_group == 3
    assert detail.figures["late_interest_accrued"].text() == vnd(0)
    assert detail.figures["debt_group"].text() == "3"
    assert "ít nhất nhóm 3" in detail.events_box.text.text() and "34.048" in detail.events_box.text.text()
    shot(window, "loan_detail_events")
    # reversible like any entry: the relief reversed, the late interest is owed again and the group is the
    # restructuring's
    index = next(i for i, r in enumerate(detail.history_model.rows) if r.kind == "interest_relief")
    detail.history.setCurrentIndex(detail.history_model.index(index, 0))
    assert detail.reverse_button.isEnabled() and detail.decision_action.isEnabled()

    def fill_reverse(d):
        type_text(d.reason, "Quyết định bị thu hồi")
        press_enter(d)

    drive(qtbot, detail.reverse, fill_reverse)
    wait_jobs(qtbot, window.env)
    assert detail.figures["late_interest_accrued"].text() == vnd(34_048)
    assert detail.figures["debt_group"].text() == "2" and "miễn, giảm" not in detail.events_box.text.text()
    struck = next(i for i, r in enumerate(detail.history_model.rows) if r.kind == "interest_relief")
    assert detail.history_model.index(struck, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    # the list filter "đã cơ cấu lại" finds it
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    loans.status.setCurrentIndex(loans.status.findData("restructured"))
    wait_jobs(qtbot, window.env)
    qtbot.waitUntil(lambda: loans.proxy.rowCount() == 1)
    assert loans.proxy.index(0, 0).data() == "HD2024-019"
    shot(window, "loans_restructured")


def test_write_off_then_recovery(window, qtbot, boxes, monkeypatch, tmp_path):
    ctx = window.env.ctx
    loans, detail = _open(window, qtbot, "HD2022-002")
    loan_id = detail.view.id
    before_entries, terms = _stored(ctx, loan_id)

    written = replay_entries(terms, [*before_entries, WriteOff(WRITTEN_OFF)]).write_offs[-1]
    assert (written.principal, written.interest) == (320_000_000, 68_706_095)

    def fill_write_off(d):
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.on == TODAY)
        assert (d.preview.principal, d.preview.interest) == (320_000_000, 69_773_691)  # at the end of today
        d.on.setValue(WRITTEN_OFF)  # a repayment of the same day comes before the write-off: take it earlier
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.on == WRITTEN_OFF)
        p = d.preview
        assert (p.principal, p.interest, p.debt_group, p.provision) == (written.principal, written.interest, 5,
                                                                        320_000_000)
        text = d.summary.text()
        assert vnd(320_000_000) in text and vnd(written.interest) in text and vnd(p.total) in text
        type_text(d.reason, "Hợp tác xã giải thể")
        shot(d, "write_off_dialog")
        press_enter(d)

    entries = _post(window, qtbot, boxes, detail, "write_off", fill_write_off, "Xác nhận xử lý rủi ro")
    assert [type(e) for e in entries if e not in before_entries] == [WriteOff]
    state = replay_entries(terms, entries)
    assert state.off_balance == (320_000_000, written.interest)
    b = detail.view.balances
    assert (b.principal_outstanding, b.written_off_principal, b.written_off_interest) == (0, 320_000_000, written.interest)
    assert "ngoại bảng" in detail.events_box.text.text() and vnd(written.interest) in detail.events_box.text.text()
    assert not detail.events_button.isEnabled() and detail.repay_button.isEnabled()

    detail.as_of.setValue(date(2024, 12, 1))  # the page shows a day before the write-off: still a recovery
    wait_jobs(qtbot, window.env)
    assert detail.repay_button.isEnabled() and detail.view.balances.principal_outstanding == 320_000_000

    def fill_recovery(d):
        qtbot.waitUntil(lambda: vnd(written.interest) in d.intro.text())  # off-balance on the recovery's date
        assert "thu hồi nợ đã xử lý" in d.intro.text() and vnd(320_000_000) in d.intro.text()
        d.amount.setText("10000000")
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.result.amount == 10_000_000)
        assert (d.preview.result.principal, d.preview.result.interest) == (10_000_000, 0)
        shot(d, "recovery_dialog")
        press_enter(d)

    entries = _post(window, qtbot, boxes, detail, detail.repay, fill_recovery, "Xác nhận thu hồi nợ đã xử lý rủi ro")
    state = replay_entries(terms, entries)
    assert state.off_balance == (310_000_000, written.interest) and state.recovered_principal == 10_000_000
    kinds = [detail.history_model.index(i, 1).data() for i in range(detail.history_model.rowCount())]
    assert kinds[-2:] == ["Xử lý rủi ro", "Thu hồi nợ đã xử lý rủi ro"]
    assert detail.history_model.index(len(kinds) - 2, 3).data() == group_thousands(320_000_000 + written.interest)
    shot(window, "loan_detail_written_off")
    # reversible like any entry: the recovery's line can be reversed
    detail.history.setCurrentIndex(detail.history_model.index(len(kinds) - 1, 0))
    assert detail.reverse_button.isEnabled() and not detail.decision_action.isEnabled()
    # the write-off's decision from its line: previewed without a number, saved with the next QĐ number
    from fundapp.services import documents
    from fundapp.ui import pdf_preview
    from tests.docs.test_documents import text
    from tests.gui.test_document_issue import _save_to

    detail.history.setCurrentIndex(detail.history_model.index(len(kinds) - 2, 0))
    assert detail.decision_action.isEnabled() and not detail.amendment_action.isEnabled()
    previews, saved = [], tmp_path / "qd.pdf"

    def save(dialog):
        previews.append(text(dialog.pdf))
        dialog.save()
        return 1

    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", save)
    _save_to(monkeypatch, saved)
    detail.print_document("decision")
    wait_jobs(qtbot, window.env)
    assert "Số:……" in previews[0] and group_thousands(written.interest) in previews[0]
    assert "Số:01/QĐ-QHT" in text(saved.read_bytes())
    [row] = documents.document_register(ctx)
    assert (row.kind, row.loan_no, row.on) == ("write_off", "HD2022-002", WRITTEN_OFF)
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    loans.status.setCurrentIndex(loans.status.findData("written_off"))
    qtbot.waitUntil(lambda: loans.proxy.rowCount() == 1)
    assert loans.proxy.index(0, 0).data() == "HD2022-002"
    assert next(r for r in list_loans(ctx) if r.id == loan_id).status == "written_off"
    assert loan_view(ctx, loan_id=loan_id).balances.written_off_principal == 310_000_000


def test_the_event_dialogs_read_english(window, qtbot):
    """Every button, hint and column of the three dialogs and the events menu in English (no Vietnamese word left
    but the book's data)."""
    from fundapp.ui import i18n
    from tests.gui.test_english import _interface_texts

    _, detail = _open(window, qtbot, "HD2024-019")
    i18n.set_language("en")
    try:
        texts = []
        for action in ("restructure", "relief", "write_off"):
            dialog = detail.make_dialog(action)
            wait_jobs(qtbot, window.env)
            texts += [("title", dialog.windowTitle()), *_interface_texts(dialog)]
            texts += [("label", dialog.form.labelForField(w.parentWidget()).text()) for w in dialog.form.fields.values()
                      if dialog.form.labelForField(w.parentWidget()) is not None]
            dialog.deleteLater()
    finally:
        i18n.set_language("vi")
    vietnamese = [t for t in texts if any(ch in t[1] for ch in "ạảãắằẳẵặấầẩẫậđẹẻẽếềểễệịỉĩọỏõốồổỗộớờởỡợụủũứừửữựỳỷỹỵơư")]
    assert vietnamese == [] and ("title", "Term restructuring — loan HD2024-019") in texts


def test_the_restructure_dialogs_current_schedule_is_the_loans_on_its_day(qsettings, qtbot, boxes, tmp_path):
    """The events book at 31/12/2025 (an officer's trial): HD2024-001's «Lịch trả nợ hiện tại» shows installment 5
    (14/11/2025) with its actual interest 8.674.027, as the loan page does, marked «thực tế»; the ones not yet due
    «dự kiến»; the deferred interest adds up from the table (10.813.151 + 8.674.027 = 19.487.178 đ). Before, the
    dialog showed 8.650.521, the projection, unmarked."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from fundapp.services.settings import FundSettings, save_settings
    from tests.golden import GOLDEN
    from tests.gui.conftest import shown_window

    ctx = open_book(str(tmp_path / "events.sqlite"), user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    save_settings(ctx, FundSettings())
    window = shown_window(ctx, qsettings, qtbot)
    _, detail = _open(window, qtbot, "HD2024-001")

    def look(d):
        qtbot.waitUntil(lambda: d.preview is not None)
        model = d.before_model
        rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
        assert [r[3:5] for r in rows[3:6]] == [["10.813.151", "thực tế"], ["8.674.027", "thực tế"],
                                              ["6.487.890", "dự kiến"]]
        assert model.rows == list(detail.view.schedule)  # the loan page's, installment by installment
        assert vnd(19_487_178) in d.summary.text()
        shot(d, "restructure_dialog_current_schedule")
        d.reject()

    drive(qtbot, lambda: detail._run(detail.make_dialog("restructure")), look)
    wait_jobs(qtbot, window.env)
    ctx.db.dispose()
