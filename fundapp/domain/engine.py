"""The loan engine: replays a loan's transactions under its terms, exactly as DOMAIN.md says.

Accrual is carried in đồng-days (balance × days, an exact integer) per kind — in-term for the
current period, overdue principal, overdue installment interest — and turned into đồng
(× daily rate, rounded half up) only at the rounding points of DOMAIN.md. Balances are constant
between due dates and transactions, so the replay walks those segments, not days.
The engine keeps no hidden state: a reversal is a replay of the list without the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .dates import due_dates
from .errors import TransactionRefused
from .events import (
    DAY_ORDER,
    RELIEF_KINDS,
    Entry,
    InterestRelief,
    Kind,
    LoanStatus,
    Opening,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    Restructuring,
    Transaction,
    WriteOff,
    WriteOffResult,
    ordered,
    sort_key,
)
from .money import round_ratio
from .schedule import split_principal
from .terms import LoanTerms

__all__ = [  # the engine's names, including those re-exported from .events for the services
    "BALANCE_FIELDS", "DAY_ORDER", "RELIEF_KINDS", "Allocation", "Balances", "Entry", "Installment", "InterestRelief",
    "Kind", "LoanReplay", "LoanResult", "LoanStatus", "Opening", "Quote", "RecoveryResult", "ReliefResult",
    "RestructureResult", "Restructuring", "Transaction", "TransactionRefused", "WriteOff", "WriteOffResult",
    "balances_at", "debt_group", "ordered", "quote", "replay", "sort_key",
]


class Allocation(NamedTuple):
    """How one repayment was applied. ``principal`` includes ``principal_not_yet_due``
    (a prepayment, or the rest paid at settlement). Immutable; a NamedTuple for speed."""

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
        return self.interest + self.overdue_interest + self.late_interest


class Balances(NamedTuple):
    """The figures of DOMAIN.md's "Balances as of a date" at the end of ``as_of``. Immutable; a NamedTuple for
    speed (a book of 10,000 loans makes one per loan and date)."""

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
        return self.interest_due_unpaid + self.interest_accrued + self.overdue_interest_accrued + self.late_interest_accrued

    def as_dict(self) -> dict[str, int]:
        """The figures keyed as in INTERCHANGE.md (without the date)."""
        return {name: getattr(self, name) for name in BALANCE_FIELDS}


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


@dataclass(frozen=True, slots=True)
class Installment:
    """One line of the schedule. ``interest`` is actual once due, else projected."""

    no: int
    due_on: date
    principal: int
    interest: int
    interest_projected: bool
    principal_paid: int
    interest_paid: int

    @property
    def total(self) -> int:
        return self.principal + self.interest

    @property
    def unpaid(self) -> int:
        """Principal and interest of this installment not yet paid."""
        return self.principal - self.principal_paid + self.interest - self.interest_paid

    def as_unpaid(self) -> Installment:
        """The same installment reduced to what is still owed on it (for notices of debt due)."""
        return Installment(self.no, self.due_on, self.principal - self.principal_paid,
                           self.interest - self.interest_paid, self.interest_projected, 0, 0)


class Quote(NamedTuple):
    """What is payable on day ``on`` (accrued through the day before): to become current, and to settle."""

    on: date
    principal_due: int
    interest_due: int
    overdue_interest: int
    late_interest: int
    principal_not_yet_due: int
    interest_accrued: int

    @property
    def due_now(self) -> int:
        """The amount that brings the loan up to date today."""
        return self.principal_due + self.interest_due + self.overdue_interest + self.late_interest

    @property
    def settlement(self) -> int:
        """The exact amount that closes the loan today (tất toán)."""
        return self.due_now + self.principal_not_yet_due + self.interest_accrued


def debt_group(days_past_due: int) -> int:
    """Microfinance debt group (Circular 14/2024): under 10 days 1, 10–29 2, 30–89 3, 90–179 4, 180+ 5."""
    if days_past_due < 10:
        return 1
    if days_past_due < 30:
        return 2
    if days_past_due < 90:
        return 3
    if days_past_due < 180:
        return 4
    return 5


@lru_cache(maxsize=4096)
def _rates(rate, unit, overdue_factor, late_rate, frequency) -> tuple:
    """Daily in-term, overdue and late rates as (numerator, denominator) pairs, and the annuity's period
    rate: a book has few distinct rate sets, so each is made once."""
    terms = LoanTerms(amount=1, rate=rate, rate_unit=unit, term_months=frequency, frequency_months=frequency,
                      overdue_factor=overdue_factor, late_interest_rate=late_rate)
    d, o, late = terms.daily_rate, terms.overdue_daily_rate, terms.late_daily_rate
    return d.numerator, d.denominator, o.numerator, o.denominator, late.numerator, late.denominator, terms.period_rate


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


class LoanReplay:
    """The mutable state of one loan while its transactions are applied in order.

    ``apply`` refuses a transaction (``TransactionRefused``) before changing anything, so a
    caller may report it and go on with the next one.
    """

    def __init__(self, terms: LoanTerms, watch_days: int = 90) -> None:
        self.terms = terms
        self.watch_days = watch_days
        self.restructures: list[RestructureResult] = []
        self.reliefs: list[ReliefResult] = []
        self.write_offs: list[WriteOffResult] = []
        self.recoveries: list[RecoveryResult] = []
        self.restructure_count = 0
        self.n = terms.installments
        (self._rn, self._rd, self._on, self._od, self._ln, self._ld, self._period_rate) = _rates(
            terms.rate, terms.rate_unit, terms.overdue_factor, terms.late_interest_rate, terms.frequency_months)
        self.first_open = 0  # installments before it are fully paid
        self.anchor: date | None = None
        self.due: tuple[date, ...] = ()
        self._due_ord: list[int] = []
        n = self.n
        self.sched_p = [0] * n  # scheduled principal per installment
        self.paid_p = [0] * n
        self.inst_i = [0] * n  # installment interest, fixed on its due date
        self.paid_i = [0] * n
        self.fixed = 0  # installments whose due date has come (D_k ≤ current day)
        self.past = 0  # installments counted as overdue-eligible (D_k < current day, or paid)
        self.day = 0  # ordinal of the first day not yet accrued
        self.disbursed = 0
        self.repaid_principal = 0
        self.prepaid = 0
        self.overdue_p = 0  # unpaid principal of installments in ``past``
        self.overdue_i = 0  # unpaid interest of installments in ``past``
        self.period_dd = 0  # in-term đồng-days of the current period
        self.overdue_dd = 0  # overdue-principal đồng-days since the start
        self.late_dd = 0  # overdue-interest đồng-days since the start
        self.overdue_paid = 0
        self.late_paid = 0
        self.closed_on: date | None = None
        self.settlement_interest = 0
        self.allocations: list[Allocation] = []
        self.last_on: date | None = None

    # -- the passage of time -------------------------------------------------------------
    def _start_of_day(self, d: int) -> None:
        due = self._due_ord
        n = self.n
        while self.fixed < n and due[self.fixed] <= d:
            k = self.fixed
            self.inst_i[k] = round_ratio(self.period_dd * self._rn, self._rd)
            self.period_dd = 0
            self.fixed = k + 1
        while self.past < n and due[self.past] < d:
            k = self.past
            self.overdue_p += self.sched_p[k] - self.paid_p[k]
            self.overdue_i += self.inst_i[k] - self.paid_i[k]
            self.past = k + 1

    def _accrue_through(self, last: int) -> None:
        """Accrue every day up to ``last`` (an ordinal) on its end-of-day balances."""
        if self.closed_on is not None:
            return
        due = self._due_ord
        n = self.n
        while self.day <= last:
            d = self.day
            self._start_of_day(d)
            past = self.past
            # installments due by today and fully paid change no rate: count them now
            while past < self.fixed and self.sched_p[past] == self.paid_p[past] and self.inst_i[past] == self.paid_i[past]:
                past += 1
            self.past = past
            e = last
            if self.fixed < n and due[self.fixed] - 1 < e:
                e = due[self.fixed] - 1
            if past < n and due[past] < e:
                e = due[past]
            days = e - d + 1
            overdue_p = self.overdue_p
            self.period_dd += (self.disbursed - self.repaid_principal - overdue_p) * days
            if overdue_p:
                self.overdue_dd += overdue_p * days
            if self.overdue_i:
                self.late_dd += self.overdue_i * days
            self.day = e + 1

    def _open_day(self, d: int) -> None:
        """Bring the state to the start of day ``d``: accrued through d − 1, installments due on d fixed."""
        if self.closed_on is not None:
            return
        self._accrue_through(d - 1)
        self._start_of_day(d)

    # -- figures of the current state ----------------------------------------------------
    def _skip_paid(self) -> int:
        """Move ``first_open`` past the installments due and fully paid; returns it."""
        k = self.first_open
        sp, pp, ii, pi = self.sched_p, self.paid_p, self.inst_i, self.paid_i
        while k < self.fixed and sp[k] == pp[k] and ii[k] == pi[k]:
            k += 1
        self.first_open = k
        return k

    def _due_unpaid(self) -> tuple[int, int]:
        principal = interest = 0
        for k in range(self._skip_paid(), self.fixed):
            principal += self.sched_p[k] - self.paid_p[k]
            interest += self.inst_i[k] - self.paid_i[k]
        return principal, interest

    def _overdue_interest_payable(self) -> int:
        return round_ratio(self.overdue_dd * self._on, self._od) - self.overdue_paid

    def _late_interest_payable(self) -> int:
        return round_ratio(self.late_dd * self._ln, self._ld) - self.late_paid

    def _accrued(self) -> int:
        return round_ratio(self.period_dd * self._rn, self._rd)

    @property
    def outstanding(self) -> int:
        return self.disbursed - self.repaid_principal

    @property
    def status(self) -> LoanStatus:
        """pending (nothing disbursed or opened), active, settled or written_off."""
        if self.anchor is None:
            return LoanStatus.PENDING
        return LoanStatus.SETTLED if self.closed_on is not None else LoanStatus.ACTIVE

    @property
    def recovered_principal(self) -> int:
        """Written-off principal recovered so far (đồng)."""
        return sum(r.principal for r in self.recoveries)

    @property
    def recovered_interest(self) -> int:
        """Written-off interest recovered so far (đồng)."""
        return sum(r.interest for r in self.recoveries)

    # -- transactions --------------------------------------------------------------------
    def apply(self, tx: Entry) -> Allocation | None:
        """Apply one transaction (in order); returns the repayment's allocation, None for a disbursement."""
        if not isinstance(tx, Transaction):
            raise NotImplementedError(tx.kind)
        if tx.amount <= 0 or isinstance(tx.amount, bool):
            raise TransactionRefused(
                f"Số tiền phải lớn hơn 0 đồng (nhận được {tx.amount})",
                f"amount must be > 0 (got {tx.amount})",
                "amount",
            )
        if self.anchor is not None and self.closed_on is None and tx.on.toordinal() < self.day:
            # a quote or a balance already accrued past this day: applying it now would misstate the interest
            raise TransactionRefused(
                f"Giao dịch ngày {tx.on:%d/%m/%Y} đứng trước ngày đã tính lãi "
                f"{date.fromordinal(self.day - 1):%d/%m/%Y}: ghi các giao dịch theo thứ tự ngày",
                f"transaction on {tx.on} is before the day already accrued ({date.fromordinal(self.day - 1)})",
                "date",
            )
        if self.last_on is not None and tx.on < self.last_on:
            raise TransactionRefused(
                f"Giao dịch ngày {tx.on:%d/%m/%Y} đứng trước giao dịch đã ghi ngày {self.last_on:%d/%m/%Y}",
                f"transaction on {tx.on} is before the last applied one ({self.last_on})",
                "date",
            )
        if tx.kind is Kind.DISBURSEMENT:
            self._disburse(tx)
            result = None
        else:
            result = self._repay(tx)
        self.last_on = tx.on
        return result

    def _disburse(self, tx: Transaction) -> None:
        terms = self.terms
        if self.closed_on is not None:
            raise TransactionRefused(
                f"Khoản vay đã tất toán ngày {self.closed_on:%d/%m/%Y}: không thể giải ngân thêm",
                f"loan settled on {self.closed_on}: no further disbursement",
                "kind",
            )
        available = terms.amount - self.disbursed
        if tx.amount > available:
            raise TransactionRefused(
                f"Giải ngân {_vnd(tx.amount)} vượt số tiền được duyệt {_vnd(terms.amount)} "
                f"(đã giải ngân {_vnd(self.disbursed)}, còn được giải ngân {_vnd(available)})",
                f"disbursement of {tx.amount} exceeds the approved amount {terms.amount} "
                f"(already disbursed {self.disbursed}, {available} left)",
                "amount",
            )
        d = tx.on.toordinal()
        if self.anchor is None:
            self.anchor = tx.on
            self.due = due_dates(tx.on, self.n, terms.frequency_months)
            self._due_ord = [x.toordinal() for x in self.due]
            self.day = d
        else:
            if self.fixed >= self.n or tx.on >= self.due[-1]:
                raise TransactionRefused(
                    f"Không thể giải ngân ngày {tx.on:%d/%m/%Y}: sau hoặc vào ngày đến hạn cuối cùng "
                    f"{self.due[-1]:%d/%m/%Y}",
                    f"disbursement on {tx.on} is on or after the last due date {self.due[-1]}",
                    "date",
                )
            self._open_day(d)
        self.disbursed += tx.amount
        self._recompute()

    def _recompute(self) -> None:
        """Spread the principal not yet due over the installments not yet due (D_k > today)."""
        k0 = self.fixed
        if k0 >= self.n:
            return
        due_principal = sum(self.sched_p[k] - self.paid_p[k] for k in range(self.first_open, k0))
        not_yet_due = self.outstanding - due_principal
        grace = max(0, self.terms.grace_periods - k0)
        self.sched_p[k0:] = split_principal(self.terms.method, not_yet_due, self.n - k0, grace, self._period_rate)

    def quote(self, on: date) -> Quote:
        """What is payable on ``on`` (after the transactions applied so far)."""
        if self.anchor is None or self.closed_on is not None or on < self.anchor:
            return Quote(on, 0, 0, 0, 0, 0, 0)
        self._open_day(on.toordinal())
        principal_due, interest_due = self._due_unpaid()
        return Quote(
            on=on,
            principal_due=principal_due,
            interest_due=interest_due,
            overdue_interest=self._overdue_interest_payable(),
            late_interest=self._late_interest_payable(),
            principal_not_yet_due=self.outstanding - principal_due,
            interest_accrued=self._accrued(),
        )

    def _repay(self, tx: Transaction) -> Allocation:
        if self.anchor is None or tx.on < self.anchor:
            raise TransactionRefused(
                f"Không thể thu nợ ngày {tx.on:%d/%m/%Y}: khoản vay chưa được giải ngân trước ngày đó",
                f"repayment on {tx.on} before the first disbursement",
                "date",
            )
        if self.closed_on is not None:
            raise TransactionRefused(
                f"Khoản vay đã tất toán ngày {self.closed_on:%d/%m/%Y}: không còn dư nợ để thu",
                f"loan settled on {self.closed_on}: nothing outstanding",
                "amount",
            )
        q = self.quote(tx.on)
        settlement = q.settlement
        if settlement == 0:
            raise TransactionRefused(
                "Khoản vay không còn dư nợ để thu", "nothing outstanding on this loan", "amount"
            )
        if tx.amount > settlement:
            raise TransactionRefused(
                f"Số tiền {_vnd(tx.amount)} vượt số tiền tất toán ngày {tx.on:%d/%m/%Y} là {_vnd(settlement)}: "
                "nhập đúng số tiền tất toán hoặc một số nhỏ hơn",
                f"{tx.amount} exceeds the settlement amount {settlement} on {tx.on}",
                "amount",
            )
        arrears = self.overdue_p > 0 or self.overdue_i > 0 or q.overdue_interest > 0 or q.late_interest > 0
        left = tx.amount
        lo, hi = self.first_open, self.fixed  # _skip_paid ran in quote()
        pay_p: dict[int, int] = {}
        pay_i: dict[int, int] = {}
        passes = ((self.sched_p, self.paid_p, pay_p), (self.inst_i, self.paid_i, pay_i))
        for owed_list, paid_list, pay in passes if arrears else passes[::-1]:
            for k in range(lo, hi):
                if not left:
                    break
                part = min(owed_list[k] - paid_list[k], left)
                if part:
                    pay[k] = part
                    left -= part
        overdue_interest = min(left, q.overdue_interest)
        left -= overdue_interest
        late_interest = min(left, q.late_interest)
        left -= late_interest
        settled = tx.amount == settlement  # every due paid and the rest covers principal + accrued
        if not settled and left > q.principal_not_yet_due:
            raise TransactionRefused(
                f"Sau khi trả các khoản đến hạn, còn lại {_vnd(left)}, nhiều hơn gốc chưa đến hạn "
                f"{_vnd(q.principal_not_yet_due)} nhưng chưa đủ tất toán: số tiền tất toán ngày "
                f"{tx.on:%d/%m/%Y} là {_vnd(q.settlement)}",
                f"{left} left after dues exceeds principal not yet due {q.principal_not_yet_due} "
                f"but does not settle (settlement {q.settlement})",
                "amount",
            )
        # -- from here on, nothing is refused: write
        for k, part in pay_p.items():
            self.paid_p[k] += part
            if k < self.past:
                self.overdue_p -= part
        for k, part in pay_i.items():
            self.paid_i[k] += part
            if k < self.past:
                self.overdue_i -= part
        due_principal_paid = sum(pay_p.values())
        installment_interest = sum(pay_i.values())
        self.overdue_paid += overdue_interest
        self.late_paid += late_interest
        if settled:
            principal_rest = q.principal_not_yet_due
            installment_interest += q.interest_accrued
            self._settle(tx.on, q.interest_accrued)
        else:
            principal_rest = left
        self.repaid_principal += due_principal_paid + principal_rest
        if not settled and principal_rest:
            self.prepaid += principal_rest
            self._recompute()
        alloc = Allocation(
            on=tx.on,
            amount=tx.amount,
            principal=due_principal_paid + principal_rest,
            interest=installment_interest,
            overdue_interest=overdue_interest,
            late_interest=late_interest,
            principal_not_yet_due=principal_rest,
            settled=settled,
        )
        self.allocations.append(alloc)
        return alloc

    def _settle(self, on: date, interest: int) -> None:
        for k in range(self.fixed, self.n):
            self.paid_p[k] = self.sched_p[k]
            self.inst_i[k] = self.paid_i[k] = interest if k == self.fixed else 0
        self.settlement_interest = interest
        self.period_dd = 0
        self.overdue_p = self.overdue_i = 0
        self.closed_on = on

    # -- read-outs -----------------------------------------------------------------------
    def balances(self, as_of: date) -> Balances:
        """Figures at the end of ``as_of``; every transaction on or before it must be applied, none after."""
        if self.anchor is None or as_of < self.anchor or (self.closed_on is not None and self.closed_on <= as_of):
            return Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
        t = as_of.toordinal()
        self._accrue_through(t)
        due = self._due_ord
        interest_due = 0
        earliest = None
        for k in range(self._skip_paid(), self.fixed):
            unpaid_i = self.inst_i[k] - self.paid_i[k]
            interest_due += unpaid_i
            if earliest is None and due[k] < t and (unpaid_i or self.sched_p[k] != self.paid_p[k]):
                earliest = due[k]
        dpd = t - earliest if earliest is not None else 0
        return Balances(
            as_of=as_of,
            principal_outstanding=self.outstanding,
            principal_overdue=self.overdue_p,
            interest_due_unpaid=interest_due,
            interest_accrued=self._accrued(),
            overdue_interest_accrued=self._overdue_interest_payable(),
            late_interest_accrued=self._late_interest_payable(),
            days_past_due=dpd,
            debt_group=debt_group(dpd),
        )

    def schedule(self) -> list[Installment]:
        """The schedule as it stands: actual interest for installments due, projected for the others."""
        rows: list[Installment] = []
        if self.anchor is None:
            return rows
        remaining = sum(self.sched_p[self.fixed :])
        for k in range(self.n):
            due_on = self.due[k]
            if k < self.fixed or self.closed_on is not None:
                interest, projected = self.inst_i[k], False
            else:
                days = self._due_ord[k] - (self._due_ord[k - 1] if k else self.anchor.toordinal())
                interest, projected = round_ratio(days * remaining * self._rn, self._rd), True
                remaining -= self.sched_p[k]
            rows.append(
                Installment(k + 1, due_on, self.sched_p[k], interest, projected, self.paid_p[k], self.paid_i[k])
            )
        return rows
        remaining = sum(self.sched_p[self.fixed :])
        previous = self.anchor if self.fixed == 0 else self.due[self.fixed - 1]
        for k in range(self.n):
            due_on = self.due[k]
            if k < self.fixed or self.closed_on is not None:
                interest, projected = self.inst_i[k], False
            else:
                days = (due_on - previous).days
                interest, projected = round_ratio(days * remaining * self._rn, self._rd), True
                remaining -= self.sched_p[k]
            if k >= self.fixed - 1:
                previous = due_on
            rows.append(
                Installment(k + 1, due_on, self.sched_p[k], interest, projected, self.paid_p[k], self.paid_i[k])
            )
        return rows


@dataclass(frozen=True, slots=True)
class LoanResult:
    """Everything the engine says about one loan at one date."""

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


def replay(terms: LoanTerms, transactions: Iterable[Transaction], as_of: date | None = None) -> LoanResult:
    """Apply the transactions (on or before ``as_of``) and read the loan at the end of ``as_of``.

    Without ``as_of``: at the date of the last transaction. Raises ``TransactionRefused``.
    """
    txs = ordered(transactions)
    state = LoanReplay(terms)
    for tx in txs:
        if as_of is not None and tx.on > as_of:
            break
        state.apply(tx)
    when = as_of or (txs[-1].on if txs else date.today())
    return LoanResult(
        balances=state.balances(when),
        allocations=tuple(state.allocations),
        schedule=tuple(state.schedule()),
        disbursed=state.disbursed,
        prepaid=state.prepaid,
        closed_on=state.closed_on,
        anchor=state.anchor,
    )


def balances_at(terms: LoanTerms, transactions: Sequence[Transaction], dates: Sequence[date]) -> list[Balances]:
    """Balances at each of ``dates`` (ascending) in one pass over the transactions."""
    txs = ordered(transactions)
    state = LoanReplay(terms)
    out = []
    i = 0
    for when in dates:
        while i < len(txs) and txs[i].on <= when:
            state.apply(txs[i])
            i += 1
        out.append(state.balances(when))
    return out


def quote(terms: LoanTerms, transactions: Iterable[Transaction], on: date) -> Quote:
    """The amount due to become current and the settlement amount on ``on``."""
    state = LoanReplay(terms)
    for tx in ordered(transactions):
        if tx.on > on:
            break
        state.apply(tx)
    return state.quote(on)
