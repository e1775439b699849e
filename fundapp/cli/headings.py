"""The command line's human tables in the officer's language: a heading for every key its tables print (the keys
stay the JSON's and the CSV's, INTERCHANGE.md's contract) and each cell written as the GUI writes it — money grouped
by ``formatting``, dates dd/mm/yyyy, a yes/no as "có"/"không", nothing as a dash.

Each heading is a catalogue msgid (``N_``; English in the English catalogue); a figure shown on a screen or paper
too takes the domain's label (``domain.labels``), never a second wording.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from fundapp.domain.labels import BALANCE_LABELS, REPORT_LABELS
from fundapp.domain.messages import N_, msg
from fundapp.formatting import decimal_vi, group_thousands, short_date

NOTHING = "—"  # a cell with no value (None, empty text)

HEADINGS: dict[str, str] = {
    **BALANCE_LABELS,
    **REPORT_LABELS,
    "loan_no": N_("Số hợp đồng"),
    "borrower": N_("Khách hàng"),
    # schedule
    "no": N_("Kỳ"),
    "due_date": N_("Ngày đến hạn"),
    "principal": N_("Gốc phải trả"),
    "interest": N_("Lãi phải trả"),
    "interest_projected": N_("Lãi dự kiến"),
    "principal_paid": N_("Gốc đã trả"),
    "interest_paid": N_("Lãi đã trả"),
    # report quarterly / annual / semiannual (INTERCHANGE.md's and period_summary's keys)
    "overdue_principal": N_("Nợ gốc quá hạn cuối kỳ"),
    "start": N_("Từ ngày"),
    "end": N_("Đến ngày"),
    "projects_financed": N_("Số dự án (khoản vay) được giải ngân trong kỳ"),
    "outstanding_start": N_("Dư nợ đầu kỳ"),
    "outstanding_end": REPORT_LABELS["outstanding"],
    "growth_percent": N_("Tăng trưởng dư nợ so với đầu kỳ (%)"),
    "bad_debt_ratio_percent": N_("Tỷ lệ nợ xấu / dư nợ (%)"),
    "provision_total": N_("Tổng dự phòng cụ thể"),
    "borrowers_with_outstanding": N_("Số khách hàng còn dư nợ"),
    # report coverage
    "outstanding": BALANCE_LABELS["principal_outstanding"],
    "pledged": N_("Giá trị tài sản bảo đảm"),
    "coverage_percent": N_("Tỷ lệ bảo đảm (%)"),
    "below_threshold": N_("Dưới ngưỡng"),
    "revalue": N_("Cần định giá lại"),
    # documents (the register's JSON keys are Vietnamese without marks)
    "so": N_("Số"),
    "loai": N_("Loại"),
    "khoan_vay": N_("Khoản vay"),
    "ve": N_("Về"),
    "ngay": N_("Ngày"),
    "nguoi_cap": N_("Người cấp"),
    "luc": N_("Lúc cấp"),
    # restructure-batch's preview
    "deferred_interest": N_("Lãi chuyển sang kỳ sau"),
    "group": N_("Nhóm nợ (trước → sau)"),
    "last_due": N_("Hạn trả cuối (trước → sau)"),
    "refused": N_("Lý do từ chối"),
}
# the report coverage's "outstanding" is a loan's principal outstanding; the quarter's is the period's end figure
PERIOD_HEADINGS: dict[str, str] = {"outstanding": REPORT_LABELS["outstanding"]}

DATE_KEYS = frozenset({"due_date", "start", "end", "ngay"})  # ISO dates in the JSON, dd/mm/yyyy in a table
PERCENT_KEYS = frozenset({"growth_percent", "bad_debt_ratio_percent", "coverage_percent"})  # "3.53" → "3,53"


def heading(key: str, headings: dict[str, str] | None = None) -> str:
    """The heading of the column ``key`` in the officer's language (``headings`` first, then ``HEADINGS``); the key
    itself for a key with none (the catalogue test names every key the tables print)."""
    label = (headings or {}).get(key) or HEADINGS.get(key)
    return str(msg(label)) if label else key


def cell(key: str, value) -> str:
    """``value`` of the column ``key`` as the officer reads it: a yes/no as "có"/"không", None or empty text as a
    dash, an int grouped ("9.450.000.000"), a Decimal with a decimal comma (a percent key's text with two places), a date (or an
    ISO date of ``DATE_KEYS``) dd/mm/yyyy, a timestamp dd/mm/yyyy HH:MM:SS; other text as is."""
    if isinstance(value, bool):
        return str(msg("có") if value else msg("không"))
    if value is None or value == "":
        return NOTHING
    if isinstance(value, int):
        return group_thousands(value)
    if isinstance(value, Decimal):
        return decimal_vi(value)
    if isinstance(value, datetime):
        return f"{short_date(value.date())} {value:%H:%M:%S}"
    if isinstance(value, date):
        return short_date(value)
    text = str(value)
    if key in PERCENT_KEYS:
        try:
            return decimal_vi(Decimal(text), 2)
        except (InvalidOperation, ValueError):
            return text
    if key in DATE_KEYS:
        try:
            return short_date(date.fromisoformat(text))
        except ValueError:
            return text
    if key == "luc":
        try:
            return cell(key, datetime.fromisoformat(text))
        except ValueError:
            return text
    return text
