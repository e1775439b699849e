"""One figure, one label (issue 13.8): the Vietnamese label of every figure and debt group that is shown both on a
screen and on paper. The loan page's balances box and the statement's balances table, the reports page's quarterly
tables and the quarterly report's PDF and .xlsx all read their wording here; README's glossary names each term.

Each label is a catalogue msgid (``N_``): the GUI shows it through ``tr``, the papers print it as written (they are
Vietnamese documents in any interface language). A paper may put words around a label ("Trong đó: nợ gốc quá hạn",
"Thu lãi (trong hạn, quá hạn, chậm trả)"), never reword it. The kinds of entries and
of reliefs have their tables beside their records in ``domain.events`` (``ENTRY_KIND_LABELS``, ``RELIEF_LABELS``).
"""

from __future__ import annotations

from .messages import N_

# DOMAIN.md "Balances as of a date t": ``Balances``' figure → its label
BALANCE_LABELS: dict[str, str] = {
    "principal_outstanding": N_("Dư nợ gốc"),
    "principal_overdue": N_("Nợ gốc quá hạn"),
    "interest_due_unpaid": N_("Lãi đến hạn chưa trả"),
    "interest_accrued": N_("Lãi trong hạn dự thu"),
    "overdue_interest_accrued": N_("Lãi quá hạn"),
    "late_interest_accrued": N_("Lãi chậm trả"),
    "days_past_due": N_("Số ngày quá hạn"),
    "debt_group": N_("Nhóm nợ"),
}

# DOMAIN.md "A repayment on day t" (the quote): what is payable on the day → its label
QUOTE_LABELS: dict[str, str] = {
    "due_now": N_("Số tiền phải trả để hết nợ đến hạn"),
    "settlement": N_("Số tiền tất toán"),
    # after the last due date the in-term interest has no installment left to carry it: payable at once ("Daily
    # accrual"); the statement's payable table and the notice's arrears column both name it so
    "interest_payable_after_term": N_("Lãi trong hạn sau ngày đến hạn cuối"),
}

# DOMAIN.md "Reported": a period's figure (``domain.figures.Figures``' attribute) → its label, for the reports page,
# the quarterly/six-month/annual PDF and .xlsx
REPORT_LABELS: dict[str, str] = {
    "disbursed_count": N_("Số lượt giải ngân"),
    "disbursed_loans": N_("Số khoản vay được giải ngân"),
    "disbursed_amount": N_("Số tiền giải ngân"),
    "principal_collected": N_("Thu nợ gốc"),
    "interest_collected": N_("Thu lãi"),
    "outstanding": N_("Dư nợ cuối kỳ"),
    "principal_overdue": BALANCE_LABELS["principal_overdue"],
    "bad_debt": N_("Nợ xấu (nhóm 3–5)"),
    "suspended_interest": N_("Lãi treo"),
    "loans_outstanding": N_("Số khoản vay còn dư nợ"),
    # DOMAIN.md "Reported", the life events (INTERCHANGE.md's keys)
    "restructured_count": N_("Số lượt cơ cấu lại thời hạn trả nợ"),
    "restructured_outstanding": N_("Dư nợ của các khoản vay đã cơ cấu lại"),
    "interest_relieved": N_("Lãi được miễn, giảm"),
    "written_off_principal": N_("Nợ gốc xử lý rủi ro (xóa nợ bằng dự phòng)"),
    "written_off_interest": N_("Lãi xử lý rủi ro (xóa nợ bằng dự phòng)"),
    "recovered": N_("Thu hồi nợ đã xử lý rủi ro"),
    "off_balance": N_("Nợ đã xử lý theo dõi ngoại bảng"),
}

# Circular 14/2024 (microfinance), prescribed: debt group → its name; the same words on every screen and paper
DEBT_GROUP_NAMES: dict[str, str] = {
    "1": N_("Nợ đủ tiêu chuẩn"),
    "2": N_("Nợ cần chú ý"),
    "3": N_("Nợ dưới tiêu chuẩn"),
    "4": N_("Nợ nghi ngờ"),
    "5": N_("Nợ có khả năng mất vốn"),
}


def debt_group_label(group: str | int) -> str:
    """The name Circular 14/2024 gives debt group ``group`` (1–5, int or str: 3 → "Nợ dưới tiêu chuẩn"), a catalogue
    msgid; an unknown group comes back as its text. DOMAIN.md "Balances as of a date t" (debt group)."""
    return DEBT_GROUP_NAMES.get(str(group), str(group))
