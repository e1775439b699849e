"""Nhập sổ cũ: reading the officer's workbook as the officer sees it: each sheet's header row found (a title row
above it, merged header cells and a two-row header read as shown), its data rows kept with their row numbers,
blank and total rows left out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fundapp.domain.messages import msg
from fundapp.formatting import fold

from .errors import UserFacingError
from .migration_fields import FIELDS


# -- a foreign workbook ------------------------------------------------------------------------------
@dataclass
class ForeignSheet:
    """One sheet of the officer's workbook as read: ``title``; ``header_lines`` (its header's rows, 1-based; a
    two-row header has two); ``headers`` (each column's name as the officer sees it, merged cells filled, two
    header rows joined); ``rows``: (row number, cell values as shown) of the data below the header, blank rows and
    total rows ("Tổng cộng") left out (``skipped``: their row numbers)."""

    title: str
    header_lines: tuple[int, ...]
    headers: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    @property
    def signature(self) -> str:
        """The key a mapping is remembered by: a digest of the folded header names (order kept)."""
        text = "|".join(fold(h) for h in self.headers)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    def samples(self, column: int, count: int = 3) -> list[object]:
        """The first ``count`` non-empty values of ``column``."""
        out = []
        for _line, cells in self.rows:
            if column < len(cells) and str(cells[column]).strip():
                out.append(cells[column])
                if len(out) == count:
                    break
        return out


@dataclass
class ForeignWorkbook:
    """The officer's workbook: its file ``path`` and its sheets with a header row found (others are left out and
    named in ``unread``)."""

    path: Path
    sheets: list[ForeignSheet]
    unread: list[str] = field(default_factory=list)

    def sheet(self, title: str) -> ForeignSheet:
        """The sheet named ``title``; KeyError if the workbook has none."""
        return next(s for s in self.sheets if s.title == title)


HEADER_SCAN = 20  # rows searched for the header
TOTAL_ROW = re.compile(r"^(tong cong|tong so|cong|tong)\b")


def _header_score(cells: list[object]) -> int:
    score = 0
    for value in dict.fromkeys(cells):  # a merged title filled over every column counts once
        if isinstance(value, str) and value.strip():
            name = header_key(value)
            if any(a == name or (len(a) > 3 and a in name) for f in FIELDS for a in f.aliases):
                score += 1
    return score


def header_key(header: str) -> str:
    """A header name folded, its line breaks and repeated spaces gone ("Số tiền\\nvay (đồng)" → "so tien vay
    (dong)"): how the reading of an old workbook and its column mapping compare headers."""
    return " ".join(fold(header).replace("\n", " ").split())


def read_workbook(path: Path) -> ForeignWorkbook:
    """Read every sheet of the .xlsx ``path`` as the officer sees it (``import_cells.sheet_value``): each sheet's
    header found among its first 20 rows (the row naming most of our fields; a title above it is skipped; merged
    header cells fill the columns they cover; a second header row under merged cells is joined to the first:
    "Thời hạn" over "Số tháng" → "Thời hạn Số tháng"). Raises ``UserFacingError`` (Vietnamese) for a file that is
    not a workbook or has no sheet with a header."""
    from .import_cells import sheet_value
    from .import_read import open_workbook

    path = Path(path)
    wb = open_workbook(path)
    out = ForeignWorkbook(path, [])
    try:
        for ws in wb.worksheets:
            sheet = _read_sheet(ws, sheet_value)
            if sheet is None:
                out.unread.append(ws.title)
            else:
                out.sheets.append(sheet)
    finally:
        wb.close()
    if not out.sheets:
        raise UserFacingError(
            msg("Tệp «{name}» không có trang tính nào có dòng tiêu đề cột (ví dụ «Số hợp đồng», «Số tiền vay», "
                "«Ngày»)",
                name=path.name))
    return out


def _read_sheet(ws, sheet_value) -> ForeignSheet | None:
    grid = [[sheet_value(c) for c in row] for row in ws.iter_rows()]
    if not grid:
        return None
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    vertical: set[int] = set()  # header rows merged with the row below
    wide: dict[int, set[int]] = {}  # row → columns of horizontally merged cells (0-based)
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = top
        if merged.max_row > merged.min_row:
            vertical.update(range(merged.min_row, merged.max_row))
        if merged.max_col > merged.min_col:
            wide.setdefault(merged.min_row, set()).update(range(merged.min_col - 1, merged.max_col))
    scores = [(_header_score(grid[i]), -i) for i in range(min(HEADER_SCAN, len(grid)))]
    best, neg = max(scores)
    if best < 2:
        return None
    line = -neg + 1  # 1-based
    names = [str(v).strip() if isinstance(v, str) else ("" if v == "" else str(v)) for v in grid[line - 1]]
    lines: tuple[int, ...] = (line,)
    below = grid[line] if line < len(grid) else None
    if below is not None and (line in vertical or any(isinstance(below[c], str) and below[c].strip()
                                                      for c in wide.get(line, ()))):
        lines = (line, line + 1)
        for c, sub in enumerate(below):
            sub = sub.strip() if isinstance(sub, str) else ""
            if sub and sub != names[c]:
                names[c] = f"{names[c]} {sub}".strip()
    sheet = ForeignSheet(ws.title, lines, [" ".join(n.split()) for n in names])
    for number, cells in enumerate(grid[lines[-1]:], start=lines[-1] + 1):
        texts = [fold(str(v)) for v in cells if isinstance(v, str) and v.strip()]
        if not any(str(v).strip() for v in cells):
            continue
        if texts and TOTAL_ROW.match(texts[0]) and not any(isinstance(v, date) for v in cells):
            sheet.skipped.append(number)
            continue
        sheet.rows.append((number, cells))
    return sheet


