"""Checks of an opening entry (số dư chuyển sang) and where its installments lie on the grid.

DOMAIN.md "Opening balances on day C": every refusal names the field and the limit, in
Vietnamese with its English twin; nothing is applied by the checks.
"""

from __future__ import annotations

from typing import NamedTuple

from .dates import add_months
from .errors import TransactionRefused
from .events import Opening
from .money import format_dong
from .terms import LoanTerms

_MONEY_FIELDS = (
    ("disbursed", "Số tiền đã giải ngân"),
    ("principal_outstanding", "Dư nợ gốc"),
    ("principal_overdue", "Gốc quá hạn"),
    ("interest_due_unpaid", "Lãi đến hạn chưa trả"),
    ("interest_accrued", "Lãi trong hạn dự thu"),
    ("overdue_interest", "Lãi quá hạn"),
    ("late_interest", "Lãi chậm trả"),
)


class OpeningLayout(NamedTuple):
    """Grid numbers of the opened loan: the arrears installment (or None) and those due after C."""

    arrears_no: int | None
    after_nos: tuple[int, ...]


def _refuse(vi: str, en: str, field: str) -> TransactionRefused:
    return TransactionRefused(vi, en, field)


def check_opening(terms: LoanTerms, o: Opening) -> OpeningLayout:
    """Check the opening's figures against the terms; return where its installments lie.

    Raises ``TransactionRefused`` (field named) when the figures do not add up: a negative or
    non-integer amount, principal_overdue ≤ principal_outstanding ≤ disbursed ≤ amount broken,
    A after C, an oldest_overdue_date after C, off the grid of A, missing with arrears or given
    without, nothing disbursed or nothing owed, restructurings negative or not a whole number,
    principal not yet due with no installment due after C.
    """
    for field, label in _MONEY_FIELDS:
        value = getattr(o, field)
        if type(value) is not int or value < 0:
            raise _refuse(f"{label} phải là số nguyên đồng không âm (nhận được {value})",
                          f"{field} must be a whole number of đồng ≥ 0 (got {value!r})", field)
    if type(o.restructurings) is not int or o.restructurings < 0:
        raise _refuse(f"Số lần cơ cấu lại trước đây phải là số nguyên không âm (nhận được {o.restructurings})",
                      f"restructurings must be a whole number ≥ 0 (got {o.restructurings!r})", "restructurings")
    if o.disbursed == 0:
        raise _refuse("Số dư chuyển sang: chưa giải ngân đồng nào", "opening with nothing disbursed", "disbursed")
    if o.disbursed > terms.amount:
        raise _refuse(f"Số tiền đã giải ngân {format_dong(o.disbursed)} vượt số tiền được duyệt "
                      f"{format_dong(terms.amount)}",
                      f"disbursed {o.disbursed} exceeds the approved amount {terms.amount}", "disbursed")
    if o.principal_outstanding > o.disbursed:
        raise _refuse(f"Dư nợ gốc {format_dong(o.principal_outstanding)} vượt số đã giải ngân "
                      f"{format_dong(o.disbursed)}",
                      f"principal_outstanding {o.principal_outstanding} exceeds disbursed {o.disbursed}",
                      "principal_outstanding")
    if o.principal_overdue > o.principal_outstanding:
        raise _refuse(f"Gốc quá hạn {format_dong(o.principal_overdue)} vượt dư nợ gốc "
                      f"{format_dong(o.principal_outstanding)}",
                      f"principal_overdue {o.principal_overdue} exceeds principal_outstanding "
                      f"{o.principal_outstanding}", "principal_overdue")
    owed = (o.principal_outstanding + o.interest_due_unpaid + o.interest_accrued + o.overdue_interest
            + o.late_interest)
    if owed == 0:
        raise _refuse("Số dư chuyển sang không còn khoản nào phải trả", "opening with nothing owed",
                      "principal_outstanding")
    c, a = o.on, o.first_disbursement_date
    if a > c:
        raise _refuse(f"Ngày giải ngân đầu tiên {a:%d/%m/%Y} sau ngày chuyển số dư {c:%d/%m/%Y}",
                      f"first_disbursement_date {a} is after the opening day {c}", "first_disbursement_date")
    f, n = terms.frequency_months, terms.installments
    arrears = o.principal_overdue + o.interest_due_unpaid > 0
    arrears_no = None
    if o.oldest_overdue_date is None:
        if arrears:
            raise _refuse("Có nợ quá hạn nhưng thiếu ngày đến hạn của kỳ quá hạn lâu nhất (oldest_overdue_date)",
                          "oldest_overdue_date is required when principal_overdue + interest_due_unpaid > 0",
                          "oldest_overdue_date")
    else:
        oldest = o.oldest_overdue_date
        if not arrears:
            raise _refuse(f"Ngày quá hạn lâu nhất {oldest:%d/%m/%Y} được ghi nhưng không có gốc quá hạn hay lãi "
                          "đến hạn chưa trả", "oldest_overdue_date given with nothing in arrears",
                          "oldest_overdue_date")
        if oldest > c:
            raise _refuse(f"Ngày quá hạn lâu nhất {oldest:%d/%m/%Y} sau ngày chuyển số dư {c:%d/%m/%Y}",
                          f"oldest_overdue_date {oldest} is after the opening day {c}", "oldest_overdue_date")
        months = (oldest.year - a.year) * 12 + oldest.month - a.month
        arrears_no = months // f if months % f == 0 else None
        if arrears_no is None or not 1 <= arrears_no <= n or add_months(a, arrears_no * f) != oldest:
            raise _refuse(f"Ngày quá hạn lâu nhất {oldest:%d/%m/%Y} không phải là một ngày đến hạn của khoản vay "
                          f"(các kỳ tính từ ngày giải ngân {a:%d/%m/%Y}, mỗi {f} tháng)",
                          f"oldest_overdue_date {oldest} is not a due date of the loan", "oldest_overdue_date")
    after = tuple(k for k in range(1, n + 1) if add_months(a, k * f) > c)
    if not after and o.principal_outstanding > o.principal_overdue:
        last = add_months(a, n * f)
        raise _refuse(f"Còn gốc chưa đến hạn {format_dong(o.principal_outstanding - o.principal_overdue)} nhưng "
                      f"không còn kỳ trả nợ nào sau ngày {c:%d/%m/%Y} (kỳ cuối {last:%d/%m/%Y})",
                      f"principal not yet due but no installment due after {c} (last due {last})",
                      "principal_outstanding")
    return OpeningLayout(arrears_no, after)

