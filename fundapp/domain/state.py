"""One loan's state while its entries are replayed: named parts, the one function that moves time, read-outs.

Accrual is carried in đồng-days (balance × days, an exact integer) per kind — in-term for the
current period, overdue principal, overdue installment interest — and turned into đồng
(× daily rate, rounded half up) only at the rounding points of DOMAIN.md. Balances are constant
between due dates and entries, so time moves by segments, never day by day. The handlers of
the entries live in ``replay.py``.
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
from .terms import LoanTerms


@lru_cache(maxsize=4096)
def _rates(rate, unit, overdue_factor, late_rate, frequency) -> tuple:
    """Daily in-term, overdue and late rates as (numerator, denominator) pairs, and the annuity's period
    rate: a book has few distinct rate sets, so each is made once."""
    terms = LoanTerms(amount=1, rate=rate, rate_unit=unit, term_months=frequency, frequency_months=frequency,
                      overdue_factor=overdue_factor, late_interest_rate=late_rate)
    d, o, late = terms.daily_rate, terms.overdue_daily_rate, terms.late_daily_rate
    return d.numerator, d.denominator, o.numerator, o.denominator, late.numerator, late.denominator, terms.period_rate


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


STATE_FORMAT = 2  # the layout of ``LoanState.snapshot``: change it with the layout
# What ``totals`` sums over the entries applied (DOMAIN.md "Reported": openings are not disbursements, recoveries
# not collections): the flows of a period are the difference of the totals at its end and on the day before it
TOTALS = ("disbursed_count", "disbursed_amount", "principal_collected", "interest_collected", "restructured_count",
          "interest_relieved", "written_off_principal", "written_off_interest", "recovered", "life_events")
_STATUSES = (LoanStatus.PENDING, LoanStatus.ACTIVE, LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF)  # codes 0–3
_STATUS_CODES = {status: i for i, status in enumerate(_STATUSES)}
_SCALARS = 47  # items of a snapshot before the watch
_SNAPSHOT_LEN = _SCALARS + 2 + 7


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


class LoanState:
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

    def snapshot(self) -> list:
        """The state as a flat list of ints, None and lists of ints (no float, no text; dates as day ordinals),
        versioned by ``STATE_FORMAT`` in its first item: what ``restore`` takes back. The results of the entries
        applied so far (``allocations``…) are history, not state: they are not kept. Take it at the end of a day
        (every entry dated on or before it applied, none after), e.g. right after ``balances`` of that day."""
        inst, watch = self.inst, self.watch
        return [
            STATE_FORMAT, _STATUS_CODES[self.status], _ordinal(self.anchor), _ordinal(self.started_on),
            _ordinal(self.opened_on), _ordinal(self.closed_on), _ordinal(self.written_off_on),
            self.first_open, self.fixed, self.past, self.day, self.disbursed, self.repaid_principal, self.prepaid,
            self.overdue_p, self.overdue_i, self.grace_from, self.grace_to, self.restructure_count,
            self.settlement_interest, _ordinal(self.last_on), self.last_order, self.watch_days,
            int(self.restructured), inst.deferred,
            *(x for a in (self.period, self.overdue, self.late) for x in (a.num, a.den, a.dd, a.base, a.paid,
                                                                          a.relieved)),
            self.off.principal, self.off.interest, self.off.recovered_principal, self.off.recovered_interest,
            None if watch is None else [watch.start, watch.days, int(watch.restructured), int(watch.relieved),
                                        watch.last_dirty, watch.paid_on],
            self.totals,
            inst.no, inst.due, inst.principal, inst.principal_paid, inst.interest, inst.interest_paid,
            inst.interest_relieved,
        ]

    def attach(self, terms: LoanTerms) -> None:
        """Give a state restored without terms (``restore(None, …)``) its loan's terms, before entries are applied."""
        self.terms = terms
        self._period_rate = _rates(terms.rate, terms.rate_unit, terms.overdue_factor, terms.late_interest_rate,
                                   terms.frequency_months)[6]

    @classmethod
    def restore(cls, terms: LoanTerms | None, data: list, watch_days: int):
        """The state ``snapshot`` gave, of a loan with ``terms`` and a watch of ``watch_days`` days. ``data`` holds
        only ints, None and lists (as JSON without a float or a text gives it).

        ``terms`` may be None when no entry will be applied (only read-outs at later dates: ``balances``,
        ``quote``). Raises ``ValueError`` for anything that is not a snapshot of this format made with this watch
        length (wrong version, length, types: a checkpoint that fails to load is never trusted).
        """
        if type(data) is not list or len(data) != _SNAPSHOT_LEN or data[0] != STATE_FORMAT:
            raise ValueError("not a loan state snapshot of this format")
        head, watch, totals, lists = data[:_SCALARS], data[_SCALARS], data[_SCALARS + 1], data[_SCALARS + 2:]
        # the caller has made sure the items are ints, None or lists (``services.checkpoints.decode``): check shapes
        n = len(lists[0]) if type(lists[0]) is list else -1
        if head[22] != watch_days or None in head[7:20] or None in head[21:] or \
                any(type(x) is not list or len(x) != n or None in x for x in lists) or \
                (watch is not None and (type(watch) is not list or len(watch) != 6 or None in watch[:5])) or \
                type(totals) is not list or len(totals) != len(TOTALS) or None in totals:
            raise ValueError("malformed loan state snapshot")
        self = cls.__new__(cls)
        self.watch_days = watch_days
        self.terms, self._period_rate = None, None
        if terms is not None:
            self.attach(terms)
        (_, status, anchor, started, opened, closed, written_off, self.first_open, self.fixed, self.past, self.day,
         self.disbursed, self.repaid_principal, self.prepaid, self.overdue_p, self.overdue_i, self.grace_from,
         self.grace_to, self.restructure_count, self.settlement_interest, last_on, self.last_order, _,
         restructured, deferred) = head[:25]
        if status not in (0, 1, 2, 3):
            raise ValueError("unknown status in a loan state snapshot")
        self.status = _STATUSES[status]
        self.anchor, self.started_on, self.opened_on = _day(anchor), _day(started), _day(opened)
        self.closed_on, self.written_off_on, self.last_on = _day(closed), _day(written_off), _day(last_on)
        self.restructured_earlier = bool(restructured)
        accruals = []
        for i in range(25, 43, 6):
            a = Accrual(head[i], head[i + 1])
            a.dd, a.base, a.paid, a.relieved = head[i + 2 : i + 6]
            accruals.append(a)
        self.period, self.overdue, self.late = accruals
        self._rn, self._rd = self.period.num, self.period.den
        off = self.off = OffBalance()
        off.principal, off.interest, off.recovered_principal, off.recovered_interest = head[43:47]
        if watch is None:
            self.watch = None
        else:
            w = self.watch = Watch(watch[0], watch[1], bool(watch[2]), bool(watch[3]))
            w.last_dirty, w.paid_on = watch[4], watch[5]
        inst = self.inst = Installments()
        (inst.no, inst.due, inst.principal, inst.principal_paid, inst.interest, inst.interest_paid,
         inst.interest_relieved) = lists
        inst.deferred = deferred
        self.totals = totals
        self.allocations, self.restructures, self.reliefs, self.write_offs, self.recoveries = [], [], [], [], []
        return self

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
        inst = self.inst
        due = inst.due
        n = len(due)
        if self.fixed < n and due[self.fixed] <= d:
            period = self.period
            while self.fixed < n and due[self.fixed] <= d:
                k = self.fixed
                inst.interest[k] = period.base + round_ratio(period.dd * self._rn, self._rd) + inst.deferred
                inst.interest_paid[k] += period.paid
                period.reset()
                inst.deferred = 0
                self.fixed = k + 1
        while self.past < n and due[self.past] < d:
            k = self.past
            unpaid_p = inst.principal[k] - inst.principal_paid[k]
            unpaid_i = inst.interest[k] - inst.interest_paid[k] - inst.interest_relieved[k]
            self.overdue_p += unpaid_p
            self.overdue_i += unpaid_i
            if self.watch is not None and not unpaid_p and not unpaid_i:
                self.watch.paid_in_time(due[k])
            self.past = k + 1

    def _accrue_through(self, last: int) -> None:
        """Accrue every day up to ``last`` (an ordinal) on its end-of-day balances, segment by segment."""
        if self.status is not LoanStatus.ACTIVE:
            return
        inst = self.inst
        due = inst.due
        n = len(due)
        while self.day <= last:
            d = self.day
            self._start_of_day(d)
            past = self.past
            # installments due by today and fully paid change no rate: count them now
            while past < self.fixed and inst.principal[past] == inst.principal_paid[past] and \
                    inst.interest[past] == inst.interest_paid[past] + inst.interest_relieved[past]:
                if self.watch is not None:
                    self.watch.paid_in_time(due[past])
                past += 1
            self.past = past
            e = last
            if self.fixed < n and due[self.fixed] - 1 < e:
                e = due[self.fixed] - 1
            if past < n and due[past] < e:
                e = due[past]
            days = e - d + 1
            overdue_p = self.overdue_p
            self.period.dd += (self.disbursed - self.repaid_principal - overdue_p) * days
            if overdue_p:
                self.overdue.dd += overdue_p * days
            if self.overdue_i:
                self.late.dd += self.overdue_i * days
            if self.watch is not None and self.watch.ends_by(e, bool(overdue_p or self.overdue_i)):
                self.watch = None
            self.day = e + 1

    def _open_day(self, d: int) -> None:
        """Bring the state to the start of day ``d``: accrued through d − 1, installments due on d fixed."""
        if self.status is not LoanStatus.ACTIVE:
            return
        self._accrue_through(d - 1)
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
        if self.status is not LoanStatus.ACTIVE or on < self.started_on:
            return Quote(on, 0, 0, 0, 0, 0, 0)
        self._open_day(on.toordinal())
        principal_due, interest_due = self._due_unpaid()
        o, late, period = self.overdue, self.late, self.period
        accrued = period.base + round_ratio(period.dd * period.num, period.den) - period.paid - period.relieved \
            + self.inst.deferred
        # after the last due date no installment follows to carry it: payable at once (DOMAIN.md "Daily accrual")
        after_term = accrued if self.fixed >= len(self.inst.due) else 0
        return Quote(
            on,
            principal_due,
            interest_due,
            o.base + round_ratio(o.dd * o.num, o.den) - o.paid - o.relieved,
            late.base + round_ratio(late.dd * late.num, late.den) - late.paid - late.relieved,
            self.disbursed - self.repaid_principal - self.off.principal - principal_due,
            accrued - after_term,
            after_term,
        )

    def balances(self, as_of: date) -> Balances:
        """Figures at the end of ``as_of`` (DOMAIN.md "Balances as of a date t"); every entry on or
        before it must be applied, none after. Zeros and group 1 before the start, once settled,
        once written off (but for the off-balance figures)."""
        status = self.status
        if status is not LoanStatus.ACTIVE:
            if status is LoanStatus.WRITTEN_OFF:
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
