"""Nhập sổ cũ: take in a fund's own workbook, laid out its own way (INTERCHANGE.md gives ours).

The officer picks an .xlsx; each sheet's header row is found (a title row above it, merged header cells and a
two-row header are read as the officer sees them), each column is mapped to one of our fields (guessed from its
name, changed by the officer, remembered by the header's names), and each cell is *read* into our layout:
dates as Excel dates, as text "15/01/2024" or as Excel serial numbers; money "1.000.000", "500 triệu", "1,5 tỷ"
(``formatting.parse_money``, the one money parser); rates "7,2", "7,2 %/năm", "0,6 %/tháng" or a percent cell;
kinds in words ("Hợp tác xã", "Giải ngân"). What cannot be read is handed on as written, so the import refuses it.

Nothing here checks a value: the rows are handed to ``imports.check_and_import_rows`` — the same checks, the same
all-or-nothing write as a file in our layout — and every problem comes back as "file.xlsx[Sheet]:row: reason",
the sheet and row of the officer's own workbook.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fundapp.formatting import fold, group_thousands, parse_money, short_date

from .errors import UserFacingError, ValidationError
from .imports import ImportSummary, Row, check_and_import_rows
from .portfolio import Context

IGNORE = ""  # a column mapped to nothing


# -- our fields -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One of our layout's columns: ``sheet`` (borrowers, loans, transactions, events, openings), ``name`` (its
    column in INTERCHANGE.md), ``label`` (Vietnamese), ``kind`` (how a cell is read: text, date, money, money0,
    rate, int, decimal, or a word list: borrower_kind, tx_kind, event_kind, method, relief_of), ``aliases``: folded
    header names that mean it (``formatting.fold``)."""

    sheet: str
    name: str
    label: str
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def key(self) -> str:
        """"loans.amount": the field's key in a mapping."""
        return f"{self.sheet}.{self.name}"


SHEET_LABELS = {"borrowers": "Khách hàng", "loans": "Khoản vay", "transactions": "Giao dịch",
                "events": "Sự kiện (cơ cấu, miễn giảm, xóa nợ)", "openings": "Số dư chuyển sang"}

_F = Field
FIELDS: tuple[Field, ...] = (
    _F("borrowers", "code", "Mã khách hàng", "text", ("ma khach hang", "ma kh", "ma don vi", "ma htx", "ma"), True),
    _F("borrowers", "name", "Tên khách hàng", "text", ("ten khach hang", "ten htx", "ten don vi", "ten to chuc",
                                                      "khach hang", "ten"), True),
    _F("borrowers", "kind", "Loại hình", "borrower_kind", ("loai hinh", "loai hinh to chuc", "loai"), True),
    _F("borrowers", "tax_code", "Mã số thuế", "text", ("ma so thue", "mst")),
    _F("borrowers", "province", "Tỉnh", "text", ("tinh", "tinh/thanh pho", "tinh thanh")),
    _F("borrowers", "ward", "Xã/phường", "text", ("xa/phuong", "xa phuong", "phuong/xa", "xa", "phuong", "dia ban")),
    _F("borrowers", "district", "Huyện (trước 1/7/2025)", "text", ("huyen", "quan/huyen", "huyen/thi xa", "quan huyen")),
    _F("borrowers", "sector", "Ngành nghề", "text", ("nganh nghe", "linh vuc", "nganh")),
    _F("borrowers", "members", "Số thành viên", "int", ("so thanh vien", "thanh vien")),
    _F("borrowers", "representative", "Người đại diện", "text", ("nguoi dai dien", "dai dien", "giam doc")),
    _F("borrowers", "phone", "Điện thoại", "text", ("dien thoai", "so dien thoai", "sdt")),
    _F("borrowers", "address", "Địa chỉ", "text", ("dia chi", "dia chi tru so")),
    _F("loans", "loan_no", "Số hợp đồng", "text", ("so hop dong", "so hd", "so hdtd", "hop dong so", "ma khoan vay",
                                                  "hop dong"), True),
    _F("loans", "borrower_code", "Mã khách hàng vay", "text", ("ma khach hang", "ma kh", "ma don vi", "ma htx"), True),
    _F("loans", "purpose", "Mục đích vay", "text", ("muc dich vay", "muc dich", "du an")),
    _F("loans", "sector", "Ngành (khoản vay)", "text", ("nganh nghe", "linh vuc", "nganh")),
    _F("loans", "amount", "Số tiền vay", "money", ("so tien vay", "so tien cho vay", "so tien hop dong", "han muc",
                                                   "so tien"), True),
    _F("loans", "annual_rate", "Lãi suất (%/năm)", "rate", ("lai suat nam", "lai suat %/nam", "lai suat (%/nam)",
                                                           "lai suat cho vay", "lai suat")),
    _F("loans", "monthly_rate", "Lãi suất (%/tháng)", "rate", ("lai suat thang", "lai suat %/thang",
                                                              "lai suat (%/thang)")),
    _F("loans", "term_months", "Thời hạn vay (tháng)", "int", ("thoi han vay", "thoi han", "so thang vay"), True),
    _F("loans", "frequency_months", "Kỳ hạn trả nợ (tháng)", "int", ("ky han tra no", "ky tra no", "ky han",
                                                                    "dinh ky tra no")),
    _F("loans", "method", "Phương thức trả nợ", "method", ("phuong thuc tra no", "phuong thuc", "cach tra no")),
    _F("loans", "grace_periods", "Số kỳ ân hạn gốc", "int", ("so ky an han", "an han goc", "an han")),
    _F("loans", "overdue_factor", "Hệ số lãi quá hạn", "decimal", ("he so lai qua han", "lai qua han bang")),
    _F("loans", "late_interest_rate", "Lãi chậm trả lãi (%/năm)", "rate", ("lai suat cham tra", "lai cham tra lai")),
    _F("loans", "contract_date", "Ngày hợp đồng", "date", ("ngay hop dong", "ngay ky hop dong", "ngay ky")),
    _F("transactions", "loan_no", "Số hợp đồng", "text", ("so hop dong", "so hd", "hop dong so", "hop dong"), True),
    _F("transactions", "date", "Ngày giao dịch", "date", ("ngay giao dich", "ngay chung tu", "ngay thu chi", "ngay"),
       True),
    _F("transactions", "kind", "Loại giao dịch", "tx_kind", ("loai giao dich", "noi dung", "dien giai", "loai"), True),
    _F("transactions", "amount", "Số tiền", "money", ("so tien giao dich", "so tien", "gia tri"), True),
    _F("transactions", "reference", "Số chứng từ", "text", ("so chung tu", "chung tu", "so ct", "so phieu")),
    _F("events", "loan_no", "Số hợp đồng", "text", ("so hop dong", "so hd", "hop dong"), True),
    _F("events", "date", "Ngày quyết định", "date", ("ngay quyet dinh", "ngay"), True),
    _F("events", "kind", "Loại sự kiện", "event_kind", ("loai su kien", "noi dung", "loai"), True),
    _F("events", "reference", "Số quyết định", "text", ("so quyet dinh", "quyet dinh so", "so qd")),
    _F("events", "reason", "Lý do", "text", ("ly do", "nguyen nhan")),
    _F("events", "extend_months", "Số tháng gia hạn", "int", ("so thang gia han", "gia han")),
    _F("events", "grace_periods", "Số kỳ ân hạn gốc", "int", ("so ky an han", "an han")),
    _F("events", "relief_of", "Loại lãi miễn, giảm", "relief_of", ("loai lai", "loai lai mien giam")),
    _F("events", "amount", "Số tiền miễn, giảm", "money", ("so tien mien giam", "so tien")),
    _F("openings", "loan_no", "Số hợp đồng", "text", ("so hop dong", "so hd", "hop dong"), True),
    _F("openings", "as_of", "Ngày chuyển số dư", "date", ("ngay chuyen so du", "so du den ngay", "ngay so du"), True),
    _F("openings", "first_disbursement_date", "Ngày giải ngân đầu tiên", "date",
       ("ngay giai ngan dau tien", "ngay giai ngan"), True),
    _F("openings", "disbursed", "Số đã giải ngân", "money0", ("so da giai ngan", "da giai ngan", "luy ke giai ngan"),
       True),
    _F("openings", "principal_outstanding", "Dư nợ gốc", "money0", ("du no goc", "du no"), True),
    _F("openings", "principal_overdue", "Gốc quá hạn", "money0", ("goc qua han", "no goc qua han", "no qua han"), True),
    _F("openings", "oldest_overdue_date", "Ngày đến hạn cũ nhất chưa trả", "date",
       ("ngay qua han", "ngay den han cu nhat", "qua han tu ngay")),
    _F("openings", "interest_due_unpaid", "Lãi đến hạn chưa trả", "money0",
       ("lai den han chua tra", "lai chua tra"), True),
    _F("openings", "interest_accrued", "Lãi dự thu trong kỳ", "money0", ("lai du thu", "lai trong ky"), True),
    _F("openings", "overdue_interest", "Lãi quá hạn", "money0", ("lai qua han",), True),
    _F("openings", "late_interest", "Lãi chậm trả", "money0", ("lai cham tra",), True),
    _F("openings", "restructurings", "Số lần đã cơ cấu lại", "int", ("so lan co cau", "da co cau")),
)
BY_KEY = {f.key: f for f in FIELDS}
TARGETS = tuple(SHEET_LABELS)


def fields_of(sheet: str) -> tuple[Field, ...]:
    """Our fields of ``sheet`` (borrowers, loans, transactions, events, openings), in INTERCHANGE.md's order."""
    return tuple(f for f in FIELDS if f.sheet == sheet)


# -- words in cells ---------------------------------------------------------------------------------
WORDS: dict[str, tuple[tuple[str, str], ...]] = {  # (folded word or phrase, our code); the first that matches wins
    "borrower_kind": (("thanh vien to hop tac", "tv_tht"), ("thanh vien tht", "tv_tht"), ("tv_tht", "tv_tht"),
                      ("thanh vien hop tac xa", "tv_htx"), ("thanh vien htx", "tv_htx"), ("tv_htx", "tv_htx"),
                      ("lien hiep", "lhhtx"), ("lhhtx", "lhhtx"), ("to hop tac", "tht"), ("tht", "tht"),
                      ("hop tac xa", "htx"), ("htx", "htx"), ("khac", "other"), ("other", "other")),
    "tx_kind": (("giai ngan", "disbursement"), ("disbursement", "disbursement"), ("gn", "disbursement"),
                ("thu no", "repayment"), ("tra no", "repayment"), ("thu goc", "repayment"), ("thu lai", "repayment"),
                ("repayment", "repayment"), ("pt", "repayment")),
    "event_kind": (("co cau", "restructure"), ("gia han", "restructure"), ("restructure", "restructure"),
                   ("mien", "interest_relief"), ("giam lai", "interest_relief"), ("interest_relief", "interest_relief"),
                   ("xoa no", "write_off"), ("xu ly rui ro", "write_off"), ("write_off", "write_off")),
    "method": (("nien kim", "annuity"), ("chia deu", "annuity"), ("annuity", "annuity"),
               ("cuoi ky", "bullet"), ("bullet", "bullet"), ("goc deu", "equal_principal"),
               ("giam dan", "equal_principal"), ("equal_principal", "equal_principal")),
    "relief_of": (("cham tra", "late_interest"), ("late_interest", "late_interest"),
                  ("qua han", "overdue_interest"), ("overdue_interest", "overdue_interest"),
                  ("trong han", "interest"), ("interest", "interest")),
}


def _word(kind: str, value: object) -> object:
    text = fold(str(value))
    for phrase, code in WORDS[kind]:
        if text == phrase or re.search(rf"(^|[^a-z_]){re.escape(phrase)}($|[^a-z_])", text):
            return code
    return value


# -- reading a cell into our layout -------------------------------------------------------------------
DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
EXCEL_EPOCH = date(1899, 12, 30)
SERIALS = (36526, 73051)  # Excel day numbers of 01/01/2000 … 31/12/2099: a date cell saved as a plain number
DASHES = {"-", "–", "—"}


def read_value(kind: str, value: object) -> tuple[object, bool]:
    """(the cell read into our layout's value, True when it was read): a ``Field.kind`` and the cell as shown
    (``import_cells.sheet_value``). A value that cannot be read comes back as written, with False: the import's
    checks then refuse its row with their reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", True
    if not isinstance(value, str | int | float | date | Decimal):  # an unreadable cell: the import names it
        return value, False
    if kind == "date":
        return _date(value)
    if kind in ("money", "money0"):
        return _money(value, kind == "money0")
    if kind == "rate":
        return _rate(value)
    if kind in ("int", "decimal"):
        return _number(value, kind == "int")
    if kind in WORDS:
        read = _word(kind, value)
        return read, read is not value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()[:10]
    return str(value).strip(), True


def _date(value: object) -> tuple[object, bool]:
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    if isinstance(value, int | float) and SERIALS[0] <= value <= SERIALS[1] and float(value).is_integer():
        return EXCEL_EPOCH + timedelta(days=int(value)), True
    text = str(value).strip()
    m = DMY.match(text)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])), True
        except ValueError:
            return text, False
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        try:
            return date.fromisoformat(text), True
        except ValueError:
            return text, False
    return text, False


def _money(value: object, zero_ok: bool) -> tuple[object, bool]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, True
    if isinstance(value, float):
        return (int(value), True) if value.is_integer() else (value, False)
    text = str(value).strip()
    if zero_ok and text in DASHES:
        return 0, True
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):  # grouped with commas (English settings)
        text = text.replace(",", "")
    try:
        return parse_money(text), True
    except ValueError:
        return text, False


def _number(value: object, whole: bool) -> tuple[object, bool]:
    if isinstance(value, float) and value.is_integer():
        return int(value), True
    if isinstance(value, int | float):
        return value, not whole
    text = fold(str(value))
    text = re.sub(r"\s*(thang|ky|lan|nguoi|thanh vien)$", "", text).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text), True
    if not whole and re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return text.replace(",", "."), True
    return str(value).strip(), False


RATE_UNITS = (("thang", "month"), ("nam", "year"))


def _rate(value: object) -> tuple[object, bool]:
    """A rate as our layout writes it ("7.2"); a text naming its unit ("0,6 %/tháng") is returned as
    ``RateText(number, unit)`` so the row goes to annual_rate or monthly_rate by what it says."""
    if isinstance(value, int | float | Decimal):
        return _excel_digits(repr(value) if isinstance(value, float) else str(value)), True
    text = fold(str(value))
    unit = next((u for word, u in RATE_UNITS if re.search(rf"(/|\b){word}\b", text)), None)
    number = re.sub(r"[%\s]|/?(thang|nam)$", "", text.replace("/ ", "/")).rstrip("/")
    number = number.replace(",", ".") if re.fullmatch(r"\d+,\d+", number) else number
    try:
        Decimal(number)
    except InvalidOperation:
        return str(value).strip(), False
    number = _excel_digits(number)
    return (RateText(number, unit) if unit else number), True


def _excel_digits(number: str) -> str:
    """A number as Excel shows it: at most 15 significant digits (Excel's precision), so a percent cell holding
    7,2 % as 0.07200000000000001 (a formula's binary error) reads "7.2", not "7.200000000000001"."""
    try:
        d = Decimal(number)
    except InvalidOperation:
        return number
    if not d.is_finite() or len(d.as_tuple().digits) <= 15:
        return number
    shift = d.adjusted() - 14
    return format(d.scaleb(-shift).quantize(Decimal(1)).scaleb(shift).normalize(), "f")


@dataclass(frozen=True)
class RateText:
    """A rate read from text that names its unit: ``number`` ("0.6") and ``unit`` ("month" or "year")."""

    number: str
    unit: str

    def __str__(self) -> str:
        return self.number


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
            name = _norm(value)
            if any(a == name or (len(a) > 3 and a in name) for f in FIELDS for a in f.aliases):
                score += 1
    return score


def _norm(header: str) -> str:
    """A header name folded, its line breaks and repeated spaces gone ("Số tiền\\nvay (đồng)" → "so tien vay (dong)")."""
    return " ".join(fold(header).replace("\n", " ").split())


def read_workbook(path: Path) -> ForeignWorkbook:
    """Read every sheet of the .xlsx ``path`` as the officer sees it (``import_cells.sheet_value``): each sheet's
    header found among its first 20 rows (the row naming most of our fields; a title above it is skipped; merged
    header cells fill the columns they cover; a second header row under merged cells is joined to the first:
    "Thời hạn" over "Số tháng" → "Thời hạn Số tháng"). Raises ``UserFacingError`` (Vietnamese) for a file that is
    not a workbook or has no sheet with a header."""
    from openpyxl import load_workbook

    from .import_cells import sheet_value

    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as err:  # not a workbook, damaged, password-protected: the detail to the log
        import logging

        logging.getLogger("fundapp.services").warning("cannot open workbook %s: %r", path, err)
        raise UserFacingError(f"Không mở được tệp Excel «{path.name}»: tệp không phải .xlsx hoặc bị hỏng; mở lại bằng "
                              "Excel và lưu dưới dạng Excel Workbook (.xlsx)", f"cannot open {path}: {err}") from None
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
        raise UserFacingError(f"Tệp «{path.name}» không có trang tính nào có dòng tiêu đề cột (ví dụ «Số hợp đồng», "
                              "«Số tiền vay», «Ngày»)", f"{path.name}: no sheet with a header row")
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


# -- the mapping ------------------------------------------------------------------------------------------
@dataclass
class SheetMapping:
    """How one foreign sheet feeds our layout: ``columns`` (the sheet's column index → our field key, or IGNORE)
    and ``constants`` (field key → a value for every row, e.g. the opening date the title states)."""

    columns: dict[int, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def targets(self) -> list[str]:
        """Our sheets this mapping feeds, in INTERCHANGE.md's order."""
        used = {BY_KEY[k].sheet for k in [*self.columns.values(), *self.constants] if k in BY_KEY}
        return [t for t in TARGETS if t in used]

    def to_json(self, sheet: ForeignSheet) -> str:
        """The mapping keyed by the sheet's header names (so a column moved elsewhere keeps its field)."""
        return json.dumps({"columns": {sheet.headers[i]: k for i, k in self.columns.items() if k and
                                       i < len(sheet.headers)}, "constants": self.constants}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, sheet: ForeignSheet) -> SheetMapping:
        """The mapping ``to_json`` wrote, laid on ``sheet`` by header name; unknown fields are dropped."""
        data = json.loads(text)
        index = {h: i for i, h in enumerate(sheet.headers)}
        columns = {index[h]: k for h, k in data.get("columns", {}).items() if h in index and k in BY_KEY}
        constants = {k: str(v) for k, v in data.get("constants", {}).items() if k in BY_KEY}
        return cls(columns, constants)


def _alias_score(header: str, f: Field) -> int:
    name = _norm(header)
    name_bare = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    best = 0
    for a in f.aliases:
        if a in (name, name_bare):
            best = max(best, 100 + len(a))
        elif len(a) > 2 and re.search(rf"(^|[^a-z]){re.escape(a)}($|[^a-z])", name):
            best = max(best, len(a))
    return best


def guess_target(sheet: ForeignSheet) -> str:
    """Which of our sheets ``sheet`` most likely holds: the one whose required fields its headers name in the
    largest share, then whose names match best (exact names first; ties: the order of ``TARGETS``)."""
    from fractions import Fraction

    def score(target: str) -> tuple[Fraction, int]:
        fs = fields_of(target)
        matched = [max((_alias_score(h, f) for h in sheet.headers), default=0) for f in fs]
        required = [s for f, s in zip(fs, matched, strict=True) if f.required]
        return Fraction(sum(1 for s in required if s), len(required)), sum(matched)

    return max(TARGETS, key=score)


def guess_mapping(sheet: ForeignSheet, target: str | None = None) -> SheetMapping:
    """Each column of ``sheet`` mapped to the field of ``target`` (default ``guess_target``) its name says best,
    each field at most once (the best-named column takes it); columns naming none are left IGNORE."""
    target = target or guess_target(sheet)
    pairs = sorted(((_alias_score(h, f), -i, f.key) for i, h in enumerate(sheet.headers) if h
                    for f in fields_of(target)), reverse=True)
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for score, neg, key in pairs:
        if score <= 0:
            break
        if -neg in columns or key in taken:
            continue
        columns[-neg] = key
        taken.add(key)
    return SheetMapping(dict(sorted(columns.items())))


def mapping_problems(workbook: ForeignWorkbook, mappings: dict[str, SheetMapping]) -> list[str]:
    """What the mappings lack before anything can be read (Vietnamese, one line each): a field of ours required by
    INTERCHANGE.md with no column and no constant, a field given twice on one sheet, a rate neither yearly nor
    monthly, no sheet mapped at all."""
    problems = []
    if not any(m.columns.values() or m.constants for m in mappings.values()):
        return ["Chưa chọn cột nào: chọn cho mỗi cột của sổ cũ trường tương ứng của phần mềm"]
    for title, m in mappings.items():
        keys = [k for k in m.columns.values() if k]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(f"Trang «{title}»: trường «{BY_KEY[key].label}» được chọn cho nhiều cột")
        given = set(keys) | set(m.constants)
        for target in m.targets():
            for f in fields_of(target):
                if f.required and f.key not in given and not _shared(f, given):
                    problems.append(f"Trang «{title}»: chưa chọn cột cho «{f.label}» ({SHEET_LABELS[target]}: "
                                    f"{f.name})")
            if target == "loans" and not given & {"loans.annual_rate", "loans.monthly_rate"}:
                problems.append(f"Trang «{title}»: chưa chọn cột lãi suất (%/năm hoặc %/tháng)")
    return problems


SHARED = {"openings.loan_no": "loans.loan_no", "transactions.loan_no": "loans.loan_no",
          "events.loan_no": "loans.loan_no", "borrowers.code": "loans.borrower_code",
          "loans.borrower_code": "borrowers.code"}


def _shared(f: Field, given: set[str]) -> bool:
    return SHARED.get(f.key) in given


# -- rows in our layout ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadCell:
    """A cell as the import will get it: ``shown`` (as the officer wrote it), ``value`` (read into our layout),
    ``read`` False when it could not be read (the import will refuse its row)."""

    shown: object
    value: object
    read: bool

    def text(self) -> str:
        """The value as the preview shows it: dates dd/mm/yyyy, money 1.000.000, rates "7,2 %/năm"."""
        v = self.value
        if not self.read:
            return f"«{self.shown}» ?"
        if isinstance(v, date):
            return short_date(v)
        if isinstance(v, bool):
            return str(v)
        if isinstance(v, int):
            return group_thousands(v)
        if isinstance(v, RateText):
            return f"{v.number.replace('.', ',')} %/{'tháng' if v.unit == 'month' else 'năm'}"
        return str(v)


def read_row(sheet: ForeignSheet, mapping: SheetMapping, cells: list[object]) -> dict[str, ReadCell]:
    """One data row read through ``mapping``: field key → ``ReadCell``; constants included, shared keys filled
    (a loans sheet's number feeds its openings' loan_no…), a rate that names its unit moved to the matching
    field (annual_rate or monthly_rate)."""
    out: dict[str, ReadCell] = {}
    for key, text in mapping.constants.items():
        value, ok = read_value(BY_KEY[key].kind, text)
        out[key] = ReadCell(text, value, ok)
    for column, key in mapping.columns.items():
        if not key or key not in BY_KEY:
            continue
        shown = cells[column] if column < len(cells) else ""
        value, ok = read_value(BY_KEY[key].kind, shown)
        if isinstance(value, RateText) and key in ("loans.annual_rate", "loans.monthly_rate"):
            key = "loans.monthly_rate" if value.unit == "month" else "loans.annual_rate"
        out[key] = ReadCell(shown, value, ok)
    for key, cell in out.items():  # a rate shows its unit in the preview: "7,8 %/năm"
        if BY_KEY[key].kind == "rate" and cell.read and isinstance(cell.value, str) and cell.value:
            unit = "month" if key == "loans.monthly_rate" else "year"
            out[key] = ReadCell(cell.shown, RateText(cell.value, unit), True)
    targets = {BY_KEY[k].sheet for k in out}
    for key, source in SHARED.items():
        if key not in out and BY_KEY[key].sheet in targets and source in out:
            out[key] = out[source]
    return out


def preview(sheet: ForeignSheet, mapping: SheetMapping, count: int = 5) -> list[tuple[int, dict[str, ReadCell]]]:
    """The first ``count`` data rows of ``sheet`` as they will be read: (row number, field key → ``ReadCell``)."""
    return [(line, read_row(sheet, mapping, cells)) for line, cells in sheet.rows[:count]]


def _plain(value: object) -> object:
    return value.number if isinstance(value, RateText) else value


def build_rows(workbook: ForeignWorkbook, mappings: dict[str, SheetMapping]) -> dict[str, list[Row]]:
    """Our layout's sheets (``imports.SHEETS`` names → [header Row, data Rows…]) from the mapped foreign sheets, each
    row naming its workbook, sheet and row number ("so-cu.xlsx[Hợp đồng]", 7). A borrower repeated on every loan
    row of a sheet that holds both is given once; on a sheet feeding several of ours, a row whose fields of one of
    them are all empty (a loan without an opening) gives none of it. Raises ``ValidationError`` with ``mapping_problems``."""
    problems = mapping_problems(workbook, mappings)
    if problems:
        raise ValidationError("\n".join(problems), "the mapping is incomplete", "mapping")
    out: dict[str, list[Row]] = {}
    headers: dict[str, dict[str, str]] = {}
    seen_borrowers: dict[str, dict] = {}
    for sheet in workbook.sheets:
        mapping = mappings.get(sheet.title)
        if mapping is None or not mapping.targets():
            continue
        source = f"{workbook.path.name}[{sheet.title}]"
        for line, cells in sheet.rows:
            read = read_row(sheet, mapping, cells)
            for target in mapping.targets():
                values = {BY_KEY[k].name: _plain(c.value) for k, c in read.items() if BY_KEY[k].sheet == target}
                own = [v for k, v in values.items() if f"{target}.{k}" not in SHARED and str(v).strip()]
                if len(mapping.targets()) > 1 and not own:
                    continue  # a loan row without an opening (its opening columns empty) gives no opening row
                if target == "borrowers" and len(mapping.targets()) > 1:
                    code = str(values.get("code", ""))
                    if code and seen_borrowers.get(code) == values:
                        continue
                    seen_borrowers.setdefault(code, values)
                header = headers.setdefault(target, {})
                header.update({n: n for n in values})
                out.setdefault(target, [Row(source, sheet.header_lines[0], header)]).append(Row(source, line, values))
    return out


Progress = Callable[[int, int], None]


def import_workbook(ctx: Context, workbook: ForeignWorkbook, mappings: dict[str, SheetMapping],
                    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                    dry_run: bool = False, accept_unusual_rates: bool = False) -> ImportSummary:
    """Check (``dry_run``) or import the mapped workbook through ``imports.check_and_import_rows``: all or nothing,
    every problem as "file.xlsx[Sheet]:row: reason" (``ImportRefused``). Raises ``ValidationError`` when the mapping
    is incomplete (``mapping_problems``)."""
    rows = build_rows(workbook, mappings)
    return check_and_import_rows(ctx, rows, workbook.path.name, progress, cancelled, dry_run, accept_unusual_rates)


# -- the template with our layout ---------------------------------------------------------------------------
TEMPLATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "borrowers": ("code", "name", "kind", "tax_code", "province", "ward", "district", "sector", "members",
                  "representative", "phone", "address"),
    "loans": ("loan_no", "borrower_code", "purpose", "sector", "amount", "annual_rate", "monthly_rate", "term_months",
              "frequency_months", "method", "grace_periods", "overdue_factor", "late_interest_rate", "contract_date"),
    "transactions": ("loan_no", "date", "kind", "amount", "reference"),
    "events": ("loan_no", "date", "kind", "reference", "reason", "extend_months", "grace_periods", "relief_of",
               "amount"),
    "openings": ("loan_no", "as_of", "first_disbursement_date", "disbursed", "principal_outstanding",
                 "principal_overdue", "oldest_overdue_date", "interest_due_unpaid", "interest_accrued",
                 "overdue_interest", "late_interest", "restructurings"),
}
FORMATS = {"text": "text (chữ)", "date": "ngày (ô ngày hoặc YYYY-MM-DD)", "money": "số đồng, chữ số", "money0":
           "số đồng ≥ 0, chữ số", "rate": "số, dấu chấm thập phân", "int": "số nguyên", "decimal": "số",
           "borrower_kind": "htx, lhhtx, tht, tv_htx, tv_tht, other", "tx_kind": "disbursement hoặc repayment",
           "event_kind": "restructure, interest_relief hoặc write_off",
           "method": "equal_principal, annuity hoặc bullet", "relief_of": "late_interest, overdue_interest, interest"}


def write_template(path: Path) -> Path:
    """Write an empty workbook in our layout (INTERCHANGE.md): one sheet per file (borrowers, loans, transactions,
    events, openings) with its header row, and a sheet «Hướng dẫn» naming each column in Vietnamese with its
    format. Filled in and picked on the Import page, it imports as is. Returns ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Trang", "Cột", "Ý nghĩa", "Cách ghi", "Bắt buộc"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for sheet, columns in TEMPLATE_COLUMNS.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, name in enumerate(columns, start=1):
            f = BY_KEY.get(f"{sheet}.{name}")
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(name) + 2)
            if f is not None:
                guide.append([sheet, name, f.label, FORMATS.get(f.kind, ""), "có" if f.required else ""])
    for letter, width in zip("ABCDE", (14, 26, 34, 44, 10), strict=True):
        guide.column_dimensions[letter].width = width
    wb.save(path)
    return path
