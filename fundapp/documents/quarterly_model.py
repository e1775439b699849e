"""The quarterly report's value: what its renderers (reports_pdf, quarterly_xlsx) lay out. The services layer fills
it (``services.report_documents.quarterly_data_of``) with the domain's figures: the three ``PeriodReport``s, the
chart's pairs, the provisions at the fund's rates and the «so với cùng kỳ» percentages; it joins names to them and
adds, groups or rounds nothing: every amount is an int đồng made by the domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from fundapp.documents.model import FundInfo
from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.collation import vi_sort_key
from fundapp.domain.events import relief_label
from fundapp.domain.periods import QUARTER_NUMERALS
from fundapp.domain.reporting import PeriodReport
from fundapp.formatting import short_date

from .report_labels import EVENT_LABELS, UNKNOWN, not_ended_note, sector_label

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures
    from fundapp.domain.figures import Figures


@dataclass(frozen=True, slots=True)
class EventLine:
    """A line of the period's list of restructured, relieved and written-off loans: texts and the domain's
    amounts in đồng (``amount`` = ``principal`` + ``interest``: interest deferred, relieved, or written off)."""

    loan_no: str
    borrower: str
    event: str
    on: date
    reference: str
    amount: int
    principal: int
    interest: int


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A breakdown of the quarter: sheet name, table title, the first column's heading, and its labels."""

    sheet: str
    title: str
    heading: str
    figures: Mapping[str, Figures]
    labels: Mapping[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, Figures]]:
        """(label, figures) in Vietnamese alphabetical order, the unknown key last."""
        named = [(self.labels.get(k, k) or UNKNOWN, f) for k, f in self.figures.items()]
        return sorted(named, key=lambda r: (r[0] == UNKNOWN, vi_sort_key(r[0])))


def quarter_title(year: int, quarter: int) -> str:
    """The quarterly report's title in capitals with the quarter in Roman numerals ("… QUÝ IV NĂM 2024")."""
    return f"BÁO CÁO TÌNH HÌNH CHO VAY, GIẢI NGÂN, THU NỢ QUÝ {QUARTER_NUMERALS[quarter]} NĂM {year}"


def quarter_note(unfinished_until: date | None, closed_through: date | None, closed_anchor: str = "") -> str:
    """The line under the quarterly report's title: "Quý chưa kết thúc — số liệu đến hết ngày …" for a quarter not
    yet ended (``unfinished_until``: the last day counted), "Đã khóa sổ đến hết ngày … — mã kiểm tra …" for a closed
    one (issue 14), else ""."""
    if unfinished_until:
        return not_ended_note("Quý", unfinished_until)
    if not closed_through:
        return ""
    anchor = f" — mã kiểm tra {closed_anchor}" if closed_anchor else ""
    return f"Đã khóa sổ đến hết ngày {short_date(closed_through)}{anchor}"


@dataclass(frozen=True)
class QuarterlyReportData:
    """Everything the quarterly report prints; the services layer fills it
    (``services.report_documents.quarterly_data_of``).

    ``provision_rates``: debt group → % of its outstanding principal; ``provisions``: debt group "1"–"5" → the
    specific provision at that rate and ``provision_total`` their sum, đồng, as the domain makes them
    (``Figures.provisions_with_total`` of ``current.total``); ``versus``: a summary line's key → the
    quarter's figure as a percentage of the same quarter a year before (``figures.ratio``), for the lines whose
    figure a year before is not 0 (the others print no percentage). ``disbursement_by_quarter`` holds (label,
    amount in đồng) for the chart, oldest first.
    """

    fund: FundInfo
    year: int
    quarter: int
    current: PeriodReport
    year_before: PeriodReport
    year_to_date: PeriodReport
    provision_rates: Mapping[int, Decimal]
    provisions: Mapping[str, int]
    provision_total: int
    versus: Mapping[str, Decimal]
    borrower_names: Mapping[str, str] = field(default_factory=dict)
    disbursement_by_quarter: tuple[tuple[str, int], ...] = ()
    signed_on: date | None = None
    number: str = ""
    unfinished_until: date | None = None  # the quarter has not ended: figures to this day, and the report says so
    closed_through: date | None = None  # the book is closed through this day, on or after the quarter's end (issue 14)
    closed_anchor: str = ""  # the stored report's journal row "seq:hash prefix" (fundapp verify --anchor)

    @property
    def unfinished_note(self) -> str:
        """"Quý chưa kết thúc — số liệu đến hết ngày 30/11/2026" for a quarter not yet ended, "Đã khóa sổ đến hết ngày
        30/06/2024" for a closed one, else "" (printed under the title of the PDF and of each sheet)."""
        return quarter_note(self.unfinished_until, self.closed_through, self.closed_anchor)

    @property
    def title(self) -> str:
        """The report's title in capitals with the quarter in Roman numerals ("… QUÝ IV NĂM 2024")."""
        return quarter_title(self.year, self.quarter)

    @property
    def column_titles(self) -> tuple[str, str, str]:
        """Headings of the quarter, the same quarter a year before, and the year to date."""
        q = QUARTER_NUMERALS[self.quarter]
        return (f"Quý {q}/{self.year}", f"Quý {q}/{self.year - 1} (cùng kỳ)", f"Lũy kế năm {self.year}")

    def breakdowns(self) -> tuple[Breakdown, ...]:
        """The quarter's four breakdown tables (area, ward, borrower kind, sector) with their sheet names, titles and
        row labels; the figures are the domain's ``PeriodReport`` groups, unchanged."""
        r = self.current
        return (
            Breakdown("Theo huyện-xã", "Theo địa bàn huyện (xã nơi chưa có huyện)", "Huyện / xã", r.by_area),
            Breakdown("Theo xã-phường", "Theo xã, phường", "Xã / phường", r.by_ward),
            Breakdown("Theo loại hình", "Theo loại hình khách hàng", "Loại hình", r.by_kind, BORROWER_KIND_LABELS),
            Breakdown("Theo ngành nghề", "Theo ngành nghề", "Ngành nghề", r.by_sector,
                      {k: sector_label(k) for k in r.by_sector}),
        )

    def event_lines(self) -> tuple[EventLine, ...]:
        """The quarter's restructurings, reliefs and write-offs (``PeriodReport.life_event_list``: by date, then
        loan number) with the borrower's name and the event's Vietnamese name; empty when the quarter has none."""
        lines = []
        for e in self.current.life_event_list():
            name, what = EVENT_LABELS[str(e.kind)]
            if e.relief_of:
                what = relief_label(e.relief_of) + " được miễn, giảm"
            borrower = self.borrower_names.get(e.borrower_code) or e.borrower_code
            lines.append(EventLine(e.loan_no, borrower, f"{name} ({what})", e.on, e.reference, e.amount, e.principal,
                                   e.interest))
        return tuple(lines)
