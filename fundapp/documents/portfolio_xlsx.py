"""The portfolio as of a date as an .xlsx workbook (XlsxWriter): the aging bands, every loan's balances, and the
overdue loans to chase.
"""

from __future__ import annotations

from operator import attrgetter
from typing import IO, Any

import xlsxwriter
from xlsxwriter.workbook import Workbook

from fundapp.formatting import long_date

from .portfolio_model import INTEREST_FIELDS, PortfolioData
from .report_labels import INTEREST_HEADINGS, INTEREST_OWED, UNKNOWN
from .xlsx_sheets import (
    CONSTANT_MEMORY,
    HEADER_ROW,
    Col,
    Formats,
    add_sheet,
    close_workbook,
    money_width,
    sum_row,
    write_percent,
)


def render_portfolio_xlsx(data: PortfolioData, path_or_buffer: str | IO[bytes] | Any) -> None:
    """Write the portfolio as of a date: every loan's balances, aging buckets, and the collection list, to a file path
    or a binary file object, in constant memory (each sheet's rows strictly in order)."""
    wb = xlsxwriter.Workbook(path_or_buffer, CONSTANT_MEMORY)  # 100,000 loans (issue 17): each row flushed in turn
    wb.set_properties({"title": data.title, "author": data.fund.name, "company": data.fund.name})
    f = Formats(wb)
    _aging_sheet(wb, f, data)
    _portfolio_sheet(wb, f, data)
    _collection_sheet(wb, f, data)
    close_workbook(wb)


def _as_of_text(data: PortfolioData) -> str:
    return f"Số liệu đến hết {long_date(data.as_of)} — Đơn vị tính: đồng"


def _aging_sheet(wb: Workbook, f: Formats, data: PortfolioData) -> None:
    t = data.total
    w = money_width([t.outstanding], "Dư nợ gốc")
    cols = [Col("STT", 5, "center"), Col("Số ngày quá hạn", 22), Col("Số khoản vay", 10, "money"),
            Col("Dư nợ gốc", w, "money"), Col("Trong đó: nợ gốc quá hạn", w, "money"),
            Col("Tỷ trọng / dư nợ (%)", 11, "percent")]
    ws = add_sheet(wb, f, "Tuổi nợ", data.fund.name, f"{data.title} — PHÂN TÍCH TUỔI NỢ", _as_of_text(data), cols)
    first = HEADER_ROW + 1
    for i, ((label, fig), share) in enumerate(zip(data.aging, data.aging_shares, strict=True)):
        r = first + i
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, label, f.text)
        ws.write_number(r, 2, fig.loans_outstanding, f.money)
        ws.write_number(r, 3, fig.outstanding, f.money)
        ws.write_number(r, 4, fig.principal_overdue, f.money)
        write_percent(ws, r, 5, share, f.percent)
    last = first + len(data.aging) - 1
    sum_row(ws, f, last + 1, first, last, [(2, t.loans_outstanding), (3, t.outstanding), (4, t.principal_overdue)],
            "Tổng cộng", width=len(cols))
    write_percent(ws, last + 1, 5, t.total_share, f.total_percent)
    r = last + 3
    for i, (label, value) in enumerate([("Tỷ lệ nợ quá hạn / tổng dư nợ (%)", t.principal_overdue_ratio),
                                        ("Tỷ lệ nợ xấu (nhóm 3–5) / tổng dư nợ (%)", t.bad_debt_ratio)]):
        ws.merge_range(r + i, 0, r + i, 2, label, f.text)
        write_percent(ws, r + i, 3, value, f.percent)


def _portfolio_sheet(wb: Workbook, f: Formats, data: PortfolioData) -> None:
    t = data.total
    money = [
        ("Dư nợ gốc", lambda b: b.principal_outstanding, t.outstanding),
        ("Nợ gốc quá hạn", lambda b: b.principal_overdue, t.principal_overdue),
        *((h, attrgetter(name), data.interest_totals.get(name)) for h, name in zip(INTEREST_HEADINGS, INTEREST_FIELDS, strict=True)),
    ]
    w = money_width([t.outstanding], "Dư nợ gốc")
    name_width = min(max([30, *(len(x.borrower_name) + 2 for x in data.lines[:2000])]), 50)
    cols = [Col("STT", 6, "center"), Col("Số hợp đồng", 14), Col("Mã KH", 9), Col("Tên khách hàng", name_width),
            Col("Huyện / xã", 20), *(Col(h, w, "money") for h, _, _ in money),
            Col("Số ngày quá hạn", 9, "money"), Col("Nhóm nợ", 7, "center")]
    ws = add_sheet(wb, f, "Danh sách khoản vay", data.fund.name, f"{data.title} — DANH SÁCH KHOẢN VAY", _as_of_text(data), cols)
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
    sum_row(ws, f, last + 1, first, last, [(5 + c, tot) for c, (_, _, tot) in enumerate(money) if tot is not None],
            "Tổng cộng", label_col=3, width=len(cols))
    ws.autofilter(HEADER_ROW, 0, last, len(cols) - 1)


def _collection_sheet(wb: Workbook, f: Formats, data: PortfolioData) -> None:
    lines = data.collection
    w = money_width([max((c.amount_due for c in lines), default=0) * 10], "Số tiền phải thu")
    cols = [Col("STT", 6, "center"), Col("Số hợp đồng", 14), Col("Tên khách hàng", 36),
            Col("Người đại diện", 20), Col("Điện thoại", 13), Col("Địa chỉ", 40),
            Col("Số ngày quá hạn", 9, "money"), Col("Nhóm nợ", 7, "center"), Col("Nợ gốc quá hạn", w, "money"),
            Col(INTEREST_OWED, w, "money"), Col("Số tiền phải thu", w, "money")]
    ws = add_sheet(wb, f, "Đôn đốc thu nợ", data.fund.name, f"{data.title} — DANH SÁCH ĐÔN ĐỐC THU NỢ QUÁ HẠN", _as_of_text(data), cols)
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
        sum_row(ws, f, last + 1, first, last,
                [(8 + i, total) for i, total in enumerate(data.collection_totals)], "Tổng cộng", label_col=2,
                width=len(cols))
