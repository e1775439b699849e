"""How the principal not yet due is spread over the installments not yet due (DOMAIN.md)."""

from __future__ import annotations

from fractions import Fraction

from .money import round_half_up
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
        parts = _annuity(principal, m, period_rate)
    return [0] * in_grace + parts


def _annuity(principal: int, m: int, i: Fraction) -> list[int]:
    if i == 0:
        payment = Fraction(principal, m)
    else:
        payment = principal * i / (1 - 1 / (1 + i) ** m)
    parts = []
    balance = principal
    for _ in range(m - 1):
        part = round_half_up(payment - balance * i)
        part = min(max(part, 0), balance)
        parts.append(part)
        balance -= part
    parts.append(balance)
    return parts


def grace_count(first_no: int, count: int, grace_from: int, grace_to: int) -> int:
    """How many of the ``count`` installments numbered ``first_no``… lie in the grace range
    [``grace_from``, ``grace_to``) of grid numbers (the loan's grace, or a restructuring's)."""
    lo = max(first_no, grace_from)
    hi = min(first_no + count, grace_to)
    return hi - lo if hi > lo else 0
