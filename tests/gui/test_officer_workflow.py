"""An officer's day, clicked through the real widgets: a new borrower, an application taken to a
signed contract, two tranches, a late repayment reversed and recorded again. The loan page must
then show exactly the engine's figures (loan_view)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from fundapp.formatting import group_thousands, matches, vnd
from fundapp.services.applications import list_applications
from fundapp.services.borrowers import list_borrowers
from fundapp.services.loans import loan_view
from fundapp.services.queries import list_loans
from fundapp.ui.loan_detail import BALANCES
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import drive, press_enter, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so on show


def test_add_borrower_to_signed_contract_to_repayments(window, qtbot, boxes):
    ctx = window.env.ctx

    # -- a new borrower; an empty name is refused beside the field --------------------------------
    borrowers = window.show_page("borrowers")
    wait_jobs(qtbot, window.env)

    def fill_borrower(d):
        d.edits["code"].setText("KH9001")
        press_enter(d)
        qtbot.waitUntil(lambda: d.form.error_text("name") != "")
        assert d.isVisible() and "tên" in d.form.error_text("name")
        type_text(d.edits["name"], "Hợp tác xã Nông nghiệp Đakrông")
        d.edits["kind"].setCurrentIndex(d.edits["kind"].findData("htx"))
        d.edits["district"].setText("Huyện Đakrông")
        d.edits["ward"].setText("Xã Tà Rụt")
        d.edits["members"].setText("42")
        press_enter(d)

    drive(qtbot, borrowers.add, fill_borrower)
    wait_jobs(qtbot, window.env)
    new = next(b for b in list_borrowers(ctx) if b.code == "KH9001")
    assert (new.name, new.kind, new.district, new.members) == ("Hợp tác xã Nông nghiệp Đakrông", "htx", "Huyện Đakrông", 42)
    assert borrowers.table.current_row().code == "KH9001"  # the new borrower is selected
    qtbot.keyClicks(borrowers.search, "nong nghiep dakrong")
    assert borrowers.proxy.rowCount() == 1
    assert borrowers.proxy.row_at(borrowers.proxy.index(0, 0)).code == "KH9001"
    borrowers.search.clear()

    # -- the application: received, appraised, approved (limits overridden), contract signed --------
    apps = window.show_page("applications")
    wait_jobs(qtbot, window.env)

    def fill_receive(d):
        d.borrower.setCurrentIndex(d.borrower.findData(new.id))
        qtbot.keyClicks(d.amount, "500000000")
        assert d.amount.text() == "500.000.000"  # grouped as typed
        d.purpose.setText("Mua máy sấy nông sản")
        d.sector.setText("nông nghiệp")
        d.plan_total.setText("700 triệu")
        qtbot.keyClicks(d.own_capital, "200000000")
        d.received_on.setValue(date(2024, 1, 5))
        press_enter(d)

    drive(qtbot, lambda: apps.do("receive"), fill_receive)
    wait_jobs(qtbot, window.env)
    application = next(a for a in list_applications(ctx) if a.borrower_id == new.id)
    assert (application.status, application.requested_amount, application.plan_total) == ("received", 500_000_000,
                                                                                            700_000_000)
    qtbot.waitUntil(lambda: apps.current() is not None and apps.current().id == application.id)
    assert apps.enabled_steps() == {"receive", "appraise", "reject"}
    assert not apps.buttons["approve"].isEnabled() and not apps.buttons["sign"].isEnabled()
    apps.do("sign")  # a skipped step opens nothing and writes nothing
    assert next(a for a in list_applications(ctx) if a.id == application.id).status == "received"

    def fill_appraise(d):
        d.text.setPlainText("Phương án khả thi, tài sản bảo đảm đủ.")
        press_enter(d)

    drive(qtbot, lambda: apps.do("appraise"), fill_appraise)
    wait_jobs(qtbot, window.env)
    qtbot.waitUntil(lambda: apps.current() is not None and apps.current().status == "appraised")
    assert apps.enabled_steps() == {"receive", "approve", "reject"}

    def fill_approve(d):
        qtbot.waitUntil(lambda: d.limits is not None)
        d.rate.setText("6,6")
        d.term.setValue(36)
        d.frequency.setCurrentIndex(d.frequency.findData(3))
        d.method.setCurrentIndex(d.method.findData("equal_principal"))
        assert not d.limits.ok and d.override.isEnabled()  # no charter capital declared in the sample book
        press_enter(d)
        qtbot.waitUntil(lambda: d.form.error_text("override_reason") != "")
        d.override.setText("Giám đốc duyệt: dự án trọng điểm của tỉnh")
        press_enter(d)

    drive(qtbot, lambda: apps.do("approve"), fill_approve)
    wait_jobs(qtbot, window.env)
    approved = next(a for a in list_applications(ctx) if a.id == application.id)
    assert approved.status == "approved" and approved.limit_override_reason.startswith("Giám đốc duyệt")
    assert approved.approved_terms["rate"] == "6.6" and approved.approved_terms["frequency_months"] == 3
    assert any(title == "Duyệt vượt giới hạn" for _, title, _ in boxes.shown)  # the override was confirmed
    qtbot.waitUntil(lambda: apps.current() is not None and apps.current().status == "approved")

    def fill_sign(d):
        assert d.loan_no.text() == "HD2024-038"  # the next free number after the sample's HD2024-037
        d.loan_no.setText("HD2024-901")
        d.contract_date.setValue(date(2024, 1, 10))
        press_enter(d)

    drive(qtbot, lambda: apps.do("sign"), fill_sign)
    wait_jobs(qtbot, window.env)
    assert ("Xác nhận ký hợp đồng", "Ký hợp đồng số HD2024-901 ngày 10/01/2024? Khoản vay được lập trong sổ và "
            "không xóa được.") in [(title, text) for _, title, text in boxes.shown]  # asked before the loan exists
    loan_id = next(a for a in list_applications(ctx) if a.id == application.id).loan_id
    assert loan_id is not None

    # -- the loan: two tranches, a late repayment, its reversal, the repayment again -----------------
    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    qtbot.waitUntil(lambda: any(r.loan_no == "HD2024-901" for r in loans.model.rows))
    qtbot.keyClicks(loans.search, "HD2024-901")
    assert loans.proxy.rowCount() == 1
    loans.table.setFocus()
    loans.table.setCurrentIndex(loans.proxy.index(0, 0))
    qtbot.keyClick(loans.table, Qt.Key.Key_Return)  # Enter opens the loan's page
    detail = loans.detail
    wait_jobs(qtbot, window.env)
    assert loans.stack.currentWidget() is detail and detail.view.loan_no == "HD2024-901"
    assert detail.disburse_button.isEnabled() and not detail.repay_button.isEnabled()

    def disburse(on: date, typed: str):
        def fill(d):
            d.on.setValue(on)
            qtbot.keyClicks(d.amount, typed)
            press_enter(d)
        drive(qtbot, detail.disburse, fill)
        wait_jobs(qtbot, window.env)

    disburse(date(2024, 1, 15), "300000000")
    disburse(date(2024, 3, 15), "200000000")
    assert detail.view.disbursed == 500_000_000

    def repay(d):
        d.on.setValue(date(2024, 5, 2))  # the first installment fell due on 15/04: 17 days late
        qtbot.waitUntil(lambda: d.quote is not None and d.quote.on == date(2024, 5, 2))
        due = d.quote.due_now
        assert d.due_now.text() == vnd(due) and d.settlement.text() == vnd(d.quote.settlement)
        qtbot.keyClicks(d.amount, str(due))
        qtbot.waitUntil(lambda: d.preview is not None and d.preview.allocation.amount == due)
        assert group_thousands(d.preview.allocation.principal) in d.split.text()
        press_enter(d)

    drive(qtbot, detail.repay, repay)
    wait_jobs(qtbot, window.env)
    confirmation = boxes.shown[-1]
    assert confirmation[1] == "Xác nhận thu nợ" and "Lãi quá hạn" in confirmation[2]
    repayment = next(e for e in detail.view.history if e.kind == "repayment")
    assert repayment.principal == 41_666_666 and repayment.overdue_interest > 0

    # reverse it: select its line, a reason is required, "không thể hoàn tác" is confirmed
    row = next(i for i, e in enumerate(detail.history_model.rows) if e.id == repayment.id)
    detail.history.setCurrentIndex(detail.history_model.index(row, 0))
    assert detail.reverse_button.isEnabled()

    def fill_reverse(d):
        press_enter(d)
        qtbot.waitUntil(lambda: d.form.error_text("reason") != "")
        type_text(d.reason, "Nhập nhầm ngày thu")
        press_enter(d)

    drive(qtbot, detail.reverse, fill_reverse)
    wait_jobs(qtbot, window.env)
    assert "không thể hoàn tác" in boxes.shown[-1][2]
    struck = next(i for i, e in enumerate(detail.history_model.rows) if e.id == repayment.id)
    assert detail.history_model.index(struck, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert detail.view.balances.principal_outstanding == 500_000_000  # the repayment no longer counts

    drive(qtbot, detail.repay, repay)
    wait_jobs(qtbot, window.env)

    # -- what the loan page shows is the engine's reading ------------------------------------------
    engine = loan_view(ctx, loan_id=loan_id, as_of=ctx.today())
    assert engine.balances.principal_outstanding == 500_000_000 - 41_666_666
    for name, *_ in BALANCES:
        value = getattr(engine.quote, name) if name in ("due_now", "settlement") else getattr(engine.balances, name)
        shown = detail.figures[name].text()
        assert shown == (str(value) if name in ("days_past_due", "debt_group") else vnd(value)), name
    active = [e for e in engine.history if e.active]
    assert [(e.kind, e.amount) for e in active] == [(e.kind, e.amount) for e in detail.view.history if e.active]
    assert sum(1 for e in engine.history if e.reversed_by) == 1
    # another date: the page asks the engine again
    detail.as_of.setValue(date(2024, 4, 16))
    wait_jobs(qtbot, window.env)
    then = loan_view(ctx, loan_id=loan_id, as_of=date(2024, 4, 16))
    assert detail.figures["principal_overdue"].text() == vnd(then.balances.principal_overdue) == vnd(41_666_666)
    assert detail.figures["days_past_due"].text() == "1"
    # and the list shows the same outstanding as the engine
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    assert loans.stack.currentIndex() == 0
    listed = next(r for r in list_loans(ctx) if r.id == loan_id)
    shown = next(r for r in loans.model.rows if r.id == loan_id)
    assert shown.principal_outstanding == listed.principal_outstanding == engine.balances.principal_outstanding


def test_borrower_search_ignores_diacritics_and_case(window, qtbot):
    page = window.show_page("borrowers")
    wait_jobs(qtbot, window.env)
    total = page.model.rowCount()
    qtbot.keyClicks(page.search, "hop tac xa")
    shown = [page.proxy.row_at(page.proxy.index(r, 0)) for r in range(page.proxy.rowCount())]
    assert shown and all(matches("hop tac xa", b.search) for b in shown)
    assert any(b.name.startswith("Hợp tác xã") for b in shown) and len(shown) < total
    page.search.clear()
    qtbot.keyClicks(page.search, "HTX")
    assert {b.code for b in shown if "hợp tác xã" in b.name.lower()} <= {page.proxy.row_at(page.proxy.index(r, 0)).code
                                       for r in range(page.proxy.rowCount())}
    page.search.clear()
    type_text(page.search, "Hợp tác xã")
    assert page.proxy.rowCount() >= len(shown)
    page.search.clear()
    assert page.proxy.rowCount() == total
    page.kind.setCurrentIndex(page.kind.findData("tht"))
    assert page.proxy.rowCount() > 0 and all(page.proxy.row_at(page.proxy.index(r, 0)).kind == "tht"
                                             for r in range(page.proxy.rowCount()))
