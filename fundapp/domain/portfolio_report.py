"""The portfolio at the end of a day (DOMAIN.md "Reported"): every loan's balances by aging band and the overdue
loans to chase, from the period figures of ``reporting``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .figures import Figures, ratio
from .reporting import LoanInput, LoanPeriod, PeriodReport, period_report

AGING_BUCKETS = ((0, 0, "Trong hạn"), (1, 9, "1–9 ngày"), (10, 29, "10–29 ngày"), (30, 89, "30–89 ngày"),
                 (90, 179, "90–179 ngày"), (180, None, "Từ 180 ngày"))


def aging_bucket(days_past_due: int) -> str:
    """The aging label of DOMAIN.md's bands (current, 1–9, 10–29, 30–89, 90–179, 180+)."""
    for low, high, label in AGING_BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return AGING_BUCKETS[-1][2]


# The interest figures of a loan's balances the portfolio report lists and sums (Balances field names)
PORTFOLIO_INTEREST_FIELDS = ("interest_due_unpaid", "interest_accrued", "overdue_interest_accrued",
                             "late_interest_accrued")


@dataclass(frozen=True, slots=True)
class OverdueLoan:
    """A loan past due at the portfolio's date: its position, the interest owed (đồng: interest due unpaid +
    overdue interest + late-payment interest accrued) and the amount due (principal overdue + interest owed)."""

    position: LoanPeriod
    interest_owed: int
    amount_due: int


@dataclass(frozen=True)
class PortfolioFigures:
    """The portfolio at the end of a day (DOMAIN.md "Reported", aging bands of ``AGING_BUCKETS``).

    ``shown``: the loans with principal or interest outstanding, by loan number; ``aging``: (band label, Figures)
    in band order; ``overdue``: the loans in arrears (``Balances.in_arrears``: past due, or overdue or late-payment
    interest owed), most days first then by loan number; ``interest_totals``:
    ``PORTFOLIO_INTEREST_FIELDS`` name → đồng summed over ``shown``; ``collection_totals``: (principal overdue,
    interest owed, amount due) in đồng summed over ``overdue``.
    """

    total: Figures
    shown: tuple[LoanPeriod, ...]
    aging: tuple[tuple[str, Figures], ...]
    overdue: tuple[OverdueLoan, ...]
    interest_totals: dict[str, int]
    collection_totals: tuple[int, int, int]

    @property
    def aging_shares(self) -> tuple[Decimal, ...]:
        """Each aging band's outstanding principal as a percentage of the portfolio's (``figures.ratio``: two decimals,
        half up; 0 when nothing is outstanding), in the order of ``aging``: the aging table's «Tỷ trọng / dư nợ»."""
        return tuple(ratio(band.outstanding, self.total.outstanding) for _, band in self.aging)


def portfolio_figures(loans: Iterable[LoanInput], as_of: date) -> PortfolioFigures:
    """The balances of every loan at the end of ``as_of``, grouped by aging band, and the overdue loans to chase
    (``portfolio_of`` the one-day period report of ``as_of``). Raises what the replay raises for a malformed loan
    (``domain.errors``)."""
    return portfolio_of(period_report(loans, as_of, as_of))


def portfolio_of(report: PeriodReport) -> PortfolioFigures:
    """The portfolio at the end of ``report``'s last day from its loans' positions there (a one-day report of
    that day: ``period_report(loans, day, day)``, or the services' ``book_period_reports`` of ``[(day, day)]``,
    which reads them from replay checkpoints). Replays nothing."""
    aging = {label: Figures() for _, _, label in AGING_BUCKETS}
    shown, overdue = [], []
    for lp in report.loans:
        b = lp.balances
        if b.principal_outstanding == 0 and b.total_interest == 0:
            continue  # closed or not yet disbursed: nothing to show
        aging[aging_bucket(b.days_past_due)].add(lp)
        shown.append(lp)
        if b.in_arrears:  # past due, or penalty interest owed (DOMAIN.md "A repayment on day t")
            interest = b.interest_due_unpaid + b.overdue_interest_accrued + b.late_interest_accrued
            overdue.append(OverdueLoan(lp, interest, b.principal_overdue + interest))
    overdue.sort(key=lambda o: (-o.position.balances.days_past_due, o.position.loan.loan_no))
    return PortfolioFigures(
        total=report.total,
        shown=tuple(sorted(shown, key=lambda lp: lp.loan.loan_no)),
        aging=tuple(aging.items()),
        overdue=tuple(overdue),
        interest_totals={name: sum(getattr(lp.balances, name) for lp in shown) for name in PORTFOLIO_INTEREST_FIELDS},
        collection_totals=(sum(o.position.balances.principal_overdue for o in overdue),
                           sum(o.interest_owed for o in overdue), sum(o.amount_due for o in overdue)),
    )
