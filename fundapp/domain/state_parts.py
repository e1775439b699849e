"""The named parts a loan's state is made of (``state.LoanState``): the accrual of one kind of interest in exact
đồng-days, the schedule as growable parallel lists, and what was written off and recovered since. Money is int
đồng, dates are day ordinals; DOMAIN.md "Daily accrual" and "Principal of the installments".
"""

from __future__ import annotations

from .money import round_ratio

# What ``totals`` sums over the entries applied (DOMAIN.md "Reported": openings are not disbursements, recoveries
# not collections): the flows of a period are the difference of the totals at its end and on the day before it
TOTALS = ("disbursed_count", "disbursed_amount", "principal_collected", "interest_collected", "restructured_count",
          "interest_relieved", "written_off_principal", "written_off_interest", "recovered", "life_events")


class Accrual:
    """Interest of one kind: exact đồng-days ``dd`` (× the daily rate num/den gives đồng), whole
    đồng ``base`` carried in from earlier books, and đồng ``paid`` and ``relieved``."""

    __slots__ = ("base", "dd", "den", "num", "paid", "relieved")

    def __init__(self, num: int, den: int) -> None:
        self.num, self.den = num, den
        self.dd = self.base = self.paid = self.relieved = 0

    def total(self) -> int:
        """round(accrued) + carried in, đồng."""
        return self.base + round_ratio(self.dd * self.num, self.den)

    def payable(self) -> int:
        """What is still owed of it: total − paid − relieved, đồng."""
        return self.base + round_ratio(self.dd * self.num, self.den) - self.paid - self.relieved

    def reset(self) -> None:
        """Start a new period: nothing accrued, carried, paid or relieved."""
        self.dd = self.base = self.paid = self.relieved = 0


class Installments:
    """The schedule as growable parallel lists (index k): grid number, due date ordinal, principal,
    principal paid, interest (fixed on its due date), interest paid and relieved; ``deferred`` is
    interest a restructuring moved to the next installment to fall due (đồng)."""

    __slots__ = (
        "deferred",
        "due",
        "interest",
        "interest_paid",
        "interest_relieved",
        "no",
        "principal",
        "principal_paid",
    )

    def __init__(self) -> None:
        self.no: list[int] = []
        self.due: list[int] = []
        self.principal: list[int] = []
        self.principal_paid: list[int] = []
        self.interest: list[int] = []
        self.interest_paid: list[int] = []
        self.interest_relieved: list[int] = []
        self.deferred = 0

    def append(self, no: int, due: int, principal: int = 0, interest: int = 0) -> None:
        """Add installment grid number ``no`` due on ordinal ``due``, with principal and interest in đồng."""
        self.no.append(no)
        self.due.append(due)
        self.principal.append(principal)
        self.principal_paid.append(0)
        self.interest.append(interest)
        self.interest_paid.append(0)
        self.interest_relieved.append(0)

    def extend(self, nos: list[int], dues: list[int]) -> None:
        """Add installments numbered ``nos`` due on ordinals ``dues``, nothing scheduled or paid yet."""
        count = len(nos)
        self.no += nos
        self.due += dues
        for name in ("principal", "principal_paid", "interest", "interest_paid", "interest_relieved"):
            getattr(self, name).extend([0] * count)

    def unpaid(self, k: int) -> tuple[int, int]:
        """(principal, interest) of installment k neither paid nor relieved, đồng."""
        return (self.principal[k] - self.principal_paid[k],
                self.interest[k] - self.interest_paid[k] - self.interest_relieved[k])


class OffBalance:
    """Written off (ngoại bảng) and recovered since, đồng."""

    __slots__ = ("interest", "principal", "recovered_interest", "recovered_principal")

    def __init__(self) -> None:
        self.principal = self.interest = self.recovered_principal = self.recovered_interest = 0
