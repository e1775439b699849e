"""Tables of plain strings for documents and reports: column widths fitted to the text, a header row repeated
on every page, money right-aligned (``FastTable`` skips reportlab's per-cell size checks on long tables)."""

from __future__ import annotations

from collections.abc import Sequence
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
) -> FastTable:
    """A ruled table of plain strings: bold centred header rows repeated on every page, ``right``
    columns right-aligned (money), ``bold_rows`` (indexes into ``rows``, negatives allowed) in bold.

    With ``fixed_heights`` every body row is one line high (fast: no per-cell measuring); pass
    False when a cell holds a Paragraph or a "\\n".
    """
    register_fonts()
    heads = [list(header)] if header and isinstance(header[0], str) else [list(h) for h in header]
    nh = len(heads)
    data = [*heads, *(list(r) for r in rows)]
    heights = None
    if fixed_heights:
        head_h = [max(h.count("\n") + 1 if isinstance(h, str) else 1 for h in hr) * size * 1.2 + 2 * CELL_PAD for hr in heads]
        heights = head_h + [size * 1.2 + 2 * CELL_PAD] * len(rows)
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
