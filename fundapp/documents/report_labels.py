"""The rows, columns and Vietnamese labels the report files show: the summary's lines, the breakdowns' columns, the
debt groups of Circular 14/2024, the life events' names, and the mark of a period not yet ended. Shared by the
quarterly report (PDF and .xlsx) and the six-month/annual report; they read the domain's figures, computing none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fundapp.domain.figures import Figures, ratio

UNKNOWN = "(Chưa xác định)"


def sector_label(sector: str) -> str:
    """A sector as the reports print it: its first letter in capitals ("trồng trọt" → "Trồng trọt"; "" stays "")."""
    return sector[:1].upper() + sector[1:]

# Circular 14/2024 (microfinance): group → (name, days past due)
DEBT_GROUPS = {
    "1": ("Nợ đủ tiêu chuẩn", "Dưới 10 ngày"),
    "2": ("Nợ cần chú ý", "10–29 ngày"),
    "3": ("Nợ dưới tiêu chuẩn", "30–89 ngày"),
    "4": ("Nợ nghi ngờ", "90–179 ngày"),
    "5": ("Nợ có khả năng mất vốn", "Từ 180 ngày"),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One figure of a breakdown table: its heading and how to read it from ``Figures``."""

    key: str
    heading: str
    read: Callable[[Figures], int]
    money: bool = True


def _attr(name: str) -> Callable[[Figures], int]:
    return lambda f: getattr(f, name)


def _group_count(group: str) -> Callable[[Figures], int]:
    return lambda f: f.debt_groups[group]


# The columns of every breakdown (area, ward, kind, sector); the totals row reads the same from report.total
BREAKDOWN_COLUMNS: tuple[Column, ...] = (
    Column("disbursed_count", "Số lượt giải ngân", _attr("disbursed_count"), money=False),
    Column("disbursed_loans", "Số khoản vay được giải ngân", _attr("disbursed_loans"), money=False),
    Column("disbursed_amount", "Số tiền giải ngân", _attr("disbursed_amount")),
    Column("principal_collected", "Thu nợ gốc", _attr("principal_collected")),
    Column("interest_collected", "Thu lãi", _attr("interest_collected")),
    Column("outstanding", "Dư nợ cuối kỳ", _attr("outstanding")),
    Column("overdue_principal", "Nợ gốc quá hạn", _attr("principal_overdue")),
    Column("loans_outstanding", "Số khoản vay còn dư nợ", _attr("loans_outstanding"), money=False),
    Column("bad_debt", "Nợ xấu (nhóm 3–5)", _attr("bad_debt")),
    Column("suspended_interest", "Lãi treo", _attr("suspended_interest")),
)


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """A line of the summary: a count, an amount in đồng, or a percentage (Decimal, two places)."""

    label: str
    unit: str
    read: Callable[[Figures], int | Decimal]
    kind: str = "money"  # "money" | "count" | "percent"
    key: str = ""


LIFE_EVENT_LABELS: dict[str, tuple[str, str]] = {  # key → (label, unit), for every report that shows them
    "restructured_count": ("Số lượt cơ cấu lại thời hạn trả nợ", "lượt"),
    "restructured_outstanding": ("Dư nợ của các khoản vay đã cơ cấu lại", "đồng"),
    "interest_relieved": ("Lãi được miễn, giảm", "đồng"),
    "written_off_principal": ("Nợ gốc xử lý rủi ro (xóa nợ bằng dự phòng)", "đồng"),
    "written_off_interest": ("Lãi xử lý rủi ro (xóa nợ bằng dự phòng)", "đồng"),
    "recovered": ("Thu hồi nợ đã xử lý rủi ro", "đồng"),
    "off_balance": ("Nợ đã xử lý theo dõi ngoại bảng cuối kỳ", "đồng"),
}

# The list of the period's events (DOMAIN.md "Life events"): the event's name, and what its amount is
EVENT_LABELS = {
    "restructure": ("Cơ cấu lại thời hạn trả nợ", "lãi được hoãn"),
    "interest_relief": ("Miễn, giảm lãi", "lãi được miễn, giảm"),
    "write_off": ("Xử lý rủi ro (xóa nợ bằng dự phòng)", "gốc và lãi xử lý"),
}
EVENT_HEADINGS = ("STT", "Số hợp đồng", "Khách hàng", "Sự kiện", "Ngày", "Số quyết định", "Số tiền",
                  "Trong đó gốc", "Trong đó lãi")


SUMMARY_ROWS: tuple[SummaryRow, ...] = (
    SummaryRow("Số lượt giải ngân", "lượt", _attr("disbursed_count"), "count", "disbursed_count"),
    SummaryRow("Số khoản vay được giải ngân", "khoản vay", _attr("disbursed_loans"), "count", "disbursed_loans"),
    SummaryRow("Số tiền giải ngân", "đồng", _attr("disbursed_amount"), "money", "disbursed_amount"),
    SummaryRow("Thu nợ gốc", "đồng", _attr("principal_collected"), "money", "principal_collected"),
    SummaryRow("Thu lãi (trong hạn, quá hạn, chậm trả)", "đồng", _attr("interest_collected"), "money", "interest_collected"),
    SummaryRow("Dư nợ cuối kỳ", "đồng", _attr("outstanding"), "money", "outstanding"),
    SummaryRow("Nợ gốc quá hạn", "đồng", _attr("principal_overdue"), "money", "overdue_principal"),
    SummaryRow("Tỷ lệ nợ quá hạn / dư nợ", "%", lambda f: ratio(f.principal_overdue, f.outstanding), "percent"),
    SummaryRow("Nợ xấu (nhóm 3–5)", "đồng", _attr("bad_debt"), "money", "bad_debt"),
    SummaryRow("Tỷ lệ nợ xấu / dư nợ", "%", lambda f: ratio(f.bad_debt, f.outstanding), "percent"),
    SummaryRow("Lãi treo (lãi dự thu của nhóm 2–5)", "đồng", _attr("suspended_interest"), "money", "suspended_interest"),
    SummaryRow("Số khoản vay còn dư nợ", "khoản vay", _attr("loans_outstanding"), "count", "loans_outstanding"),
    *(
        SummaryRow(f"  – Nhóm {g}: {DEBT_GROUPS[g][0].lower()}", "khoản vay",
                   _group_count(g), "count", f"debt_group_{g}")
        for g in DEBT_GROUPS
    ),
    # DOMAIN.md "Reported": the life events (INTERCHANGE.md's keys), computed by domain.reporting
    *(SummaryRow(label, unit, _attr(key), "count" if unit == "lượt" else "money", key)
      for key, (label, unit) in LIFE_EVENT_LABELS.items()),
)


def not_ended_note(period: str, until: date) -> str:
    """The mark of a report whose period has not ended: "{period} chưa kết thúc — số liệu đến hết ngày dd/mm/yyyy"
    (``period`` "Quý", "Năm", "6 tháng đầu năm"; ``until`` the last day counted, the book's today). Shared by the
    quarterly and the six-month/annual report files."""
    return f"{period} chưa kết thúc — số liệu đến hết ngày {until:%d/%m/%Y}"
