"""The quarterly report's value: what its renderers (reports_pdf, quarterly_xlsx) lay out, and the builder the
services layer calls (``quarterly_data_of``). It takes the domain's figures (the three ``PeriodReport``s and the
chart's pairs, which ``services.reports`` reads from the book) and joins names to them; it adds, groups or rounds
nothing: every amount is an int đồng made by the domain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fundapp.documents.model import FundInfo
from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.collation import vi_sort_key
from fundapp.domain.events import relief_label
from fundapp.domain.figures import DEFAULT_PROVISION_RATES, Figures
from fundapp.domain.periods import QUARTER_NUMERALS
from fundapp.domain.reporting import PeriodReport

from .report_labels import EVENT_LABELS, UNKNOWN, not_ended_note, sector_label


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


@dataclass(frozen=True)
class QuarterlyReportData:
    """Everything the quarterly report prints; the services layer fills it (``quarterly_data_of``).

    ``disbursement_by_quarter`` holds (label, amount in đồng) for the chart, oldest first.
    """

    fund: FundInfo
    year: int
    quarter: int
    current: PeriodReport
    year_before: PeriodReport
    year_to_date: PeriodReport
    provision_rates: Mapping[int, Decimal] = field(default_factory=lambda: dict(DEFAULT_PROVISION_RATES))
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
        d = self.unfinished_until
        if d:
            return not_ended_note("Quý", d)
        c = self.closed_through
        if not c:
            return ""
        anchor = f" — mã kiểm tra {self.closed_anchor}" if self.closed_anchor else ""
        return f"Đã khóa sổ đến hết ngày {c:%d/%m/%Y}{anchor}"

    @property
    def title(self) -> str:
        """The report's title in capitals with the quarter in Roman numerals ("… QUÝ IV NĂM 2024")."""
        return f"BÁO CÁO TÌNH HÌNH CHO VAY, GIẢI NGÂN, THU NỢ QUÝ {QUARTER_NUMERALS[self.quarter]} NĂM {self.year}"

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

    def provisions(self) -> dict[str, int]:
        """Specific provision per group of the quarter's end (the domain rounds)."""
        return self.current.total.provisions(dict(self.provision_rates))

    def provision_total(self) -> int:
        """The sum of the groups' provisions, each rounded, as the domain adds them."""
        return self.current.total.provision_total(dict(self.provision_rates))


def quarterly_data_of(
    fund: FundInfo,
    year: int,
    quarter: int,
    current: PeriodReport,
    year_before: PeriodReport,
    year_to_date: PeriodReport,
    *,
    chart: Sequence[tuple[str, int]] = (),
    unfinished_until: date | None = None,
    borrower_names: Mapping[str, str] | None = None,
    provision_rates: Mapping[int, Decimal] | None = None,
    signed_on: date | None = None,
    number: str = "",
) -> QuarterlyReportData:
    """The quarterly report's value from the domain's figures as computed elsewhere (the three ``PeriodReport``s
    and the chart's (label, đồng) pairs): joins the fund, names and rates to them, computes nothing."""
    return QuarterlyReportData(
        fund=fund,
        year=year,
        quarter=quarter,
        current=current,
        year_before=year_before,
        year_to_date=year_to_date,
        provision_rates=dict(provision_rates or DEFAULT_PROVISION_RATES),
        borrower_names=dict(borrower_names or {}),
        disbursement_by_quarter=tuple(chart),
        signed_on=signed_on,
        number=number,
        unfinished_until=unfinished_until,
    )
