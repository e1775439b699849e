"""The audit journal as an .xlsx (issue 14): plain values in, a workbook out. Every text cell is written with
``write_string`` (an actor or a detail starting with "=" stays text, never a formula); times as Excel datetimes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

HEADERS = ("Thời điểm", "Người thực hiện", "Thao tác", "Khoản vay", "Nội dung")
WIDTHS = (19, 16, 28, 14, 90)


def write_audit_xlsx(path: Path, title: str, rows: Sequence[tuple[datetime, str, str, str, str]]) -> Path:
    """Write ``rows`` ((local time, actor, action label, loan number, detail), newest first) under ``title`` to
    ``path`` and return it."""
    import xlsxwriter

    from .xlsx_sheets import close_workbook

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "remove_timezone": True})
    try:
        ws = wb.add_worksheet("Nhật ký")
        bold = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True,
                              "font_name": "Times New Roman"})
        cell = wb.add_format({"border": 1, "font_name": "Times New Roman", "valign": "top"})
        wrap = wb.add_format({"border": 1, "font_name": "Times New Roman", "text_wrap": True, "valign": "top"})
        when = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy hh:mm:ss", "font_name": "Times New Roman",
                              "valign": "top"})
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        ws.write_string(0, 0, title, bold)
        for col, text in enumerate(HEADERS):
            ws.write_string(2, col, text, head)
        for i, (at, actor, action, loan_no, detail) in enumerate(rows, start=3):
            ws.write_datetime(i, 0, at.replace(tzinfo=None), when)
            ws.write_string(i, 1, actor, cell)
            ws.write_string(i, 2, action, cell)
            ws.write_string(i, 3, loan_no, cell)
            ws.write_string(i, 4, detail, wrap)
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, 2 + len(rows), len(HEADERS) - 1)
    finally:
        close_workbook(wb)
    return path
