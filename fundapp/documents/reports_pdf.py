"""The quarterly report and the portfolio as PDF (reportlab, A4 landscape, Decree 30 layout).

Amounts print in đồng with grouped thousands; a table whose largest figure passes 12 digits
prints in nghìn đồng (or triệu đồng past 15), with the unit stated above it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from fundapp.domain.labels import REPORT_LABELS
from fundapp.formatting import decimal_vi, group_thousands, long_date, short_date

from .layout import (
    FONT,
    FONT_BOLD,
    LANDSCAPE,
    build_pdf,
    data_table,
    esc,
    fit_widths,
    frame_width,
    fund_signers,
    national_heading,
    para,
    signature_blocks,
    styles,
    text_width,
    title_block,
)
from .portfolio_model import INTEREST_FIELDS, PortfolioData
from .quarterly_model import Breakdown, EventLine, QuarterlyReportData
from .report_labels import (
    BREAKDOWN_COLUMNS,
    DEBT_GROUPS,
    EVENT_HEADINGS,
    INTEREST_HEADINGS,
    INTEREST_OWED,
    SUMMARY_LINES,
    SUMMARY_NOTE,
)

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures
    from fundapp.domain.figures import Figures

SIZE = 9  # table text: twelve columns of eleven-digit amounts fit a landscape page at 9 pt
WIDTH = frame_width(LANDSCAPE)
UNITS = ((10**15, 1_000_000, "triệu đồng"), (10**12, 1_000, "nghìn đồng"), (0, 1, "đồng"))


class Money:
    """How a table prints its amounts: in đồng, or scaled (rounded half up) once a figure passes 12 digits."""

    def __init__(self, amounts: Sequence[int]) -> None:
        biggest = max((abs(a) for a in amounts), default=0)
        self.divisor, self.unit = next((d, u) for limit, d, u in UNITS if biggest >= limit)

    def __call__(self, amount: int) -> str:
        return group_thousands(self.scaled(amount))

    def scaled(self, amount: int) -> int:
        """``amount`` đồng in the table's unit, rounded half up (away from zero)."""
        if self.divisor == 1:
            return amount
        # Display scaling only: the figure itself stays exact in đồng upstream
        q, r = divmod(abs(amount), self.divisor)
        scaled = q + (1 if 2 * r >= self.divisor else 0)
        return -scaled if amount < 0 else scaled

    @property
    def caption(self) -> str:
        """The table's unit line printed above it: "Đơn vị tính: đồng" (or nghìn/triệu đồng once scaled)."""
        return f"Đơn vị tính: {self.unit}"


def _pct(value: Decimal) -> str:
    return decimal_vi(value, 2)


def _caption(title: str, unit: str) -> Table:
    """A section heading on the left and the unit, italic, on the right of the same line."""
    s = styles()
    unit_style = s["italic"].clone("unit_right", alignment=TA_RIGHT, fontSize=11)
    t = Table([[Paragraph(esc(title), s["heading"]), Paragraph(esc(unit), unit_style)]],
              colWidths=[WIDTH * 0.78, WIDTH * 0.22])
    # A table's own cell font is Helvetica unless set, and it would land in the page resources
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return t


def _place_date(fund_place: str, signed_on: date | None) -> str:
    if signed_on:
        return long_date(signed_on, fund_place)
    return f"{fund_place}, ngày …… tháng …… năm ……"


# a table of more rows is laid out a page at a time (``tables.PagedTable``): reportlab's own splitting builds a new
# table of every row left at each page, which took minutes on the portfolio's 50,000-row appendix (issue 17)
PAGED_ROWS = 500


def _table(header: Sequence[str], rows: list[list[Any]], *, right: Sequence[int], center: Sequence[int] = (),
           flexible: Sequence[int] = (1,), bold_rows: Sequence[int] = (), extra: Sequence[tuple] = (),
           step: Callable[[int, int], None] | None = None) -> Flowable:
    """A ruled table filling the landscape width; wraps a flexible column's text when it would not fit."""
    plain = [[c for c in r] for r in rows]
    widths = fit_widths(plain, header, WIDTH, flexible=flexible, size=SIZE)
    needs_wrap = any(text_width(str(r[c]), FONT_BOLD, SIZE) + 8 > widths[c] for r in plain for c in flexible)
    if needs_wrap:
        cell = styles()["cell"].clone("cell9", fontSize=SIZE, leading=SIZE * 1.2)
        rows = [[Paragraph(esc(v), cell) if c in flexible else v for c, v in enumerate(r)] for r in rows]
    # A totals row never starts a page alone (a long table, laid out a page at a time, sees to it itself)
    paged = len(rows) > PAGED_ROWS
    extra = [*extra, ("NOSPLIT", (0, -2), (-1, -1))] if bold_rows and len(rows) > 1 and not paged else extra
    return data_table(header, rows, widths, right=right, center=center, bold_rows=bold_rows, extra_style=extra,
                      size=SIZE, fixed_heights=not needs_wrap and not any("\n" in h for h in header), paged=paged,
                      step=step)


def render_quarterly_pdf(data: QuarterlyReportData) -> bytes:
    """The quarterly report as PDF bytes: heading, summary with comparisons, chart, breakdowns, debt groups, signatures."""
    r = data.current
    story: list[Flowable] = [
        national_heading(data.fund, data.number, _place_date(data.fund.place, data.signed_on), width=WIDTH),
        # an unfinished quarter says so on the period's line: one more line would push the summary off page 1
        *title_block(data.title, f"Từ ngày {short_date(r.start)} đến ngày {short_date(r.end)}"
                     + (f". {data.unfinished_note}" if data.unfinished_note else "")),
        *_summary(data),
    ]
    if data.disbursement_by_quarter:
        story.append(_chart(data.disbursement_by_quarter))
    numerals = iter(("III", "IV", "V", "VI", "VII", "VIII", "IX", "X"))
    for b in data.breakdowns():
        story += _breakdown(f"{next(numerals)}. {b.title.upper()}", b, r.total)
    events = data.event_lines()
    if events:
        story += _events(f"{next(numerals)}. CÁC KHOẢN VAY ĐƯỢC CƠ CẤU LẠI, MIỄN GIẢM LÃI, XỬ LÝ RỦI RO TRONG KỲ", events)
    *debt_table, facts = _debt_groups(data, next(numerals))
    # The signatures never stand alone on a page: the last lines of the report go with them
    story += [*debt_table, KeepTogether([facts, signature_blocks(fund_signers(data.fund), width=WIDTH)])]
    return build_pdf(story, pagesize=LANDSCAPE, title=data.title, author=data.fund.name,
                     subject="Báo cáo quý")


SUMMARY_START = 45 * mm  # the summary's caption, the table's header and its first rows: else start on a new page


def _summary(data: QuarterlyReportData) -> list[Flowable]:
    reports = (data.current.total, data.year_before.total, data.year_to_date.total)
    money = Money([int(row.read(f)) for f in reports for row in SUMMARY_LINES if row.kind == "money"])
    header = ["STT", "Chỉ tiêu", "Đơn vị", *data.column_titles, "So với\ncùng kỳ (%)"]
    rows = []
    for i, row in enumerate(SUMMARY_LINES, 1):  # the loans per debt group are in the debt-group section
        values = [row.read(f) for f in reports]
        if row.kind == "percent":
            cells = [_pct(v) for v in values]
            versus = ""
        else:
            cells = [money(v) if row.kind == "money" else group_thousands(v) for v in values]
            versus = _pct(data.versus[row.key]) if row.key in data.versus else ""  # nothing a year before: blank
        unit = money.unit if row.unit == "đồng" else row.unit
        rows.append([str(i), row.label, unit, *cells, versus])
    # when it splits, never one row alone on the next page: the last three go together
    table = _table(header, rows, right=(3, 4, 5, 6), center=(0, 2), flexible=(1, 3, 4, 5),
                   extra=[("NOSPLIT", (0, -3), (-1, -1))] if len(rows) > 3 else [])
    note = para(f"<i>{SUMMARY_NOTE}</i>", "small")
    # Not kept together: 19 rows with the heading are taller than what page 1 leaves, and a KeepTogether would move
    # the whole summary to page 2, leaving page 1 with the heading alone. The table splits (its header repeats);
    # CondPageBreak only keeps the caption from ending a page without the first rows under it.
    return [CondPageBreak(SUMMARY_START), _caption("I. TỔNG HỢP KẾT QUẢ CHO VAY, GIẢI NGÂN, THU NỢ", money.caption),
            table, Spacer(1, 1 * mm), note]


def _chart(points: Sequence[tuple[str, int]]) -> Flowable:
    """Bars of the amount disbursed per quarter, in triệu đồng (the axis would be unreadable in đồng)."""
    million = Money([10**15])  # always triệu đồng
    values = [million.scaled(a) for _, a in points]
    width, height = WIDTH, 70 * mm
    # Without an initial font the drawing's state names Helvetica in the page resources
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=SIZE)
    chart = VerticalBarChart()
    chart.x, chart.y = 22 * mm, 12 * mm
    chart.width, chart.height = width - 30 * mm, height - 22 * mm
    chart.data = [values]
    chart.bars[0].fillColor = colors.HexColor("#4472C4")
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = [label for label, _ in points]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = SIZE
    chart.categoryAxis.labels.dy = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = SIZE
    chart.valueAxis.labelTextFormat = lambda v: group_thousands(round(v))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#BBBBBB")
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = SIZE
    chart.barLabels.nudge = 7
    chart.barLabelFormat = lambda v: group_thousands(round(v))
    d.add(chart)
    d.add(String(2 * mm, height - 5 * mm, "triệu đồng", fontName=FONT, fontSize=SIZE))
    d.add(String(width - 8 * mm, 2 * mm, "Quý", fontName=FONT, fontSize=SIZE, textAnchor="end"))
    return KeepTogether([para("II. SỐ TIỀN GIẢI NGÂN THEO QUÝ", "heading"), d])


def _breakdown(title: str, b: Breakdown, total: Figures) -> list[Flowable]:
    items = b.rows()
    money = Money([c.read(f) for _, f in [*items, ("", total)] for c in BREAKDOWN_COLUMNS if c.money])
    header = ["STT", b.heading, *PDF_HEADINGS]
    rows = [[str(i), label, *(_cell(c, f, money) for c in BREAKDOWN_COLUMNS)] for i, (label, f) in enumerate(items, 1)]
    rows.append(["", "Tổng cộng", *(_cell(c, total, money) for c in BREAKDOWN_COLUMNS)])
    table = _table(header, rows, right=range(2, 2 + len(BREAKDOWN_COLUMNS)), center=(0,), bold_rows=(-1,))
    # A short table moves whole to the next page rather than leave its last rows alone there
    if len(rows) <= 25:
        return [Spacer(1, 3 * mm), KeepTogether([_caption(title, money.caption), table])]
    return [Spacer(1, 3 * mm), _caption(title, money.caption), table]


def _events(title: str, events: Sequence[EventLine]) -> list[Flowable]:
    """The period's restructured, relieved and written-off loans, one line per event, with the amounts' total."""
    money = Money([a for e in events for a in (e.amount, e.principal, e.interest)])
    rows = [[str(i), e.loan_no, e.borrower, e.event, short_date(e.on), e.reference, money(e.amount),
             money(e.principal), money(e.interest)] for i, e in enumerate(events, 1)]
    table = _table(EVENT_HEADINGS, rows, right=(6, 7, 8), center=(0, 4), flexible=(2, 3))
    if len(rows) <= 25:
        return [Spacer(1, 3 * mm), KeepTogether([_caption(title, money.caption), table])]
    return [Spacer(1, 3 * mm), _caption(title, money.caption), table]


def _cell(column: Any, figures: Figures, money: Money) -> str:
    value = column.read(figures)
    return money(value) if column.money else group_thousands(value)


def _heading_lines(heading: str, most: int = 10) -> str:
    # a column heading in as few lines of at most ``most`` characters as fit, the lines as even as they can be
    lines = len(textwrap.wrap(heading, most))
    return "\n".join(next(w for w in (textwrap.wrap(heading, width, break_long_words=False) for width in range(1, most + 1))
                          if len(w) == lines and all(len(x) <= most for x in w)))


# the breakdown columns' headings: the same words as the .xlsx's and the reports page's (report_labels), in lines
PDF_HEADINGS = tuple(_heading_lines(c.heading) for c in BREAKDOWN_COLUMNS)


def _debt_groups(data: QuarterlyReportData, numeral: str) -> list[Flowable]:
    t = data.current.total
    shares = t.group_shares
    money = Money([t.outstanding, t.suspended_interest])
    header = ["Nhóm", "Phân loại nợ", "Số ngày quá hạn", "Số khoản\nvay", "Dư nợ gốc", "Tỷ trọng /\ndư nợ (%)",
              "Tỷ lệ trích\nlập (%)", "Số tiền dự phòng\ncụ thể"]
    rows = [[g, name, days, group_thousands(t.debt_groups[g]), money(t.outstanding_by_group[g]),
             _pct(shares[g]), decimal_vi(data.provision_rates[int(g)], 2),
             money(data.provisions[g])] for g, (name, days) in DEBT_GROUPS.items()]
    rows.append(["", "Tổng cộng", "", group_thousands(t.loans_outstanding), money(t.outstanding),
                 _pct(t.total_share), "", money(data.provision_total)])
    table = _table(header, rows, right=(3, 4, 5, 6, 7), center=(0,), flexible=(1, 2), bold_rows=(-1,))
    facts = [
        (REPORT_LABELS["bad_debt"], f"{money(t.bad_debt)} {money.unit}"),
        ("Tỷ lệ nợ xấu / tổng dư nợ", f"{_pct(t.bad_debt_ratio)} %"),
        (REPORT_LABELS["principal_overdue"], f"{money(t.principal_overdue)} {money.unit}"),
        ("Tỷ lệ nợ quá hạn / tổng dư nợ", f"{_pct(t.principal_overdue_ratio)} %"),
        ("Lãi treo (lãi phải thu của khoản vay nhóm 2–5, không hạch toán thu nhập)",
         f"{money(t.suspended_interest)} {money.unit}"),
    ]
    lines = KeepTogether([Spacer(1, 2 * mm), *(para(f"- {esc(k)}: <b>{esc(v)}</b>.", "body_left") for k, v in facts)])
    title = f"{numeral}. PHÂN LOẠI NỢ VÀ TRÍCH LẬP DỰ PHÒNG RỦI RO TẠI NGÀY {short_date(data.current.end)}"
    return [Spacer(1, 3 * mm), KeepTogether([_caption(title, money.caption), table]), lines]


def render_portfolio_pdf(data: PortfolioData, step: Callable[[int, int], None] | None = None) -> bytes:
    """The portfolio as of a date as PDF bytes: aging buckets, ratios, every loan, the collection list, signatures.
    ``step(done, total)`` is told the appendix's rows laid out, a page at a time (a long list: ``PAGED_ROWS``); an
    exception it raises (a cancel) stops the layout, nothing made."""
    story: list[Flowable] = [
        national_heading(data.fund, data.number, _place_date(data.fund.place, data.signed_on), width=WIDTH),
        *title_block(data.title, f"Số liệu đến hết {long_date(data.as_of)}"),
        *_aging(data),
        *_collection(data),
        signature_blocks(fund_signers(data.fund), width=WIDTH),
        PageBreak(),
        *_loan_list(data, step),
    ]
    return build_pdf(story, pagesize=LANDSCAPE, title=data.title, author=data.fund.name, subject="Báo cáo dư nợ")


def _aging(data: PortfolioData) -> list[Flowable]:
    t = data.total
    money = Money([t.outstanding])
    header = ["STT", "Số ngày quá hạn", "Số khoản vay", "Dư nợ gốc", "Trong đó: nợ gốc quá hạn", "Tỷ trọng / dư nợ (%)"]
    rows = [[str(i), label, group_thousands(f.loans_outstanding), money(f.outstanding), money(f.principal_overdue),
             _pct(share)] for i, ((label, f), share) in enumerate(zip(data.aging, data.aging_shares, strict=True), 1)]
    rows.append(["", "Tổng cộng", group_thousands(t.loans_outstanding), money(t.outstanding),
                 money(t.principal_overdue), _pct(t.total_share)])
    table = _table(header, rows, right=(2, 3, 4, 5), center=(0,), bold_rows=(-1,))
    lines = [
        para(f"- Tỷ lệ nợ quá hạn / tổng dư nợ: <b>{_pct(t.principal_overdue_ratio)} %</b>; "
             f"nợ xấu (nhóm 3–5): <b>{money(t.bad_debt)} {money.unit}</b>, "
             f"tỷ lệ nợ xấu: <b>{_pct(t.bad_debt_ratio)} %</b>.", "body_left"),
        para(f"- Lãi treo (lãi phải thu của khoản vay nhóm 2–5): <b>{money(t.suspended_interest)} {money.unit}</b>.",
             "body_left"),
    ]
    return [KeepTogether([_caption("I. PHÂN TÍCH DƯ NỢ THEO SỐ NGÀY QUÁ HẠN", money.caption), table,
                          Spacer(1, 2 * mm), *lines])]


def _collection(data: PortfolioData) -> list[Flowable]:
    lines = data.collection
    title = "II. DANH SÁCH KHOẢN VAY QUÁ HẠN CẦN ĐÔN ĐỐC THU NỢ"
    if not lines:
        return [Spacer(1, 3 * mm), para(title, "heading"), para("Không có khoản vay quá hạn.", "body_left")]
    money = Money(list(data.collection_totals))
    header = ["STT", "Số hợp đồng", "Khách hàng", "Người đại diện,\nđiện thoại", "Địa chỉ", "Số ngày\nquá hạn",
              "Nhóm\nnợ", "Nợ gốc\nquá hạn", INTEREST_OWED, "Số tiền\nphải thu"]
    cell = styles()["cell"].clone("cell9w", fontSize=SIZE, leading=SIZE * 1.2)
    rows: list[list[Any]] = [
        [str(i), c.loan_no, Paragraph(esc(c.borrower_name), cell),
         Paragraph("<br/>".join(esc(x) for x in (c.representative, c.phone) if x), cell), Paragraph(esc(c.address), cell),
         group_thousands(c.days_past_due), str(c.debt_group), money(c.principal_overdue), money(c.interest_owed),
         money(c.amount_due)] for i, c in enumerate(lines, 1)]
    principal, interest, due = data.collection_totals
    rows.append(["", "Tổng cộng", "", "", "", "", "", money(principal), money(interest), money(due)])
    plain = [[x if isinstance(x, str) else "" for x in r] for r in rows]
    widths = fit_widths(plain, header, WIDTH, flexible=(2, 3, 4), size=SIZE)
    # Name, contact and address share what the figures leave, the address taking the most
    rest = WIDTH - sum(w for i, w in enumerate(widths) if i not in (2, 3, 4))
    widths[2], widths[3], widths[4] = rest * 0.34, rest * 0.22, rest * 0.44
    table = data_table(header, rows, widths, right=(5, 7, 8, 9), center=(0, 6), bold_rows=(-1,), size=SIZE,
                       fixed_heights=False, extra_style=[("NOSPLIT", (0, -2), (-1, -1))], paged=len(rows) > PAGED_ROWS)
    return [Spacer(1, 3 * mm), _caption(title, money.caption), table]


def _loan_list(data: PortfolioData, step: Callable[[int, int], None] | None = None) -> list[Flowable]:
    t = data.total
    money = Money([t.outstanding, *data.interest_totals.values()])
    header = ["STT", "Số hợp đồng", "Khách hàng", "Địa bàn", "Dư nợ gốc", "Nợ gốc\nquá hạn",
              *(_heading_lines(h, 12) for h in INTEREST_HEADINGS), "Số ngày\nquá hạn", "Nhóm\nnợ"]
    read: list[Callable[[Any], int]] = [lambda b: b.principal_outstanding, lambda b: b.principal_overdue]
    rows = [[str(i), x.loan_no, x.borrower_name or x.borrower_code, x.area,
             *(money(f(x.balances)) for f in read),
             *(money(getattr(x.balances, name)) for name in INTEREST_FIELDS),
             group_thousands(x.balances.days_past_due), str(x.balances.debt_group)]
            for i, x in enumerate(data.lines, 1)]
    rows.append(["", "Tổng cộng", "", "", money(t.outstanding), money(t.principal_overdue),
                 *(money(data.interest_totals.get(name, 0)) for name in INTEREST_FIELDS), "", ""])
    table = _table(header, rows, right=range(4, 11), center=(0, 11), flexible=(2, 3), bold_rows=(-1,), step=step)
    return [_caption(f"PHỤ LỤC: DANH SÁCH KHOẢN VAY CÒN DƯ NỢ TẠI NGÀY {short_date(data.as_of)}", money.caption), table]
