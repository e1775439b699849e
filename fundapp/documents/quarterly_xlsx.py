"""The quarterly report as an .xlsx workbook (XlsxWriter): summary, four breakdowns, debt groups, the quarter's
life events, and the loan list, written in constant memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.reporting import LoanPeriod
from fundapp.formatting import short_date

from .quarterly_model import QuarterlyReportData
from .report_labels import (
    BREAKDOWN_COLUMNS,
    DEBT_GROUPS,
    EVENT_HEADINGS,
    INTEREST_HEADINGS,
    SUMMARY_ROWS,
    UNKNOWN,
    sector_label,
)
from .xlsx_sheets import CONSTANT_MEMORY, HEADER_ROW, Col, Formats, add_sheet, money_width, period_text, sum_row

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures
    from fundapp.domain.figures import Figures


def render_quarterly_xlsx(data: QuarterlyReportData, path_or_buffer: str | IO[bytes] | Any,
                          step: Callable[[int, int], None] | None = None) -> None:
    """Write the quarterly report as a workbook: summary, four breakdowns, debt groups, loan list.

    ``path_or_buffer`` is a file path or a binary file object (e.g. ``io.BytesIO``). Written in constant memory
    (issue 17: the loan list of a 100,000-loan book): each sheet's rows strictly in order, each row flushed to a
    temporary file once the next begins. ``step(done, total)`` is told as the loan list's rows are written (every
    ``STEP_ROWS`` rows, and at its end); an exception it raises (a cancel) stops the writing before anything is
    written at ``path_or_buffer`` — XlsxWriter writes there only at ``close`` — and the temporary rows go with it.
    """
    with tempfile.TemporaryDirectory(prefix="fundapp-xlsx-", ignore_cleanup_errors=True) as scratch:
        wb = xlsxwriter.Workbook(path_or_buffer, {**CONSTANT_MEMORY, "tmpdir": scratch})
        try:
            wb.set_properties({"title": data.title, "author": data.fund.name, "company": data.fund.name})
            wb.set_calc_mode("auto")
            f = Formats(wb)
            _summary_sheet(wb, f, data)
            for b in data.breakdowns():
                _breakdown_sheet(wb, f, data, b.sheet, b.title, b.heading, b.rows())
            _debt_group_sheet(wb, f, data)
            _events_sheet(wb, f, data)
            _loan_list_sheet(wb, f, data, step)
        except BaseException:
            for ws in wb.worksheets():  # XlsxWriter has no abort: its open row files closed (Windows deletes none open)
                handle = getattr(ws, "row_data_fh", None)
                if handle is not None:
                    handle.close()
            raise
        wb.close()


def _subtitle(data: QuarterlyReportData) -> str:
    r = data.current
    note = f" — {data.unfinished_note}" if data.unfinished_note else ""
    return f"{period_text(r.start, r.end)}{note} — Đơn vị tính: đồng"


def _summary_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData) -> None:
    reports = (data.current, data.year_before, data.year_to_date)
    widths = [money_width([abs(int(row.read(r.total))) for r in reports for row in SUMMARY_ROWS], t)
              for t in data.column_titles]
    cols = [Col("STT", 5, "center"), Col("Chỉ tiêu", 44), Col("Đơn vị", 10, "center"),
            *(Col(t, w, "money") for t, w in zip(data.column_titles, widths, strict=True)),
            Col("So với cùng kỳ (%)", 12, "percent")]
    period = period_text(data.current.start, data.current.end)
    if data.unfinished_note:
        period = f"{period} — {data.unfinished_note}"
    ws = add_sheet(wb, f, "Tổng hợp", data.fund.name, data.title, period, cols,
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
        if row.key in data.versus:  # the domain's ratio as a number (no formula but the SUM totals)
            ws.write_number(r, 6, float(data.versus[row.key]), f.percent)
        else:  # a percentage line, or nothing a year before
            ws.write_blank(r, 6, None, f.percent)


def _breakdown_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData, name: str, title: str, heading: str,
                     rows: Sequence[tuple[str, Figures]]) -> None:
    total = data.current.total
    label_width = max([len(heading) + 2, 24, *(len(label) + 2 for label, _ in rows)])
    cols = [Col("STT", 5, "center"), Col(heading, min(label_width, 45))]
    for col in BREAKDOWN_COLUMNS:
        values = [col.read(fig) for _, fig in rows] + [col.read(total)]
        cols.append(Col(col.heading, money_width(values, col.heading) if col.money else 12, "money"))
    ws = add_sheet(wb, f, name, data.fund.name, f"{data.title} — {title.upper()}", _subtitle(data), cols)
    first = HEADER_ROW + 1
    for i, (label, fig) in enumerate(rows):
        ws.write_number(first + i, 0, i + 1, f.center)
        ws.write_string(first + i, 1, label, f.text)
        for c, col in enumerate(BREAKDOWN_COLUMNS):
            ws.write_number(first + i, 2 + c, col.read(fig), f.money)
    last = first + len(rows) - 1
    sum_row(ws, f, last + 1, first, last, [(2 + c, col.read(total)) for c, col in enumerate(BREAKDOWN_COLUMNS)],
            "Tổng cộng", width=len(cols))


def _debt_group_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData) -> None:
    t = data.current.total
    shares = t.group_shares
    cols = [Col("Nhóm nợ", 8, "center"), Col("Phân loại", 26), Col("Số ngày quá hạn", 14),
            Col("Số khoản vay", 10, "money"), Col("Dư nợ gốc (đồng)", money_width([t.outstanding], "Dư nợ gốc"), "money"),
            Col("Tỷ trọng / dư nợ (%)", 11, "percent"), Col("Tỷ lệ trích lập dự phòng (%)", 13, "percent"),
            Col("Số tiền dự phòng cụ thể (đồng)", money_width([t.outstanding], "Số tiền dự phòng"), "money")]
    ws = add_sheet(wb, f, "Nhóm nợ", data.fund.name, f"{data.title} — PHÂN LOẠI NỢ VÀ DỰ PHÒNG RỦI RO",
                f"Tại ngày {short_date(data.current.end)} (Thông tư 14/2024/TT-NHNN, Nghị định 86/2024/NĐ-CP)", cols)
    first = HEADER_ROW + 1
    for i, (g, (name, days)) in enumerate(DEBT_GROUPS.items()):
        r = first + i
        ws.write_number(r, 0, int(g), f.center)
        ws.write_string(r, 1, name, f.text)
        ws.write_string(r, 2, days, f.text)
        ws.write_number(r, 3, t.debt_groups[g], f.money)
        ws.write_number(r, 4, t.outstanding_by_group[g], f.money)
        ws.write_number(r, 5, float(shares[g]), f.percent)
        ws.write_number(r, 6, float(data.provision_rates[int(g)]), f.percent)
        ws.write_number(r, 7, data.provisions[g], f.money)
    last = first + len(DEBT_GROUPS) - 1
    sum_row(ws, f, last + 1, first, last,
            [(3, t.loans_outstanding), (4, t.outstanding), (7, data.provision_total)], "Tổng cộng", width=len(cols))
    ws.write_number(last + 1, 5, 100.0 if t.outstanding else 0.0, f.total_percent)
    r = last + 3
    extra = [
        ("Nợ xấu (nhóm 3–5)", t.bad_debt, f.money),
        ("Tỷ lệ nợ xấu / tổng dư nợ (%)", float(t.bad_debt_ratio), f.percent),
        ("Nợ gốc quá hạn", t.principal_overdue, f.money),
        ("Tỷ lệ nợ quá hạn / tổng dư nợ (%)", float(t.principal_overdue_ratio), f.percent),
        ("Lãi treo: lãi phải thu của khoản vay nhóm 2–5 (đồng), không hạch toán thu nhập", t.suspended_interest, f.money),
    ]
    for i, (label, value, fmt) in enumerate(extra):
        ws.merge_range(r + i, 0, r + i, 3, label, f.text)
        ws.write_number(r + i, 4, value, fmt)


EVENTS_SHEET = "Cơ cấu-miễn giảm-xử lý rủi ro"


def _events_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData) -> None:
    """The quarter's restructured, relieved and written-off loans (``event_lines``), one row per event; no sheet
    when the quarter has none. Amounts are the domain's, in đồng."""
    events = data.event_lines()
    if not events:
        return
    amounts = {h: [getattr(e, k) for e in events] for h, k in zip(EVENT_HEADINGS[6:], ("amount", "principal", "interest"),
                                                                   strict=True)}
    cols = [Col(EVENT_HEADINGS[0], 6, "center"), Col(EVENT_HEADINGS[1], 14),
            Col(EVENT_HEADINGS[2], min(max([24, *(len(e.borrower) + 2 for e in events)]), 50)),
            Col(EVENT_HEADINGS[3], min(max([30, *(len(e.event) + 2 for e in events)]), 60)),
            Col(EVENT_HEADINGS[4], 12, "center"), Col(EVENT_HEADINGS[5], 16)]
    cols += [Col(f"{h} (đồng)", money_width(v, h), "money") for h, v in amounts.items()]
    ws = add_sheet(wb, f, EVENTS_SHEET, data.fund.name,
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


LOAN_LIST_MONEY = ("Giải ngân trong kỳ", "Thu nợ gốc", "Thu lãi", "Dư nợ gốc cuối kỳ", "Nợ gốc quá hạn",
                   *INTEREST_HEADINGS)


def _loan_list_figures(lp: LoanPeriod) -> tuple[int, ...]:
    """A loan's row of the list: the nine ``LOAN_LIST_MONEY`` amounts (đồng), days past due, debt group."""
    b = lp.balances
    return (lp.disbursed_amount, lp.principal_collected, lp.interest_collected, b.principal_outstanding,
            b.principal_overdue, b.interest_due_unpaid, b.interest_accrued, b.overdue_interest_accrued,
            b.late_interest_accrued, b.days_past_due, b.debt_group)


def _row_col_writers(ws: Worksheet) -> tuple[Callable, Callable, Callable]:
    """The sheet's number, string and blank writers taking (row, col, value, format) only: XlsxWriter's undecorated
    ``_write_number``/``_write_string``/``_write_blank`` (the public ones first try whether the row is "A1" text, ~6 %
    of the loan list's writing on 100,000 loans), or the public ones where a version of XlsxWriter lacks them."""
    return tuple(getattr(ws, f"_{name}", getattr(ws, name))  # type: ignore[return-value]
                 for name in ("write_number", "write_string", "write_blank"))


STEP_ROWS = 2000  # the loan list's rows between two of ``render_quarterly_xlsx``'s steps


def _loan_list_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData,
                     step: Callable[[int, int], None] | None = None) -> None:
    """Every loan with a movement in the quarter or something owed at its end, by loan number: one pass over the
    loans for their figures, one over the rows to write them (issue 17: 100,000 loans)."""
    lines = sorted((lp for lp in data.current.loans
                    if lp.disbursed_count or lp.principal_collected or lp.interest_collected
                    or lp.balances.principal_outstanding or lp.balances.total_interest),
                   key=lambda lp: lp.loan.loan_no)
    rows = [_loan_list_figures(lp) for lp in lines]
    t = data.current.total
    totals = (t.disbursed_amount, t.principal_collected, t.interest_collected, t.outstanding, t.principal_overdue)
    columns = list(zip(*rows, strict=True)) or [()] * len(LOAN_LIST_MONEY)
    names = data.borrower_names
    name_width = min(max([30, *(len(names.get(lp.loan.borrower_code, "")) + 2 for lp in lines[:2000])]), 50)
    cols = [Col("STT", 6, "center"), Col("Số hợp đồng", 14), Col("Mã KH", 9), Col("Tên khách hàng", name_width),
            Col("Huyện / xã", 20), Col("Xã / phường", 18), Col("Loại hình", 18), Col("Ngành nghề", 18)]
    cols += [Col(h, money_width([max(values, default=0), min(values, default=0), total], h), "money")
             for h, values, total in zip(LOAN_LIST_MONEY, columns, (*totals, 0, 0, 0, 0), strict=False)]
    cols += [Col("Số ngày quá hạn", 9, "money"), Col("Nhóm nợ", 7, "center")]
    ws = add_sheet(wb, f, "Danh sách khoản vay", data.fund.name, f"{data.title} — DANH SÁCH KHOẢN VAY", _subtitle(data),
                   cols)
    kinds = {k: BORROWER_KIND_LABELS.get(k, k) or UNKNOWN for k in {lp.loan.borrower_kind for lp in lines}}
    sectors = {s: sector_label(s) or UNKNOWN for s in {lp.loan.sector for lp in lines}}
    number, string, blank = _row_col_writers(ws)
    center, text, money = f.center, f.text, f.money
    first = HEADER_ROW + 1
    total = len(lines)
    for i, (lp, row) in enumerate(zip(lines, rows, strict=True)):
        if step is not None and i % STEP_ROWS == 0:
            step(i, total)
        r = first + i
        loan = lp.loan
        number(r, 0, i + 1, center)
        string(r, 1, loan.loan_no, text)
        string(r, 2, loan.borrower_code, text)
        string(r, 3, names.get(loan.borrower_code, ""), text)
        string(r, 4, loan.area or UNKNOWN, text)
        string(r, 5, loan.ward or UNKNOWN, text)
        string(r, 6, kinds[loan.borrower_kind], text)
        string(r, 7, sectors[loan.sector], text)
        for c in range(8, 18):
            number(r, c, row[c - 8], money)
        if row[3]:  # a loan without principal has no debt group
            number(r, 18, row[10], center)
        else:
            blank(r, 18, None, center)
    if step is not None:
        step(total, total)
    last = first + len(lines) - 1
    sum_row(ws, f, last + 1, first, last, [(8 + c, total) for c, total in enumerate(totals)], "Tổng cộng",
            label_col=3, width=len(cols))
    ws.autofilter(HEADER_ROW, 0, last, len(cols) - 1)
