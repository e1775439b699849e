"""The portfolio's list of loans to chase (DOMAIN.md "A repayment on day t": a loan is in arrears while anything
is past due or overdue or late-payment interest is owed)."""

from __future__ import annotations

from datetime import date

from fundapp.domain.engine import Kind, Restructuring, Transaction
from fundapp.domain.portfolio_report import portfolio_figures
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms


def test_a_loan_owing_only_penalty_interest_is_listed_to_chase():
    """Restructured on 15/06/2024 after five unpaid installments: nothing past due any more (0 days), yet the
    overdue and late-payment interest accrued before stays owed: the loan is to chase, with that interest."""
    terms = LoanTerms(amount=100_000_000, rate="12", term_months=12)
    loan = LoanInput("HD-A", terms, (Transaction(date(2024, 1, 1), Kind.DISBURSEMENT, 100_000_000, "GN-1"),
                                     Restructuring(date(2024, 6, 15), 0, 0, "CC-1")), borrower_code="KH-1")
    figures = portfolio_figures([loan], date(2024, 6, 20))
    b = figures.shown[0].balances
    assert (b.days_past_due, b.overdue_interest_accrued, b.late_interest_accrued) == (0, 1_520_548, 91_291)
    assert [(o.position.loan.loan_no, o.interest_owed, o.amount_due) for o in figures.overdue] == [
        ("HD-A", 1_611_839, 1_611_839)]
    assert figures.collection_totals == (0, 1_611_839, 1_611_839)
