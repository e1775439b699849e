"""The quarterly report as an .xlsx workbook (XlsxWriter): summary, four breakdowns, debt groups, the quarter's
life events, and the loan list, written in constant memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
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
    SUMMARY_LINES,
    SUMMARY_NOTE,
    UNKNOWN,
    sector_label,
)
from .xlsx_sheets import (
    CONSTANT_MEMORY,
    HEADER_ROW,
    Col,
    Formats,
    add_sheet,
    close_workbook,
    money_width,
    period_text,
    sum_row,
    write_percent,
)

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures
    from fundapp.domain.figures import Figures


def render_quarterly_xlsx(data: QuarterlyReportData, path_or_buffer: str | IO[bytes] | Any,
                          step: Callable[[int, int], None] | None = None) -> None:
    """Write the quarterly report as a workbook: summary, four breakdowns, debt groups, the quarter's life events
    (when it has any), loan list.

    ``path_or_buffer`` is a file path or a binary file object (e.g. ``io.BytesIO``). Written in constant memory
    (issue 17: the loan list of a 100,000-loan book) by ``QuarterlyWorkbook``, the same writer a report worker
    process feeds while the figures are made (``services.report_worker``). ``step(done, total)`` is told as the loan
    list's rows are written (every ``STEP_ROWS`` rows, and at its end); an exception it raises (a cancel) stops the
    writing before anything is written at ``path_or_buffer`` — XlsxWriter writes there only at ``close`` — and the
    temporary rows go with it."""
    with tempfile.TemporaryDirectory(prefix="fundapp-xlsx-", ignore_cleanup_errors=True) as scratch:
        book = QuarterlyWorkbook(path_or_buffer, scratch, loan_list_head(data))
        try:
            rows = loan_list_rows(data)
            for start in range(0, len(rows), STEP_ROWS):
                if step is not None:
                    step(start, len(rows))
                book.add(rows[start : start + STEP_ROWS])
            if step is not None:
                step(len(rows), len(rows))
            book.finish(data)
        except BaseException:
            book.abort()
            raise


def _subtitle(data: QuarterlyReportData) -> str:
    return sheet_subtitle(data.current.start, data.current.end, data.unfinished_note)


def sheet_subtitle(start: date, end: date, note: str) -> str:
    """The line under each sheet's title: the period, the quarter's note (``QuarterlyReportData.unfinished_note``)
    when there is one, and the unit."""
    return f"{period_text(start, end)}{f' — {note}' if note else ''} — Đơn vị tính: đồng"


def _summary_sheet(wb: Workbook, f: Formats, data: QuarterlyReportData) -> None:
    reports = (data.current, data.year_before, data.year_to_date)
    widths = [money_width([abs(int(row.read(r.total))) for r in reports for row in SUMMARY_LINES], t)
              for t in data.column_titles]
    cols = [Col("STT", 5, "center"), Col("Chỉ tiêu", 44), Col("Đơn vị", 10, "center"),
            *(Col(t, w, "money") for t, w in zip(data.column_titles, widths, strict=True)),
            Col("So với cùng kỳ (%)", 12, "percent")]
    period = period_text(data.current.start, data.current.end)
    if data.unfinished_note:
        period = f"{period} — {data.unfinished_note}"
    ws = add_sheet(wb, f, "Tổng hợp", data.fund.name, data.title, period, cols,
                note=SUMMARY_NOTE)
    for i, row in enumerate(SUMMARY_LINES):  # the PDF's numbering: the loans per debt group are on «Nhóm nợ»
        r = HEADER_ROW + 1 + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, row.label, f.text)
        ws.write_string(r, 2, row.unit, f.center)
        for c, rep in enumerate(reports):
            if row.kind == "percent":
                write_percent(ws, r, 3 + c, row.read(rep.total), f.percent)
            else:  # int đồng, or a count
                ws.write_number(r, 3 + c, row.read(rep.total), f.money)
        if row.key in data.versus:  # the domain's ratio as a number (no formula but the SUM totals)
            write_percent(ws, r, 6, data.versus[row.key], f.percent)
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
        write_percent(ws, r, 5, shares[g], f.percent)
        write_percent(ws, r, 6, data.provision_rates[int(g)], f.percent)
        ws.write_number(r, 7, data.provisions[g], f.money)
    last = first + len(DEBT_GROUPS) - 1
    sum_row(ws, f, last + 1, first, last,
            [(3, t.loans_outstanding), (4, t.outstanding), (7, data.provision_total)], "Tổng cộng", width=len(cols))
    write_percent(ws, last + 1, 5, t.total_share, f.total_percent)
    r = last + 3
    extra = [
        ("Nợ xấu (nhóm 3–5)", t.bad_debt),
        ("Tỷ lệ nợ xấu / tổng dư nợ (%)", t.bad_debt_ratio),
        ("Nợ gốc quá hạn", t.principal_overdue),
        ("Tỷ lệ nợ quá hạn / tổng dư nợ (%)", t.principal_overdue_ratio),
        ("Lãi treo: lãi phải thu của khoản vay nhóm 2–5 (đồng), không hạch toán thu nhập", t.suspended_interest),
    ]
    for i, (label, value) in enumerate(extra):
        ws.merge_range(r + i, 0, r + i, 3, label, f.text)
        if isinstance(value, Decimal):  # a ratio
            write_percent(ws, r + i, 4, value, f.percent)
        else:  # int đồng
            ws.write_number(r + i, 4, value, f.money)


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
LOAN_LIST_SHEET = "Danh sách khoản vay"
STEP_ROWS = 2000  # the loan list's rows between two of ``render_quarterly_xlsx``'s steps
# a loan list row (``LoanListRows``): 7 texts, then the 9 amounts (outstanding principal the 4th), days past due and
# debt group
_TEXTS = 7
_PRINCIPAL = _TEXTS + 3


def _row_col_writers(ws: Worksheet) -> tuple[Callable, Callable, Callable]:
    """The sheet's number, string and blank writers taking (row, col, value, format) only: XlsxWriter's undecorated
    ``_write_number``/``_write_string``/``_write_blank`` (the public ones first try whether the row is "A1" text, ~6 %
    of the loan list's writing on 100,000 loans), or the public ones where a version of XlsxWriter lacks them."""
    return tuple(getattr(ws, f"_{name}", getattr(ws, name))  # type: ignore[return-value]
                 for name in ("write_number", "write_string", "write_blank"))


@dataclass(frozen=True, slots=True)
class LoanListHead:
    """What the loan list's sheet prints above its rows: the fund's name, the report's title and the line under it
    (``sheet_subtitle``). Known before the figures (``services.report_worker`` starts the sheet with it) and checked
    against the finished report's own (``loan_list_head``)."""

    fund_name: str
    title: str
    subtitle: str


def loan_list_head(data: QuarterlyReportData) -> LoanListHead:
    """The loan list's head of the finished report ``data``."""
    return LoanListHead(data.fund.name, data.title, _subtitle(data))


class LoanListRows:
    """A loan's row of the quarterly loan list from its quarter (``LoanPeriod``): a tuple of the loan number, borrower
    code and name, area, ward, borrower kind and sector as printed, then the nine ``LOAN_LIST_MONEY`` amounts (đồng),
    days past due and debt group; None for a loan with no movement in the quarter and nothing owed at its end (it
    is not listed). The labels are made once per kind and sector."""

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self._sectors: dict[str, str] = {}

    def __call__(self, lp: LoanPeriod, borrower_name: str) -> tuple | None:
        """The row of ``lp`` (whose borrower is named ``borrower_name``), or None when it is not listed."""
        b = lp.balances
        if not (lp.disbursed_count or lp.principal_collected or lp.interest_collected or b.principal_outstanding
                or b.total_interest):
            return None
        loan = lp.loan
        kind = self._kinds.get(loan.borrower_kind)
        if kind is None:
            kind = self._kinds[loan.borrower_kind] = BORROWER_KIND_LABELS.get(loan.borrower_kind,
                                                                              loan.borrower_kind) or UNKNOWN
        sector = self._sectors.get(loan.sector)
        if sector is None:
            sector = self._sectors[loan.sector] = sector_label(loan.sector) or UNKNOWN
        return (loan.loan_no, loan.borrower_code, borrower_name, loan.area or UNKNOWN, loan.ward or UNKNOWN, kind,
                sector, lp.disbursed_amount, lp.principal_collected, lp.interest_collected, b.principal_outstanding,
                b.principal_overdue, b.interest_due_unpaid, b.interest_accrued, b.overdue_interest_accrued,
                b.late_interest_accrued, b.days_past_due, b.debt_group)


def loan_list_rows(data: QuarterlyReportData) -> list[tuple]:
    """The loan list's rows (``LoanListRows``) of every listed loan of the quarter, by loan number."""
    row, names = LoanListRows(), data.borrower_names
    rows = [row(lp, names.get(lp.loan.borrower_code, "")) for lp in data.current.loans]
    return sorted((r for r in rows if r is not None), key=itemgetter(0))


def sheets_value(data: QuarterlyReportData) -> QuarterlyReportData:
    """``data`` with only what the sheets other than the loan list read (``QuarterlyWorkbook.finish``): the
    quarter's loans that have a life event (its list) and their borrowers' names; the loans of the other two periods
    none. What a report worker process is sent once the figures are made, instead of every loan's."""
    current = data.current
    listed = tuple(lp for lp in current.loans if lp.events)
    codes = {lp.loan.borrower_code for lp in listed}
    return replace(data, current=replace(current, loans=listed), year_before=replace(data.year_before, loans=()),
                   year_to_date=replace(data.year_to_date, loans=()),
                   borrower_names={c: n for c, n in data.borrower_names.items() if c in codes})


class QuarterlyWorkbook:
    """The quarterly .xlsx being written in constant memory: the loan list's rows as they come (``add``, by loan
    number), then every other sheet from the report's value (``finish``), placed before the loan list, and the file
    written at ``close``. Used in this process (``render_quarterly_xlsx``) or in a report worker process fed while
    the figures are made (``services.report_worker``): the same workbook either way.

    ``scratch`` is a folder for XlsxWriter's temporary row files; ``head`` is printed above the loan list."""

    def __init__(self, path_or_buffer: str | IO[bytes] | Any, scratch: str, head: LoanListHead) -> None:
        self.head = head
        self.wb = xlsxwriter.Workbook(path_or_buffer, {**CONSTANT_MEMORY, "tmpdir": scratch})
        self.f = Formats(self.wb)
        self.cols = [Col("STT", 6, "center"), Col("Số hợp đồng", 14), Col("Mã KH", 9), Col("Tên khách hàng", 30),
                     Col("Huyện / xã", 20), Col("Xã / phường", 18), Col("Loại hình", 18), Col("Ngành nghề", 18),
                     *(Col(h, 10, "money") for h in LOAN_LIST_MONEY),
                     Col("Số ngày quá hạn", 9, "money"), Col("Nhóm nợ", 7, "center")]
        # the widths are set again at the end, from the figures (money_width) and the first names
        self.ws = add_sheet(self.wb, self.f, LOAN_LIST_SHEET, head.fund_name, f"{head.title} — DANH SÁCH KHOẢN VAY",
                            head.subtitle, self.cols)
        self.count = 0
        self._highest = [0] * len(LOAN_LIST_MONEY)
        self._lowest = [0] * len(LOAN_LIST_MONEY)
        self._name_width = 30

    def add(self, rows: Sequence[tuple]) -> None:
        """Write the next ``rows`` of the loan list (``LoanListRows``' tuples, by loan number)."""
        number, string, blank = _row_col_writers(self.ws)
        center, text, money = self.f.center, self.f.text, self.f.money
        r = HEADER_ROW + 1 + self.count
        if self.count < 2000:  # the name column fits the first names (as far as 50 characters)
            self._name_width = min(max([self._name_width, *(len(row[2]) + 2 for row in rows[: 2000 - self.count])]),
                                   50)
        for row in rows:
            number(r, 0, r - HEADER_ROW, center)
            for c in range(1, _TEXTS + 1):
                string(r, c, row[c - 1], text)
            for c in range(_TEXTS + 1, len(row)):  # the amounts and days past due
                number(r, c, row[c - 1], money)
            if row[_PRINCIPAL]:  # a loan without principal has no debt group
                number(r, len(row), row[-1], center)
            else:
                blank(r, len(row), None, center)
            r += 1
        self.count += len(rows)
        if rows:
            columns = list(zip(*(row[_TEXTS : _TEXTS + len(LOAN_LIST_MONEY)] for row in rows), strict=True))
            self._highest = [max(h, *c) for h, c in zip(self._highest, columns, strict=True)]
            self._lowest = [min(lo, *c) for lo, c in zip(self._lowest, columns, strict=True)]

    def finish(self, data: QuarterlyReportData, before_close: Callable[[], None] | None = None) -> None:
        """Write every other sheet of ``data`` (or of its ``sheets_value``) and the loan list's totals row and
        widths, then the file; ``before_close()`` is called just before the file (an exception it raises leaves
        nothing written at the path). Raises ``ValueError`` when ``data``'s head is not the one the loan list was
        begun with."""
        if loan_list_head(data) != self.head:
            raise ValueError("the loan list was begun with another head")
        wb, f, ws = self.wb, self.f, self.ws
        wb.set_properties({"title": data.title, "author": data.fund.name, "company": data.fund.name})
        wb.set_calc_mode("auto")
        _summary_sheet(wb, f, data)
        for b in data.breakdowns():
            _breakdown_sheet(wb, f, data, b.sheet, b.title, b.heading, b.rows())
        _debt_group_sheet(wb, f, data)
        _events_sheet(wb, f, data)
        t = data.current.total
        totals = (t.disbursed_amount, t.principal_collected, t.interest_collected, t.outstanding, t.principal_overdue)
        self.cols[3].width = self._name_width
        for c, (h, high, low, total) in enumerate(zip(LOAN_LIST_MONEY, self._highest, self._lowest,
                                                      (*totals, 0, 0, 0, 0), strict=True)):
            self.cols[8 + c].width = money_width([high, low, total], h)
        for c, col in enumerate(self.cols):
            ws.set_column(c, c, col.width)
        first = HEADER_ROW + 1
        last = first + self.count - 1
        sum_row(ws, f, last + 1, first, last, [(8 + c, total) for c, total in enumerate(totals)], "Tổng cộng",
                label_col=3, width=len(self.cols))
        ws.autofilter(HEADER_ROW, 0, last, len(self.cols) - 1)
        _last_sheet(wb, ws)
        if before_close is not None:
            before_close()
        close_workbook(wb)

    def abort(self) -> None:
        """Leave the workbook unwritten: XlsxWriter has no abort, so its open row files are closed (Windows deletes
        none open) for the scratch folder to go."""
        for ws in self.wb.worksheets():
            handle = getattr(ws, "row_data_fh", None)
            if handle is not None:
                handle.close()


def _last_sheet(wb: Workbook, ws: Worksheet) -> None:
    """Move ``ws`` (begun first, to take its rows while the figures are made) after every other sheet.

    XlsxWriter orders sheets as they were added and has no call to move one: its list of sheets is reordered and each
    sheet's ``index`` renumbered before ``close``, which is when XlsxWriter reads them (the sheet files, the print
    titles, the filter and the selected first sheet; tests/unit/test_report_worker.py reads them back)."""
    sheets = wb.worksheets_objs
    sheets.remove(ws)
    sheets.append(ws)
    for i, sheet in enumerate(sheets):
        sheet.index = i
