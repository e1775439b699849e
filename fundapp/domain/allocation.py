"""The order in which a repayment is applied, and the split of a recovery (DOMAIN.md "A repayment on day t",
"Write-off on day t"). Pure functions over what is owed; the replay checks and writes."""

from __future__ import annotations

from typing import NamedTuple


class RepaymentSplit(NamedTuple):
    """Where an amount goes, in đồng: per installment index (principal, interest), then the
    overdue, late-payment and after-last-due-date in-term interest, and the ``rest`` left for
    principal not yet due (a prepayment or a settlement)."""

    principal: dict[int, int]
    interest: dict[int, int]
    overdue_interest: int
    late_interest: int
    tail_interest: int
    rest: int


def split_repayment(
    amount: int,
    in_arrears: bool,
    lo: int,
    hi: int,
    principal: list[int],
    principal_paid: list[int],
    interest: list[int],
    interest_paid: list[int],
    interest_relieved: list[int],
    overdue_interest: int,
    late_interest: int,
    tail_interest: int,
) -> RepaymentSplit:
    """Apply ``amount`` đồng to what is due on installments ``lo``..``hi − 1`` (due on or before the day).

    In arrears (Circular 39/2016): principal due oldest first, then installment interest oldest
    first (neither paid nor relieved); otherwise interest first, then principal. Then overdue
    interest, late-payment interest, and the in-term interest of the last due date
    (``tail_interest``, payable at once after it). Nothing is written.
    """
    left = amount
    pay_p: dict[int, int] = {}
    pay_i: dict[int, int] = {}
    if hi - lo == 1:  # one installment due (the common case): the same steps without a loop
        k = lo
        owed_p = principal[k] - principal_paid[k]
        owed_i = interest[k] - interest_paid[k] - interest_relieved[k]
        for owed, out in ((owed_p, pay_p), (owed_i, pay_i)) if in_arrears else ((owed_i, pay_i), (owed_p, pay_p)):
            if left:
                part = owed if owed < left else left
                if part:
                    out[k] = part
                    left -= part
    elif lo < hi:
        if in_arrears:
            left = _pay_oldest_first(left, lo, hi, principal, principal_paid, None, pay_p)
            left = _pay_oldest_first(left, lo, hi, interest, interest_paid, interest_relieved, pay_i)
        else:
            left = _pay_oldest_first(left, lo, hi, interest, interest_paid, interest_relieved, pay_i)
            left = _pay_oldest_first(left, lo, hi, principal, principal_paid, None, pay_p)
    overdue = left if left < overdue_interest else overdue_interest
    left -= overdue
    late = left if left < late_interest else late_interest
    left -= late
    tail = left if left < tail_interest else tail_interest
    left -= tail
    return RepaymentSplit(pay_p, pay_i, overdue, late, tail, left)


def _pay_oldest_first(left: int, lo: int, hi: int, owed: list[int], paid: list[int], relieved: list[int] | None,
                      out: dict[int, int]) -> int:
    """Pay what installments ``lo``..``hi − 1`` still owe of one part (``owed − paid − relieved``, đồng) oldest
    first out of ``left`` đồng, writing each payment into ``out``; returns what is left."""
    for k in range(lo, hi):
        if not left:
            break
        part = owed[k] - paid[k] if relieved is None else owed[k] - paid[k] - relieved[k]
        if part > left:
            part = left
        if part:
            out[k] = part
            left -= part
    return left


def split_recovery(amount: int, principal_left: int) -> tuple[int, int]:
    """A recovery of ``amount`` đồng on a written-off loan: (principal, interest), written-off principal first."""
    principal = min(amount, principal_left)
    return principal, amount - principal
