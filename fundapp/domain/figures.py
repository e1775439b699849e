"""The fund's figures summed over loans for one period (INTERCHANGE.md's keys and a few more): ``Figures``, the
percentage ``ratio`` and the provision rates they are provisioned at (DOMAIN.md "Reported").

``reporting`` fills them loan by loan from each loan's ``LoanPeriod``; the overview adds its loans' positions
through the same ``add_position``/``add_life_position``; the services call the sums made here for a paper (a
notice's total, a write-off's, the provisions at the fund's rates) and documents lay the results out, reading only
``Figures``' own attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .money import round_half_up, to_fraction
from .records import Balances, Installment, Quote

if TYPE_CHECKING:
    from .reporting import LoanPeriod

DEFAULT_PROVISION_RATES: dict[int, Decimal] = {
    1: Decimal("0"),
    2: Decimal("2"),
    3: Decimal("25"),
    4: Decimal("50"),
    5: Decimal("100"),
}  # % of outstanding principal per debt group (Decree 86/2024, microfinance)


BAD_DEBT_GROUPS = (3, 4, 5)  # nợ xấu (DOMAIN.md "Provisions and bad debt")

LIFE_EVENT_KEYS = ("restructured_count", "restructured_outstanding", "interest_relieved", "written_off_principal",
                   "written_off_interest", "recovered", "off_balance")


@dataclass
class Figures:
    """Totals over a set of loans for one period (INTERCHANGE.md's keys and a few more)."""

    disbursed_count: int = 0
    disbursed_loans: int = 0
    disbursed_amount: int = 0
    principal_collected: int = 0
    interest_collected: int = 0
    outstanding: int = 0
    principal_overdue: int = 0
    loans_outstanding: int = 0
    debt_groups: dict[str, int] = field(default_factory=lambda: {str(g): 0 for g in range(1, 6)})
    outstanding_by_group: dict[str, int] = field(default_factory=lambda: {str(g): 0 for g in range(1, 6)})
    suspended_interest: int = 0  # interest accrued on loans of groups 2–5 (lãi treo)
    restructured_count: int = 0  # restructurings dated in the period
    restructured_outstanding: int = 0  # at the end, loans restructured on or before it (not written off)
    interest_relieved: int = 0  # the three kinds, relieved in the period
    written_off_principal: int = 0  # written off in the period
    written_off_interest: int = 0
    recovered: int = 0  # recoveries of written-off debt in the period (not collections)
    off_balance: int = 0  # written-off principal and interest not yet recovered, at the end

    def add(self, lp: LoanPeriod) -> None:
        """Add one loan's period (DOMAIN.md "Reported": openings are not disbursements, recoveries not
        collections)."""
        b = lp.balances
        self.restructured_count += lp.restructured_count
        self.interest_relieved += lp.interest_relieved
        self.written_off_principal += lp.written_off_principal
        self.written_off_interest += lp.written_off_interest
        self.recovered += lp.recovered
        self.add_life_position(b, lp.restructured)
        self.disbursed_count += lp.disbursed_count
        self.disbursed_loans += 1 if lp.disbursed_count else 0
        self.disbursed_amount += lp.disbursed_amount
        self.principal_collected += lp.principal_collected
        self.interest_collected += lp.interest_collected
        suspended = b.total_interest if b.debt_group >= 2 and b.principal_outstanding > 0 else 0  # else unused
        self.add_position(b.principal_outstanding, b.principal_overdue, b.debt_group, suspended)

    def add_position(self, principal_outstanding: int, principal_overdue: int, debt_group: int,
                     total_interest: int = 0) -> None:
        """Add one loan's position at the period's end (đồng; ``debt_group`` 1–5): outstanding and overdue
        principal, and for a loan with principal outstanding its count and outstanding by debt group and, in groups
        2–5, its accrued interest as suspended interest (DOMAIN.md "Reported"). The one place these sums are made:
        the overview adds its loans here too. Raises ``KeyError`` for a group outside 1–5."""
        self.outstanding += principal_outstanding
        self.principal_overdue += principal_overdue
        if principal_outstanding > 0:
            group = str(debt_group)
            self.loans_outstanding += 1
            self.debt_groups[group] += 1
            self.outstanding_by_group[group] += principal_outstanding
            if debt_group >= 2:
                self.suspended_interest += total_interest

    def add_life_position(self, balances: Balances, restructured: bool) -> None:
        """Add one loan's life-event position at the period's end (đồng): its written-off principal and interest
        not yet recovered to ``off_balance``, and, when ``restructured`` (a restructuring entry dated on or before
        the end), its principal outstanding to ``restructured_outstanding``. DOMAIN.md "Reported"; the one place
        these sums are made: the overview adds its loans here too."""
        self.off_balance += balances.written_off_principal + balances.written_off_interest
        if restructured:
            self.restructured_outstanding += balances.principal_outstanding

    def merge(self, other: Figures) -> None:
        """Add the totals of another set of loans (every figure here is a sum over loans)."""
        for name, value in vars(other).items():
            if isinstance(value, dict):
                mine = getattr(self, name)
                for k, v in value.items():
                    mine[k] += v
            else:
                setattr(self, name, getattr(self, name) + value)

    def life_events(self) -> dict[str, int]:
        """The life events' figures under INTERCHANGE.md's keys (quarterly report, and the six-month and annual
        reports)."""
        return {key: getattr(self, key) for key in LIFE_EVENT_KEYS}

    @property
    def collected(self) -> int:
        """Principal and interest collected in the period (đồng): the overview's "thu nợ" card."""
        return self.principal_collected + self.interest_collected

    @property
    def bad_debt(self) -> int:
        """Outstanding principal of groups 3–5 (nợ xấu), đồng."""
        return sum(self.outstanding_by_group[str(g)] for g in BAD_DEBT_GROUPS)

    @property
    def principal_overdue_ratio(self) -> Decimal:
        """Overdue principal as a percentage of the outstanding principal (``ratio``: two decimals, half up; 0 when
        nothing is outstanding): the reports' «Tỷ lệ nợ quá hạn / dư nợ»."""
        return ratio(self.principal_overdue, self.outstanding)

    @property
    def bad_debt_ratio(self) -> Decimal:
        """Bad debt (groups 3–5) as a percentage of the outstanding principal (``ratio``): the reports' «Tỷ lệ nợ
        xấu / dư nợ» (DOMAIN.md "Provisions and bad debt")."""
        return ratio(self.bad_debt, self.outstanding)

    @property
    def total_share(self) -> Decimal:
        """The «Tổng cộng» row's «Tỷ trọng / dư nợ» (``ratio`` of the outstanding principal to itself): 100.00 %, or
        0.00 when nothing is outstanding (each band's or group's share is 0 then too)."""
        return ratio(self.outstanding, self.outstanding)

    @property
    def group_shares(self) -> dict[str, Decimal]:
        """Each debt group's outstanding principal as a percentage of all of it (``ratio``), group "1"–"5" → %: the
        debt-group table's «Tỷ trọng / dư nợ»."""
        return {g: ratio(amount, self.outstanding) for g, amount in self.outstanding_by_group.items()}

    def provisions(self, rates: dict[int, Decimal] | None = None) -> dict[str, int]:
        """Specific provision per debt group, rounded half up to đồng."""
        rates = rates or DEFAULT_PROVISION_RATES
        return {g: provision(self.outstanding_by_group[g], rates[int(g)]) for g in self.outstanding_by_group}

    def provisions_with_total(self, rates: dict[int, Decimal] | None = None) -> tuple[dict[str, int], int]:
        """``provisions`` at ``rates`` and their sum, the report's «Tổng dự phòng cụ thể» (đồng; DOMAIN.md
        "Provisions and bad debt": each group's rounded first, then added), made once for a paper that prints both."""
        provisions = self.provisions(rates)
        return provisions, sum(provisions.values())


def provision(principal: int, rate: Decimal) -> int:
    """The specific provision (đồng) on ``principal`` đồng at ``rate`` % of it, rounded half up to the đồng
    (DOMAIN.md "Provisions and bad debt": Decree 86/2024's rate of the loan's debt group)."""
    return round_half_up(principal * to_fraction(rate) / 100)


def write_off_total(principal: int, interest: int) -> int:
    """What a write-off takes off the balance sheet (đồng): its ``principal`` plus its ``interest`` (đồng, every kind
    as the engine's ``WriteOffResult`` gives them, already rounded) — DOMAIN.md "Write-off on day t": everything owed
    goes off-balance. The decision's «Tổng số tiền xử lý rủi ro»."""
    return principal + interest


def schedule_totals(installments: Iterable[Installment]) -> tuple[int, int, int]:
    """(principal, interest, principal + interest) of a repayment schedule's lines, đồng (DOMAIN.md "Principal of
    the installments"; each line's interest as the engine gives it: actual once due, else projected). The contract's
    schedule table's «Cộng» row."""
    principal = interest = 0
    for i in installments:
        principal += i.principal
        interest += i.interest
    return principal, interest, principal + interest


def principal_total(principals: Iterable[int | None]) -> int:
    """The principal outstanding of a selection of loans added, đồng (None, a loan with no cached figure yet,
    counts 0): what the batch restructuring's dialog says the officer chose («dư nợ gốc»)."""
    return sum(p or 0 for p in principals)


def uncovered_principal(principal: int, provision: int) -> int:
    """The written-off ``principal`` (đồng) that the specific ``provision`` (đồng, see ``provision``) does not cover:
    principal − provision (DOMAIN.md "Write-off on day t" and "Provisions and bad debt"; interest is never
    provisioned). The decision's «phần chưa được dự phòng bù đắp»."""
    return principal - provision


def notice_total(installments: Iterable[Installment], quotes: Iterable[Quote], issued_on: date) -> tuple[int, int]:
    """What a notice of debt due asks one borrower to pay on ``issued_on``, in đồng: (total, not_yet_due).

    ``installments``: the notice month's installments still unpaid (``Installment.total`` = principal + interest as
    the engine gives them); ``quotes``: the engine's quote on ``issued_on`` of each of the borrower's loans with debt
    due and unpaid (DOMAIN.md "Quote"; ``due_now`` already holds every installment due by ``issued_on``).
    ``not_yet_due`` sums the installments due after ``issued_on`` (every one when no quote is given: nothing is due
    yet) and ``total`` adds the quotes' ``due_now`` to it, so no installment is counted twice."""
    quotes = tuple(quotes)
    not_yet_due = sum(i.total for i in installments if not quotes or i.due_on > issued_on)
    return sum(q.due_now for q in quotes) + not_yet_due, not_yet_due


def bad_debt_loans(loans_by_group: Mapping[int, int]) -> int:
    """How many loans are bad debt (nợ xấu: debt groups 3–5, DOMAIN.md "Provisions and bad debt"), from the count of
    loans with principal outstanding per debt group (``loans_by_group``: group 1–5 → loans; a group missing counts
    0), as ``Figures.debt_groups`` counts them. The overview's «Nợ xấu (nhóm 3–5): n khoản». A count, not đồng."""
    return sum(loans_by_group.get(g, 0) for g in BAD_DEBT_GROUPS)


def growth(opening: int, closing: int) -> Decimal:
    """How much ``closing`` grew on ``opening`` (đồng, e.g. the outstanding principal at a period's start and end),
    as a percentage of ``opening`` (``ratio``: two decimals, half up; negative when it shrank, 0 when ``opening`` is
    0): the lending report's «Tăng trưởng dư nợ» (Decree 45 Art. 44)."""
    return ratio(closing - opening, opening)


def ratio(part: int, whole: int) -> Decimal:
    """part / whole as a percentage with two decimals, rounded half up (away from zero, as DOMAIN.md "Money and
    rates" rounds and as ``collateral.coverage_percent`` does); 0 when whole is 0. A tie (…,xx5 exactly) is a
    terminating decimal, so Decimal's 28-digit quotient holds it exactly before the rounding."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
