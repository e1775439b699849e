"""Handlers of the life events: opening, restructuring, interest relief, write-off, each checking first.

DOMAIN.md "Life events". A handler raises ``TransactionRefused`` (Vietnamese message with its
English twin, naming the field and the limit) before it changes anything.
"""

from __future__ import annotations

from datetime import date

from .dates import day_month_year
from .errors import TransactionRefused
from .events import (
    RELIEF_KINDS,
    InterestRelief,
    Kind,
    LoanStatus,
    Opening,
    ReliefResult,
    RestructureResult,
    Restructuring,
    WriteOff,
    WriteOffResult,
    relief_kind_refused,
    relief_label,
)
from .flows import Flows
from .groups import Watch
from .messages import N_, msg
from .money import format_dong as _vnd
from .openings import check_opening

MAX_EXTEND_MONTHS = 600  # one restructuring adds at most 50 years, as a term may last (import limit)


def _whole(value: object, field: str, label: str) -> int:
    if type(value) is not int:
        raise TransactionRefused(msg("{label} phải là số nguyên (nhận được {value})", label=msg(label),
                                     value=str(value)), field=field)
    return value


class LifeEvents(Flows):
    """The loan state with the handlers of openings, restructurings, reliefs and write-offs."""

    # -- opening and disbursement ----------------------------------------------------------
    def _open(self, o: Opening) -> None:
        if self.status is not LoanStatus.PENDING or self.last_on is not None:
            raise TransactionRefused(N_("Số dư chuyển sang phải là bút toán đầu tiên của khoản vay"), field="kind")
        layout = check_opening(self.terms, o)
        self.anchor = o.first_disbursement_date
        self.started_on = self.opened_on = o.on
        self.status = LoanStatus.ACTIVE
        c = o.on.toordinal()
        inst = self.inst
        if layout.arrears_no is not None:
            due = self.grid_date(layout.arrears_no).toordinal()
            inst.append(layout.arrears_no, due, o.principal_overdue, o.interest_due_unpaid)
            self.fixed = 1
            if due < c:
                self.past = 1
                self.overdue_p, self.overdue_i = o.principal_overdue, o.interest_due_unpaid
        for no in layout.after_nos:
            inst.append(no, self.grid_date(no).toordinal())
        self.disbursed = o.disbursed
        self.repaid_principal = o.disbursed - o.principal_outstanding
        self.period.base, self.overdue.base, self.late.base = o.interest_accrued, o.overdue_interest, o.late_interest
        self.restructure_count = o.restructurings
        self.day = c + 1
        self._recompute()

    # -- restructuring and relief ------------------------------------------------------------
    def _restructure(self, ev: Restructuring) -> RestructureResult:
        self._require_active(Kind.RESTRUCTURE, ev.on)
        f = self.terms.frequency_months
        e = _whole(ev.extend_months, "extend_months", N_("Số tháng gia hạn"))
        g = _whole(ev.grace_periods, "grace_periods", N_("Số kỳ ân hạn gốc"))
        if e < 0 or e % f:
            raise TransactionRefused(msg("Số tháng gia hạn {e} phải là bội số không âm của kỳ hạn trả nợ {f} tháng",
                                         e=e, f=f), field="extend_months")
        if e > MAX_EXTEND_MONTHS:
            raise TransactionRefused(msg("Số tháng gia hạn {e} vượt giới hạn {most} tháng của một lần cơ cấu lại",
                                         e=e, most=MAX_EXTEND_MONTHS), field="extend_months")
        if g < 0:
            raise TransactionRefused(msg("Số kỳ ân hạn gốc {g} không được âm", g=g), field="grace_periods")
        try:  # the calendar ends in 9999: a grid past it cannot be stored (nor meant)
            self.grid_date(self.inst.no[-1] + e // f)
        except (ValueError, OverflowError):
            raise TransactionRefused(msg("Gia hạn {e} tháng đưa kỳ trả nợ cuối vượt quá năm 9999", e=e),
                                     field="extend_months") from None
        if self.outstanding <= 0:
            raise TransactionRefused(N_("Không thể cơ cấu lại: khoản vay không còn dư nợ gốc"), field="kind")
        d = ev.on.toordinal()
        self._open_day(d)
        inst = self.inst
        last_no = inst.no[-1]
        new = [(no, self.grid_date(no).toordinal()) for no in range(last_no + 1, last_no + e // f + 1)]
        after = sum(1 for x in inst.due if x > d) + sum(1 for _, x in new if x > d)
        if after == 0:
            k = 1
            while self.grid_date(last_no + k).toordinal() <= d:
                k += 1
            raise TransactionRefused(msg("Sau ngày {on} không còn kỳ trả nợ nào: gia hạn ít nhất {least} tháng",
                                         on=day_month_year(ev.on), least=k * f), field="extend_months")
        if g >= after:
            raise TransactionRefused(msg("Ân hạn {g} kỳ không để lại kỳ nào trả gốc: sau ngày {on} có {after} kỳ, "
                                         "ân hạn nhiều nhất {most} kỳ", g=g, on=day_month_year(ev.on), after=after,
                                         most=after - 1), field="grace_periods")
        # -- from here on, nothing is refused: write
        for no, due in new:
            inst.append(no, due)
        self._start_of_day(d)  # appended installments already due (a loan far past its term) fall due now
        deferred = 0
        for k in range(self.first_open, self.fixed):
            inst.principal[k] = inst.principal_paid[k]
            unpaid = inst.interest[k] - inst.interest_paid[k] - inst.interest_relieved[k]
            deferred += unpaid
            inst.interest[k] -= unpaid
        inst.deferred += deferred
        self.overdue_p = self.overdue_i = 0
        self.first_open = self.past = self.fixed
        self.grace_from = inst.no[self.fixed]
        self.grace_to = self.grace_from + g
        self.restructure_count += 1
        self._watch(d, restructured=True)
        self._recompute()
        result = RestructureResult(ev.on, e, g, deferred, self.restructure_count)
        self.restructures.append(result)
        return result

    def _watch(self, d: int, restructured: bool) -> None:
        if self.watch is None:
            self.watch = Watch(d, self.watch_days, restructured, not restructured)
        else:
            self.watch.restart(d, restructured, not restructured)

    def _relieve(self, ev: InterestRelief) -> ReliefResult:
        if ev.relief_of not in RELIEF_KINDS:
            raise TransactionRefused(relief_kind_refused(ev.relief_of), field="relief_of")
        amount = self._positive(ev.amount)
        self._require_active(Kind.INTEREST_RELIEF, ev.on)
        self._open_day(ev.on.toordinal())
        if ev.relief_of == "late_interest":
            most = self.late.payable()
        elif ev.relief_of == "overdue_interest":
            most = self.overdue.payable()
        else:
            most = self._due_unpaid()[1]
        label = msg(relief_label(ev.relief_of))
        if amount > most:
            refused = msg("Miễn, giảm {amount} {label} vượt số {label} phải trả ngày {on}: miễn, giảm nhiều nhất "
                          "{most}", amount=_vnd(amount), label=label, on=day_month_year(ev.on), most=_vnd(most))
            deferred = self.inst.deferred if ev.relief_of == "interest" and self.fixed < len(self.inst.due) else 0
            if deferred:  # a restructuring moved the interest due to the next installment: not payable before it
                # ("Restructuring on day t"); «nhiều nhất 0 đ» beside 19.487.178 đ owed on the loan page said nothing
                # of why (an officer's trial)
                refused = msg("{refused}; lãi {deferred} đã chuyển sang kỳ đến hạn {due} khi cơ cấu lại, miễn, giảm "
                              "được từ ngày đó", refused=refused, deferred=_vnd(deferred),
                              due=day_month_year(date.fromordinal(self.inst.due[self.fixed])))
            raise TransactionRefused(refused, field="amount")
        # -- from here on, nothing is refused: write
        if ev.relief_of == "late_interest":
            self.late.relieved += amount
        elif ev.relief_of == "overdue_interest":
            self.overdue.relieved += amount
        else:
            inst = self.inst
            left = amount
            for k in range(self.first_open, self.fixed):
                part = min(left, inst.interest[k] - inst.interest_paid[k] - inst.interest_relieved[k])
                if part:
                    inst.interest_relieved[k] += part
                    if k < self.past:
                        self.overdue_i -= part
                    left -= part
        self._watch(ev.on.toordinal(), restructured=False)
        result = ReliefResult(ev.on, ev.relief_of, amount)
        self.reliefs.append(result)
        if self.fixed >= len(self.inst.due) and self.quote(ev.on).settlement == 0:
            self._settle(ev.on, 0)  # after the last due date with nothing owed: settled
        return result

    # -- write-off ----------------------------------------------------------------------------
    def _write_off(self, ev: WriteOff) -> WriteOffResult:
        self._require_active(Kind.WRITE_OFF, ev.on)
        t = ev.on.toordinal()
        self._accrue_through(t)  # at the end of day t, after that day's repayments
        principal = self.outstanding
        interest = (self._due_unpaid()[1] + self._accrued() + self.overdue.payable() + self.late.payable())
        if principal + interest == 0:
            raise TransactionRefused(N_("Không thể xóa nợ: khoản vay không còn khoản nào phải trả"), field="kind")

        # -- from here on, nothing is refused: write
        self.off.principal, self.off.interest = principal, interest
        self.status = LoanStatus.WRITTEN_OFF
        self.written_off_on = ev.on
        self.watch = None
        result = WriteOffResult(ev.on, principal, interest)
        self.write_offs.append(result)
        return result
