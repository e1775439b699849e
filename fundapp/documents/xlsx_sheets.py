"""What every report workbook shares (XlsxWriter): the cell formats, a sheet with the fund, title and period above
a frozen header row, column widths that fit the figures, and the totals row.

Figures are numbers formatted ``#,##0`` (never text); a totals row is a SUM formula whose cached
value is the domain's exact total, so a viewer that does not recalculate still shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from fundapp.formatting import short_date

MONEY = "#,##0"
PERCENT = "0.00"
FONT = "Times New Roman"  # LibreOffice draws it with Liberation Serif (same metrics), both cover Vietnamese
HEADER_ROW = 4  # rows 0–3: fund, title, period, blank
# Text is text: a district named "=HYPERLINK(…)" or "=1+1" never becomes a formula, nor "http://…" a link
# (every text cell is also written with write_string; the options guard merge_range and any write() left).
SAFE_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
CONSTANT_MEMORY = {**SAFE_OPTIONS, "in_memory": False, "constant_memory": True}  # rows must be written in order


class Formats:
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
class Col:
    """A column being written: heading, width in characters, and the cell format of its body."""

    heading: str
    width: float
    kind: str = "text"  # text | center | money | percent


def write_percent(ws: Worksheet, row: int, col: int, value: Decimal, fmt: Any) -> None:
    """A percentage (the domain's Decimal, e.g. two places) written as a number cell: the one place a report's
    figure becomes the float an .xlsx cell stores (a cell holds an IEEE double; Excel has no decimal). Money never
    passes here: it is written as its int đồng (``write_number``), exact in a double below 2**53 đồng. Raises
    TypeError for anything but a Decimal."""
    if not isinstance(value, Decimal):
        raise TypeError(f"write_percent: a {type(value).__name__}, not a Decimal percentage")
    ws.write_number(row, col, float(value), fmt)


def money_width(values: Sequence[int], heading: str) -> float:
    """Characters a column needs so that no number shows as ###, nor a heading word is cut."""
    widest = len(str(max((abs(v) for v in values), default=0)))
    digits = widest + (widest - 1) // 3  # with the thousands separators
    longest_word = max((len(w) for w in heading.split()), default=4)
    return max(digits + 3, longest_word + 2, 10)


def add_sheet(wb: Workbook, f: Formats, name: str, fund_name: str, title: str, subtitle: str,
              cols: Sequence[Col], header_height: float = 45, note: str = "") -> Worksheet:
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


def sum_row(ws: Worksheet, f: Formats, row: int, first: int, last: int, cols: Sequence[tuple[int, int]],
            label: str, label_col: int = 1, width: int = 0) -> None:
    """Write the totals row: SUM formulas over rows first..last, each with the domain's exact total as value."""
    for c in range(width):
        ws.write_blank(row, c, None, f.total_text)
    ws.write_string(row, label_col, label, f.total_text)
    for c, total in cols:
        col = xl_col_to_name(c)
        ws.write_formula(row, c, f"=SUM({col}{first + 1}:{col}{last + 1})", f.total_money, total)


def period_text(start: date, end: date) -> str:
    """"Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy": a report's period under its title."""
    return f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"


def close_workbook(wb: Workbook) -> None:
    """Write the workbook's file (``wb.close()``); a file it cannot write (a folder, a full disk, a file open in
    Excel) is raised as the ``OSError`` it is — XlsxWriter wraps it in its own ``FileCreateError``, which the command
    line and the GUI would show as a defect instead of saying what is wrong with the file
    (``services.errors.os_error_text``)."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as err:
        cause = err.args[0] if err.args else None
        if not isinstance(cause, OSError):
            raise
        raise cause from None
