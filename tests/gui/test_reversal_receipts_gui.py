"""The window's reversal (an officer's trial): reversing an entry that changes the split of a receipt already issued
names that receipt in the confirmation, as a back-dated repayment does, and the checker confirming such a reversal
proposed under maker-checker is asked again, the receipt named; without such a receipt nothing more is asked."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox

from fundapp.services import events, posting, proposals
from fundapp.services.errors import UserFacingError
from fundapp.services.posting import Kind
from tests.staff import staffed as staffed_book

from .conftest import shown_window, wait_jobs

RECEIPT = "- PT-2024-00001 ngày 31/12/2024: gốc 24.847.048 → 30.000.000"


def _entry(ctx, reference: str) -> SimpleNamespace:
    entry_id, kind, on, amount, *_ = proposals.entry_by_reference(ctx, reference)
    return SimpleNamespace(id=entry_id, kind=kind, reference=reference, on=on, amount=amount)


def _repayment_after_pt00165(ctx) -> None:
    loan_id = events.loan_id_of(ctx, "HD2024-019")
    assert posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2024, 12, 31), 30_000_000).reference == \
        "PT-2024-00001"


def _reverse(win, qtbot, entry, reason: str):
    from fundapp.ui.dialogs.reversal import ReverseDialog

    dialog = ReverseDialog(win.env, entry, win)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setText(reason)
    dialog.accept()
    wait_jobs(qtbot, win.env)
    return dialog


def test_the_reversal_dialog_names_the_receipts_it_changes_and_stops_on_no(sample_ctx, qsettings, qtbot, boxes):
    _repayment_after_pt00165(sample_ctx)
    win = shown_window(sample_ctx, qsettings, qtbot)
    boxes.answer = QMessageBox.StandardButton.No
    dialog = _reverse(win, qtbot, _entry(sample_ctx, "PT-00165"), "Thử")
    (_kind, title, text), = boxes.shown
    assert title == "Xác nhận hủy bút toán" and "Hủy bút toán này?" in text
    assert "Bút toán này làm thay đổi cách phân bổ của 1 phiếu thu đã lập:" in text and RECEIPT in text
    assert boxes.defaults == [QMessageBox.StandardButton.No]  # Enter answers Không
    assert dialog.isVisible()
    assert posting.preview_reversal_receipts(sample_ctx, _entry(sample_ctx, "PT-00165").id)  # still in force
    boxes.answer, boxes.shown = QMessageBox.StandardButton.Yes, []
    dialog.accept()
    wait_jobs(qtbot, win.env)
    assert not dialog.isVisible()
    with pytest.raises(UserFacingError, match="đã được hủy ngày"):
        posting.preview_reversal_receipts(sample_ctx, _entry(sample_ctx, "PT-00165").id)


def test_a_reversal_changing_no_receipt_asks_as_before(sample_ctx, qsettings, qtbot, boxes):
    win = shown_window(sample_ctx, qsettings, qtbot)
    _reverse(win, qtbot, _entry(sample_ctx, "PT-00165"), "Thử")
    (_kind, title, text), = boxes.shown
    assert title == "Xác nhận hủy bút toán" and text == "Hủy bút toán này? Thao tác này không thể hoàn tác."


def test_the_checker_is_asked_again_naming_the_receipts(sample_ctx, qsettings, qtbot, boxes):
    staffed = staffed_book(sample_ctx, {"qt": ("admin",), "kt": ("accountant",), "ks": ("controller",)},
                           "Quản Trị Viên")
    _repayment_after_pt00165(staffed["kt"])
    p = proposals.propose(staffed["kt"], "reverse", dict(reference="PT-00165", reason="Thử"))
    assert RECEIPT in p.preview
    win = shown_window(staffed["ks"], qsettings, qtbot)
    page = win.show_page("pending")
    page.refresh()
    assert [r.id for r in page.rows] == [p.id] and RECEIPT in page.preview.toPlainText()
    boxes.answer = QMessageBox.StandardButton.No
    page.confirm()
    (_kind, title, text), = boxes.shown
    assert title == "Xác nhận đề xuất" and f"Xác nhận đề xuất số {p.id}?" in text and RECEIPT in text
    assert proposals.proposal_rows(staffed["ks"], "confirmed") == []  # Không: nothing confirmed
    boxes.answer = QMessageBox.StandardButton.Yes
    page.confirm()
    assert proposals.proposal_rows(staffed["ks"], "confirmed")[0].decided_by == "ks"
