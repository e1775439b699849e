"""The loan list names a loan past its last due date, its principal repaid and day D_n's in-term interest still owed
(payable at once, never overdue: DOMAIN.md "Daily accrual"), as what it is: «Hết hạn, còn lãi phải trả», not «Trong
hạn» — HD2022-027 of the events book, repaid in 2023, was listed «Trong hạn» with no next due date while December's
notice asked its borrower for 124.767 đ (an officer's trial)."""

from __future__ import annotations

from tests import golden


def test_a_loan_owing_only_its_last_due_dates_interest_is_not_listed_in_term(sample_ctx):
    from fundapp.services.queries import list_loans

    expected = golden.expected()["balances"]["2024-12-31"]
    rows = {r.loan_no: r for r in list_loans(sample_ctx)}
    after = {no for no, r in rows.items() if r.after_term}
    # HD2023-024: 180.000.000 đ repaid on 28/03/2024, 5 days after its last due date; 29.589 đ of that day's interest
    assert after == {"HD2023-024"} and expected["HD2023-024"]["interest_accrued"] == 29_589
    assert rows["HD2023-024"].status_label == "Hết hạn, còn lãi phải trả"
    assert {r.status_label for no, r in rows.items() if r.status == "active" and no not in after} == {"Trong hạn"}
