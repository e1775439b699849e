"""Every figure of shared/golden, computed by the domain engine alone, equals the expected one."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain.engine import balances_at, replay
from fundapp.domain.periods import quarter_bounds
from fundapp.domain.reporting import period_report
from tests import golden

CASES = golden.cases()
OFF_BALANCE = {"written_off_principal": 0, "written_off_interest": 0}


def plain(figures: dict) -> dict:
    """Expected figures of a loan without life events: the golden keys, and the off-balance ones at 0."""
    return {**figures, **OFF_BALANCE}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_schedule_balances_and_allocations(case):
    terms = golden.case_terms(case["loan"])
    txs = golden.case_transactions(case)
    expect = case["expect"]
    result = replay(terms, txs)
    schedule = [{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal} for i in result.schedule]
    assert schedule == expect["schedule"]
    allocations = [
        {"date": a.on.isoformat(), "amount": a.amount, "principal": a.principal, "interest": a.interest,
         "overdue_interest": a.overdue_interest, "late_interest": a.late_interest}
        for a in result.allocations
    ]
    assert allocations == expect["allocations"]
    dates = sorted(expect["balances"])
    got = balances_at(terms, txs, [date.fromisoformat(d) for d in dates])
    assert {d: b.as_dict() for d, b in zip(dates, got, strict=True)} == {d: plain(v) for d, v in expect["balances"].items()}


def test_worked_example_of_domain_md():
    case = next(c for c in CASES if c["name"] == "unpaid_first_installment")
    terms = golden.case_terms(case["loan"])
    txs = golden.case_transactions(case)
    schedule = replay(terms, txs).schedule
    assert schedule[0].principal == 41_666_666 and schedule[-1].principal == 41_666_674
    assert schedule[0].interest == 8_227_397  # 500.000.000 × 6,6 % × 91 / 365
    b = balances_at(terms, txs, [date(2024, 4, 16)])[0]
    assert (b.principal_overdue, b.overdue_interest_accrued, b.late_interest_accrued, b.days_past_due) == (
        41_666_666, 11_301, 2_254, 1)


SAMPLE_DATES = sorted(golden.expected()["balances"])


@pytest.mark.parametrize("loan", golden.sample_loans(), ids=lambda loan: loan.loan_no)
def test_sample_book_balances_at_every_date(loan):
    expected = golden.expected()["balances"]
    got = balances_at(loan.terms, loan.transactions, [date.fromisoformat(d) for d in SAMPLE_DATES])
    assert {d: b.as_dict() for d, b in zip(SAMPLE_DATES, got, strict=True)} == {
        d: plain(expected[d][loan.loan_no]) for d in SAMPLE_DATES
    }


@pytest.mark.parametrize("loan", golden.sample_loans(), ids=lambda loan: loan.loan_no)
def test_sample_book_schedules(loan):
    expected = golden.expected()["schedules"][loan.loan_no]
    got = [{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal}
           for i in replay(loan.terms, loan.transactions).schedule]
    assert got == [{k: row[k] for k in ("no", "due_date", "principal")} for row in expected]


@pytest.mark.parametrize("quarter", sorted(golden.expected()["quarters"]))
def test_sample_book_quarterly_figures(quarter):
    year, q = quarter.split("-Q")
    start, end = quarter_bounds(int(year), int(q))
    report = period_report(golden.sample_loans(), start, end)
    assert report.interchange_json() == golden.expected()["quarters"][quarter]
