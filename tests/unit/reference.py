"""A deliberately naive, day-by-day reading of DOMAIN.md, used to check the fast engine.

It walks every calendar day with Fractions and recomputes every sum from the installments,
sharing nothing with fundapp.domain.engine but the terms, the due dates and the principal split.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from fundapp.domain.dates import due_dates
from fundapp.domain.engine import Kind, Transaction, debt_group, ordered
from fundapp.domain.money import round_half_up
from fundapp.domain.schedule import split_principal
from fundapp.domain.terms import LoanTerms


class Refused(Exception):
    pass


class Reference:
    def __init__(self, terms: LoanTerms):
        self.t = terms
        self.n = terms.installments
        self.due: list[date] = []
        self.p = [0] * self.n
        self.pp = [0] * self.n
        self.i = [0] * self.n
        self.ip = [0] * self.n
        self.disbursed = 0
        self.repaid = 0
        self.period = Fraction(0)
        self.overdue = Fraction(0)
        self.late = Fraction(0)
        self.overdue_paid = 0
        self.late_paid = 0
        self.closed = False
        self.day: date | None = None  # next day to accrue
        self.allocations: list[tuple[int, int, int, int]] = []

    def _start(self, d: date) -> None:
        for k, due in enumerate(self.due):
            if due == d:
                self.i[k] = round_half_up(self.period)
                self.period = Fraction(0)

    def _end(self, d: date) -> None:
        if self.closed:
            return
        past = [k for k in range(self.n) if self.due[k] < d]
        overdue_p = sum(self.p[k] - self.pp[k] for k in past)
        overdue_i = sum(self.i[k] - self.ip[k] for k in past)
        in_term = self.disbursed - self.repaid - overdue_p
        self.period += in_term * self.t.daily_rate
        self.overdue += overdue_p * self.t.overdue_daily_rate
        self.late += overdue_i * self.t.late_daily_rate

    def run_until(self, d: date) -> None:
        """Finish every day before d, then open d."""
        while self.day is not None and self.day < d:
            self._end(self.day)
            self.day += timedelta(days=1)
            self._start(self.day)

    def _recompute(self, d: date) -> None:
        k0 = sum(1 for x in self.due if x <= d)
        if k0 >= self.n:
            return
        due_p = sum(self.p[k] - self.pp[k] for k in range(k0))
        rest = self.disbursed - self.repaid - due_p
        self.p[k0:] = split_principal(self.t.method, rest, self.n - k0, max(0, self.t.grace_periods - k0),
                                      self.t.period_rate)

    def apply(self, tx: Transaction) -> None:
        if tx.amount <= 0:
            raise Refused
        if tx.kind is Kind.DISBURSEMENT:
            if self.closed or self.disbursed + tx.amount > self.t.amount:
                raise Refused
            if self.day is None:
                self.due = list(due_dates(tx.on, self.n, self.t.frequency_months))
                self.anchor = tx.on
                self.day = tx.on
            else:
                if tx.on >= self.due[-1]:
                    raise Refused
                self.run_until(tx.on)
            self.disbursed += tx.amount
            self._recompute(tx.on)
            return
        if self.day is None or self.closed:
            raise Refused
        self.run_until(tx.on)
        d = tx.on
        due = [k for k in range(self.n) if self.due[k] <= d]
        od = round_half_up(self.overdue) - self.overdue_paid
        late = round_half_up(self.late) - self.late_paid
        arrears = od > 0 or late > 0 or any(
            self.due[k] < d and (self.p[k] > self.pp[k] or self.i[k] > self.ip[k]) for k in range(self.n))
        not_yet = self.disbursed - self.repaid - sum(self.p[k] - self.pp[k] for k in due)
        accrued = round_half_up(self.period)
        settlement = sum(self.p[k] - self.pp[k] + self.i[k] - self.ip[k] for k in due) + od + late + not_yet + accrued
        if settlement == 0 or tx.amount > settlement:
            raise Refused
        x = tx.amount
        principal = interest = 0
        principal_steps = [("p", k) for k in due]
        interest_steps = [("i", k) for k in due]
        steps = principal_steps + interest_steps if arrears else interest_steps + principal_steps
        paid = []
        for what, k in steps:
            owed = self.p[k] - self.pp[k] if what == "p" else self.i[k] - self.ip[k]
            part = min(owed, x)
            x -= part
            paid.append((what, k, part))
        a = min(x, od)
        x -= a
        b = min(x, late)
        x -= b
        settle = tx.amount == settlement
        if not settle and x > not_yet:
            raise Refused
        for what, k, part in paid:
            if what == "p":
                self.pp[k] += part
                principal += part
            else:
                self.ip[k] += part
                interest += part
        self.overdue_paid += a
        self.late_paid += b
        if settle:
            principal += not_yet
            interest += accrued
            self.repaid += principal
            self.closed = True
            self.period = Fraction(0)
        else:
            principal += x
            self.repaid += principal
            if x:
                self._recompute(d)
        self.allocations.append((principal, interest, a, b))

    def balances(self, d: date) -> dict[str, int]:
        zero = dict(principal_outstanding=0, principal_overdue=0, interest_due_unpaid=0, interest_accrued=0,
                    overdue_interest_accrued=0, late_interest_accrued=0, days_past_due=0, debt_group=1,
                    written_off_principal=0, written_off_interest=0)
        if self.day is None or self.closed or d < self.anchor:
            return zero
        self.run_until(d)
        self._end(d)  # the end of d, without opening d + 1
        self.day = d + timedelta(days=1)
        pending_open = self.day
        unpaid = [k for k in range(self.n) if self.due[k] < d and (self.p[k] > self.pp[k] or self.i[k] > self.ip[k])]
        dpd = (d - self.due[unpaid[0]]).days if unpaid else 0
        out = dict(
            principal_outstanding=self.disbursed - self.repaid,
            principal_overdue=sum(self.p[k] - self.pp[k] for k in range(self.n) if self.due[k] < d),
            interest_due_unpaid=sum(self.i[k] - self.ip[k] for k in range(self.n) if self.due[k] <= d),
            interest_accrued=round_half_up(self.period),
            overdue_interest_accrued=round_half_up(self.overdue) - self.overdue_paid,
            late_interest_accrued=round_half_up(self.late) - self.late_paid,
            days_past_due=dpd,
            debt_group=debt_group(dpd),
            written_off_principal=0,
            written_off_interest=0,
        )
        self._start(pending_open)
        return out


def reference_run(terms: LoanTerms, txs: list[Transaction], as_of: date):
    """Apply the transactions (skipping refused ones) and read the balances; returns (balances, allocations, refused)."""
    ref = Reference(terms)
    refused = []
    for tx in ordered(txs):
        if tx.on > as_of:
            break
        try:
            ref.apply(tx)
        except Refused:
            refused.append(tx)
    return ref.balances(as_of), ref.allocations, refused
