"""Reading an import's source (INTERCHANGE.md): a folder of CSV files, one CSV file, or an .xlsx with one sheet a
file. Each sheet becomes ``[header Row, data Rows…]``; every ``Row`` names its file (or workbook[sheet]) and line, so
that each problem is reported as ``file:line: reason``. transactions.csv (the long one) is streamed: its rows are
read as they are checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from fundapp.domain.messages import Message, join, msg
from fundapp.formatting import nfc

from .errors import ImportRefused, UserFacingError
from .import_cells import FieldProblem, csv_records, csv_stream, sheet_value, sniff_delimiter

STREAMED = ("transactions",)  # files checked row by row as they are read (the long one)
SHEETS = ("borrowers", "loans", "transactions", "events", "openings", "collateral")  # the last three optional


@dataclass(slots=True)
class Row:
    """One row of a source: ``source`` (the file, or workbook[sheet], shown in messages), its ``line`` (1-based,
    the header is line 1) and its ``values`` by column name (a dict, or ``_Cells`` for rows read from a file);
    ``problem``: why the row cannot be read by its header at all (a CSV row with more or fewer cells than its
    header: ``cell_count_problem``), reported as its own and none of its fields read; None for a row that can."""

    source: str
    line: int
    values: Mapping[str, object]
    problem: Message | None = None

    def where(self) -> str:
        """"file:line", as every problem of this row begins."""
        return f"{self.source}:{self.line}"


# -- reading ---------------------------------------------------------------------------------
def _separator(source: str) -> Message:
    """The problem of a CSV file whose columns are not separated by «,» or «;» (its line 1)."""
    return msg("{where}: các cột phải cách nhau bằng dấu phẩy «,» (hoặc «;» khi Excel lưu theo thiết lập Việt Nam)",
               where=f"{source}:1")


def header_width(names: list[str]) -> int:
    """How many cells a CSV row under the header ``names`` (its cells, cleaned) must have: up to its last named
    column (empty cells after it, as Excel may write, are not columns)."""
    return next((i + 1 for i in range(len(names) - 1, -1, -1) if names[i]), 0)


def cell_count_problem(values: list, width: int) -> Message | None:
    """Why a CSV row of ``values`` (its cells as read) cannot be read under a header of ``width`` columns
    (``header_width``), or None when it can: fewer cells than the header (a cell and its separator left out), or
    more, the extra ones not all empty — read by position, every cell after the split would land in the wrong
    column (an unquoted «1,460,000,000» is four cells: 1 đ, and «460» as the reference). INTERCHANGE.md: one row,
    one cell a column of the header."""
    count = len(values)
    if count == width or (count > width and not any(str(v).strip() for v in values[width:])):
        return None
    if count > width:
        return msg("dòng có {cells} ô nhưng dòng tiêu đề có {columns} cột, nên các ô bị lệch cột: có thể một số tiền "
                   "ghi dấu phẩy phân cách hàng nghìn (như 1,460,000,000) — ghi số không dấu phân cách (1460000000) — "
                   "hoặc một ô chữ có dấu phẩy mà không đặt trong dấu ngoặc kép",
                   cells=str(count), columns=str(width))
    return msg("dòng có {cells} ô nhưng dòng tiêu đề có {columns} cột: thiếu ô; mỗi dòng phải đủ các cột như dòng "
               "tiêu đề (ô bỏ trống vẫn giữ dấu phân cách)", cells=str(count), columns=str(width))


def beyond_header_problem(values: list, width: int) -> Message | None:
    """Why a worksheet row of ``values`` cannot be read under a header of ``width`` columns (``header_width``), or
    None when it can: a value in a column past the header's last (a row pasted one column off, its last cell
    otherwise dropped unseen). A worksheet's cells sit in their columns: fewer is only empty cells."""
    last = next((i for i in range(len(values) - 1, width - 1, -1) if str(values[i]).strip()), None)
    if last is None:
        return None
    from openpyxl.utils import get_column_letter

    return msg("ô {cell} có giá trị «{value}» nhưng dòng tiêu đề chỉ có {columns} cột (đến cột {end}): mỗi giá trị "
               "phải nằm dưới cột có tên của nó; có thể dòng bị dán lệch cột", cell=get_column_letter(last + 1),
               value=str(values[last])[:40], columns=str(width), end=get_column_letter(max(width, 1)))


def duplicate_problem(names: list[str]) -> Message | None:
    """Why a header of ``names`` (its cells, cleaned) cannot be read, or None: a column name written twice (the
    values of all but one would be silently lost: «amount» in D and again in F)."""
    at: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:
            at.setdefault(name, []).append(i)
    twice = [(name, cols) for name, cols in at.items() if len(cols) > 1]
    if not twice:
        return None
    from openpyxl.utils import get_column_letter

    named = join("; ", [msg("«{name}» (cột {columns})", name=name,
                            columns=", ".join(get_column_letter(i + 1) for i in cols)) for name, cols in twice])
    return msg("dòng tiêu đề ghi một tên cột nhiều lần: {named} — mỗi tên cột chỉ ghi một lần; xóa hoặc đổi tên cột "
               "thừa", named=named)


def _cell(value: object) -> object:
    if type(value) is str:  # a percent cell's text (import_cells.PercentText) keeps its kind: no blank to strip
        return value.strip()
    if value is None:
        return ""
    return value


def read_source(path: Path) -> dict[str, list[Row]]:
    """Rows of each sheet present (header row = line 1). Refuses a path that does not exist or is neither kind."""
    if not path.exists():  # a mistyped path: not «a damaged workbook» nor «a folder without the book's files»
        raise UserFacingError(msg("Không có tệp hay thư mục «{path}»: kiểm tra lại đường dẫn", path=path))
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if path.suffix.lower() == ".csv" and path.stem.lower() in SHEETS:
        return _read_folder(path.parent, only=path.stem.lower())
    raise UserFacingError(
        msg("Không đọc được «{path}»: chọn một thư mục có borrowers.csv, loans.csv, transactions.csv hoặc một tệp "
            ".xlsx",
            path=path))


def _read_folder(folder: Path, only: str | None = None) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for name in SHEETS:
        if only and name != only:
            continue
        file = next((f for f in folder.iterdir() if f.name.lower() == f"{name}.csv"), None) if folder.exists() else None
        if file is None:
            continue
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise ImportRefused([msg("{where}: tệp không phải UTF-8 (có thể Excel đã lưu theo bảng mã Windows, "
                                     "chữ có dấu sẽ bị đọc sai): mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu "
                                     "«CSV UTF-8 (Comma delimited) (*.csv)» rồi nhập lại",
                                     where=f"{file.name}:{line}")]) from None
        if name in STREAMED:
            streamed = _streamed(file.name, text)
            if streamed is not None:
                out[name] = streamed
            continue
        try:
            records, lines, delimiter = csv_records(file.name, text)
        except FieldProblem as err:
            raise ImportRefused([err.msg]) from None
        rows = _rows_from(file.name, records, lines=lines, counted=cell_count_problem)
        if delimiter not in (",", ";") and rows:
            raise ImportRefused([_separator(file.name)])
        out[name] = rows
    if not out:
        raise UserFacingError(
            msg("Thư mục «{folder}» không có tệp nào của sổ: borrowers.csv, loans.csv, transactions.csv (và nếu có: "
                "events.csv, openings.csv, collateral.csv).", folder=folder))
    return out


class _Cells(Mapping):
    """A read row's cells by column name, over the reader's own list of values (a dict per row of a 900,000-row
    file costs ~600 MB more): ``get(name)`` gives the cell as ``_cell`` cleans it (text stripped, None as "")."""

    __slots__ = ("index", "pickers", "values")

    def __init__(self, index: dict[str, int], values: list, pickers: dict | None = None) -> None:
        self.index, self.values = index, values
        self.pickers = {} if pickers is None else pickers  # shared by a file's rows: names → (itemgetter, last index)

    def pick(self, names: tuple[str, ...]) -> tuple | None:
        """The cells of columns ``names`` as read — not cleaned: text not stripped — in one call (the import's
        innermost loop: 900,000 rows); None when the sheet or this row lacks one of them."""
        picker = self.pickers.get(names)
        if picker is None:
            at = [self.index.get(n) for n in names]
            picker = self.pickers[names] = (None, 0) if None in at else (itemgetter(*at), max(at))
        getter, last = picker
        if getter is None or last >= len(self.values):
            return None
        return getter(self.values)

    def __getitem__(self, name: str) -> object:
        i = self.index[name]
        if i >= len(self.values):
            raise KeyError(name)
        return _cell(self.values[i])

    def get(self, name: str, default: object = None) -> object:
        """The cell of column ``name`` cleaned, or ``default`` when the row has no such column (Mapping's own
        ``get`` goes through an exception for that: this is the import's innermost call)."""
        i = self.index.get(name)
        if i is None or i >= len(self.values):
            return default
        return _cell(self.values[i])

    def __iter__(self) -> Iterator[str]:
        return (n for n, i in self.index.items() if i < len(self.values))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Streamed:
    """A sheet read as it is checked: ``[0]`` its header row, ``[1:]`` an iterator of its data rows (read once)."""

    def __init__(self, header: Row, rows: Iterator[Row]) -> None:
        self.header, self.rows = header, rows

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, key: int | slice) -> Row | Iterator[Row]:
        if key == 0:
            return self.header
        if key == slice(1, None):
            return self.rows
        raise IndexError(key)


def _streamed(source: str, text: str) -> _Streamed | None:
    """``_rows_from`` of a CSV text as a ``_Streamed`` (None for an empty file); a bad separator or a broken line
    refuses the import (``ImportRefused``) when the reader reaches it."""
    delimiter = sniff_delimiter(text)
    stream = csv_stream(source, text, delimiter)
    try:
        header = next(stream, None)
    except FieldProblem as err:
        raise ImportRefused([err.msg]) from None
    if header is None:
        return None
    if delimiter not in (",", ";"):
        raise ImportRefused([_separator(source)])
    names = [nfc(str(h or "")).strip().lower() for h in header[0]]
    index = {n: i for i, n in enumerate(names) if n}
    pickers: dict = {}
    width = header_width(names)

    def rows() -> Iterator[Row]:
        try:
            for values, line in stream:
                if any(str(v or "").strip() for v in values):  # else a blank line
                    problem = None if len(values) == width else cell_count_problem(values, width)
                    yield Row(source, line, _Cells(index, values, pickers), problem)
        except FieldProblem as err:
            raise ImportRefused([err.msg]) from None

    return _Streamed(Row(source, 1, {n: n for n in names if n}, duplicate_problem(names)), rows())


def _rows_from(source: str, records: Iterator[list] | list[list], first_line: int = 1,
               lines: list[int] | None = None,
               counted: Callable[[list, int], Message | None] | None = None) -> list[Row]:
    """Rows keyed by the header's names; ``lines`` gives each record's first line (a quoted field may span lines);
    ``counted(values, width)`` gives a row's ``problem`` (``cell_count_problem`` for a CSV file,
    ``beyond_header_problem`` for a worksheet; None: rows built by the caller, not checked)."""
    it = iter(records)
    header = next(it, None)
    if header is None:
        return []
    names = [nfc(str(h or "")).strip().lower() for h in header]
    index = {n: i for i, n in enumerate(names) if n}  # a name given twice: its last column, as a dict would keep
    rows, pickers = [], {}
    width = header_width(names)
    for offset, values in enumerate(it, start=1):
        if not any(str(v or "").strip() for v in values):
            continue  # a blank line
        line = lines[offset] if lines is not None and offset < len(lines) else first_line + offset
        problem = counted(values, width) if counted is not None else None
        rows.append(Row(source, line, _Cells(index, values, pickers), problem))
    rows_header = Row(source, first_line, {n: n for n in names if n}, duplicate_problem(names))
    return [rows_header, *rows]


def open_workbook(path: Path, read_only: bool = False):
    """The .xlsx ``path`` opened by openpyxl with cached values (``read_only`` streams it: no merged cells), for
    the import and the old-book migration alike. Raises ``UserFacingError`` «Không mở được tệp Excel «…»…» for a
    file that is not a workbook, is damaged or password-protected (openpyxl's own text only to the log)."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except Exception as err:  # not a workbook, damaged, password-protected: the detail to the log
        import logging

        logging.getLogger("fundapp.services").warning("cannot open workbook %s: %r", path, err)
        raise UserFacingError(
            msg("Không mở được tệp Excel «{name}»: tệp không phải .xlsx hoặc bị hỏng; mở lại bằng Excel và lưu "
                "dưới dạng Excel Workbook (.xlsx)",
                name=path.name)) from None


def _read_workbook(path: Path) -> dict[str, list[Row]]:
    wb = open_workbook(path, read_only=True)
    out: dict[str, list[Row]] = {}
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name in SHEETS:
                cells = ([sheet_value(c) for c in row] for row in ws.iter_rows())  # as the officer sees them
                out[name] = _rows_from(f"{path.name}[{ws.title}]", cells, counted=beyond_header_problem)
    finally:
        wb.close()
    if not out:
        raise UserFacingError(msg("Tệp «{name}» không có trang tính borrowers, loans hay transactions", name=path.name))
    return out

