"""One loan's state while its entries are replayed: named parts, the one function that moves time, read-outs.

Accrual is carried in đồng-days (balance × days, an exact integer) per kind — in-term for the
current period, overdue principal, overdue installment interest — and turned into đồng
(× daily rate, rounded half up) only at the rounding points of DOMAIN.md. Balances are constant
between due dates and entries, so time moves by segments, never day by day. Its parts (accruals, installments,
off-balance amounts) are in ``state_parts.py``, the handlers of the entries in ``flows.py``, ``life_events.py`` and
``replay.py``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from .dates import add_months
from .events import LoanStatus, RecoveryResult, ReliefResult, RestructureResult, WriteOffResult
from .groups import Watch, debt_group
from .money import round_ratio
from .records import Allocation, Balances, Installment, Quote
from .schedule import grace_count, split_principal
from .state_parts import TOTALS, Accrual, Installments, OffBalance
from .state_snapshot import Snapshots
from .terms import LoanTerms

_ACTIVE, _WRITTEN_OFF = LoanStatus.ACTIVE, LoanStatus.WRITTEN_OFF  # module names: an enum member read is slower


@lru_cache(maxsize=4096)
def _rates(rate, unit, overdue_factor, late_rate, frequency) -> tuple:
    """Daily in-term, overdue and late rates as (numerator, denominator) pairs, and the annuity's period
    rate: a book has few distinct rate sets, so each is made once."""
    terms = LoanTerms(amount=1, rate=rate, rate_unit=unit, term_months=frequency, frequency_months=frequency,
                      overdue_factor=overdue_factor, late_interest_rate=late_rate)
    d, o, late = terms.daily_rate, terms.overdue_daily_rate, terms.late_daily_rate
    return d.numerator, d.denominator, o.numerator, o.denominator, late.numerator, late.denominator, terms.period_rate


class LoanState(Snapshots):
    """The state of one loan: terms, schedule, accruals, status, restructurings r and the watch,
    the current grace (grid numbers [``grace_from``, ``grace_to``)), off-balance amounts.

    Dates inside are day ordinals; money is int đồng. ``day`` is the first day not yet accrued.
    """

    def __init__(self, terms: LoanTerms, watch_days: int = 90) -> None:
        self.terms = terms
        self.watch_days = watch_days
        (rn, rd, on, od, ln, ld, self._period_rate) = _rates(
            terms.rate, terms.rate_unit, terms.overdue_factor, terms.late_interest_rate, terms.frequency_months)
        self._rn, self._rd = rn, rd
        self.inst = Installments()
        self.period = Accrual(rn, rd)  # in-term interest of the current period
        self.overdue = Accrual(on, od)  # lãi quá hạn, from the start
        self.late = Accrual(ln, ld)  # lãi chậm trả, from the start
        self.off = OffBalance()
        self.status = LoanStatus.PENDING
        self.anchor: date | None = None  # A: due dates run from it
        self.started_on: date | None = None  # first disbursement, or the opening day C
        self.opened_on: date | None = None  # C of an opening entry
        self.closed_on: date | None = None
        self.written_off_on: date | None = None
        self.first_open = 0  # installments before it are fully paid
        self.fixed = 0  # installments whose due date has come (D_k ≤ current day)
        self.past = 0  # installments counted as overdue-eligible (D_k < current day, or paid)
        self.day = 0
        self.disbursed = 0
        self.repaid_principal = 0
        self.prepaid = 0
        self.overdue_p = 0  # unpaid principal of installments in ``past``
        self.overdue_i = 0  # unpaid interest of installments in ``past``
        self.grace_from, self.grace_to = 1, 1 + terms.grace_periods
        self.restructure_count = 0
        self.watch: Watch | None = None
        self.settlement_interest = 0
        self.last_on: date | None = None
        self.last_order = -1
        self.allocations: list[Allocation] = []
        self.restructures: list[RestructureResult] = []
        self.reliefs: list[ReliefResult] = []
        self.write_offs: list[WriteOffResult] = []
        self.recoveries: list[RecoveryResult] = []
        self.restructured_earlier = False  # restored from a checkpoint taken after a restructuring entry
        self.totals = [0] * len(TOTALS)  # the flows of every entry applied so far (``TOTALS``), đồng and counts

    # -- checkpoints (issue 17) ----------------------------------------------------------
    @property
    def restructured(self) -> bool:
        """A restructuring entry has been applied (an opening's earlier restructurings do not count)."""
        return self.restructured_earlier or bool(self.restructures)

    def attach(self, terms: LoanTerms) -> None:
        """Give a state restored without terms (``restore(None, …)``) its loan's terms, before entries are applied."""
        self.terms = terms
        self._period_rate = _rates(terms.rate, terms.rate_unit, terms.overdue_factor, terms.late_interest_rate,
                                   terms.frequency_months)[6]

    # -- the grid ------------------------------------------------------------------------
    def grid_date(self, no: int) -> date:
        """Due date of grid number ``no`` (0: the anchor): A + no × frequency months."""
        assert self.anchor is not None
        return add_months(self.anchor, no * self.terms.frequency_months)

    @property
    def due(self) -> tuple[date, ...]:
        """Due dates of the installments listed (date objects)."""
        return tuple(date.fromordinal(d) for d in self.inst.due)

    # -- the passage of time -------------------------------------------------------------
    def _start_of_day(self, d: int) -> None:
        """Start day ordinal ``d``: fix the interest of the installments due on or before it, and count those due
        before it as past (their unpaid principal and interest overdue)."""
        inst = self.inst
        due = inst.due
        n = len(due)
        fixed = self.fixed
        if fixed < n and due[fixed] <= d:
            period = self.period
            rn, rd = self._rn, self._rd
            interest, interest_paid = inst.interest, inst.interest_paid
            while fixed < n and due[fixed] <= d:
                interest[fixed] = period.base + round_ratio(period.dd * rn, rd) + inst.deferred
                interest_paid[fixed] += period.paid
                period.dd = period.base = period.paid = period.relieved = 0  # period.reset()
                inst.deferred = 0
                fixed += 1
            self.fixed = fixed
        past = self.past
        if past < n and due[past] < d:
            watch = self.watch
            principal, principal_paid = inst.principal, inst.principal_paid
            interest, interest_paid, interest_relieved = inst.interest, inst.interest_paid, inst.interest_relieved
            while past < n and due[past] < d:
                unpaid_p = principal[past] - principal_paid[past]
                unpaid_i = interest[past] - interest_paid[past] - interest_relieved[past]
                self.overdue_p += unpaid_p
                self.overdue_i += unpaid_i
                if watch is not None and not unpaid_p and not unpaid_i:
                    watch.paid_in_time(due[past])
                past += 1
            self.past = past

    def _accrue_through(self, last: int) -> None:
        """Accrue every day up to ``last`` (an ordinal) on its end-of-day balances, segment by segment."""
        d = self.day
        if d > last or self.status is not _ACTIVE:
            return
        inst = self.inst
        due = inst.due
        n = len(due)
        period, overdue, late = self.period, self.overdue, self.late
        while d <= last:
            fixed, past = self.fixed, self.past
            if (fixed < n and due[fixed] <= d) or (past < n and due[past] < d):
                self._start_of_day(d)
                fixed, past = self.fixed, self.past
            # installments due by today and fully paid change no rate: count them now
            if past < fixed:
                while past < fixed and inst.principal[past] == inst.principal_paid[past] and \
                        inst.interest[past] == inst.interest_paid[past] + inst.interest_relieved[past]:
                    if self.watch is not None:
                        self.watch.paid_in_time(due[past])
                    past += 1
                self.past = past
            e = last
            if fixed < n and due[fixed] <= e:
                e = due[fixed] - 1
            if past < n and due[past] < e:
                e = due[past]
            days = e - d + 1
            overdue_p, overdue_i = self.overdue_p, self.overdue_i
            period.dd += (self.disbursed - self.repaid_principal - overdue_p) * days
            if overdue_p:
                overdue.dd += overdue_p * days
            if overdue_i:
                late.dd += overdue_i * days
            if self.watch is not None and self.watch.ends_by(e, bool(overdue_p or overdue_i)):
                self.watch = None
            d = self.day = e + 1

    def _open_day(self, d: int) -> None:
        """Bring the state to the start of day ``d``: accrued through d − 1, installments due on d fixed."""
        if self.status is not _ACTIVE:
            return
        if self.day < d:
            self._accrue_through(d - 1)
        fixed, past, due = self.fixed, self.past, self.inst.due
        if (fixed < len(due) and due[fixed] <= d) or (past < len(due) and due[past] < d):
            self._start_of_day(d)

    # -- figures of the current state ----------------------------------------------------
    def _skip_paid(self) -> int:
        """Move ``first_open`` past the installments due and fully paid; returns it."""
        inst = self.inst
        k = self.first_open
        while k < self.fixed and inst.principal[k] == inst.principal_paid[k] and \
                inst.interest[k] == inst.interest_paid[k] + inst.interest_relieved[k]:
            k += 1
        self.first_open = k
        return k

    def _due_unpaid(self) -> tuple[int, int]:
        inst = self.inst
        principal = interest = 0
        for k in range(self._skip_paid(), self.fixed):
            principal += inst.principal[k] - inst.principal_paid[k]
            interest += inst.interest[k] - inst.interest_paid[k] - inst.interest_relieved[k]
        return principal, interest

    def _accrued(self) -> int:
        """In-term interest of the current period (rounded) plus deferred interest, đồng."""
        return self.period.payable() + self.inst.deferred

    @property
    def outstanding(self) -> int:
        """Principal on the balance sheet: disbursed − repaid − written off (đồng)."""
        return self.disbursed - self.repaid_principal - self.off.principal

    @property
    def recovered_principal(self) -> int:
        """Written-off principal recovered so far (đồng)."""
        return self.off.recovered_principal

    @property
    def recovered_interest(self) -> int:
        """Written-off interest recovered so far (đồng)."""
        return self.off.recovered_interest

    @property
    def off_balance(self) -> tuple[int, int]:
        """(principal, interest) written off and not yet recovered, đồng."""
        off = self.off
        return off.principal - off.recovered_principal, off.interest - off.recovered_interest

    def _recompute(self) -> None:
        """Spread the principal not yet due over the installments not yet due (D_k > today), the
        ones in the current grace carrying none. DOMAIN.md "Principal of the installments"."""
        inst = self.inst
        k0 = self.fixed
        count = len(inst.due) - k0
        if count <= 0:
            return
        due_principal = sum(inst.principal[k] - inst.principal_paid[k] for k in range(self.first_open, k0))
        not_yet_due = self.outstanding - due_principal
        grace = grace_count(inst.no[k0], count, self.grace_from, self.grace_to)
        if grace >= count:
            grace = count - 1
        inst.principal[k0:] = split_principal(self.terms.method, not_yet_due, count, grace, self._period_rate)

    # -- read-outs -----------------------------------------------------------------------
    def quote(self, on: date) -> Quote:
        """What is payable on ``on`` after the entries applied so far (accrued through the day before), đồng.

        All zeros before the loan starts, once settled, and once written off (see ``off_balance``).
        """
        if self.status is not _ACTIVE or on < self.started_on:
            return Quote(on, 0, 0, 0, 0, 0, 0)
        return Quote(on, *self._payable(on.toordinal()))

    def _payable(self, d: int) -> tuple[int, int, int, int, int, int, int]:
        """``quote``'s figures on day ordinal ``d`` of an active loan, in its order (principal due, interest due,
        overdue interest, late interest, principal not yet due, interest accrued, interest payable after the term),
        đồng, as a plain tuple (a repayment reads them without building a ``Quote``)."""
        if self.day < d:  # self._open_day(d), inlined
            self._accrue_through(d - 1)
        inst = self.inst
        due = inst.due
        if (self.fixed < len(due) and due[self.fixed] <= d) or (self.past < len(due) and due[self.past] < d):
            self._start_of_day(d)
        principal_due = interest_due = 0
        k = self.first_open
        fixed = self.fixed
        if k < fixed:
            principal, principal_paid = inst.principal, inst.principal_paid
            interest, interest_paid, interest_relieved = inst.interest, inst.interest_paid, inst.interest_relieved
            while k < fixed and principal[k] == principal_paid[k] and \
                    interest[k] == interest_paid[k] + interest_relieved[k]:
                k += 1
            self.first_open = k
            for j in range(k, fixed):
                principal_due += principal[j] - principal_paid[j]
                interest_due += interest[j] - interest_paid[j] - interest_relieved[j]
        o, late, period = self.overdue, self.late, self.period
        accrued = period.base + round_ratio(period.dd * period.num, period.den) - period.paid - period.relieved \
            + inst.deferred
        # after the last due date no installment follows to carry it: payable at once (DOMAIN.md "Daily accrual")
        after_term = accrued if fixed >= len(inst.due) else 0
        return (
            principal_due,
            interest_due,
            o.base + round_ratio(o.dd * o.num, o.den) - o.paid - o.relieved if o.dd or o.base or o.paid or o.relieved
            else 0,
            late.base + round_ratio(late.dd * late.num, late.den) - late.paid - late.relieved
            if late.dd or late.base or late.paid or late.relieved else 0,
            self.disbursed - self.repaid_principal - self.off.principal - principal_due,
            accrued - after_term,
            after_term,
        )

    def balances(self, as_of: date) -> Balances:
        """Figures at the end of ``as_of`` (DOMAIN.md "Balances as of a date t"); every entry on or
        before it must be applied, none after. Zeros and group 1 before the start, once settled,
        once written off (but for the off-balance figures)."""
        status = self.status
        if status is not _ACTIVE:
            if status is _WRITTEN_OFF:
                p, i = self.off_balance
                return Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1, p, i)
            return Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
        if as_of < self.started_on:
            return Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
        t = as_of.toordinal()
        self._accrue_through(t)
        inst = self.inst
        due = inst.due
        interest_due = 0
        earliest = None
        for k in range(self._skip_paid(), self.fixed):
            unpaid_i = inst.interest[k] - inst.interest_paid[k] - inst.interest_relieved[k]
            interest_due += unpaid_i
            if earliest is None and due[k] < t and (unpaid_i or inst.principal[k] != inst.principal_paid[k]):
                earliest = due[k]
        dpd = t - earliest if earliest is not None else 0
        group = debt_group(dpd)
        if self.watch is not None:
            group = max(group, self.watch.group(self.restructure_count, dpd))
        return Balances(
            as_of=as_of,
            principal_outstanding=self.outstanding,
            principal_overdue=self.overdue_p,
            interest_due_unpaid=interest_due,
            interest_accrued=self._accrued(),
            overdue_interest_accrued=self.overdue.payable(),
            late_interest_accrued=self.late.payable(),
            days_past_due=dpd,
            debt_group=group,
        )

    def schedule(self) -> list[Installment]:
        """The schedule as it stands (grid numbers): actual interest for installments due, projected
        (the period's days × the scheduled balance × daily rate, rounded) for the others; the first
        installment not yet due also carries the interest a restructuring deferred to it (DOMAIN.md
        "Restructuring on day t", step 2; INTERCHANGE.md ``schedule``), đồng."""
        rows: list[Installment] = []
        if self.anchor is None:
            return rows
        inst = self.inst
        remaining = sum(inst.principal[self.fixed:])
        closed = self.closed_on is not None
        for k, no in enumerate(inst.no):
            if k < self.fixed or closed:
                interest, projected = inst.interest[k], False
            else:
                days = inst.due[k] - self.grid_date(no - 1).toordinal()
                interest, projected = round_ratio(days * remaining * self._rn, self._rd), True
                if k == self.fixed:
                    interest += inst.deferred
                remaining -= inst.principal[k]
            rows.append(Installment(no, date.fromordinal(inst.due[k]), inst.principal[k], interest, projected,
                                    inst.principal_paid[k], inst.interest_paid[k], inst.interest_relieved[k]))
        return rows
