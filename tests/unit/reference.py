"""A deliberately naive, day-by-day reading of DOMAIN.md, used to check the fast engine.

It walks every calendar day with Fractions and recomputes every sum from the installments,
sharing nothing with the engine but the terms, the due dates (``add_months``), the principal
split, the order of one date (``ordered``) and the entry records. Life events included: opening,
restructuring, interest relief, write-off and recovery, the watch counted day by day.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from fundapp.domain.dates import add_months
from fundapp.domain.engine import Kind, ordered
from fundapp.domain.money import round_half_up
from fundapp.domain.schedule import split_principal
from fundapp.domain.terms import LoanTerms


class Refused(Exception):
    pass


def group_by_days(dpd: int) -> int:
    """DOMAIN.md's table, written out again."""
    for limit, group in ((10, 1), (30, 2), (90, 3), (180, 4)):
        if dpd < limit:
            return group
    return 5


class Reference:
    def __init__(self, terms: LoanTerms, watch_days: int = 90):
        self.t = terms
        self.watch_days = watch_days
        self.no: list[int] = []
        self.due: list[date] = []
        self.p: list[int] = []
        self.pp: list[int] = []
        self.i: list[int] = []
        self.ip: list[int] = []
        self.ir: list[int] = []  # relieved installment interest
        self.anchor: date | None = None
        self.start: date | None = None  # first disbursement or opening day
        self.opened: date | None = None
        self.disbursed = 0
        self.repaid = 0
        self.period = Fraction(0)
        self.period_paid = 0
        self.deferred = 0
        self.overdue = Fraction(0)
        self.late = Fraction(0)
        self.overdue_paid = self.overdue_relieved = 0
        self.late_paid = self.late_relieved = 0
        self.grace = set(range(1, terms.grace_periods + 1))
        self.closed = False
        self.written_off = False
        self.wo_p = self.wo_i = self.rec_p = self.rec_i = 0
        self.r = 0
        self.watch = None  # dict: start, restructured, relieved, run, paid
        self.day: date | None = None  # next day not yet ended
        self.started = False  # whether the start of self.day was processed
        self.allocations: list[tuple[int, int, int, int]] = []
        self.results: list[tuple] = []

    # -- days ----------------------------------------------------------------------------
    def grid(self, k: int) -> date:
        return add_months(self.anchor, k * self.t.frequency_months)

    def _start(self, d: date) -> None:
        for k in range(len(self.due)):
            if self.due[k] == d:
                self.i[k] = round_half_up(self.period) + self.deferred
                self.ip[k] += self.period_paid
                self.period = Fraction(0)
                self.period_paid = 0
                self.deferred = 0

    def _unpaid(self, k: int) -> bool:
        return self.p[k] > self.pp[k] or self.i[k] > self.ip[k] + self.ir[k]

    def dpd(self, d: date) -> int:
        late = [self.due[k] for k in range(len(self.due)) if self.due[k] < d and self._unpaid(k)]
        return (d - min(late)).days if late else 0

    def _end(self, d: date) -> None:
        if self.closed or self.written_off:
            return
        past = [k for k in range(len(self.due)) if self.due[k] < d]
        overdue_p = sum(self.p[k] - self.pp[k] for k in past)
        overdue_i = sum(self.i[k] - self.ip[k] - self.ir[k] for k in past)
        in_term = self.disbursed - self.repaid - overdue_p
        self.period += in_term * self.t.daily_rate
        self.overdue += overdue_p * self.t.overdue_daily_rate
        self.late += overdue_i * self.t.late_daily_rate
        w = self.watch
        if w is not None:
            for k in range(len(self.due)):
                if self.due[k] == d and d > w["start"] and not self._unpaid(k):
                    w["paid"] = True
            w["run"] = 0 if self.dpd(d) > 0 else w["run"] + 1
            if w["run"] >= self.watch_days and w["paid"]:
                self.watch = None

    def run_until(self, d: date) -> None:
        """End every day before d, then open d."""
        while self.day < d:
            if not self.started:
                self._start(self.day)
            self._end(self.day)
            self.day += timedelta(days=1)
            self.started = False
        if self.day == d and not self.started:
            self._start(d)
            self.started = True

    def _recompute(self, d: date) -> None:
        later = [k for k in range(len(self.due)) if self.due[k] > d]
        if not later:
            return
        k0 = later[0]
        due_p = sum(self.p[k] - self.pp[k] for k in range(k0))
        rest = self.disbursed - self.repaid - due_p
        in_grace = sum(1 for k in later if self.no[k] in self.grace)
        self.p[k0:] = split_principal(self.t.method, rest, len(later), min(in_grace, len(later) - 1),
                                      self.t.period_rate)

    def _add(self, no: int, due: date, p: int = 0, i: int = 0) -> None:
        self.no.append(no)
        self.due.append(due)
        self.p.append(p)
        self.pp.append(0)
        self.i.append(i)
        self.ip.append(0)
        self.ir.append(0)

    def _active(self, d: date) -> None:
        if self.anchor is None or d < self.start or self.closed or self.written_off:
            raise Refused

    def _watch(self, d: date, restructured: bool) -> None:
        if self.watch is None:
            self.watch = {"start": d, "restructured": False, "relieved": False, "run": 0, "paid": False}
        self.watch.update(start=d, run=0, paid=False)
        self.watch["restructured" if restructured else "relieved"] = True

    # -- entries -------------------------------------------------------------------------
    def apply(self, e) -> None:
        if self.opened is not None and e.on <= self.opened:
            raise Refused
        kind = e.kind
        if kind is Kind.OPENING:
            return self._open(e)
        if kind is Kind.RESTRUCTURE:
            return self._restructure(e)
        if kind is Kind.INTEREST_RELIEF:
            return self._relieve(e)
        if kind is Kind.WRITE_OFF:
            return self._write_off(e)
        if e.amount <= 0:
            raise Refused
        if kind is Kind.DISBURSEMENT:
            return self._disburse(e)
        if self.written_off:
            return self._recover(e)
        return self._repay(e)

    def _open(self, o) -> None:
        if self.anchor is not None:
            raise Refused
        n, c = self.t.installments, o.on
        if not (0 <= o.principal_overdue <= o.principal_outstanding <= o.disbursed <= self.t.amount) or \
                o.disbursed == 0 or o.first_disbursement_date > c or o.restructurings < 0:
            raise Refused
        if o.principal_outstanding + o.interest_due_unpaid + o.interest_accrued + o.overdue_interest + \
                o.late_interest == 0:
            raise Refused
        self.anchor = o.first_disbursement_date
        grid = {self.grid(k): k for k in range(1, n + 1)}
        arrears = o.principal_overdue + o.interest_due_unpaid > 0
        if arrears != (o.oldest_overdue_date is not None):
            raise Refused
        if arrears and (o.oldest_overdue_date > c or o.oldest_overdue_date not in grid):
            raise Refused
        after = [k for k in range(1, n + 1) if self.grid(k) > c]
        if not after and o.principal_outstanding > o.principal_overdue:
            raise Refused
        if arrears:
            self._add(grid[o.oldest_overdue_date], o.oldest_overdue_date, o.principal_overdue, o.interest_due_unpaid)
        for k in after:
            self._add(k, self.grid(k))
        self.start = self.opened = c
        self.disbursed = o.disbursed
        self.repaid = o.disbursed - o.principal_outstanding
        self.period = Fraction(o.interest_accrued)
        self.overdue = Fraction(o.overdue_interest)
        self.late = Fraction(o.late_interest)
        self.r = o.restructurings
        self.day = c + timedelta(days=1)
        self.started = False
        self._recompute(c)

    def _disburse(self, tx) -> None:
        if self.closed or self.written_off or self.disbursed + tx.amount > self.t.amount:
            raise Refused
        if self.anchor is None:
            self.anchor = self.start = self.day = tx.on
            for k in range(1, self.t.installments + 1):
                self._add(k, self.grid(k))
        else:
            if tx.on >= self.due[-1]:
                raise Refused
            self.run_until(tx.on)
        self.disbursed += tx.amount
        self._recompute(tx.on)

    def _restructure(self, ev) -> None:
        self._active(ev.on)
        f = self.t.frequency_months
        e, g, t = ev.extend_months, ev.grace_periods, ev.on
        if e < 0 or e % f or g < 0 or self.disbursed - self.repaid <= 0:
            raise Refused
        last = self.no[-1]
        new = [(k, self.grid(k)) for k in range(last + 1, last + e // f + 1)]
        after = [d for d in self.due if d > t] + [d for _, d in new if d > t]
        if not after or g >= len(after):
            raise Refused
        self.run_until(t)
        for k, d in new:
            self._add(k, d)
            if d <= t:  # appended on a date already past: falls due now, with the accrual so far
                self.i[-1] = round_half_up(self.period) + self.deferred
                self.ip[-1] += self.period_paid
                self.period, self.period_paid, self.deferred = Fraction(0), 0, 0
        deferred = 0
        for k in range(len(self.due)):
            if self.due[k] <= t:
                self.p[k] = self.pp[k]
                deferred += self.i[k] - self.ip[k] - self.ir[k]
                self.i[k] = self.ip[k] + self.ir[k]
        self.deferred += deferred
        first = next(self.no[k] for k in range(len(self.due)) if self.due[k] > t)
        self.grace = set(range(first, first + g))
        self.r += 1
        self._watch(t, restructured=True)
        self._recompute(t)
        self.results.append(("restructure", t, e, g, deferred, self.r))

    def _relieve(self, ev) -> None:
        if ev.amount <= 0:
            raise Refused
        self._active(ev.on)
        self.run_until(ev.on)
        t = ev.on
        if ev.relief_of == "late_interest":
            most = round_half_up(self.late) - self.late_paid - self.late_relieved
        elif ev.relief_of == "overdue_interest":
            most = round_half_up(self.overdue) - self.overdue_paid - self.overdue_relieved
        else:
            most = sum(self.i[k] - self.ip[k] - self.ir[k] for k in range(len(self.due)) if self.due[k] <= t)
        if ev.amount > most:
            raise Refused
        if ev.relief_of == "late_interest":
            self.late_relieved += ev.amount
        elif ev.relief_of == "overdue_interest":
            self.overdue_relieved += ev.amount
        else:
            left = ev.amount
            for k in range(len(self.due)):
                if self.due[k] <= t:
                    part = min(left, self.i[k] - self.ip[k] - self.ir[k])
                    self.ir[k] += part
                    left -= part
        self._watch(t, restructured=False)
        self.results.append(("relief", t, ev.relief_of, ev.amount))
        if all(d <= t for d in self.due) and self.disbursed == self.repaid and self._owed_interest(t) == 0:
            self.closed = True  # the last due date has passed and nothing remains owed
            self.watch = None

    def _owed_interest(self, t: date) -> int:
        """Unpaid installment interest, current accrual and deferred, overdue and late interest, payable now."""
        return (sum(self.i[k] - self.ip[k] - self.ir[k] for k in range(len(self.due)) if self.due[k] <= t)
                + round_half_up(self.period) - self.period_paid + self.deferred
                + round_half_up(self.overdue) - self.overdue_paid - self.overdue_relieved
                + round_half_up(self.late) - self.late_paid - self.late_relieved)

    def _write_off(self, ev) -> None:
        self._active(ev.on)
        t = ev.on
        self.run_until(t)
        self._end(t)  # the end of day t
        self.day, self.started = t + timedelta(days=1), False
        principal = self.disbursed - self.repaid
        interest = self._owed_interest(t)
        if principal + interest == 0:
            raise Refused
        self.wo_p, self.wo_i = principal, interest
        self.written_off = True
        self.watch = None
        self.results.append(("write_off", t, principal, interest))

    def _recover(self, tx) -> None:
        left_p = self.wo_p - self.rec_p
        if tx.amount > left_p + self.wo_i - self.rec_i:
            raise Refused
        p = min(tx.amount, left_p)
        self.rec_p += p
        self.rec_i += tx.amount - p
        self.results.append(("recovery", tx.on, tx.amount, p, tx.amount - p))

    def _repay(self, tx) -> None:
        if self.anchor is None or self.closed or tx.on < self.start:
            raise Refused
        self.run_until(tx.on)
        d = tx.on
        due = [k for k in range(len(self.due)) if self.due[k] <= d]
        od = round_half_up(self.overdue) - self.overdue_paid - self.overdue_relieved
        late = round_half_up(self.late) - self.late_paid - self.late_relieved
        arrears = od > 0 or late > 0 or any(self.due[k] < d and self._unpaid(k) for k in range(len(self.due)))
        not_yet = self.disbursed - self.repaid - sum(self.p[k] - self.pp[k] for k in due)
        accrued = round_half_up(self.period) - self.period_paid + self.deferred
        after_term = len(due) == len(self.due)  # nothing left to fall due: the accrued interest is payable
        settlement = (sum(self.p[k] - self.pp[k] + self.i[k] - self.ip[k] - self.ir[k] for k in due)
                      + od + late + not_yet + accrued)
        if settlement == 0 or tx.amount > settlement:
            raise Refused
        x = tx.amount
        principal_steps = [("p", k) for k in due]
        interest_steps = [("i", k) for k in due]
        steps = principal_steps + interest_steps if arrears else interest_steps + principal_steps
        paid = []
        for what, k in steps:
            owed = self.p[k] - self.pp[k] if what == "p" else self.i[k] - self.ip[k] - self.ir[k]
            part = min(owed, x)
            x -= part
            paid.append((what, k, part))
        a = min(x, od)
        x -= a
        b = min(x, late)
        x -= b
        c = min(x, accrued) if after_term else 0
        x -= c
        settle = tx.amount == settlement
        if not settle and x > not_yet:
            raise Refused
        principal = interest = 0
        for what, k, part in paid:
            if what == "p":
                self.pp[k] += part
                principal += part
            else:
                self.ip[k] += part
                interest += part
        self.overdue_paid += a
        self.late_paid += b
        self.period_paid += c
        interest += c
        if settle:
            principal += not_yet
            interest += accrued - c
            self.repaid += principal
            self.closed = True
            self.watch = None
        else:
            principal += x
            self.repaid += principal
            if x:
                self._recompute(d)
        self.allocations.append((principal, interest, a, b))

    # -- read-out ------------------------------------------------------------------------
    def balances(self, d: date) -> dict[str, int]:
        zero = dict(principal_outstanding=0, principal_overdue=0, interest_due_unpaid=0, interest_accrued=0,
                    overdue_interest_accrued=0, late_interest_accrued=0, days_past_due=0, debt_group=1,
                    written_off_principal=0, written_off_interest=0)
        if self.written_off:
            return {**zero, "written_off_principal": self.wo_p - self.rec_p, "written_off_interest": self.wo_i - self.rec_i}
        if self.anchor is None or self.closed or d < self.start:
            return zero
        if self.day <= d:
            self.run_until(d)
            self._end(d)
            self.day, self.started = d + timedelta(days=1), False
        dpd = self.dpd(d)
        group = group_by_days(dpd)
        w = self.watch
        if w is not None:
            if w["restructured"] and self.r:
                group = max(group, 5 if self.r >= 3 else (4 if dpd == 0 else 5) if self.r == 2 else
                            2 if dpd == 0 else 3 if dpd < 30 else 4 if dpd < 90 else 5)
            if w["relieved"]:
                group = max(group, 3)
        return dict(
            principal_outstanding=self.disbursed - self.repaid,
            principal_overdue=sum(self.p[k] - self.pp[k] for k in range(len(self.due)) if self.due[k] < d),
            interest_due_unpaid=sum(self.i[k] - self.ip[k] - self.ir[k] for k in range(len(self.due))
                                    if self.due[k] <= d),
            interest_accrued=round_half_up(self.period) - self.period_paid + self.deferred,
            overdue_interest_accrued=round_half_up(self.overdue) - self.overdue_paid - self.overdue_relieved,
            late_interest_accrued=round_half_up(self.late) - self.late_paid - self.late_relieved,
            days_past_due=dpd,
            debt_group=group,
            written_off_principal=0,
            written_off_interest=0,
        )


def reference_run(terms: LoanTerms, entries: list, as_of: date, watch_days: int = 90):
    """Apply the entries (skipping refused ones) and read the balances at the end of ``as_of``;
    returns (balances, allocations, refused, results) — results of the events and recoveries in order."""
    ref = Reference(terms, watch_days)
    refused = []
    for e in ordered(entries):
        if e.on > as_of:
            break
        try:
            ref.apply(e)
        except Refused:
            refused.append(e)
    return ref.balances(as_of), ref.allocations, refused, ref.results
