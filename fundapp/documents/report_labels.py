"""The rows, columns and Vietnamese labels the report files show: the summary's lines, the breakdowns' columns, the
debt groups of Circular 14/2024, the life events' names, and the mark of a period not yet ended. Shared by the
quarterly report (PDF and .xlsx) and the six-month/annual report; they read the domain's figures, computing none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from fundapp.domain.events import ENTRY_KIND_LABELS, Kind
from fundapp.domain.labels import BALANCE_LABELS, DEBT_GROUP_NAMES, REPORT_LABELS
from fundapp.domain.messages import N_
from fundapp.domain.portfolio_report import PORTFOLIO_INTEREST_FIELDS
from fundapp.formatting import short_date

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures (tests/docs/test_documents_compute_nothing)
    from fundapp.domain.figures import Figures

UNKNOWN = "(Chưa xác định)"

# The interest columns of the loan lists (quarterly and portfolio): the balances' labels, as the loan page shows them
INTEREST_HEADINGS = tuple(BALANCE_LABELS[name] for name in PORTFOLIO_INTEREST_FIELDS)
# The collection list's interest owed (due unpaid + overdue + late-payment; README's glossary ``interest_owed``),
# only printed
INTEREST_OWED = "Lãi phải thu"


def sector_label(sector: str) -> str:
    """A sector as the reports print it: its first letter in capitals ("trồng trọt" → "Trồng trọt"; "" stays "")."""
    return sector[:1].upper() + sector[1:]

# Circular 14/2024 (microfinance): group → (name, days past due); the names are the domain's DEBT_GROUP_NAMES
_GROUP_DAYS = {"1": "Dưới 10 ngày", "2": "10–29 ngày", "3": "30–89 ngày", "4": "90–179 ngày", "5": "Từ 180 ngày"}
DEBT_GROUPS = {g: (DEBT_GROUP_NAMES[g], days) for g, days in _GROUP_DAYS.items()}


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


def _figure(key: str, figure: str = "", money: bool = True) -> Column:
    # a breakdown column headed by the domain's label of ``figure`` (the Figures attribute; ``key`` when the same)
    figure = figure or key
    return Column(key, REPORT_LABELS[figure], _attr(figure), money)


# The columns of every breakdown (area, ward, kind, sector); the totals row reads the same from report.total
BREAKDOWN_COLUMNS: tuple[Column, ...] = (
    _figure("disbursed_count", money=False),
    _figure("disbursed_loans", money=False),
    _figure("disbursed_amount"),
    _figure("principal_collected"),
    _figure("interest_collected"),
    _figure("outstanding"),
    _figure("overdue_principal", "principal_overdue"),
    _figure("loans_outstanding", money=False),
    _figure("bad_debt"),
    _figure("suspended_interest"),
)


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """A line of the summary: a count, an amount in đồng, or a percentage (Decimal, two places). ``label`` is the
    line as the papers print it; ``name`` the figure's label alone (a catalogue msgid, the paper's added words left
    out), which the reports page shows through ``tr``."""

    label: str
    unit: str
    read: Callable[[Figures], int | Decimal]
    kind: str = "money"  # "money" | "count" | "percent"
    key: str = ""
    name: str = ""


LIFE_EVENT_LABELS: dict[str, tuple[str, str]] = {  # key → (the domain's label, unit), for every report that shows them
    key: (REPORT_LABELS[key] + (" cuối kỳ" if key == "off_balance" else ""), "lượt" if key == "restructured_count"
          else "đồng")
    for key in ("restructured_count", "restructured_outstanding", "interest_relieved", "written_off_principal",
                "written_off_interest", "recovered", "off_balance")
}

# The list of the period's events (DOMAIN.md "Life events"): the event's name (the domain's entry-kind label), and
# what its amount is
EVENT_LABELS = {
    kind.value: (ENTRY_KIND_LABELS[kind] + more, what) for kind, more, what in (
        (Kind.RESTRUCTURE, "", "lãi được hoãn"),
        (Kind.INTEREST_RELIEF, "", "lãi được miễn, giảm"),
        (Kind.WRITE_OFF, " (xóa nợ bằng dự phòng)", "gốc và lãi xử lý"),
    )
}
EVENT_HEADINGS = ("STT", "Số hợp đồng", "Khách hàng", "Sự kiện", "Ngày", "Số quyết định", "Số tiền",
                  "Trong đó gốc", "Trong đó lãi")


def _line(key: str, unit: str, kind: str = "money", figure: str = "", more: str = "") -> SummaryRow:
    # a summary line labelled with the domain's label of ``figure`` (``key`` when the same), ``more`` words after it
    figure = figure or key
    return SummaryRow(REPORT_LABELS[figure] + more, unit, _attr(figure), kind, key, REPORT_LABELS[figure])


def _ratio(label: str, part: str) -> SummaryRow:
    # a percentage line: the domain's ratio of the ``part`` figure to the outstanding principal (Figures.{part}_ratio)
    return SummaryRow(label, "%", _attr(f"{part}_ratio"), "percent", f"{part}_ratio", label)


SUMMARY_ROWS: tuple[SummaryRow, ...] = (
    _line("disbursed_count", "lượt", "count"),
    _line("disbursed_loans", "khoản vay", "count"),
    _line("disbursed_amount", "đồng"),
    _line("principal_collected", "đồng"),
    _line("interest_collected", "đồng", more=" (trong hạn, quá hạn, chậm trả)"),
    _line("outstanding", "đồng"),
    _line("overdue_principal", "đồng", figure="principal_overdue"),
    _ratio(N_("Tỷ lệ nợ quá hạn / dư nợ"), "principal_overdue"),
    _line("bad_debt", "đồng"),
    _ratio(N_("Tỷ lệ nợ xấu / dư nợ"), "bad_debt"),
    _line("suspended_interest", "đồng", more=" (lãi dự thu của nhóm 2–5)"),
    _line("loans_outstanding", "khoản vay", "count"),
    *(
        SummaryRow(f"  – Nhóm {g}: {DEBT_GROUPS[g][0].lower()}", "khoản vay",
                   _group_count(g), "count", f"debt_group_{g}")
        for g in DEBT_GROUPS
    ),
    # DOMAIN.md "Reported": the life events (INTERCHANGE.md's keys), computed by domain.reporting
    *(SummaryRow(label, unit, _attr(key), "count" if unit == "lượt" else "money", key, REPORT_LABELS[key])
      for key, (label, unit) in LIFE_EVENT_LABELS.items()),
)
# The summary's numbered lines as the PDF prints them, the Báo cáo page shows them and the .xlsx saves them: one
# numbering, so that «chỉ tiêu 13» is one line in all three (the .xlsx numbered the loans per debt group 13–17 and
# the restructurings 18 where the PDF printed 13). The loans per debt group are in the debt-group section and sheet.
SUMMARY_LINES: tuple[SummaryRow, ...] = tuple(r for r in SUMMARY_ROWS if not r.key.startswith("debt_group_"))
SUMMARY_NOTE = ("Dư nợ, nợ quá hạn, nợ xấu, lãi treo và nhóm nợ: tại ngày cuối kỳ; lũy kế năm: từ ngày 01/01 đến ngày "
                "cuối quý; so với cùng kỳ: quý này chia cho cùng quý năm trước.")


def not_ended_note(period: str, until: date) -> str:
    """The mark of a report whose period has not ended: "{period} chưa kết thúc — số liệu đến hết ngày dd/mm/yyyy"
    (``period`` "Quý", "Năm", "6 tháng đầu năm"; ``until`` the last day counted, the book's today). Shared by the
    quarterly and the six-month/annual report files."""
    return f"{period} chưa kết thúc — số liệu đến hết ngày {short_date(until)}"
