"""First start, backups and restore from the File menu, as an officer meets them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from fundapp.app import open_book
from fundapp.services.reports import annual_summary, balances_json
from fundapp.services.settings import load_settings
from tests.gui.conftest import wait_jobs


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The per-user book lives in a temporary folder."""
    book = tmp_path / "data" / "fundapp.sqlite"
    monkeypatch.setattr("fundapp.services.connection.default_book_path", lambda: book)
    return book


def test_wizard_creates_a_new_book_with_the_fund_settings(qtbot, home, boxes):
    from fundapp.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    assert wizard.province.count() == 34 and wizard.province.currentText() == ""  # chosen, never assumed
    wizard.accept()
    assert wizard.book is None and "Chọn tỉnh của Quỹ" in wizard.error.text()
    wizard.province.setCurrentText("Tỉnh Quảng Trị")
    assert wizard.fund_name.text() == "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ"  # suggested from the province
    wizard.fund_name.setText("Quỹ hỗ trợ phát triển hợp tác xã tỉnh Quảng Trị")
    wizard.director.setText("Nguyễn Văn Hòa")
    wizard.accountant.setText("Trần Thị Mai")
    wizard.accept()
    assert wizard.result() == wizard.DialogCode.Accepted and wizard.book == str(home)
    settings = load_settings(open_book(home))
    assert (settings.fund_name, settings.director, settings.province) == (
        "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ", "Nguyễn Văn Hòa", "Tỉnh Quảng Trị")


def test_wizard_demo_book_and_a_missing_file(qtbot, home, boxes):
    from fundapp.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.radios["file"].setChecked(True)
    wizard.file_path.setText(str(home.parent / "khong-co.sqlite"))
    wizard.accept()
    assert wizard.book is None and "Chọn một tệp sổ có sẵn" in wizard.error.text()
    wizard.radios["demo"].setChecked(True)
    wizard.accept()
    assert Path(wizard.book).name == "demo.sqlite"
    figures = annual_summary(open_book(wizard.book), date.today().year - 1)  # the demo follows today
    assert (figures["projects_financed"], figures["disbursed_amount"]) == (27, 9_450_000_000)


def test_backup_from_the_file_menu_and_restore(window, qtbot, tmp_path, monkeypatch, boxes):
    env = window.env
    when = date(2024, 12, 31)
    before = balances_json(env.ctx, when)
    target = tmp_path / "copies"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(target)))
    backup = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("Sao lưu"))
    backup.trigger()
    wait_jobs(qtbot, env)
    copies = list(target.glob("*.sqlite"))
    assert len(copies) == 1 and "Đã sao lưu sổ" in boxes.texts()

    # a mistaken repayment, then File → Restore brings the book back (a new window on the same file)
    from fundapp.domain.engine import Kind
    from fundapp.services import posting
    from fundapp.services.queries import list_loans

    loan = next(r for r in list_loans(env.ctx) if r.principal_outstanding)
    posting.post_transaction(env.ctx, loan.id, Kind.REPAYMENT, when, 1_000_000)
    reopened = []
    window.book_requested.connect(reopened.append)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(copies[0]), "")))
    restore = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("Khôi phục"))
    restore.trigger()
    assert reopened and "Đã khôi phục" in boxes.texts()
    assert balances_json(open_book(reopened[0], today=when), when) == before


def test_borrower_dialog_offers_the_wards_of_the_province(empty_window, qtbot):
    from fundapp.domain.borrowers import BORROWER_KIND_LABELS
    from fundapp.ui.dialogs.borrower import BorrowerDialog

    dialog = BorrowerDialog(empty_window.env, BORROWER_KIND_LABELS)
    qtbot.addWidget(dialog)
    ward = dialog.edits["ward"]
    assert dialog.edits["province"].text() == "Tỉnh Quảng Trị" and ward.count() == 78
    ward.setCurrentIndex(ward.findText("Xã Hướng Hiệp"))
    ward.activated.emit(ward.currentIndex())
    assert dialog.edits["district"].text() == "Huyện Đakrông"  # the pre-reform district, as signed
    dialog.edits["district"].setText("Huyện Đakrông (cũ)")
    ward.activated.emit(ward.findText("Xã Khe Sanh"))
    assert dialog.edits["district"].text() == "Huyện Đakrông (cũ)"  # never overwritten once typed
    dialog.edits["province"].setText("Tỉnh Cao Bằng")
    # every province's units are shipped now (3,321 from 1/7/2025): the list follows the province
    assert ward.count() > 0 and ward.findText("Xã Hướng Hiệp") == -1


def test_loan_terms_edited_before_the_first_disbursement(empty_window, qtbot):
    """A contracted loan's terms change in the loan page until money goes out; then the button is off."""
    from fundapp.domain.engine import Kind
    from fundapp.services import applications, borrowers, loan_terms, posting
    from fundapp.services.loans import loan_view
    from fundapp.services.settings import FundSettings, save_settings

    env = empty_window.env
    ctx = env.ctx
    save_settings(ctx, FundSettings(charter_capital=50_000_000_000))
    b = borrowers.save_borrower(ctx, dict(code="KH9", name="Hợp tác xã Ba Lòng", kind="htx"))
    app = applications.receive_application(ctx, b.id, 300_000_000, "Mua máy")
    applications.appraise_application(ctx, app.id, "Đạt")
    applications.approve_application(ctx, app.id, loan_terms.make_terms(amount=300_000_000, rate="6", term_months=12))
    loan_id = applications.sign_contract(ctx, app.id, "HD2024-900", date(2024, 3, 1))
    detail = empty_window.show_page("loans").open_loan(loan_id)
    wait_jobs(qtbot, env)
    assert detail.terms_button.isEnabled()
    dialog = detail.make_dialog("terms")
    qtbot.addWidget(dialog)
    assert dialog.rate.text() == "6" and dialog.term.value() == 12
    dialog.amount.setText("250 triệu")
    dialog.rate.setText("6,6")
    dialog.frequency.setCurrentIndex(dialog.frequency.findData(3))
    dialog.accept()
    wait_jobs(qtbot, env)
    terms = loan_terms.loan_terms(ctx, loan_id)
    assert (terms.amount, str(terms.rate), terms.frequency_months) == (250_000_000, "6.6", 3)
    posting.post_transaction(ctx, loan_id, Kind.DISBURSEMENT, date(2024, 3, 5), 100_000_000)
    detail.open(loan_id)
    wait_jobs(qtbot, env)
    assert not detail.terms_button.isEnabled() and loan_view(ctx, "HD2024-900").disbursed == 100_000_000
