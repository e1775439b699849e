"""Tables of plain strings for documents and reports: column widths fitted to the text, a header row repeated
on every page, money right-aligned (``FastTable`` skips reportlab's per-cell size checks on long tables)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .page import (
    BASE_STYLE,
    CELL_PAD,
    FONT,
    FONT_BOLD,
    TABLE_SIZE,
    esc,
    frame_width,
    register_fonts,
    styles,
    text_width,
)


def fit_widths(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    width: float,
    flexible: Sequence[int] = (),
    size: float = TABLE_SIZE,
) -> list[float]:
    """Column widths that hold the widest cell of each fixed column (no clipping), the rest of
    ``width`` shared by the ``flexible`` columns (their text should wrap or be short).

    Header cells may contain "\\n" (each line measured). Only distinct strings are measured.
    """
    n = len(header)
    widest = [0.0] * n
    for c in range(n):
        seen = {r[c] for r in rows if c < len(r)} | set(header[c].split("\n"))
        # Measure the longest few strings only: digits and đ have near-equal advances
        cands = sorted(seen, key=len, reverse=True)[:8]
        font = FONT
        widest[c] = max((text_width(t, font, size) for t in cands), default=0.0)
        widest[c] = max(widest[c], *(text_width(h, FONT_BOLD, size) for h in header[c].split("\n")))
        widest[c] += 2 * CELL_PAD + 1
    fixed = sum(w for c, w in enumerate(widest) if c not in flexible)
    need = sum(widest[c] for c in flexible)
    if need:
        # Flexible columns share what is left, in proportion to their widest text
        scale = max(width - fixed, 0.0) / need
        for c in flexible:
            widest[c] *= scale
    return widest


class FastTable(Table):
    """A Table that draws nothing for an empty string cell (reportlab would still set up a text object)."""

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        if cellval == "" or cellval is None:
            return
        super()._drawCell(cellval, cellstyle, pos, size)


def _row_height(row: Sequence[Any], col_widths: Sequence[float], size: float) -> float:
    """A body row's height as reportlab's Table measures it: the tallest cell, a Paragraph wrapped to its column
    less the side paddings, text its lines × the leading (``size`` × 1,2), plus the top and bottom paddings."""
    tallest = size * 1.2
    for value, width in zip(row, col_widths, strict=False):
        if isinstance(value, Flowable):
            tallest = max(tallest, value.wrap(width - 2 * CELL_PAD, 1e6)[1])
        elif isinstance(value, str) and "\n" in value:
            tallest = max(tallest, (value.count("\n") + 1) * size * 1.2)
    return tallest + 2 * CELL_PAD


def data_table(
    header: Sequence[str] | Sequence[Sequence[str]],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    right: Sequence[int] = (),
    center: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    extra_style: Sequence[tuple] = (),
    size: float = TABLE_SIZE,
    fixed_heights: bool = True,
    row_heights: Sequence[float] | None = None,
    paged: bool = False,
    step: Callable[[int, int], None] | None = None,
) -> Flowable:
    """A ruled table of plain strings: bold centred header rows repeated on every page, ``right``
    columns right-aligned (money), ``bold_rows`` (indexes into ``rows``, negatives allowed) in bold.

    With ``fixed_heights`` every body row is one line high (fast: no per-cell measuring); pass
    False when a cell holds a Paragraph or a "\\n" (``row_heights``: the body rows' heights when they are known
    already, else they are measured here). With ``paged`` (a long table: thousands of rows) a
    ``PagedTable``, which lays out a page of rows at a time; its ``bold_rows`` may only be the last (-1) and its
    ``extra_style`` only a NOSPLIT keeping that last row with the one before (what it always does); ``step(done,
    total)`` is told the rows laid out at each page, and may raise to stop the layout (a cancel).
    """
    register_fonts()
    heads = [list(header)] if header and isinstance(header[0], str) else [list(h) for h in header]
    nh = len(heads)
    head_h = [max(h.count("\n") + 1 if isinstance(h, str) else 1 for h in hr) * size * 1.2 + 2 * CELL_PAD for hr in heads]
    if row_heights is not None:
        body_h = list(row_heights)
    elif fixed_heights:
        body_h = [size * 1.2 + 2 * CELL_PAD] * len(rows)
    else:  # measured once here: reportlab would measure every row left again at each page's split (issue 17: the
        # portfolio's 50,000-row appendix took ~6 minutes; 2× the rows took 3× the time)
        body_h = [_row_height(r, col_widths, size) for r in rows]
    if paged:
        if any(b != -1 for b in bold_rows) or any(c[0] != "NOSPLIT" for c in extra_style):
            raise ValueError("a paged table takes only the last row in bold and no row style")
        return PagedTable(header, rows, col_widths, body_h, sum(head_h),
                          dict(right=right, center=center, bold_rows=tuple(bold_rows), size=size), step=step)
    data = [*heads, *(list(r) for r in rows)]
    heights = head_h + body_h
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size, size * 1.2),
        ("FONT", (0, 0), (-1, nh - 1), FONT_BOLD, size, size * 1.2),
        ("ALIGN", (0, 0), (-1, nh - 1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD + 1),
    ]
    cmds += [("ALIGN", (c, nh), (c, -1), "RIGHT") for c in right]
    cmds += [("ALIGN", (c, nh), (c, -1), "CENTER") for c in center]
    for r in bold_rows:
        row = nh + r if r >= 0 else r
        cmds.append(("FONT", (0, row), (-1, row), FONT_BOLD, size, size * 1.2))
    cmds += list(extra_style)
    table = FastTable(data, colWidths=list(col_widths), rowHeights=heights, repeatRows=nh, style=TableStyle(cmds))
    return table


class PagedTable(Flowable):
    """A long ``data_table`` laid out a page at a time (issue 17: the portfolio's appendix of 50,000 loans).
    reportlab splits a Table at each page by building a new Table of every row left — its styles, its heights —
    so a table of n rows over p pages costs n × p (2,310 pages: minutes). Here the rows' heights are measured once
    (``_row_height``) and each page gets a table of the rows that fit it, with the header; the rest stays a
    ``PagedTable``. The last row (a totals row) never starts a page alone."""

    def __init__(self, header, rows: Sequence[Sequence[Any]], col_widths: Sequence[float], heights: Sequence[float],
                 head_height: float, options: dict, start: int = 0,
                 step: Callable[[int, int], None] | None = None) -> None:
        super().__init__()
        self.header, self.rows, self.col_widths, self.heights = header, rows, col_widths, heights
        self.head_height, self.options, self.start, self.told = head_height, options, start, step
        self._whole: FastTable | None = None
        self.hAlign = "CENTER"  # placed as a Table is (reportlab's default for tables)

    def _table(self, stop: int) -> FastTable:
        bold = tuple(b for b in self.options.get("bold_rows", ()) if b == -1 and stop == len(self.rows))
        return data_table(self.header, self.rows[self.start:stop], self.col_widths,  # its rows measured already
                          **{**self.options, "bold_rows": bold, "row_heights": self.heights[self.start:stop]})

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """(width, height) in points of the rows left under one header, as reportlab asks of a flowable."""
        self.width = sum(self.col_widths)
        self.height = self.head_height + sum(self.heights[self.start:])
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The table of the rows that fit ``avail_height`` points under the header, then a ``PagedTable`` of the rest
        (none when all fit); [] when not one row fits. Tells ``step`` the rows laid out so far."""
        room, stop = avail_height - self.head_height, self.start
        while stop < len(self.rows) and self.heights[stop] <= room:
            room -= self.heights[stop]
            stop += 1
        if stop == len(self.rows) - 1 and stop - self.start > 1:
            stop -= 1  # the totals row goes to the next page with the row before it
        if stop == self.start:
            return []  # not even one row fits here: the next frame
        if self.told is not None:
            self.told(stop, len(self.rows))
        if stop == len(self.rows):
            return [self._table(stop)]
        return [self._table(stop), PagedTable(self.header, self.rows, self.col_widths, self.heights,
                                              self.head_height, self.options, stop, self.told)]

    def draw(self) -> None:
        """Draw the rows left, which fit where they are, as one table of them."""
        self._whole = self._whole or self._table(len(self.rows))
        self._whole.wrapOn(self.canv, self.width, self.height)
        self._whole.drawOn(self.canv, 0, 0)


def info_table(pairs: Sequence[tuple[str, str]], width: float | None = None,
               label_width: float = 45 * mm) -> Flowable:
    """Label/value lines ("Tên khách hàng:" / "Hợp tác xã …"); values wrap as paragraphs. Nothing when empty
    (a fund whose address and signatories are not yet in Settings still gets its documents)."""
    if not pairs:
        return Spacer(0, 0)
    s = styles()
    width = width or frame_width()
    data = [[Paragraph(esc(k), s["body_left"]), Paragraph(esc(v), s["body_left"])] for k, v in pairs]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.setStyle(
        TableStyle(
            [
                *BASE_STYLE,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table
