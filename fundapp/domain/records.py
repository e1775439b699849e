"""The engine's read-outs as immutable values: allocations, balances, schedule lines, quotes, a loan's result.

NamedTuples where a book makes them by the hundred thousand (cheap to build); money in đồng.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .events import RecoveryResult, ReliefResult, RestructureResult, WriteOffResult


class Allocation(NamedTuple):
    """How one repayment was applied (DOMAIN.md "A repayment on day t"), in đồng.

    ``principal`` includes ``principal_not_yet_due`` (a prepayment, or the rest paid at
    settlement); ``interest`` is installment interest, plus the in-term interest accrued after
    the last due date or at settlement. A recovery on a written-off loan is a ``RecoveryResult``.
    """

    on: date
    amount: int
    principal: int
    interest: int
    overdue_interest: int
    late_interest: int
    principal_not_yet_due: int
    settled: bool

    @property
    def interest_total(self) -> int:
        """In-term, overdue and late-payment interest together (đồng)."""
        return self.interest + self.overdue_interest + self.late_interest


BALANCE_FIELDS = (
    "principal_outstanding",
    "principal_overdue",
    "interest_due_unpaid",
    "interest_accrued",
    "overdue_interest_accrued",
    "late_interest_accrued",
    "days_past_due",
    "debt_group",
    "written_off_principal",
    "written_off_interest",
)


class Balances(NamedTuple):
    """The figures of DOMAIN.md "Balances as of a date t" at the end of ``as_of``: money in đồng,
    ``days_past_due`` in days, ``debt_group`` 1–5 (Circular 14/2024). The off-balance figures
    (``written_off_principal``, ``written_off_interest``: written off, not yet recovered) are 0
    for most loans. A NamedTuple for speed (a book of 10,000 loans makes one per loan and date)."""

    as_of: date
    principal_outstanding: int
    principal_overdue: int
    interest_due_unpaid: int
    interest_accrued: int
    overdue_interest_accrued: int
    late_interest_accrued: int
    days_past_due: int
    debt_group: int
    written_off_principal: int = 0
    written_off_interest: int = 0

    @property
    def total_interest(self) -> int:
        """Interest owed on the balance sheet, all kinds (đồng)."""
        return self.interest_due_unpaid + self.interest_accrued + self.overdue_interest_accrued + self.late_interest_accrued

    @property
    def in_arrears(self) -> bool:
        """Whether the loan is in arrears at the end of ``as_of`` (DOMAIN.md "A repayment on day t"): anything due
        before that day unpaid (``days_past_due`` > 0), or overdue or late-payment interest owed — as after a
        write-off reversed once its recovery had paid the principal: nothing past due, yet overdue interest owed."""
        return self.days_past_due > 0 or self.overdue_interest_accrued > 0 or self.late_interest_accrued > 0

    def as_dict(self) -> dict[str, int]:
        """The figures keyed as in INTERCHANGE.md (``BALANCE_FIELDS``, without the date)."""
        return {name: getattr(self, name) for name in BALANCE_FIELDS}


@dataclass(frozen=True, slots=True)
class Installment:
    """One line of the schedule (DOMAIN.md "Due dates", "Principal of the installments").

    ``no`` is the number on the grid A + no × frequency months (an opened loan's schedule may
    start above 1; restructurings append). ``interest`` (đồng) is actual once due (deferred
    interest included), else projected; ``interest_relieved`` is interest forgiven by a relief.
    """

    no: int
    due_on: date
    principal: int
    interest: int
    interest_projected: bool
    principal_paid: int
    interest_paid: int
    interest_relieved: int = 0

    @property
    def total(self) -> int:
        """Principal plus interest of the installment (đồng)."""
        return self.principal + self.interest

    @property
    def unpaid(self) -> int:
        """Principal and interest of this installment neither paid nor relieved (đồng)."""
        return self.principal - self.principal_paid + self.interest - self.interest_paid - self.interest_relieved

    def as_unpaid(self) -> Installment:
        """The same installment reduced to what is still owed on it (for notices of debt due)."""
        return Installment(self.no, self.due_on, self.principal - self.principal_paid,
                           self.interest - self.interest_paid - self.interest_relieved, self.interest_projected, 0, 0)


class Quote(NamedTuple):
    """What is payable on day ``on`` (accrued through the day before), in đồng: to become current, and to settle.

    ``interest_accrued`` is the current period's in-term interest plus deferred interest, not yet
    payable; after the last due date D_n that interest (day D_n's on the principal then unpaid, and
    whatever accrued in term since) has no installment to carry it and is payable at once from
    D_n + 1 (DOMAIN.md "Daily accrual"): it is ``interest_payable_after_term`` instead, part of
    ``due_now``, and ``interest_accrued`` is 0. DOMAIN.md "A repayment on day t".
    """

    on: date
    principal_due: int
    interest_due: int
    overdue_interest: int
    late_interest: int
    principal_not_yet_due: int
    interest_accrued: int
    interest_payable_after_term: int = 0

    @property
    def due_now(self) -> int:
        """The amount that brings the loan up to date today (đồng): installments due and unpaid, overdue and
        late-payment interest, and the in-term interest payable after the last due date."""
        return (self.principal_due + self.interest_due + self.overdue_interest + self.late_interest
                + self.interest_payable_after_term)

    @property
    def settlement(self) -> int:
        """The exact amount that closes the loan today (tất toán), in đồng."""
        return self.due_now + self.principal_not_yet_due + self.interest_accrued


@dataclass(frozen=True, slots=True)
class LoanResult:
    """Everything the engine says about one loan at one date (``replay``): balances, the results of
    each entry in order of kind, the schedule, and amounts in đồng (``disbursed`` includes an
    opening's; ``prepaid`` is principal paid ahead of its installments)."""

    balances: Balances
    allocations: tuple[Allocation, ...]
    schedule: tuple[Installment, ...]
    disbursed: int
    prepaid: int
    closed_on: date | None
    anchor: date | None
    restructures: tuple[RestructureResult, ...] = ()
    reliefs: tuple[ReliefResult, ...] = ()
    write_offs: tuple[WriteOffResult, ...] = ()
    recoveries: tuple[RecoveryResult, ...] = ()
    restructure_count: int = 0
    status: str = "pending"
