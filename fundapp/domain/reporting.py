"""Portfolio figures over a period: the quarterly report of INTERCHANGE.md and its breakdowns.

Takes each loan's terms, transactions and the borrower's attributes; returns plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .collation import vi_sort_key
from .dates import add_months
from .engine import Balances, Kind, LoanReplay, Transaction, ordered
from .money import round_half_up, to_fraction
from .terms import LoanTerms

DEFAULT_PROVISION_RATES: dict[int, Decimal] = {
    1: Decimal("0"),
    2: Decimal("2"),
    3: Decimal("25"),
    4: Decimal("50"),
    5: Decimal("100"),
}  # % of outstanding principal per debt group (Decree 86/2024, microfinance)

AGING_BUCKETS = ((0, 0, "Trong hạn"), (1, 9, "1–9 ngày"), (10, 29, "10–29 ngày"), (30, 89, "30–89 ngày"),
                 (90, 179, "90–179 ngày"), (180, None, "Từ 180 ngày"))


@dataclass(frozen=True, slots=True)
class LoanInput:
    """One loan as the reports see it."""

    loan_no: str
    terms: LoanTerms
    transactions: Sequence[Transaction]
    district: str = ""
    ward: str = ""
    borrower_kind: str = ""
    sector: str = ""
    borrower_code: str = ""

    @property
    def area(self) -> str:
        """The legacy district, or the ward where no district is known."""
        return self.district or self.ward


@dataclass(frozen=True, slots=True)
class LoanPeriod:
    """What one loan did in a period and where it stood at its end."""

    loan: LoanInput
    disbursed_count: int
    disbursed_amount: int
    principal_collected: int
    interest_collected: int
    balances: Balances


def loan_periods(loan: LoanInput, periods: Sequence[tuple[date, date]]) -> list[LoanPeriod]:
    """One replay of a loan, read for each (start, end) period: flows dated inside it, balances at its end."""
    state = LoanReplay(loan.terms)
    counts = [[0, 0, 0, 0] for _ in periods]  # disbursed count, amount, principal, interest
    balances: list[Balances | None] = [None] * len(periods)
    by_end = sorted(range(len(periods)), key=lambda i: periods[i][1])
    pending = 0
    for tx in ordered(loan.transactions):
        while pending < len(by_end) and periods[by_end[pending]][1] < tx.on:
            i = by_end[pending]
            balances[i] = state.balances(periods[i][1])
            pending += 1
        if pending == len(by_end):
            break
        allocation = state.apply(tx)
        for i, (start, end) in enumerate(periods):
            if start <= tx.on <= end:
                c = counts[i]
                if tx.kind is Kind.DISBURSEMENT:
                    c[0] += 1
                    c[1] += tx.amount
                elif allocation is not None:
                    c[2] += allocation.principal
                    c[3] += allocation.interest_total
    for i in by_end[pending:]:
        balances[i] = state.balances(periods[i][1])
    return [LoanPeriod(loan, *counts[i], balances[i]) for i in range(len(periods))]  # type: ignore[arg-type]


def loan_period(loan: LoanInput, start: date, end: date) -> LoanPeriod:
    """Replay one loan through ``end`` and sum its flows dated ``start``..``end``."""
    return loan_periods(loan, [(start, end)])[0]


@dataclass
class Figures:
    """Totals over a set of loans for one period (INTERCHANGE.md's keys and a few more)."""

    disbursed_count: int = 0
    disbursed_loans: int = 0
    disbursed_amount: int = 0
    principal_collected: int = 0
    interest_collected: int = 0
    outstanding: int = 0
    overdue_principal: int = 0
    loans_outstanding: int = 0
    debt_groups: dict[str, int] = field(default_factory=lambda: {str(g): 0 for g in range(1, 6)})
    outstanding_by_group: dict[str, int] = field(default_factory=lambda: {str(g): 0 for g in range(1, 6)})
    suspended_interest: int = 0  # interest accrued on loans of groups 2–5 (lãi treo)

    def add(self, lp: LoanPeriod) -> None:
        b = lp.balances
        self.disbursed_count += lp.disbursed_count
        self.disbursed_loans += 1 if lp.disbursed_count else 0
        self.disbursed_amount += lp.disbursed_amount
        self.principal_collected += lp.principal_collected
        self.interest_collected += lp.interest_collected
        self.outstanding += b.principal_outstanding
        self.overdue_principal += b.principal_overdue
        if b.principal_outstanding > 0:
            group = str(b.debt_group)
            self.loans_outstanding += 1
            self.debt_groups[group] += 1
            self.outstanding_by_group[group] += b.principal_outstanding
            if b.debt_group >= 2:
                self.suspended_interest += b.total_interest

    @property
    def bad_debt(self) -> int:
        """Groups 3–5 (nợ xấu)."""
        return sum(self.outstanding_by_group[g] for g in ("3", "4", "5"))

    def provisions(self, rates: dict[int, Decimal] | None = None) -> dict[str, int]:
        """Specific provision per debt group, rounded half up to đồng."""
        rates = rates or DEFAULT_PROVISION_RATES
        return {
            g: round_half_up(self.outstanding_by_group[g] * to_fraction(rates[int(g)]) / 100)
            for g in self.outstanding_by_group
        }


def ratio(part: int, whole: int) -> Decimal:
    """part / whole as a percentage with two decimals (0 when whole is 0)."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PeriodReport:
    """Totals and breakdowns of a period."""

    start: date
    end: date
    total: Figures
    by_area: dict[str, Figures]
    by_ward: dict[str, Figures]
    by_kind: dict[str, Figures]
    by_sector: dict[str, Figures]
    loans: tuple[LoanPeriod, ...]

    def interchange_json(self) -> dict:
        """The JSON object of ``fundapp report quarterly --format json`` (INTERCHANGE.md)."""
        t = self.total
        return {
            "disbursed_count": t.disbursed_count,
            "disbursed_loans": t.disbursed_loans,
            "disbursed_amount": t.disbursed_amount,
            "principal_collected": t.principal_collected,
            "interest_collected": t.interest_collected,
            "outstanding": t.outstanding,
            "overdue_principal": t.overdue_principal,
            "debt_groups": dict(t.debt_groups),
            "by_district": {
                area: {"disbursed_amount": f.disbursed_amount, "outstanding": f.outstanding}
                for area, f in sorted(self.by_area.items(), key=lambda kv: vi_sort_key(kv[0]))
            },
        }


def _group(periods: Iterable[LoanPeriod], key: Callable[[LoanInput], str]) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    for lp in periods:
        out.setdefault(key(lp.loan) or "", Figures()).add(lp)
    return out


def _report(start: date, end: date, periods: tuple[LoanPeriod, ...]) -> PeriodReport:
    total = Figures()
    for lp in periods:
        total.add(lp)
    return PeriodReport(
        start=start,
        end=end,
        total=total,
        by_area=_group(periods, lambda loan: loan.area),
        by_ward=_group(periods, lambda loan: loan.ward),
        by_kind=_group(periods, lambda loan: loan.borrower_kind),
        by_sector=_group(periods, lambda loan: loan.sector),
        loans=periods,
    )


def period_reports(loans: Iterable[LoanInput], periods: Sequence[tuple[date, date]]) -> list[PeriodReport]:
    """A report for each (start, end) period (inclusive), replaying every loan once for all of them.

    Every loan of the book appears in the breakdowns, even one that did nothing in the period.
    """
    per_loan = [loan_periods(loan, periods) for loan in loans]
    return [_report(start, end, tuple(lp[i] for lp in per_loan)) for i, (start, end) in enumerate(periods)]


def period_report(loans: Iterable[LoanInput], start: date, end: date) -> PeriodReport:
    """Figures of every loan for ``start``..``end`` (inclusive), with breakdowns."""
    return period_reports(loans, [(start, end)])[0]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1..4")
    start = date(year, 3 * quarter - 2, 1)
    return start, date.fromordinal(add_months(start, 3).toordinal() - 1)


def administrative_quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Decree 09/2019's reporting period: the 15th of the month before the quarter to the 14th of its last month."""
    start, _ = quarter_bounds(year, quarter)
    first = add_months(start, -1).replace(day=15)
    return first, add_months(start, 2).replace(day=14)


def quarter_periods(year: int, quarter: int, convention: str = "calendar") -> list[tuple[date, date]]:
    """The quarter, the same quarter a year before, and the year to date, under a reporting convention:
    "calendar" quarters, or "administrative" ones (Decree 09/2019: from the 15th of the month before)."""
    bounds = administrative_quarter_bounds if convention == "administrative" else quarter_bounds
    start, end = bounds(year, quarter)
    return [(start, end), bounds(year - 1, quarter), (bounds(year, 1)[0], end)]


def aging_bucket(days_past_due: int) -> str:
    """The aging label of DOMAIN.md's bands (current, 1–9, 10–29, 30–89, 90–179, 180+)."""
    for low, high, label in AGING_BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return AGING_BUCKETS[-1][2]
