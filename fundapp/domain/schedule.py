"""How the principal not yet due is spread over the installments not yet due (DOMAIN.md)."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from .money import round_ratio
from .terms import Method


def split_principal(method: Method, principal: int, count: int, in_grace: int, period_rate: Fraction) -> list[int]:
    """Principal of ``count`` installments not yet due, the first ``in_grace`` of them carrying none.

    ``principal`` (đồng) is spread over the m = count − in_grace others: equal_principal gives
    each floor(N / m) and the last the remainder; bullet puts it all on the last; annuity gives
    installment j round(A − B_j × i) with A = N·i / (1 − (1+i)^−m), the last what is left.
    """
    m = count - in_grace
    if m <= 0:
        raise ValueError("no installment left to carry principal")
    parts: list[int]
    if method is Method.EQUAL_PRINCIPAL:
        each = principal // m
        parts = [each] * (m - 1) + [principal - each * (m - 1)]
    elif method is Method.BULLET:
        parts = [0] * (m - 1) + [principal]
    else:
        parts = list(_annuity(principal, m, period_rate.numerator, period_rate.denominator))
    return [0] * in_grace + parts


@lru_cache(maxsize=8192)
def _annuity(principal: int, m: int, a: int, b: int) -> tuple[int, ...]:
    """The annuity's m parts of ``principal`` at the period rate i = a/b (a ≥ 0, b > 0), in exact integers.

    With c = a + b and E = c^m − b^m: A = N·i / (1 − (1+i)^−m) = N·a·c^m / (b·E), so installment j's
    round(A − B_j·i) is round(a·(N·c^m − B_j·E) / (b·E)), the same rational rounded half up
    (``round_ratio`` of any positive multiple of a fraction's terms gives its rounding); i = 0 gives
    round(N/m). A few loans share (N, m, i) at each disbursement, so the parts are kept.
    """
    if a == 0:
        num_top, num_balance, den = principal, 0, m
    else:
        c = a + b
        cm = c**m
        e = cm - b**m
        num_top, num_balance, den = a * principal * cm, a * e, b * e
    parts = []
    balance = principal
    for _ in range(m - 1):
        part = round_ratio(num_top - balance * num_balance, den)
        part = min(max(part, 0), balance)
        parts.append(part)
        balance -= part
    parts.append(balance)
    return tuple(parts)


def grace_count(first_no: int, count: int, grace_from: int, grace_to: int) -> int:
    """How many of the ``count`` installments numbered ``first_no``… lie in the grace range
    [``grace_from``, ``grace_to``) of grid numbers (the loan's grace, or a restructuring's)."""
    lo = max(first_no, grace_from)
    hi = min(first_no + count, grace_to)
    return hi - lo if hi > lo else 0
