"""The engine's fast paths (issue 17) give the very integers of the formulas they replace (hypothesis).

Each old formula is kept here, written as DOMAIN.md states it (exact ``Fraction`` arithmetic, dates from
``datetime``), and compared with the engine's integer arithmetic over random inputs.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

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
