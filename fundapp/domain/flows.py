"""Handlers of the money entries: disbursement, repayment (with settlement) and recovery, each checking first.

DOMAIN.md "A repayment on day t" and "Write-off on day t" (recovery). A handler raises
``TransactionRefused`` (Vietnamese message with its English twin, naming the field and the
limit) before it changes anything. The checks shared with the life events live here too.
"""

from __future__ import annotations

from datetime import date

from .allocation import split_recovery, split_repayment
from .dates import day_month_year, due_ordinals
from .errors import TransactionRefused
from .events import Kind, LoanStatus, RecoveryResult, Transaction
from .messages import N_, msg
from .money import format_dong as _vnd
from .money import quoted_amount
from .records import Allocation
from .state import LoanState

ACTION = {Kind.DISBURSEMENT: N_("giải ngân"), Kind.RESTRUCTURE: N_("cơ cấu lại"),
          Kind.INTEREST_RELIEF: N_("miễn, giảm lãi"), Kind.REPAYMENT: N_("thu nợ"), Kind.WRITE_OFF: N_("xóa nợ"),
          Kind.OPENING: N_("ghi số dư chuyển sang")}  # the verb of "Không thể {action} …", a msgid each


_PENDING, _SETTLED = LoanStatus.PENDING, LoanStatus.SETTLED  # module names: an enum member read is slower


def _book(paid: list[int], payments: dict[int, int], past: int) -> tuple[int, int]:
    """Add ``payments`` (installment index → đồng) to ``paid``; returns (their total, the part on installments
    before ``past``, which were overdue), đồng."""
    total = overdue = 0
    for k, part in payments.items():
        paid[k] += part
        total += part
        if k < past:
            overdue += part
    return total, overdue


class Flows(LoanState):
    """The loan state with the handlers of disbursements, repayments and recoveries."""

    # -- checks shared by the handlers ----------------------------------------------------
    @staticmethod
    def _positive(amount: object) -> int:
        if type(amount) is not int or amount <= 0:
            raise TransactionRefused(msg("Số tiền phải lớn hơn 0 đồng (nhận được {amount})",
                                         amount=quoted_amount(amount)),
                                     field="amount")
        return amount

    def _require_active(self, kind: Kind, on: date) -> None:
        """Refuse an event on a loan not disbursed, settled or written off."""
        action = msg(ACTION[kind])
        if self.status is LoanStatus.PENDING or on < self.started_on:
            raise TransactionRefused(msg("Không thể {action} ngày {on}: khoản vay chưa được giải ngân",
                                         action=action, on=day_month_year(on)), field="date")
        if self.status is LoanStatus.SETTLED:
            raise TransactionRefused(msg("Không thể {action}: khoản vay đã tất toán ngày {closed}",
                                         action=action, closed=day_month_year(self.closed_on)), field="kind")
        if self.status is LoanStatus.WRITTEN_OFF:
            raise TransactionRefused(msg("Không thể {action}: khoản vay đã xóa nợ (xử lý rủi ro) ngày {written_off}",
                                         action=action, written_off=day_month_year(self.written_off_on)), field="kind")

    def _disburse(self, tx: Transaction) -> None:
        amount = self._positive(tx.amount)
        terms = self.terms
        if self.status is LoanStatus.SETTLED:
            raise TransactionRefused(msg("Khoản vay đã tất toán ngày {closed}: không thể giải ngân thêm",
                                         closed=day_month_year(self.closed_on)), field="kind")
        if self.status is LoanStatus.WRITTEN_OFF:
            self._require_active(Kind.DISBURSEMENT, tx.on)
        available = terms.amount - self.disbursed
        if amount > available:
            # the amount still available first: «Giải ngân 2.566.110.301 đ vượt số tiền được duyệt 2.566.110.301 đ»
            # (a disbursement backdated before the loan's own, an officer's trial) read as A above A
            raise TransactionRefused(msg("Giải ngân {amount} vượt số còn được giải ngân {available} (số tiền được "
                                         "duyệt {approved}, đã giải ngân {disbursed})",
                                         amount=_vnd(amount), approved=_vnd(terms.amount),
                                         disbursed=_vnd(self.disbursed), available=_vnd(available)), field="amount")
        d = tx.on.toordinal()
        inst = self.inst
        if self.status is LoanStatus.PENDING:
            self.anchor = self.started_on = tx.on
            n = terms.installments
            inst.extend(list(range(1, n + 1)), list(due_ordinals(tx.on, n, terms.frequency_months)))
            self.day = d
            self.status = LoanStatus.ACTIVE
        else:
            if self.fixed >= len(inst.due) or d >= inst.due[-1]:
                last = date.fromordinal(inst.due[-1])
                raise TransactionRefused(msg("Không thể giải ngân ngày {on}: sau hoặc vào ngày đến hạn cuối cùng "
                                             "{last}", on=day_month_year(tx.on), last=day_month_year(last)), field="date")
            self._open_day(d)
        self.disbursed += amount
        self._recompute()

    # -- repayment, settlement, recovery ---------------------------------------------------------
    def _repay(self, tx: Transaction) -> Allocation:
        amount = tx.amount
        if type(amount) is not int or amount <= 0:
            self._positive(amount)  # refuses
        if self.status is _PENDING or tx.on < self.started_on:
            raise TransactionRefused(msg("Không thể thu nợ ngày {on}: khoản vay chưa được giải ngân trước ngày đó",
                                         on=day_month_year(tx.on)), field="date")
        if self.status is _SETTLED:
            raise TransactionRefused(msg("Khoản vay đã tất toán ngày {closed}: không còn dư nợ để thu",
                                         closed=day_month_year(self.closed_on)), field="amount")
        (principal_due, interest_due, overdue_interest, late_interest, not_yet_due, accrued,
         tail) = self._payable(tx.on.toordinal())  # ``quote``'s figures; tail: after the last due date, payable now
        settlement = principal_due + interest_due + overdue_interest + late_interest + tail + not_yet_due + accrued
        if settlement == 0:
            raise TransactionRefused(N_("Khoản vay không còn dư nợ để thu"), field="amount")
        if amount > settlement:
            raise TransactionRefused(msg("Số tiền {amount} vượt số tiền tất toán ngày {on} là {settlement}: "
                                         "nhập đúng số tiền tất toán hoặc một số nhỏ hơn", amount=_vnd(amount),
                                         on=day_month_year(tx.on), settlement=_vnd(settlement)), field="amount")
        inst = self.inst
        arrears = self.overdue_p > 0 or self.overdue_i > 0 or overdue_interest > 0 or late_interest > 0
        pay_p, pay_i, paid_overdue, paid_late, paid_tail, rest = split_repayment(
            amount, arrears, self.first_open, self.fixed, inst.principal, inst.principal_paid, inst.interest,
            inst.interest_paid, inst.interest_relieved, overdue_interest, late_interest, tail)
        settled = amount == settlement  # every due paid and the rest covers principal + accrued
        if not settled and rest > not_yet_due:
            raise TransactionRefused(msg("Sau khi trả các khoản đến hạn, còn lại {rest}, nhiều hơn gốc chưa đến hạn "
                                         "{not_due} nhưng chưa đủ tất toán: tất toán ngày {on} cần {settlement}, trả "
                                         "trước gốc nhiều nhất {not_due}", rest=_vnd(rest),
                                         not_due=_vnd(not_yet_due), on=day_month_year(tx.on),
                                         settlement=_vnd(settlement)), field="amount")
        # -- from here on, nothing is refused: write
        due_principal = interest = 0
        if pay_p:
            due_principal, overdue = _book(inst.principal_paid, pay_p, self.past)
            self.overdue_p -= overdue
        if pay_i:
            interest, overdue = _book(inst.interest_paid, pay_i, self.past)
            self.overdue_i -= overdue
        interest += paid_tail
        if paid_overdue:
            self.overdue.paid += paid_overdue
        if paid_late:
            self.late.paid += paid_late
        if paid_tail:
            self.period.paid += paid_tail
        if settled:
            rest = not_yet_due
            accrued_left = accrued + tail - paid_tail
            interest += accrued_left
            self._settle(tx.on, accrued_left)
        self.repaid_principal += due_principal + rest
        if not settled and rest:
            self.prepaid += rest
            self._recompute()
        alloc = Allocation(tx.on, amount, due_principal + rest, interest, paid_overdue, paid_late, rest, settled)
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
            raise TransactionRefused(msg("Thu hồi nợ đã xử lý {amount} vượt số đã xóa chưa thu hồi {remaining}",
                                         amount=_vnd(amount), remaining=_vnd(remaining)), field="amount")

        principal, interest = split_recovery(amount, principal_left)
        self.off.recovered_principal += principal
        self.off.recovered_interest += interest
        result = RecoveryResult(tx.on, amount, principal, interest)
        self.recoveries.append(result)
        return result
