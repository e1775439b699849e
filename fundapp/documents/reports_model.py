"""The plain values the report renderers take, their Vietnamese labels, and builders for the services layer.

The renderers (reports_pdf, reports_xlsx) only lay these figures out. The builders here take the domain's
figures (``period_reports``, ``portfolio_figures``, ``disbursement_by_quarter`` in ``domain.reporting``) and join
names to them; they add, group or round nothing: every amount is an int đồng made by the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fundapp.documents.model import BorrowerInfo, FundInfo
from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.collation import vi_sort_key
from fundapp.domain.engine import Balances
from fundapp.domain.figures import DEFAULT_PROVISION_RATES, Figures, ratio
from fundapp.domain.periods import QUARTER_NUMERALS, quarter_periods_until
from fundapp.domain.portfolio_report import PORTFOLIO_INTEREST_FIELDS, portfolio_figures
from fundapp.domain.reporting import LoanInput, PeriodReport, disbursement_by_quarter, period_reports

ROMAN = QUARTER_NUMERALS

KIND_LABELS = BORROWER_KIND_LABELS
UNKNOWN = "(Chưa xác định)"

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
RELIEF_OF_LABELS = {"late_interest": "lãi chậm trả", "overdue_interest": "lãi quá hạn", "interest": "lãi trong hạn"}
EVENT_HEADINGS = ("STT", "Số hợp đồng", "Khách hàng", "Sự kiện", "Ngày", "Số quyết định", "Số tiền",
                  "Trong đó gốc", "Trong đó lãi")


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


def not_ended_note(period: str, until: date) -> str:
    """The mark of a report whose period has not ended: "{period} chưa kết thúc — số liệu đến hết ngày dd/mm/yyyy"
    (``period`` "Quý", "Năm", "6 tháng đầu năm"; ``until`` the last day counted, the book's today). Shared by the
    quarterly and the six-month/annual report files."""
    return f"{period} chưa kết thúc — số liệu đến hết ngày {until:%d/%m/%Y}"


@dataclass(frozen=True)
class QuarterlyReportData:
    """Everything the quarterly report prints; the services layer (or ``build_quarterly_data``) fills it.

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
        return f"BÁO CÁO TÌNH HÌNH CHO VAY, GIẢI NGÂN, THU NỢ QUÝ {ROMAN[self.quarter]} NĂM {self.year}"

    @property
    def column_titles(self) -> tuple[str, str, str]:
        """Headings of the quarter, the same quarter a year before, and the year to date."""
        q = ROMAN[self.quarter]
        return (f"Quý {q}/{self.year}", f"Quý {q}/{self.year - 1} (cùng kỳ)", f"Lũy kế năm {self.year}")

    def breakdowns(self) -> tuple[Breakdown, ...]:
        """The quarter's four breakdown tables (area, ward, borrower kind, sector) with their sheet names, titles and
        row labels; the figures are the domain's ``PeriodReport`` groups, unchanged."""
        r = self.current
        return (
            Breakdown("Theo huyện-xã", "Theo địa bàn huyện (xã nơi chưa có huyện)", "Huyện / xã", r.by_area),
            Breakdown("Theo xã-phường", "Theo xã, phường", "Xã / phường", r.by_ward),
            Breakdown("Theo loại hình", "Theo loại hình khách hàng", "Loại hình", r.by_kind, KIND_LABELS),
            Breakdown("Theo ngành nghề", "Theo ngành nghề", "Ngành nghề", r.by_sector,
                      {k: k[:1].upper() + k[1:] for k in r.by_sector}),
        )

    def event_lines(self) -> tuple[EventLine, ...]:
        """The quarter's restructurings, reliefs and write-offs (``PeriodReport.life_event_list``: by date, then
        loan number) with the borrower's name and the event's Vietnamese name; empty when the quarter has none."""
        lines = []
        for e in self.current.life_event_list():
            name, what = EVENT_LABELS[str(e.kind)]
            if e.relief_of:
                what = RELIEF_OF_LABELS.get(e.relief_of, e.relief_of) + " được miễn, giảm"
            borrower = self.borrower_names.get(e.borrower_code) or e.borrower_code
            lines.append(EventLine(e.loan_no, borrower, f"{name} ({what})", e.on, e.reference, e.amount, e.principal,
                                   e.interest))
        return tuple(lines)

    def provisions(self) -> dict[str, int]:
        """Specific provision per group of the quarter's end (the domain rounds)."""
        return self.current.total.provisions(dict(self.provision_rates))

    def provision_total(self) -> int:
        """The sum of the groups' provisions, each rounded by the domain."""
        return sum(self.provisions().values())


@dataclass(frozen=True, slots=True)
class PortfolioLine:
    """One loan in the portfolio list: who, where, and its balances at the end of the day."""

    loan_no: str
    borrower_code: str
    borrower_name: str
    area: str
    balances: Balances


@dataclass(frozen=True, slots=True)
class CollectionLine:
    """An overdue loan to chase: what is due (principal overdue + interest owed) and whom to call."""

    loan_no: str
    borrower_code: str
    borrower_name: str
    representative: str
    phone: str
    address: str
    days_past_due: int
    debt_group: int
    principal_overdue: int
    interest_owed: int  # interest due unpaid + overdue interest + late-payment interest (đồng)
    amount_due: int


@dataclass(frozen=True)
class PortfolioData:
    """The portfolio as of a date: every loan, aging buckets (label → Figures), the collection list."""

    fund: FundInfo
    as_of: date
    lines: tuple[PortfolioLine, ...]
    total: Figures
    aging: tuple[tuple[str, Figures], ...]
    collection: tuple[CollectionLine, ...]
    collection_totals: tuple[int, int, int] = (0, 0, 0)  # principal overdue, interest due, amount due
    # Sums of the listed loans' interest figures (Balances field name → đồng), which Figures does not carry
    interest_totals: Mapping[str, int] = field(default_factory=dict)
    provision_rates: Mapping[int, Decimal] = field(default_factory=lambda: dict(DEFAULT_PROVISION_RATES))
    signed_on: date | None = None
    number: str = ""

    @property
    def title(self) -> str:
        """The report's title in capitals with its date ("… ĐẾN NGÀY 31/12/2024")."""
        return f"BÁO CÁO DƯ NỢ VÀ NỢ QUÁ HẠN ĐẾN NGÀY {self.as_of:%d/%m/%Y}"

    @property
    def overdue_ratio(self) -> Decimal:
        """Overdue principal / outstanding principal in % with two decimals (``domain.figures.ratio``; 0 when
        nothing is outstanding)."""
        return ratio(self.total.principal_overdue, self.total.outstanding)

    @property
    def bad_debt_ratio(self) -> Decimal:
        """Bad debt (groups 3–5) / outstanding principal in % with two decimals (DOMAIN.md "Provisions and bad debt")."""
        return ratio(self.total.bad_debt, self.total.outstanding)


INTEREST_FIELDS = PORTFOLIO_INTEREST_FIELDS  # the interest columns of the portfolio list, as the domain sums them


def build_quarterly_data(
    fund: FundInfo,
    loans: Sequence[LoanInput],
    year: int,
    quarter: int,
    *,
    borrower_names: Mapping[str, str] | None = None,
    provision_rates: Mapping[int, Decimal] | None = None,
    chart_quarters: int = 8,
    signed_on: date | None = None,
    number: str = "",
    convention: str = "calendar",
    until: date | None = None,
) -> QuarterlyReportData:
    """The quarter, the same quarter a year before, the year to date, and disbursements of the last quarters of
    ``loans`` (each with every entry) by the domain (``period_reports``, ``disbursement_by_quarter``); with ``until``
    (today) a quarter not yet ended is counted to that day (``unfinished_until`` says so). The book's report takes
    its figures from ``services.reports.quarter_reports`` instead (``quarterly_data_of``)."""
    periods, unfinished = quarter_periods_until(year, quarter, convention, until)
    current, year_before, year_to_date = period_reports(loans, periods)  # one replay of each loan serves the three
    return quarterly_data_of(fund, year, quarter, current, year_before, year_to_date,
                             chart=disbursement_by_quarter(loans, year, quarter, chart_quarters),
                             unfinished_until=unfinished, borrower_names=borrower_names,
                             provision_rates=provision_rates, signed_on=signed_on, number=number)


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


def build_portfolio_data(
    fund: FundInfo,
    loans: Sequence[LoanInput],
    as_of: date,
    *,
    borrowers: Mapping[str, BorrowerInfo] | None = None,
    provision_rates: Mapping[int, Decimal] | None = None,
    signed_on: date | None = None,
    number: str = "",
) -> PortfolioData:
    """The domain's ``portfolio_figures`` at the end of ``as_of`` laid out with the borrowers' names and contacts
    (``borrowers``: code → BorrowerInfo; an unknown code prints without a name). Computes no figure."""
    figures = portfolio_figures(loans, as_of)
    borrowers = borrowers or {}

    def who(code: str) -> BorrowerInfo:
        return borrowers.get(code) or BorrowerInfo(code, "")

    lines = tuple(PortfolioLine(lp.loan.loan_no, lp.loan.borrower_code, who(lp.loan.borrower_code).name, lp.loan.area,
                                lp.balances) for lp in figures.shown)
    collection = []
    for o in figures.overdue:
        loan, b, person = o.position.loan, o.position.balances, who(o.position.loan.borrower_code)
        collection.append(CollectionLine(
            loan.loan_no, loan.borrower_code, person.name, person.representative, person.phone, person.full_address,
            b.days_past_due, b.debt_group, b.principal_overdue, o.interest_owed, o.amount_due))
    return PortfolioData(
        fund=fund,
        as_of=as_of,
        lines=lines,
        total=figures.total,
        aging=figures.aging,
        collection=tuple(collection),
        interest_totals=figures.interest_totals,
        collection_totals=figures.collection_totals,
        provision_rates=dict(provision_rates or DEFAULT_PROVISION_RATES),
        signed_on=signed_on,
        number=number,
    )
