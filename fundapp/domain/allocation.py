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
    for step in ((0, 1) if in_arrears else (1, 0)):
        for k in range(lo, hi):
            if not left:
                break
            if step == 0:
                part = principal[k] - principal_paid[k]
            else:
                part = interest[k] - interest_paid[k] - interest_relieved[k]
            if part > left:
                part = left
            if part:
                (pay_p if step == 0 else pay_i)[k] = part
                left -= part
    overdue = min(left, overdue_interest)
    left -= overdue
    late = min(left, late_interest)
    left -= late
    tail = min(left, tail_interest)
    left -= tail
    return RepaymentSplit(pay_p, pay_i, overdue, late, tail, left)


def split_recovery(amount: int, principal_left: int) -> tuple[int, int]:
    """A recovery of ``amount`` đồng on a written-off loan: (principal, interest), written-off principal first."""
    principal = min(amount, principal_left)
    return principal, amount - principal
