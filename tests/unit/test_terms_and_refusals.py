"""Terms that make no sense and transactions the rules refuse: named field, Vietnamese message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from fundapp.domain.dates import add_months, due_dates
from fundapp.domain.engine import Kind, LoanReplay, Transaction, debt_group, quote, replay
from fundapp.domain.errors import TermsError, TransactionRefused
from fundapp.domain.terms import LoanTerms, RateUnit

BASE = dict(amount=500_000_000, rate="6.6", term_months=36, frequency_months=3)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"term_months": 35}, "term_months", "bội số"),
        ({"grace_periods": 12}, "grace_periods", "ân hạn"),
        ({"rate": "-1"}, "rate", "ngoài khoảng"),
        ({"rate": "100.5"}, "rate", "ngoài khoảng"),
        ({"amount": 0}, "amount", "lớn hơn 0"),
        ({"method": "balloon"}, "method", "không hợp lệ"),
        ({"frequency_months": 2, "term_months": 36}, "frequency_months", "1, 3, 6 hoặc 12"),
        ({"rate": "abc"}, "rate", "không phải là số"),
        ({"overdue_factor": "2"}, "overdue_factor", "150 %"),
        ({"late_interest_rate": "12"}, "late_interest_rate", "10 %/năm"),
    ],
)
def test_bad_terms_name_the_field(change, field, words):
    with pytest.raises(TermsError) as err:
        LoanTerms(**{**BASE, **change})
    assert err.value.field == field
    assert words in err.value.vi
    assert err.value.en


def test_defaults_of_domain_md():
    t = LoanTerms(amount=1, rate="7", term_months=12)
    assert (t.frequency_months, t.method, t.grace_periods, t.overdue_factor, t.late_interest_rate) == (
        1, "equal_principal", 0, Decimal("1.5"), Decimal("10"))


def test_monthly_rate_is_divided_by_30_not_multiplied_by_12():
    t = LoanTerms(amount=1, rate="0.5", term_months=12, rate_unit=RateUnit.PER_MONTH)
    assert t.daily_rate == Fraction(5, 1000) / 30
    assert t.daily_rate * 365 * 100 == Fraction(365, 60)  # 6,0833… %/năm, not 6 %
    assert t.period_rate == Fraction(5, 1000)
    assert LoanTerms(amount=1, rate="0.5", term_months=12, frequency_months=3, rate_unit="month").period_rate == Fraction(15, 1000)


def test_due_dates_clip_to_month_end_from_the_anchor():
    assert due_dates(date(2024, 1, 31), 3, 1) == (date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30))
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_debt_group_bands():
    assert [debt_group(d) for d in (0, 9, 10, 29, 30, 89, 90, 179, 180, 2000)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def D(y, m, d, amount, kind=Kind.DISBURSEMENT):
    return Transaction(date(y, m, d), kind, amount)


def R(y, m, d, amount):
    return Transaction(date(y, m, d), Kind.REPAYMENT, amount)


TERMS = LoanTerms(**BASE)


def refused(txs):
    state = LoanReplay(TERMS)
    with pytest.raises(TransactionRefused) as err:
        for tx in txs:
            state.apply(tx)
    return err.value


def test_disbursement_over_approved_amount():
    err = refused([D(2024, 1, 15, 300_000_000), D(2024, 2, 1, 300_000_000)])
    assert "vượt số tiền được duyệt 500.000.000 đ" in err.vi and "còn được giải ngân 200.000.000 đ" in err.vi


def test_disbursement_after_the_last_due_date():
    err = refused([D(2024, 1, 15, 100_000_000), D(2027, 1, 16, 100)])
    assert "ngày đến hạn cuối cùng 15/01/2027" in err.vi


def test_repayment_before_first_disbursement_and_zero_amounts():
    assert "chưa được giải ngân" in refused([R(2024, 1, 1, 5)]).vi
    assert "lớn hơn 0" in refused([D(2024, 1, 15, 0)]).vi
    assert "lớn hơn 0" in refused([D(2024, 1, 15, 10), R(2024, 2, 1, -5)]).vi


def test_overpayment_names_the_settlement_amount():
    txs = [D(2024, 3, 10, 120_000_000)]
    terms = LoanTerms(amount=120_000_000, rate="7.2", term_months=12)
    q = quote(terms, txs, date(2024, 6, 25))
    assert q.settlement == 122_690_467
    state = LoanReplay(terms)
    state.apply(txs[0])
    with pytest.raises(TransactionRefused) as err:
        state.apply(R(2024, 6, 25, 122_690_468))
    assert "122.690.467 đ" in err.value.vi
    # nothing was applied: the exact amount still settles
    assert state.apply(R(2024, 6, 25, 122_690_467)).settled


def test_repayment_on_a_settled_loan_is_refused():
    terms = LoanTerms(amount=120_000_000, rate="7.2", term_months=12)
    txs = [D(2024, 3, 10, 120_000_000), R(2024, 6, 25, 122_690_467)]
    assert replay(terms, txs).closed_on == date(2024, 6, 25)
    state = LoanReplay(terms)
    for tx in txs:
        state.apply(tx)
    with pytest.raises(TransactionRefused) as err:
        state.apply(R(2024, 7, 1, 1))
    assert "đã tất toán" in err.value.vi


def test_quote_due_now_for_an_overdue_loan():
    q = quote(TERMS, [D(2024, 1, 15, 500_000_000)], date(2024, 4, 17))
    # principal 41.666.666 + interest 8.227.397 + overdue and late interest through 16/04
    assert (q.principal_due, q.interest_due, q.overdue_interest, q.late_interest) == (41_666_666, 8_227_397, 11_301, 2_254)
    assert q.due_now == 41_666_666 + 8_227_397 + 11_301 + 2_254


def test_a_quote_moves_time_forward_and_earlier_entries_are_refused():
    state = LoanReplay(TERMS)
    state.apply(D(2024, 1, 15, 500_000_000))
    state.quote(date(2024, 6, 1))
    with pytest.raises(TransactionRefused) as err:
        state.apply(R(2024, 5, 1, 1_000_000))
    assert "đứng trước ngày đã tính lãi" in err.value.vi
    state.apply(R(2024, 6, 1, 1_000_000))  # the quoted day itself is fine
