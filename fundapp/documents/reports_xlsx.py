"""The quarterly report and the portfolio as .xlsx workbooks (XlsxWriter).

Figures are numbers formatted ``#,##0`` (never text); a totals row is a SUM formula whose cached
value is the domain's exact total, so a viewer that does not recalculate still shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from fundapp.domain.figures import Figures, ratio
from fundapp.formatting import long_date, short_date

from .reports_model import (
    BREAKDOWN_COLUMNS,
    DEBT_GROUPS,
    EVENT_HEADINGS,
    INTEREST_FIELDS,
    KIND_LABELS,
    SUMMARY_ROWS,
    UNKNOWN,
    PortfolioData,
    QuarterlyReportData,
)

MONEY = "#,##0"
PERCENT = "0.00"
INTEREST_HEADINGS = ("Lãi đến hạn chưa trả", "Lãi dự thu trong hạn", "Lãi quá hạn", "Lãi chậm trả")
FONT = "Times New Roman"  # LibreOffice draws it with Liberation Serif (same metrics), both cover Vietnamese
HEADER_ROW = 4  # rows 0–3: fund, title, period, blank
# Text is text: a district named "=HYPERLINK(…)" or "=1+1" never becomes a formula, nor "http://…" a link
# (every text cell is also written with write_string; the options guard merge_range and any write() left).
SAFE_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
CONSTANT_MEMORY = {**SAFE_OPTIONS, "in_memory": False, "constant_memory": True}  # rows must be written in order


class _Formats:
    """The workbook's cell formats, made once per workbook."""

    def __init__(self, wb: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        cell = {**base, "border": 1}

        def add(**kw: Any) -> Any:
            return wb.add_format({**base, **kw})

        self.fund = add(bold=True)
        self.title = add(bold=True, font_size=14)
        self.subtitle = add(italic=True)
        self.note = add(italic=True, font_size=10)
        self.header = add(**cell, bold=True, text_wrap=True, align="center", bg_color="#DDEBF7")
        self.text = add(**cell)
        self.center = add(**cell, align="center")
        self.money = add(**cell, num_format=MONEY)
        self.percent = add(**cell, num_format=PERCENT)
        self.date = add(**cell, num_format="dd/mm/yyyy", align="center")
        self.total_text = add(**cell, bold=True)
        self.total_money = add(**cell, bold=True, num_format=MONEY)
        self.total_percent = add(**cell, bold=True, num_format=PERCENT)


@dataclass
class _Col:
    """A column being written: heading, width in characters, and the cell format of its body."""

    heading: str
    width: float
    kind: str = "text"  # text | center | money | percent


def _money_width(values: Sequence[int], heading: str) -> float:
    """Characters a column needs so that no number shows as ###, nor a heading word is cut."""
    widest = len(str(max((abs(v) for v in values), default=0)))
    digits = widest + (widest - 1) // 3  # with the thousands separators
    longest_word = max((len(w) for w in heading.split()), default=4)
    return max(digits + 3, longest_word + 2, 10)


def _sheet(wb: Workbook, f: _Formats, name: str, fund_name: str, title: str, subtitle: str,
           cols: Sequence[_Col], header_height: float = 45, note: str = "") -> Worksheet:
    """A sheet with the fund, title, period (and ``note``) above a header row that stays frozen and prints on every
    page. Rows are written in order (the quarterly workbook is written in constant memory)."""
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, fund_name, f.fund)
    ws.write_string(1, 0, title, f.title)
    ws.write_string(2, 0, subtitle, f.subtitle)
    if note:
        ws.write_string(3, 0, note, f.note)
    for c, col in enumerate(cols):
        ws.set_column(c, c, col.width)
        ws.write_string(HEADER_ROW, c, col.heading, f.header)
    ws.set_row(HEADER_ROW, header_height)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.repeat_rows(HEADER_ROW)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C&\"Times New Roman\"Trang &P/&N")
    return ws


def _body_format(f: _Formats, kind: str) -> Any:
    return {"text": f.text, "center": f.center, "money": f.money, "percent": f.percent}[kind]


def _sum_row(ws: Worksheet, f: _Formats, row: int, first: int, last: int, cols: Sequence[tuple[int, int]],
             label: str, label_col: int = 1, width: int = 0) -> None:
    """Write the totals row: SUM formulas over rows first..last, each with the domain's exact total as value."""
    for c in range(width):
        ws.write_blank(row, c, None, f.total_text)
    ws.write_string(row, label_col, label, f.total_text)
    for c, total in cols:
        col = xl_col_to_name(c)
        ws.write_formula(row, c, f"=SUM({col}{first + 1}:{col}{last + 1})", f.total_money, total)


def _period_text(start: date, end: date) -> str:
    return f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"


def render_quarterly_xlsx(data: QuarterlyReportData, path_or_buffer: str | IO[bytes] | Any) -> None:
    """Write the quarterly report as a workbook: summary, four breakdowns, debt groups, loan list.

    ``path_or_buffer`` is a file path or a binary file object (e.g. ``io.BytesIO``). Written in constant memory
    (issue 17: the loan list of a 100,000-loan book): each sheet's rows strictly in order, each row flushed to a
    temporary file once the next begins.
    """
    wb = xlsxwriter.Workbook(path_or_buffer, CONSTANT_MEMORY)
    wb.set_properties({"title": data.title, "author": data.fund.name, "company": data.fund.name})
    wb.set_calc_mode("auto")
    f = _Formats(wb)
    _summary_sheet(wb, f, data)
    for b in data.breakdowns():
        _breakdown_sheet(wb, f, data, b.sheet, b.title, b.heading, b.rows())
    _debt_group_sheet(wb, f, data)
    _events_sheet(wb, f, data)
    _loan_list_sheet(wb, f, data)
    wb.close()


def _subtitle(data: QuarterlyReportData) -> str:
    r = data.current
    note = f" — {data.unfinished_note}" if data.unfinished_note else ""
    return f"{_period_text(r.start, r.end)}{note} — Đơn vị tính: đồng"


def _summary_sheet(wb: Workbook, f: _Formats, data: QuarterlyReportData) -> None:
    reports = (data.current, data.year_before, data.year_to_date)
    widths = [_money_width([abs(int(row.read(r.total))) for r in reports for row in SUMMARY_ROWS], t)
              for t in data.column_titles]
    cols = [_Col("STT", 5, "center"), _Col("Chỉ tiêu", 44), _Col("Đơn vị", 10, "center"),
            *(_Col(t, w, "money") for t, w in zip(data.column_titles, widths, strict=True)),
            _Col("So với cùng kỳ (%)", 12, "percent")]
    period = _period_text(data.current.start, data.current.end)
    if data.unfinished_note:
        period = f"{period} — {data.unfinished_note}"
    ws = _sheet(wb, f, "Tổng hợp", data.fund.name, data.title, period, cols,
                note="Dư nợ, nợ quá hạn, nợ xấu và nhóm nợ: tại ngày cuối kỳ; lũy kế năm: từ 01/01 đến ngày cuối quý")
    for i, row in enumerate(SUMMARY_ROWS):
        r = HEADER_ROW + 1 + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, row.label, f.text)
        ws.write_string(r, 2, row.unit, f.center)
        fmt = f.percent if row.kind == "percent" else f.money
        values = [row.read(rep.total) for rep in reports]
        for c, v in enumerate(values):
            ws.write_number(r, 3 + c, float(v) if isinstance(v, Decimal) else v, fmt)
        if row.kind == "percent":
            ws.write_blank(r, 6, None, f.percent)
        elif values[1]:  # the domain's ratio as a number (no formula but the SUM totals)
            ws.write_number(r, 6, float(ratio(values[0], values[1])), f.percent)
        else:
            ws.write_blank(r, 6, None, f.percent)


def _breakdown_sheet(wb: Workbook, f: _Formats, data: QuarterlyReportData, name: str, title: str, heading: str,
                     rows: Sequence[tuple[str, Figures]]) -> None:
    total = data.current.total
    label_width = max([len(heading) + 2, 24, *(len(label) + 2 for label, _ in rows)])
    cols = [_Col("STT", 5, "center"), _Col(heading, min(label_width, 45))]
    for col in BREAKDOWN_COLUMNS:
        values = [col.read(fig) for _, fig in rows] + [col.read(total)]
        cols.append(_Col(col.heading, _money_width(values, col.heading) if col.money else 12, "money"))
    ws = _sheet(wb, f, name, data.fund.name, f"{data.title} — {title.upper()}", _subtitle(data), cols)
    first = HEADER_ROW + 1
    for i, (label, fig) in enumerate(rows):
        ws.write_number(first + i, 0, i + 1, f.center)
        ws.write_string(first + i, 1, label, f.text)
        for c, col in enumerate(BREAKDOWN_COLUMNS):
            ws.write_number(first + i, 2 + c, col.read(fig), f.money)
    last = first + len(rows) - 1
    _sum_row(ws, f, last + 1, first, last, [(2 + c, col.read(total)) for c, col in enumerate(BREAKDOWN_COLUMNS)],
             "Tổng cộng", width=len(cols))


def _debt_group_sheet(wb: Workbook, f: _Formats, data: QuarterlyReportData) -> None:
    t = data.current.total
    provisions = data.provisions()
    cols = [_Col("Nhóm nợ", 8, "center"), _Col("Phân loại", 26), _Col("Số ngày quá hạn", 14),
            _Col("Số khoản vay", 10, "money"), _Col("Dư nợ gốc (đồng)", _money_width([t.outstanding], "Dư nợ gốc"), "money"),
            _Col("Tỷ trọng / dư nợ (%)", 11, "percent"), _Col("Tỷ lệ trích lập dự phòng (%)", 13, "percent"),
            _Col("Số tiền dự phòng cụ thể (đồng)", _money_width([t.outstanding], "Số tiền dự phòng"), "money")]
    ws = _sheet(wb, f, "Nhóm nợ", data.fund.name, f"{data.title} — PHÂN LOẠI NỢ VÀ DỰ PHÒNG RỦI RO",
                f"Tại ngày {short_date(data.current.end)} (Thông tư 14/2024/TT-NHNN, Nghị định 86/2024/NĐ-CP)", cols)
    first = HEADER_ROW + 1
    for i, (g, (name, days)) in enumerate(DEBT_GROUPS.items()):
        r = first + i
        ws.write_number(r, 0, int(g), f.center)
        ws.write_string(r, 1, name, f.text)
        ws.write_string(r, 2, days, f.text)
        ws.write_number(r, 3, t.debt_groups[g], f.money)
        ws.write_number(r, 4, t.outstanding_by_group[g], f.money)
        ws.write_number(r, 5, float(ratio(t.outstanding_by_group[g], t.outstanding)), f.percent)
        ws.write_number(r, 6, float(data.provision_rates[int(g)]), f.percent)
        ws.write_number(r, 7, provisions[g], f.money)
    last = first + len(DEBT_GROUPS) - 1
    _sum_row(ws, f, last + 1, first, last,
             [(3, t.loans_outstanding), (4, t.outstanding), (7, data.provision_total())], "Tổng cộng", width=len(cols))
    ws.write_number(last + 1, 5, 100.0 if t.outstanding else 0.0, f.total_percent)
    r = last + 3
    extra = [
        ("Nợ xấu (nhóm 3–5)", t.bad_debt, f.money),
        ("Tỷ lệ nợ xấu / tổng dư nợ (%)", float(ratio(t.bad_debt, t.outstanding)), f.percent),
        ("Nợ gốc quá hạn", t.principal_overdue, f.money),
        ("Tỷ lệ nợ quá hạn / tổng dư nợ (%)", float(ratio(t.principal_overdue, t.outstanding)), f.percent),
        ("Lãi treo: lãi phải thu của khoản vay nhóm 2–5 (đồng), không hạch toán thu nhập", t.suspended_interest, f.money),
    ]
    for i, (label, value, fmt) in enumerate(extra):
        ws.merge_range(r + i, 0, r + i, 3, label, f.text)
        ws.write_number(r + i, 4, value, fmt)


EVENTS_SHEET = "Cơ cấu-miễn giảm-xử lý rủi ro"


def _events_sheet(wb: Workbook, f: _Formats, data: QuarterlyReportData) -> None:
    """The quarter's restructured, relieved and written-off loans (``event_lines``), one row per event; no sheet
    when the quarter has none. Amounts are the domain's, in đồng."""
    events = data.event_lines()
    if not events:
        return
    amounts = {h: [getattr(e, k) for e in events] for h, k in zip(EVENT_HEADINGS[6:], ("amount", "principal", "interest"),
                                                                   strict=True)}
    cols = [_Col(EVENT_HEADINGS[0], 6, "center"), _Col(EVENT_HEADINGS[1], 14),
            _Col(EVENT_HEADINGS[2], min(max([24, *(len(e.borrower) + 2 for e in events)]), 50)),
            _Col(EVENT_HEADINGS[3], min(max([30, *(len(e.event) + 2 for e in events)]), 60)),
            _Col(EVENT_HEADINGS[4], 12, "center"), _Col(EVENT_HEADINGS[5], 16)]
    cols += [_Col(f"{h} (đồng)", _money_width(v, h), "money") for h, v in amounts.items()]
    ws = _sheet(wb, f, EVENTS_SHEET, data.fund.name,
                f"{data.title} — CÁC KHOẢN VAY ĐƯỢC CƠ CẤU LẠI, MIỄN GIẢM LÃI, XỬ LÝ RỦI RO", _subtitle(data), cols)
    for i, e in enumerate(events):
        r = HEADER_ROW + 1 + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, e.loan_no, f.text)
        ws.write_string(r, 2, e.borrower, f.text)
        ws.write_string(r, 3, e.event, f.text)
        ws.write_datetime(r, 4, datetime.combine(e.on, datetime.min.time()), f.date)
        ws.write_string(r, 5, e.reference, f.text)
        for c, value in enumerate((e.amount, e.principal, e.interest)):
            ws.write_number(r, 6 + c, value, f.money)


def _loan_list_sheet(wb: Workbook, f: _Formats, data: QuarterlyReportData) -> None:
    lines = [lp for lp in data.current.loans
             if lp.disbursed_count or lp.principal_collected or lp.interest_collected
             or lp.balances.principal_outstanding or lp.balances.total_interest]
    lines.sort(key=lambda lp: lp.loan.loan_no)
    t = data.current.total
    money = [
        ("Giải ngân trong kỳ", lambda lp: lp.disbursed_amount, t.disbursed_amount),
        ("Thu nợ gốc", lambda lp: lp.principal_collected, t.principal_collected),
        ("Thu lãi", lambda lp: lp.interest_collected, t.interest_collected),
        ("Dư nợ gốc cuối kỳ", lambda lp: lp.balances.principal_outstanding, t.outstanding),
        ("Nợ gốc quá hạn", lambda lp: lp.balances.principal_overdue, t.principal_overdue),
        ("Lãi đến hạn chưa trả", lambda lp: lp.balances.interest_due_unpaid, None),
        ("Lãi dự thu trong hạn", lambda lp: lp.balances.interest_accrued, None),
        ("Lãi quá hạn", lambda lp: lp.balances.overdue_interest_accrued, None),
        ("Lãi chậm trả", lambda lp: lp.balances.late_interest_accrued, None),
    ]
    names = data.borrower_names
    name_width = min(max([30, *(len(names.get(lp.loan.borrower_code, "")) + 2 for lp in lines[:2000])]), 50)
    cols = [_Col("STT", 6, "center"), _Col("Số hợp đồng", 14), _Col("Mã KH", 9), _Col("Tên khách hàng", name_width),
            _Col("Huyện / xã", 20), _Col("Xã / phường", 18), _Col("Loại hình", 18), _Col("Ngành nghề", 18)]
    cols += [_Col(h, _money_width([*(read(lp) for lp in lines), total or 0], h), "money") for h, read, total in money]
    cols += [_Col("Số ngày quá hạn", 9, "money"), _Col("Nhóm nợ", 7, "center")]
    ws = _sheet(wb, f, "Danh sách khoản vay", data.fund.name, f"{data.title} — DANH SÁCH KHOẢN VAY", _subtitle(data), cols)
    first = HEADER_ROW + 1
    for i, lp in enumerate(lines):
        r = first + i
        loan, b = lp.loan, lp.balances
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, loan.loan_no, f.text)
        ws.write_string(r, 2, loan.borrower_code, f.text)
        ws.write_string(r, 3, names.get(loan.borrower_code, ""), f.text)
        ws.write_string(r, 4, loan.area or UNKNOWN, f.text)
        ws.write_string(r, 5, loan.ward or UNKNOWN, f.text)
        ws.write_string(r, 6, KIND_LABELS.get(loan.borrower_kind, loan.borrower_kind) or UNKNOWN, f.text)
        ws.write_string(r, 7, (loan.sector[:1].upper() + loan.sector[1:]) or UNKNOWN, f.text)
        for c, (_, read, _) in enumerate(money):
            ws.write_number(r, 8 + c, read(lp), f.money)
        ws.write_number(r, 8 + len(money), b.days_past_due, f.money)
        if b.principal_outstanding:  # a loan without principal has no debt group
            ws.write_number(r, 9 + len(money), b.debt_group, f.center)
        else:
            ws.write_blank(r, 9 + len(money), None, f.center)
    last = first + len(lines) - 1
    _sum_row(ws, f, last + 1, first, last,
             [(8 + c, total) for c, (_, _, total) in enumerate(money) if total is not None], "Tổng cộng",
             label_col=3, width=len(cols))
    ws.autofilter(HEADER_ROW, 0, last, len(cols) - 1)


def render_portfolio_xlsx(data: PortfolioData, path_or_buffer: str | IO[bytes] | Any) -> None:
    """Write the portfolio as of a date: every loan's balances, aging buckets, and the collection list."""
    wb = xlsxwriter.Workbook(path_or_buffer, SAFE_OPTIONS)
    wb.set_properties({"title": data.title, "author": data.fund.name, "company": data.fund.name})
    f = _Formats(wb)
    _aging_sheet(wb, f, data)
    _portfolio_sheet(wb, f, data)
    _collection_sheet(wb, f, data)
    wb.close()


def _as_of_text(data: PortfolioData) -> str:
    return f"Số liệu đến hết {long_date(data.as_of)} — Đơn vị tính: đồng"


def _aging_sheet(wb: Workbook, f: _Formats, data: PortfolioData) -> None:
    t = data.total
    w = _money_width([t.outstanding], "Dư nợ gốc")
    cols = [_Col("STT", 5, "center"), _Col("Số ngày quá hạn", 22), _Col("Số khoản vay", 10, "money"),
            _Col("Dư nợ gốc", w, "money"), _Col("Trong đó: nợ gốc quá hạn", w, "money"),
            _Col("Tỷ trọng / dư nợ (%)", 11, "percent")]
    ws = _sheet(wb, f, "Tuổi nợ", data.fund.name, f"{data.title} — PHÂN TÍCH TUỔI NỢ", _as_of_text(data), cols)
    first = HEADER_ROW + 1
    for i, (label, fig) in enumerate(data.aging):
        r = first + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, label, f.text)
        ws.write_number(r, 2, fig.loans_outstanding, f.money)
        ws.write_number(r, 3, fig.outstanding, f.money)
        ws.write_number(r, 4, fig.principal_overdue, f.money)
        ws.write_number(r, 5, float(ratio(fig.outstanding, t.outstanding)), f.percent)
    last = first + len(data.aging) - 1
    _sum_row(ws, f, last + 1, first, last, [(2, t.loans_outstanding), (3, t.outstanding), (4, t.principal_overdue)],
             "Tổng cộng", width=len(cols))
    ws.write_number(last + 1, 5, 100.0 if t.outstanding else 0.0, f.total_percent)
    r = last + 3
    for i, (label, value) in enumerate([("Tỷ lệ nợ quá hạn / tổng dư nợ (%)", data.overdue_ratio),
                                        ("Tỷ lệ nợ xấu (nhóm 3–5) / tổng dư nợ (%)", data.bad_debt_ratio)]):
        ws.merge_range(r + i, 0, r + i, 2, label, f.text)
        ws.write_number(r + i, 3, float(value), f.percent)


def _portfolio_sheet(wb: Workbook, f: _Formats, data: PortfolioData) -> None:
    t = data.total
    money = [
        ("Dư nợ gốc", lambda b: b.principal_outstanding, t.outstanding),
        ("Nợ gốc quá hạn", lambda b: b.principal_overdue, t.principal_overdue),
        *((h, attrgetter(name), data.interest_totals.get(name)) for h, name in zip(INTEREST_HEADINGS, INTEREST_FIELDS, strict=True)),
    ]
    w = _money_width([t.outstanding], "Dư nợ gốc")
    name_width = min(max([30, *(len(x.borrower_name) + 2 for x in data.lines[:2000])]), 50)
    cols = [_Col("STT", 6, "center"), _Col("Số hợp đồng", 14), _Col("Mã KH", 9), _Col("Tên khách hàng", name_width),
            _Col("Huyện / xã", 20), *(_Col(h, w, "money") for h, _, _ in money),
            _Col("Số ngày quá hạn", 9, "money"), _Col("Nhóm nợ", 7, "center")]
    ws = _sheet(wb, f, "Danh sách khoản vay", data.fund.name, f"{data.title} — DANH SÁCH KHOẢN VAY", _as_of_text(data), cols)
    first = HEADER_ROW + 1
    for i, x in enumerate(data.lines):
        r = first + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, x.loan_no, f.text)
        ws.write_string(r, 2, x.borrower_code, f.text)
        ws.write_string(r, 3, x.borrower_name, f.text)
        ws.write_string(r, 4, x.area or UNKNOWN, f.text)
        for c, (_, read, _) in enumerate(money):
            ws.write_number(r, 5 + c, read(x.balances), f.money)
        ws.write_number(r, 5 + len(money), x.balances.days_past_due, f.money)
        ws.write_number(r, 6 + len(money), x.balances.debt_group, f.center)
    last = first + len(data.lines) - 1
    _sum_row(ws, f, last + 1, first, last, [(5 + c, tot) for c, (_, _, tot) in enumerate(money) if tot is not None],
             "Tổng cộng", label_col=3, width=len(cols))
    ws.autofilter(HEADER_ROW, 0, last, len(cols) - 1)


def _collection_sheet(wb: Workbook, f: _Formats, data: PortfolioData) -> None:
    lines = data.collection
    w = _money_width([max((c.amount_due for c in lines), default=0) * 10], "Số tiền phải thu")
    cols = [_Col("STT", 6, "center"), _Col("Số hợp đồng", 14), _Col("Tên khách hàng", 36),
            _Col("Người đại diện", 20), _Col("Điện thoại", 13), _Col("Địa chỉ", 40),
            _Col("Số ngày quá hạn", 9, "money"), _Col("Nhóm nợ", 7, "center"), _Col("Nợ gốc quá hạn", w, "money"),
            _Col("Lãi phải trả", w, "money"), _Col("Số tiền phải thu", w, "money")]
    ws = _sheet(wb, f, "Đôn đốc thu nợ", data.fund.name, f"{data.title} — DANH SÁCH ĐÔN ĐỐC THU NỢ QUÁ HẠN", _as_of_text(data), cols)
    first = HEADER_ROW + 1
    for i, c in enumerate(lines):
        r = first + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, c.loan_no, f.text)
        ws.write_string(r, 2, c.borrower_name, f.text)
        ws.write_string(r, 3, c.representative, f.text)
        ws.write_string(r, 4, c.phone, f.text)
        ws.write_string(r, 5, c.address, f.text)
        ws.write_number(r, 6, c.days_past_due, f.money)
        ws.write_number(r, 7, c.debt_group, f.center)
        ws.write_number(r, 8, c.principal_overdue, f.money)
        ws.write_number(r, 9, c.interest_owed, f.money)
        ws.write_number(r, 10, c.amount_due, f.money)
    if lines:
        last = first + len(lines) - 1
        _sum_row(ws, f, last + 1, first, last,
                 [(8 + i, total) for i, total in enumerate(data.collection_totals)], "Tổng cộng", label_col=2,
                 width=len(cols))
