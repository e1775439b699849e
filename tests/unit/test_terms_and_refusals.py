"""Terms that make no sense and transactions the rules refuse: named field, Vietnamese message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from fundapp.domain.dates import add_months, due_dates
from fundapp.domain.engine import (
    InterestRelief,
    Kind,
    LoanReplay,
    Opening,
    Restructuring,
    Transaction,
    WriteOff,
    debt_group,
    quote,
    replay,
)
from fundapp.domain.errors import TermsError, TransactionRefused
from fundapp.domain.terms import LoanTerms, RateUnit
from tests.english import assert_english

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
    assert_english(err.value)


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
    assert err.vi == ("Giải ngân 300.000.000 đ vượt số còn được giải ngân 200.000.000 đ (số tiền được duyệt "
                      "500.000.000 đ, đã giải ngân 300.000.000 đ)")


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


# -- life events (DOMAIN.md "Life events"): every refusal names the field and its limit; nothing is applied

LOAN = D(2024, 1, 15, 500_000_000)  # 6,6 %/năm, 36 months, quarterly: D_1 = 15/04/2024 … D_12 = 15/01/2027
SETTLE = R(2024, 2, 1, 501_536_986)  # 500.000.000 + 17 days' interest 1.536.986


def OPEN(**change):
    figures = dict(on=date(2024, 3, 10), first_disbursement_date=date(2023, 7, 15), disbursed=500_000_000,
                   principal_outstanding=458_333_334, principal_overdue=41_666_666,
                   oldest_overdue_date=date(2024, 1, 15), interest_due_unpaid=7_679_910, interest_accrued=3_124_658,
                   overdue_interest=1_412_203, late_interest=21_044)
    return Opening(**{**figures, **change})


@pytest.mark.parametrize(
    ("entries", "field", "words"),
    [
        ([Restructuring(date(2024, 5, 1), 3, 0)], "date", "chưa được giải ngân"),
        ([LOAN, SETTLE, Restructuring(date(2024, 5, 1), 3, 0)], "kind", "đã tất toán ngày 01/02/2024"),
        ([LOAN, WriteOff(date(2024, 12, 31)), Restructuring(date(2025, 1, 5), 3, 0)], "kind", "đã xóa nợ"),
        ([LOAN, Restructuring(date(2024, 5, 1), -3, 0)], "extend_months", "bội số không âm"),
        ([LOAN, Restructuring(date(2024, 5, 1), 7, 0)], "extend_months", "kỳ hạn trả nợ 3 tháng"),
        ([LOAN, Restructuring(date(2027, 3, 1), 0, 0)], "extend_months", "gia hạn ít nhất 3 tháng"),
        ([LOAN, Restructuring(date(2027, 9, 1), 3, 0)], "extend_months", "gia hạn ít nhất 9 tháng"),
        ([LOAN, Restructuring(date(2024, 5, 1), 0, -1)], "grace_periods", "không được âm"),
        ([LOAN, Restructuring(date(2026, 8, 1), 0, 2)], "grace_periods", "ân hạn nhiều nhất 1 kỳ"),
        ([LOAN, R(2024, 4, 15, 49_894_063), Restructuring(date(2024, 4, 15), 3, 0)], "date", "trong một ngày"),
        ([LOAN, InterestRelief(date(2024, 5, 10), "interest", 8_227_398)], "amount", "nhiều nhất 8.227.397 đ"),
        ([LOAN, InterestRelief(date(2024, 4, 15), "overdue_interest", 1)], "amount", "nhiều nhất 0 đ"),
        ([LOAN, InterestRelief(date(2024, 5, 10), "principal", 1)], "relief_of", "không hợp lệ"),
        ([LOAN, InterestRelief(date(2024, 5, 10), "interest", 0)], "amount", "lớn hơn 0"),
        ([LOAN, WriteOff(date(2024, 12, 31)), InterestRelief(date(2025, 1, 5), "interest", 1)], "kind", "đã xóa nợ"),
        ([WriteOff(date(2024, 12, 31))], "date", "chưa được giải ngân"),
        ([LOAN, SETTLE, WriteOff(date(2024, 12, 31))], "kind", "đã tất toán"),
        ([LOAN, WriteOff(date(2024, 12, 31)), WriteOff(date(2025, 1, 31))], "kind", "đã xóa nợ"),
        ([LOAN, WriteOff(date(2024, 12, 31)), D(2025, 1, 5, 1)], "kind", "đã xóa nợ"),
        # written off on the day of disbursement: 500.000.000 đ and that day's interest 90.411 đ
        ([LOAN, WriteOff(date(2024, 1, 15)), R(2024, 2, 1, 500_090_412)], "amount", "chưa thu hồi 500.090.411 đ"),
        ([OPEN(principal_overdue=458_333_335)], "principal_overdue", "vượt dư nợ gốc 458.333.334 đ"),
        ([OPEN(principal_outstanding=500_000_001)], "principal_outstanding", "vượt số đã giải ngân 500.000.000 đ"),
        ([OPEN(disbursed=500_000_001, principal_outstanding=500_000_001)], "disbursed", "được duyệt 500.000.000 đ"),
        ([OPEN(first_disbursement_date=date(2024, 3, 11))], "first_disbursement_date", "sau ngày chuyển số dư"),
        ([OPEN(oldest_overdue_date=date(2024, 4, 15))], "oldest_overdue_date", "sau ngày chuyển số dư"),
        ([OPEN(oldest_overdue_date=date(2024, 1, 20))], "oldest_overdue_date", "không phải là một ngày đến hạn"),
        ([OPEN(oldest_overdue_date=None)], "oldest_overdue_date", "thiếu ngày đến hạn"),
        ([OPEN(principal_overdue=0, interest_due_unpaid=0)], "oldest_overdue_date", "không có gốc quá hạn"),
        ([OPEN(disbursed=0, principal_outstanding=0, principal_overdue=0)], "disbursed", "chưa giải ngân"),
        ([OPEN(principal_outstanding=0, principal_overdue=0, oldest_overdue_date=None, interest_due_unpaid=0,
               interest_accrued=0, overdue_interest=0, late_interest=0)], "principal_outstanding", "không còn"),
        ([OPEN(restructurings=-1)], "restructurings", "không âm"),
        ([OPEN(interest_accrued=-1)], "interest_accrued", "không âm"),
        ([OPEN(on=date(2027, 2, 1), oldest_overdue_date=date(2024, 1, 15))], "principal_outstanding",
         "không còn kỳ trả nợ nào sau ngày 01/02/2027"),
        ([OPEN(), R(2024, 3, 10, 1)], "date", "chuyển số dư ngày 10/03/2024"),
        ([LOAN, OPEN()], "kind", "bút toán đầu tiên"),
    ],
)
def test_life_event_refusals_name_field_and_limit(entries, field, words):
    state = LoanReplay(TERMS)
    for entry in entries[:-1]:
        state.apply(entry)
    with pytest.raises(TransactionRefused) as err:
        state.apply(entries[-1])
    assert err.value.field == field
    assert words in err.value.vi, err.value.vi
    assert_english(err.value)
    # nothing applied: the same figures as a loan that never saw the entry, built on its own
    fresh = LoanReplay(TERMS)
    for entry in entries[:-1]:
        fresh.apply(entry)
    on = entries[-1].on
    assert state.balances(on) == fresh.balances(on)
    assert [(i.no, i.principal, i.principal_paid, i.interest_paid) for i in state.schedule()] == [
        (i.no, i.principal, i.principal_paid, i.interest_paid) for i in fresh.schedule()]
    assert (state.allocations, state.restructures, state.reliefs, state.write_offs, state.recoveries,
            state.last_on, state.restructure_count, state.status) == (
        fresh.allocations, fresh.restructures, fresh.reliefs, fresh.write_offs, fresh.recoveries, fresh.last_on,
        fresh.restructure_count, fresh.status)


def test_in_term_interest_of_the_last_due_date_is_payable_at_once_after_it():
    terms = LoanTerms(amount=120_000_000, rate="7.3", term_months=1)  # one installment, D_1 = 10/04/2024
    state = LoanReplay(terms)
    state.apply(D(2024, 3, 10, 120_000_000))
    # D_1's interest: 31 days × 24.000 đ; the principal stays unpaid at the end of D_1: one more day, 24.000 đ
    q = state.quote(date(2024, 4, 12))
    assert (q.principal_due, q.interest_due, q.interest_accrued, q.interest_payable_after_term) == \
        (120_000_000, 744_000, 0, 24_000)
    assert q.due_now == 120_000_000 + 744_000 + q.overdue_interest + q.late_interest + 24_000
    a = state.apply(R(2024, 4, 12, 120_744_000 + q.overdue_interest + q.late_interest + 10_000))
    assert (a.principal, a.interest, a.settled) == (120_000_000, 744_000 + 10_000, False)
    b = state.balances(date(2024, 4, 12))
    assert (b.principal_outstanding, b.interest_accrued, b.days_past_due) == (0, 14_000, 0)
    assert state.apply(R(2024, 4, 20, 14_000)).settled and state.status == "settled"


def test_a_relief_that_leaves_nothing_owed_after_the_last_due_date_settles_the_loan():
    terms = LoanTerms(amount=120_000_000, rate="7.3", term_months=2)  # D_1 = 10/04/2024, D_2 = 10/05/2024
    state = LoanReplay(terms)
    state.apply(D(2024, 3, 10, 120_000_000))
    q = state.quote(date(2024, 5, 10))  # D_1 unpaid for 30 days: overdue and late-payment interest owed
    state.apply(R(2024, 5, 10, q.principal_due + q.interest_due))  # every installment, not the penalties
    owed = state.quote(date(2024, 5, 11))
    assert (owed.principal_due, owed.interest_due, owed.interest_accrued) == (0, 0, 0)
    assert owed.overdue_interest > 0 and owed.late_interest > 0
    state.apply(InterestRelief(date(2024, 5, 11), "overdue_interest", owed.overdue_interest))
    assert state.status == "active"
    state.apply(InterestRelief(date(2024, 5, 11), "late_interest", owed.late_interest))
    assert state.status == "settled" and state.closed_on == date(2024, 5, 11)
    assert state.balances(date(2024, 5, 11)).debt_group == 1  # a settled loan is group 1, watch or not
