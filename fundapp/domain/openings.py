"""Checks of an opening entry (số dư chuyển sang) and where its installments lie on the grid.

DOMAIN.md "Opening balances on day C": every refusal names the field and the limit, in
Vietnamese with its English twin; nothing is applied by the checks.
"""

from __future__ import annotations

from typing import NamedTuple

from .dates import add_months, day_month_year
from .errors import TransactionRefused
from .events import Opening
from .messages import N_, Message, msg
from .money import format_dong, quoted_amount
from .terms import LoanTerms

_MONEY_FIELDS = (
    ("disbursed", N_("Số tiền đã giải ngân")),
    ("principal_outstanding", N_("Dư nợ gốc")),
    ("principal_overdue", N_("Gốc quá hạn")),
    ("interest_due_unpaid", N_("Lãi đến hạn chưa trả")),
    ("interest_accrued", N_("Lãi trong hạn dự thu")),
    ("overdue_interest", N_("Lãi quá hạn")),
    ("late_interest", N_("Lãi chậm trả")),
)


class OpeningLayout(NamedTuple):
    """Grid numbers of the opened loan: the arrears installment (or None) and those due after C."""

    arrears_no: int | None
    after_nos: tuple[int, ...]


def _refuse(message: Message | str, field: str) -> TransactionRefused:
    return TransactionRefused(message, field=field)


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
            raise _refuse(msg("{label} phải là số nguyên đồng không âm (nhận được {value})", label=msg(label),
                              value=quoted_amount(value)), field)
    if type(o.restructurings) is not int or o.restructurings < 0:
        raise _refuse(msg("Số lần cơ cấu lại trước đây phải là số nguyên không âm (nhận được {value})",
                          value=str(o.restructurings)), "restructurings")
    if o.disbursed == 0:
        raise _refuse(N_("Số dư chuyển sang: chưa giải ngân đồng nào"), "disbursed")
    if o.disbursed > terms.amount:
        raise _refuse(msg("Số tiền đã giải ngân {disbursed} vượt số tiền được duyệt {approved}",
                          disbursed=format_dong(o.disbursed), approved=format_dong(terms.amount)), "disbursed")
    if o.principal_outstanding > o.disbursed:
        raise _refuse(msg("Dư nợ gốc {outstanding} vượt số đã giải ngân {disbursed}",
                          outstanding=format_dong(o.principal_outstanding), disbursed=format_dong(o.disbursed)),
                      "principal_outstanding")
    if o.principal_overdue > o.principal_outstanding:
        raise _refuse(msg("Gốc quá hạn {overdue} vượt dư nợ gốc {outstanding}",
                          overdue=format_dong(o.principal_overdue), outstanding=format_dong(o.principal_outstanding)),
                      "principal_overdue")
    owed = (o.principal_outstanding + o.interest_due_unpaid + o.interest_accrued + o.overdue_interest
            + o.late_interest)
    if owed == 0:
        raise _refuse(N_("Số dư chuyển sang không còn khoản nào phải trả"), "principal_outstanding")
    c, a = o.on, o.first_disbursement_date
    if a > c:
        raise _refuse(msg("Ngày giải ngân đầu tiên {first} sau ngày chuyển số dư {opening}", first=day_month_year(a),
                          opening=day_month_year(c)), "first_disbursement_date")
    f, n = terms.frequency_months, terms.installments
    arrears = o.principal_overdue + o.interest_due_unpaid > 0
    arrears_no = None
    if o.oldest_overdue_date is None:
        if arrears:
            raise _refuse(N_("Có nợ quá hạn nhưng thiếu ngày đến hạn của kỳ quá hạn lâu nhất (oldest_overdue_date)"),
                          "oldest_overdue_date")
    else:
        oldest = o.oldest_overdue_date
        if not arrears:
            raise _refuse(msg("Ngày quá hạn lâu nhất {oldest} được ghi nhưng không có gốc quá hạn hay lãi đến hạn "
                              "chưa trả", oldest=day_month_year(oldest)), "oldest_overdue_date")
        if oldest > c:
            raise _refuse(msg("Ngày quá hạn lâu nhất {oldest} sau ngày chuyển số dư {opening}",
                              oldest=day_month_year(oldest), opening=day_month_year(c)), "oldest_overdue_date")
        months = (oldest.year - a.year) * 12 + oldest.month - a.month
        arrears_no = months // f if months % f == 0 else None
        if arrears_no is None or not 1 <= arrears_no <= n or add_months(a, arrears_no * f) != oldest:
            raise _refuse(msg("Ngày quá hạn lâu nhất {oldest} không phải là một ngày đến hạn của khoản vay (các kỳ "
                              "tính từ ngày giải ngân {first}, mỗi {f} tháng)", oldest=day_month_year(oldest),
                              first=day_month_year(a), f=f), "oldest_overdue_date")
    after = tuple(k for k in range(1, n + 1) if add_months(a, k * f) > c)
    if not after and o.principal_outstanding > o.principal_overdue:
        last = add_months(a, n * f)
        raise _refuse(msg("Còn gốc chưa đến hạn {not_due} nhưng không còn kỳ trả nợ nào sau ngày {opening} (kỳ cuối "
                          "{last})", not_due=format_dong(o.principal_outstanding - o.principal_overdue),
                          opening=day_month_year(c), last=day_month_year(last)), "principal_outstanding")

    return OpeningLayout(arrears_no, after)

