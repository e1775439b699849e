"""The engine's fast paths (issue 17) give the very integers of the formulas they replace (hypothesis).

Each old formula is kept here, written as DOMAIN.md states it (exact ``Fraction`` arithmetic, dates from
``datetime``), and compared with the engine's integer arithmetic over random inputs.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fundapp.domain.allocation import split_repayment
from fundapp.domain.money import round_half_up
from fundapp.domain.schedule import split_principal
from fundapp.domain.terms import Method


def annuity_by_fractions(principal: int, m: int, i: Fraction) -> list[int]:
    """DOMAIN.md "Principal of the installments", annuity: A = N·i / (1 − (1+i)^−m), part j round(A − B_j·i)."""
    payment = Fraction(principal, m) if i == 0 else principal * i / (1 - 1 / (1 + i) ** m)
    parts = []
    balance = principal
    for _ in range(m - 1):
        part = round_half_up(payment - balance * i)
        part = min(max(part, 0), balance)
        parts.append(part)
        balance -= part
    parts.append(balance)
    return parts


rates = st.one_of(
    st.decimals(min_value=0, max_value=100, places=4).map(lambda r: Fraction(r) / 100),  # %/tháng × 1 month
    st.builds(lambda r, f: Fraction(r) / 100 * f / 12, st.decimals(min_value=0, max_value=100, places=3),
              st.sampled_from([1, 3, 6, 12])),  # %/năm × frequency / 12
)


@settings(max_examples=600, deadline=None)
@given(principal=st.integers(min_value=-10**6, max_value=10**13), count=st.integers(min_value=1, max_value=120),
       grace=st.integers(min_value=0, max_value=12), i=rates)
def test_the_annuity_in_integers_equals_the_fraction_formula(principal, count, grace, i):
    grace = min(grace, count - 1)
    assert split_principal(Method.ANNUITY, principal, count, grace, i) == \
        [0] * grace + annuity_by_fractions(principal, count - grace, i)


def test_the_annuity_of_a_known_loan():
    # 120,000,000 đồng over 12 months at 6.6 %/năm: A = 10,361,094.65…; parts rise by the interest saved
    parts = split_principal(Method.ANNUITY, 120_000_000, 12, 0, Fraction(66, 1000) / 12)
    assert parts == annuity_by_fractions(120_000_000, 12, Fraction(66, 1000) / 12)
    assert parts[0] == 9_701_095 and sum(parts) == 120_000_000 and parts == sorted(parts)


def split_by_steps(amount, in_arrears, lo, hi, principal, principal_paid, interest, interest_paid, relieved,
                   overdue_interest, late_interest, tail_interest):
    """DOMAIN.md "A repayment on day t" step by step: principal then interest oldest first in arrears (else
    interest then principal), then overdue, late and after-term interest; the rest is left."""
    left = amount
    pay_p: dict[int, int] = {}
    pay_i: dict[int, int] = {}
    for step in ((0, 1) if in_arrears else (1, 0)):
        for k in range(lo, hi):
            if not left:
                break
            part = principal[k] - principal_paid[k] if step == 0 else interest[k] - interest_paid[k] - relieved[k]
            part = min(part, left)
            if part:
                (pay_p if step == 0 else pay_i)[k] = part
                left -= part
    overdue = min(left, overdue_interest)
    late = min(left - overdue, late_interest)
    tail = min(left - overdue - late, tail_interest)
    return pay_p, pay_i, overdue, late, tail, left - overdue - late - tail


owed = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=800, deadline=None)
@given(amount=st.integers(min_value=1, max_value=5 * 10**9), in_arrears=st.booleans(),
       rows=st.lists(st.tuples(owed, owed, owed, owed, owed), min_size=1, max_size=6),
       lo=st.integers(min_value=0, max_value=6), hi=st.integers(min_value=0, max_value=6),
       extra=st.tuples(owed, owed, owed))
def test_the_repayment_split_equals_the_steps_of_domain_md(amount, in_arrears, rows, lo, hi, extra):
    n = len(rows)
    lo, hi = min(lo, n), min(hi, n)
    principal = [p + pp for p, pp, _, _, _ in rows]  # never less than paid
    principal_paid = [pp for _, pp, _, _, _ in rows]
    interest = [i + ip + ir for _, _, i, ip, ir in rows]
    interest_paid = [ip for _, _, _, ip, _ in rows]
    relieved = [ir for _, _, _, _, ir in rows]
    args = (amount, in_arrears, lo, hi, principal, principal_paid, interest, interest_paid, relieved, *extra)
    assert tuple(split_repayment(*args)) == split_by_steps(*args)
