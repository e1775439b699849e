"""Issue 10.1: nothing is dated after the book's today — postings, workflow steps, the CLI's fixed today."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from fundapp.domain.engine import Kind
from fundapp.domain.messages import N_
from fundapp.services import applications, borrowers, loan_terms, posting
from fundapp.services.clock import refuse_future
from fundapp.services.errors import ValidationError
from fundapp.services.loans import loan_view
from fundapp.services.settings import FundSettings, save_settings
from tests.unit.test_lending import BORROWER

TODAY = date(2026, 11, 30)


@pytest.fixture
def today_ctx(ctx):
    return dataclasses.replace(ctx, today=lambda: TODAY)


def _contracted(ctx) -> int:
    save_settings(ctx, FundSettings(charter_capital=20_000_000_000, director="Nguyễn Văn B"))
    b = borrowers.save_borrower(ctx, BORROWER)
    app = applications.receive_application(ctx, b.id, 1_000_000_000, "Máy sấy", received_on=date(2026, 6, 1))
    applications.appraise_application(ctx, app.id, "Khả thi")
    applications.approve_application(ctx, app.id, loan_terms.make_terms(amount=1_000_000_000, rate="6.6", term_months=36,
                                                                frequency_months=6))
    return applications.sign_contract(ctx, app.id, "HD2026-100", date(2026, 7, 1))


def test_refuse_future_names_both_dates_and_passes_today(today_ctx):
    refuse_future(today_ctx, TODAY, N_("ngày giải ngân"), "on")  # today itself is fine
    with pytest.raises(ValidationError) as err:
        refuse_future(today_ctx, date(2026, 12, 1), N_("ngày giải ngân"), "on")
    assert err.value.message == ("Ngày 01/12/2026 (ngày giải ngân) sau ngày hôm nay 30/11/2026: "
                                 "không ghi được nghiệp vụ ở tương lai")
    assert err.value.en == ("The date 01/12/2026 (disbursement date) is after today, 30/11/2026: "
                                 "a future transaction cannot be recorded")  # the catalogue's, both dates alike
    assert err.value.field == "on"


def test_future_postings_refused_and_the_genuine_tranche_then_accepted(today_ctx):
    """The issue's day: on 30/11/2026 a disbursement of 01/03/2027 and a repayment of 01/02/2027 are refused,
    nothing is written, and the tranche of 15/07/2026 goes through."""
    ctx = today_ctx
    loan_id = _contracted(ctx)
    with pytest.raises(ValidationError) as err:
        posting.post_transaction(ctx, loan_id, Kind.DISBURSEMENT, date(2027, 3, 1), 200_000_000)
    assert "01/03/2027 (ngày giải ngân)" in err.value.message and err.value.field == "on"
    with pytest.raises(ValidationError) as err:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2027, 2, 1), 10_000_000)
    assert "01/02/2027 (ngày trả nợ)" in err.value.message
    assert loan_view(ctx, "HD2026-100").history == ()
    posted = posting.post_transaction(ctx, loan_id, Kind.DISBURSEMENT, date(2026, 7, 15), 600_000_000)
    view = loan_view(ctx, "HD2026-100", TODAY)
    assert [(h.on, h.amount, h.reference) for h in view.history] == [(date(2026, 7, 15), 600_000_000,
                                                                      posted.reference)]
    assert view.balances.principal_outstanding == 600_000_000


def test_a_day_before_the_first_a_book_holds_is_refused_as_the_import_refuses_it(today_ctx):
    """The import refuses days before 01/01/2000 (``import_cells.check_date``), the window posted 31/12/1999 and dated a contract
    1995: such a book could not be exported and imported again. Every entered date is checked in one place."""
    ctx = today_ctx
    refuse_future(ctx, date(2000, 1, 1), N_("ngày giải ngân"), "on")  # the first day itself is fine
    with pytest.raises(ValidationError) as err:
        refuse_future(ctx, date(1999, 12, 31), N_("ngày giải ngân"), "on")
    assert err.value.message == ("Ngày 31/12/1999 (ngày giải ngân) trước ngày 01/01/2000: sổ chỉ ghi nghiệp vụ từ "
                                 "ngày 01/01/2000")
    assert err.value.field == "on" and "01/01/2000" in err.value.en and "1999" in err.value.en
    loan_id = _contracted(ctx)
    with pytest.raises(ValidationError) as err:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(1999, 12, 31), 10_000_000)
    assert "31/12/1999 (ngày trả nợ)" in err.value.message and err.value.field == "on"
    assert loan_view(ctx, "HD2026-100").history == ()
    b = borrowers.save_borrower(ctx, {**BORROWER, "code": "KH-EARLY", "tax_code": "3200999999"})
    with pytest.raises(ValidationError) as err:
        applications.receive_application(ctx, b.id, 1_000_000, "Máy sấy", received_on=date(1995, 6, 1))
    assert "01/06/1995" in err.value.message


def test_future_workflow_dates_refused(today_ctx):
    ctx = today_ctx
    save_settings(ctx, FundSettings(charter_capital=20_000_000_000))
    b = borrowers.save_borrower(ctx, BORROWER)
    with pytest.raises(ValidationError) as err:
        applications.receive_application(ctx, b.id, 100_000_000, "Mua giống", received_on=date(2026, 12, 2))
    assert err.value.field == "received_on" and "02/12/2026 (ngày tiếp nhận hồ sơ)" in err.value.message
    assert applications.list_applications(ctx) == []
    app = applications.receive_application(ctx, b.id, 100_000_000, "Mua giống", received_on=TODAY)
    assert app.received_on == TODAY
    applications.appraise_application(ctx, app.id, "Khả thi")
    applications.approve_application(ctx, app.id, loan_terms.make_terms(amount=100_000_000, rate="6", term_months=12))
    with pytest.raises(ValidationError) as err:
        applications.sign_contract(ctx, app.id, "HD2026-101", date(2027, 1, 5))
    assert err.value.field == "contract_date" and "05/01/2027 (ngày ký hợp đồng)" in err.value.message
    assert applications.get_application(ctx, app.id).status == "approved"
    applications.sign_contract(ctx, app.id, "HD2026-101", TODAY)
    assert applications.get_application(ctx, app.id).status == "contracted"


def test_cli_today_is_fixed_by_env(tmp_path, monkeypatch):
    from fundapp.app import open_book

    monkeypatch.setenv("FUNDAPP_TODAY", "2026-11-30")
    ctx = open_book(tmp_path / "b.sqlite")
    try:
        assert ctx.today() == TODAY
    finally:
        ctx.db.dispose()
