"""The loan list's status derives from the engine's figures (reviewer's finding): a write-off reversed after its
recovery leaves no installment past due but overdue and late-payment interest owed — the loan is in arrears
(DOMAIN.md "A repayment on day t"), so «Quá hạn», not «Trong hạn»."""

from __future__ import annotations

from datetime import date

from fundapp.domain.events import Kind
from fundapp.services import events, posting
from fundapp.services.loans import loan_view
from fundapp.services.queries import list_loans


def _row(ctx, loan_no):
    return next(r for r in list_loans(ctx) if r.loan_no == loan_no)


def test_a_write_off_reversed_after_its_recovery_is_overdue_while_interest_is_owed(sample_ctx):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2022-002")
    written = events.write_off(ctx, loan_id, date(2024, 12, 20), "", "Giải thể")
    posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2024, 12, 31), 330_000_000)  # the recovery
    assert _row(ctx, "HD2022-002").status == "written_off"
    entry = next(h for h in loan_view(ctx, "HD2022-002").history if h.reference == written.reference)
    posting.reverse_entry(ctx, entry.id, "Ghi nhầm quyết định xử lý rủi ro")
    b = loan_view(ctx, "HD2022-002").balances
    assert (b.principal_outstanding, b.days_past_due, b.debt_group) == (0, 0, 1)
    assert (b.overdue_interest_accrued, b.late_interest_accrued) == (58_098_192, 1_570_555)
    assert b.in_arrears
    row = _row(ctx, "HD2022-002")
    assert (row.status, row.status_label, row.total_interest) == ("overdue", "Quá hạn", b.total_interest)


def test_every_loan_of_the_sample_book_is_overdue_exactly_when_the_engine_says_in_arrears(sample_ctx):
    rows = list_loans(sample_ctx)
    assert sorted(r.status for r in rows).count("overdue") == 4
    for r in rows:
        if r.status in ("active", "overdue"):
            assert (r.status == "overdue") == loan_view(sample_ctx, r.loan_no).balances.in_arrears, r.loan_no
