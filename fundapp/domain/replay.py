"""The one replay: entries applied in order to a loan's state, one handler per kind, each checking first.

DOMAIN.md "A repayment on day t" and "Life events". A handler refuses (``TransactionRefused``,
Vietnamese message with its English twin, naming the field and the limit) before it changes
anything, so a caller may report a refusal and go on with the next entry. A reversal is a
replay of the list without the entry: the state keeps nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from .allocation import split_recovery, split_repayment
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
)
from .groups import Watch
from .money import format_dong as _vnd
from .openings import check_opening
from .records import Allocation, Balances, LoanResult, Quote
from .state import LoanState

_RELIEF_LABELS = {"late_interest": "lãi chậm trả", "overdue_interest": "lãi quá hạn", "interest": "lãi đến hạn"}
_ACTION = {Kind.DISBURSEMENT: "giải ngân", Kind.RESTRUCTURE: "cơ cấu lại", Kind.INTEREST_RELIEF: "miễn, giảm lãi",
           Kind.REPAYMENT: "thu nợ", Kind.WRITE_OFF: "xóa nợ", Kind.OPENING: "ghi số dư chuyển sang"}


def _whole(value: object, field: str, label: str) -> int:
    if type(value) is not int:
        raise TransactionRefused(f"{label} phải là số nguyên (nhận được {value})",
                                 f"{field} must be a whole number (got {value!r})", field)
    return value


class LoanReplay(LoanState):
    """The state of one loan while its entries are applied in order (``ordered``).

    ``apply`` takes a ``Transaction``, ``Opening``, ``Restructuring``, ``InterestRelief`` or
    ``WriteOff`` and returns its result (``Allocation``, ``RecoveryResult``,
    ``RestructureResult``, ``ReliefResult``, ``WriteOffResult``; None for a disbursement or an
    opening), also kept in the lists ``allocations``, ``recoveries``, ``restructures``,
    ``reliefs``, ``write_offs``. ``watch_days`` is the watch's length in days (default 90).
    Raises ``TransactionRefused`` with nothing changed.
    """

    def apply(self, entry: Entry) -> object:
        """Apply one entry (on or after the last one, in DOMAIN.md's order of one date); returns its result."""
        kind = entry.kind
        on = entry.on
        if self.opened_on is not None and on <= self.opened_on:
            raise TransactionRefused(
                f"Không thể {_ACTION[kind]} ngày {on:%d/%m/%Y}: khoản vay chuyển số dư ngày "
                f"{self.opened_on:%d/%m/%Y}, mọi bút toán phải sau ngày đó",
                f"{kind} on {on} is on or before the opening day {self.opened_on}", "date")
        if self.status is LoanStatus.ACTIVE and on.toordinal() < self.day:
            # a quote or a balance already accrued past this day: applying it now would misstate the interest
            raise TransactionRefused(
                f"Giao dịch ngày {on:%d/%m/%Y} đứng trước ngày đã tính lãi "
                f"{date.fromordinal(self.day - 1):%d/%m/%Y}: ghi các giao dịch theo thứ tự ngày",
                f"transaction on {on} is before the day already accrued ({date.fromordinal(self.day - 1)})",
                "date")
        order = DAY_ORDER[kind]
        if self.last_on is not None and (on < self.last_on or (on == self.last_on and order < self.last_order)):
            raise TransactionRefused(
                f"Giao dịch ngày {on:%d/%m/%Y} đứng trước giao dịch đã ghi ngày {self.last_on:%d/%m/%Y} "
                "(trong một ngày: số dư chuyển sang, giải ngân, cơ cấu lại, miễn giảm lãi, thu nợ, xóa nợ)",
                f"{kind} on {on} comes before the last applied entry ({self.last_on})", "date")
        if kind is Kind.REPAYMENT:
            result = self._repay(entry) if self.status is not LoanStatus.WRITTEN_OFF else self._recover(entry)
        elif kind is Kind.DISBURSEMENT:
            result = self._disburse(entry)
        elif kind is Kind.RESTRUCTURE:
            result = self._restructure(entry)
        elif kind is Kind.INTEREST_RELIEF:
            result = self._relieve(entry)
        elif kind is Kind.WRITE_OFF:
            result = self._write_off(entry)
        else:
            result = self._open(entry)
        self.last_on = on
        self.last_order = order
        return result

    # -- checks shared by the handlers ----------------------------------------------------
    @staticmethod
    def _positive(amount: object) -> int:
        if type(amount) is not int or amount <= 0:
            raise TransactionRefused(f"Số tiền phải lớn hơn 0 đồng (nhận được {amount})",
                                     f"amount must be > 0 (got {amount})", "amount")
        return amount

    def _require_active(self, kind: Kind, on: date) -> None:
        """Refuse an event on a loan not disbursed, settled or written off."""
        action = _ACTION[kind]
        if self.status is LoanStatus.PENDING or on < self.started_on:
            raise TransactionRefused(f"Không thể {action} ngày {on:%d/%m/%Y}: khoản vay chưa được giải ngân",
                                     f"{kind} on {on}: the loan is not disbursed yet", "date")
        if self.status is LoanStatus.SETTLED:
            raise TransactionRefused(
                f"Không thể {action}: khoản vay đã tất toán ngày {self.closed_on:%d/%m/%Y}",
                f"{kind}: the loan was settled on {self.closed_on}", "kind")
        if self.status is LoanStatus.WRITTEN_OFF:
            raise TransactionRefused(
                f"Không thể {action}: khoản vay đã xóa nợ (xử lý rủi ro) ngày {self.written_off_on:%d/%m/%Y}",
                f"{kind}: the loan was written off on {self.written_off_on}", "kind")

    # -- opening and disbursement ----------------------------------------------------------
    def _open(self, o: Opening) -> None:
        if self.status is not LoanStatus.PENDING or self.last_on is not None:
            raise TransactionRefused("Số dư chuyển sang phải là bút toán đầu tiên của khoản vay",
                                     "an opening must be the loan's first entry", "kind")
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

    def _disburse(self, tx: Transaction) -> None:
        amount = self._positive(tx.amount)
        terms = self.terms
        if self.status is LoanStatus.SETTLED:
            raise TransactionRefused(
                f"Khoản vay đã tất toán ngày {self.closed_on:%d/%m/%Y}: không thể giải ngân thêm",
                f"loan settled on {self.closed_on}: no further disbursement", "kind")
        if self.status is LoanStatus.WRITTEN_OFF:
            self._require_active(Kind.DISBURSEMENT, tx.on)
        available = terms.amount - self.disbursed
        if amount > available:
            raise TransactionRefused(
                f"Giải ngân {_vnd(amount)} vượt số tiền được duyệt {_vnd(terms.amount)} "
                f"(đã giải ngân {_vnd(self.disbursed)}, còn được giải ngân {_vnd(available)})",
                f"disbursement of {amount} exceeds the approved amount {terms.amount} "
                f"(already disbursed {self.disbursed}, {available} left)", "amount")
        d = tx.on.toordinal()
        inst = self.inst
        if self.status is LoanStatus.PENDING:
            self.anchor = self.started_on = tx.on
            for no, due in enumerate(due_dates(tx.on, terms.installments, terms.frequency_months), 1):
                inst.append(no, due.toordinal())
            self.day = d
            self.status = LoanStatus.ACTIVE
        else:
            if self.fixed >= len(inst.due) or d >= inst.due[-1]:
                last = date.fromordinal(inst.due[-1])
                raise TransactionRefused(
                    f"Không thể giải ngân ngày {tx.on:%d/%m/%Y}: sau hoặc vào ngày đến hạn cuối cùng {last:%d/%m/%Y}",
                    f"disbursement on {tx.on} is on or after the last due date {last}", "date")
            self._open_day(d)
        self.disbursed += amount
        self._recompute()

    # -- restructuring and relief ------------------------------------------------------------
    def _restructure(self, ev: Restructuring) -> RestructureResult:
        self._require_active(Kind.RESTRUCTURE, ev.on)
        f = self.terms.frequency_months
        e = _whole(ev.extend_months, "extend_months", "Số tháng gia hạn")
        g = _whole(ev.grace_periods, "grace_periods", "Số kỳ ân hạn gốc")
        if e < 0 or e % f:
            raise TransactionRefused(
                f"Số tháng gia hạn {e} phải là bội số không âm của kỳ hạn trả nợ {f} tháng",
                f"extend_months {e} must be a multiple ≥ 0 of the frequency {f}", "extend_months")
        if g < 0:
            raise TransactionRefused(f"Số kỳ ân hạn gốc {g} không được âm", f"grace_periods {g} is negative",
                                     "grace_periods")
        if self.outstanding <= 0:
            raise TransactionRefused("Không thể cơ cấu lại: khoản vay không còn dư nợ gốc",
                                     "restructuring with no principal outstanding", "kind")
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
            raise TransactionRefused(
                f"Sau ngày {ev.on:%d/%m/%Y} không còn kỳ trả nợ nào: gia hạn ít nhất {k * f} tháng",
                f"no installment due after {ev.on}: extend_months must be at least {k * f}", "extend_months")
        if g >= after:
            raise TransactionRefused(
                f"Ân hạn {g} kỳ không để lại kỳ nào trả gốc: sau ngày {ev.on:%d/%m/%Y} có {after} kỳ, "
                f"ân hạn nhiều nhất {after - 1} kỳ",
                f"grace_periods {g} leaves no installment to carry principal ({after} due after {ev.on}, "
                f"at most {after - 1})", "grace_periods")
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
            raise TransactionRefused(
                f"Loại lãi được miễn, giảm «{ev.relief_of}» không hợp lệ: late_interest (lãi chậm trả), "
                "overdue_interest (lãi quá hạn) hoặc interest (lãi đến hạn)",
                f"relief_of {ev.relief_of!r} not in {', '.join(RELIEF_KINDS)}", "relief_of")
        amount = self._positive(ev.amount)
        self._require_active(Kind.INTEREST_RELIEF, ev.on)
        self._open_day(ev.on.toordinal())
        if ev.relief_of == "late_interest":
            most = self.late.payable()
        elif ev.relief_of == "overdue_interest":
            most = self.overdue.payable()
        else:
            most = self._due_unpaid()[1]
        label = _RELIEF_LABELS[ev.relief_of]
        if amount > most:
            raise TransactionRefused(
                f"Miễn, giảm {_vnd(amount)} {label} vượt số {label} phải trả ngày {ev.on:%d/%m/%Y}: "
                f"miễn, giảm nhiều nhất {_vnd(most)}",
                f"relief of {amount} {ev.relief_of} is more than payable on {ev.on}; at most {most}", "amount")
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
        return result

    # -- repayment, settlement, recovery ---------------------------------------------------------
    def _repay(self, tx: Transaction) -> Allocation:
        amount = self._positive(tx.amount)
        if self.status is LoanStatus.PENDING or tx.on < self.started_on:
            raise TransactionRefused(
                f"Không thể thu nợ ngày {tx.on:%d/%m/%Y}: khoản vay chưa được giải ngân trước ngày đó",
                f"repayment on {tx.on} before the first disbursement", "date")
        if self.status is LoanStatus.SETTLED:
            raise TransactionRefused(
                f"Khoản vay đã tất toán ngày {self.closed_on:%d/%m/%Y}: không còn dư nợ để thu",
                f"loan settled on {self.closed_on}: nothing outstanding", "amount")
        q = self.quote(tx.on)
        settlement = q.settlement
        if settlement == 0:
            raise TransactionRefused("Khoản vay không còn dư nợ để thu", "nothing outstanding on this loan", "amount")
        if amount > settlement:
            raise TransactionRefused(
                f"Số tiền {_vnd(amount)} vượt số tiền tất toán ngày {tx.on:%d/%m/%Y} là {_vnd(settlement)}: "
                "nhập đúng số tiền tất toán hoặc một số nhỏ hơn",
                f"{amount} exceeds the settlement amount {settlement} on {tx.on}", "amount")
        inst = self.inst
        arrears = self.overdue_p > 0 or self.overdue_i > 0 or q.overdue_interest > 0 or q.late_interest > 0
        tail = q.interest_accrued if self.fixed >= len(inst.due) else 0  # after the last due date: payable at once
        split = split_repayment(amount, arrears, self.first_open, self.fixed, inst.principal, inst.principal_paid,
                                inst.interest, inst.interest_paid, inst.interest_relieved,
                                q.overdue_interest, q.late_interest, tail)
        settled = amount == settlement  # every due paid and the rest covers principal + accrued
        if not settled and split.rest > q.principal_not_yet_due:
            raise TransactionRefused(
                f"Sau khi trả các khoản đến hạn, còn lại {_vnd(split.rest)}, nhiều hơn gốc chưa đến hạn "
                f"{_vnd(q.principal_not_yet_due)} nhưng chưa đủ tất toán: tất toán ngày {tx.on:%d/%m/%Y} "
                f"cần {_vnd(settlement)}, trả trước gốc nhiều nhất {_vnd(q.principal_not_yet_due)}",
                f"{split.rest} left after dues exceeds principal not yet due {q.principal_not_yet_due} "
                f"but does not settle: settle with {settlement} or prepay at most {q.principal_not_yet_due}",
                "amount")
        # -- from here on, nothing is refused: write
        for k, part in split.principal.items():
            inst.principal_paid[k] += part
            if k < self.past:
                self.overdue_p -= part
        for k, part in split.interest.items():
            inst.interest_paid[k] += part
            if k < self.past:
                self.overdue_i -= part
        due_principal = sum(split.principal.values())
        interest = sum(split.interest.values()) + split.tail_interest
        self.overdue.paid += split.overdue_interest
        self.late.paid += split.late_interest
        self.period.paid += split.tail_interest
        if settled:
            rest = q.principal_not_yet_due
            accrued_left = q.interest_accrued - split.tail_interest
            interest += accrued_left
            self._settle(tx.on, accrued_left)
        else:
            rest = split.rest
        self.repaid_principal += due_principal + rest
        if not settled and rest:
            self.prepaid += rest
            self._recompute()
        alloc = Allocation(tx.on, amount, due_principal + rest, interest, split.overdue_interest,
                           split.late_interest, rest, settled)
        self.allocations.append(alloc)
        return alloc

    def _settle(self, on: date, interest: int) -> None:
        inst = self.inst
        for k in range(self.fixed, len(inst.due)):
            inst.principal_paid[k] = inst.principal[k]
            inst.interest[k] = inst.interest_paid[k] = interest if k == self.fixed else 0
        self.settlement_interest = interest
        self.period.reset()
        inst.deferred = 0
        self.overdue_p = self.overdue_i = 0
        self.closed_on = on
        self.status = LoanStatus.SETTLED
        self.watch = None

    def _recover(self, tx: Transaction) -> RecoveryResult:
        amount = self._positive(tx.amount)
        principal_left, interest_left = self.off_balance
        remaining = principal_left + interest_left
        if amount > remaining:
            raise TransactionRefused(
                f"Thu hồi nợ đã xử lý {_vnd(amount)} vượt số đã xóa chưa thu hồi {_vnd(remaining)}",
                f"recovery of {amount} is more than the {remaining} written off and not yet recovered", "amount")
        principal, interest = split_recovery(amount, principal_left)
        self.off.recovered_principal += principal
        self.off.recovered_interest += interest
        result = RecoveryResult(tx.on, amount, principal, interest)
        self.recoveries.append(result)
        return result

    # -- write-off ----------------------------------------------------------------------------
    def _write_off(self, ev: WriteOff) -> WriteOffResult:
        self._require_active(Kind.WRITE_OFF, ev.on)
        t = ev.on.toordinal()
        self._accrue_through(t)  # at the end of day t, after that day's repayments
        principal = self.outstanding
        interest = (self._due_unpaid()[1] + self._accrued() + self.overdue.payable() + self.late.payable())
        if principal + interest == 0:
            raise TransactionRefused("Không thể xóa nợ: khoản vay không còn khoản nào phải trả",
                                     "write-off with nothing owed", "kind")
        # -- from here on, nothing is refused: write
        self.off.principal, self.off.interest = principal, interest
        self.status = LoanStatus.WRITTEN_OFF
        self.written_off_on = ev.on
        self.watch = None
        result = WriteOffResult(ev.on, principal, interest)
        self.write_offs.append(result)
        return result


def replay_entries(
    terms,
    entries: Iterable[Entry],
    until: date | None = None,
    on_result: Callable[[Entry, object], None] | None = None,
    on_refused: Callable[[Entry, TransactionRefused], None] | None = None,
    watch_days: int = 90,
    checkpoints: Sequence[date] = (),
    on_checkpoint: Callable[[LoanReplay, date], None] | None = None,
) -> LoanReplay:
    """The one replay path: apply ``entries`` (any order: sorted by ``ordered``) dated on or before
    ``until`` (all without it) to a fresh ``LoanReplay`` of ``terms`` and return it.

    ``on_result(entry, result)`` is called after each applied entry with its result (None for a
    disbursement or an opening). A refused entry calls ``on_refused(entry, error)`` and is skipped
    (nothing of it applied); without ``on_refused`` the ``TransactionRefused`` propagates.
    ``on_checkpoint(state, day)`` is called for each of ``checkpoints`` (ascending dates) once
    every entry dated on or before it is applied and none after (e.g. to read balances there).
    """
    state = LoanReplay(terms, watch_days)
    marks = [d for d in checkpoints if until is None or d <= until] if on_checkpoint is not None else []
    i = 0
    for entry in ordered(entries):
        if until is not None and entry.on > until:
            break
        while i < len(marks) and marks[i] < entry.on:
            on_checkpoint(state, marks[i])
            i += 1
        try:
            result = state.apply(entry)
        except TransactionRefused as err:
            if on_refused is None:
                raise
            on_refused(entry, err)
            continue
        if on_result is not None:
            on_result(entry, result)
    while i < len(marks):
        on_checkpoint(state, marks[i])
        i += 1
    return state


def replay(terms, entries: Iterable[Entry], as_of: date | None = None, watch_days: int = 90) -> LoanResult:
    """Apply the entries (on or before ``as_of``) in order and read the loan at the end of ``as_of``.

    Without ``as_of``: at the date of the last entry. ``terms`` is a ``LoanTerms``. Raises
    ``TransactionRefused`` on the first entry the rules refuse.
    """
    txs = ordered(entries)
    state = replay_entries(terms, txs, until=as_of, watch_days=watch_days)
    when = as_of or (txs[-1].on if txs else date.today())
    return LoanResult(
        balances=state.balances(when),
        allocations=tuple(state.allocations),
        schedule=tuple(state.schedule()),
        disbursed=state.disbursed,
        prepaid=state.prepaid,
        closed_on=state.closed_on,
        anchor=state.anchor,
        restructures=tuple(state.restructures),
        reliefs=tuple(state.reliefs),
        write_offs=tuple(state.write_offs),
        recoveries=tuple(state.recoveries),
        restructure_count=state.restructure_count,
        status=str(state.status),
    )


def balances_at(terms, entries: Sequence[Entry], dates: Sequence[date], watch_days: int = 90) -> list[Balances]:
    """Balances at each of ``dates`` (ascending) in one pass over the entries. Raises ``TransactionRefused``."""
    txs = ordered(entries)
    state = LoanReplay(terms, watch_days)
    out = []
    i = 0
    for when in dates:
        while i < len(txs) and txs[i].on <= when:
            state.apply(txs[i])
            i += 1
        out.append(state.balances(when))
    return out


def quote(terms, entries: Iterable[Entry], on: date, watch_days: int = 90) -> Quote:
    """The amount due to become current and the settlement amount on ``on`` (đồng). Raises ``TransactionRefused``."""
    return replay_entries(terms, entries, until=on, watch_days=watch_days).quote(on)
