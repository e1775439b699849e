"""Import a book kept in Excel: a folder of three CSV files or one .xlsx with three sheets (INTERCHANGE.md).

All or nothing: every row is checked first (fields, references, and each loan's transactions
replayed by the engine); any bad row means nothing is written and every problem is reported as
``file:line: reason`` in Vietnamese.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fundapp.domain.borrowers import BORROWER_KINDS
from fundapp.domain.errors import TermsError
from fundapp.domain.events import (
    RELIEF_KINDS,
    Entry,
    InterestRelief,
    Kind,
    Opening,
    Restructuring,
    Transaction,
    WriteOff,
)
from fundapp.domain.replay import replay_entries
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import nfc, search_key
from fundapp.ledger import store
from fundapp.ledger.models import BorrowerRecord, EntryEventRecord, EntryRecord, LoanRecord

from .codes import code_problem
from .errors import ImportRefused, UserCancelled, UserFacingError
from .events import event_params
from .import_cells import (
    OPTIONS,
    UNUSUAL_RATE,
    FieldProblem,
    ImportOptions,
    Unreadable,
    check_date,
    check_money,
    check_rate,
    check_text,
    check_whole,
    csv_records,
    csv_stream,
    decimal_comma,
    sheet_value,
    sniff_delimiter,
)
from .portfolio import Context, entries_by_loan, state_row, state_row_of, terms_of

STREAMED = ("transactions",)  # files checked row by row as they are read (the long one)
SHEETS = ("borrowers", "loans", "transactions", "events", "openings", "collateral")  # the last three optional
REQUIRED = {
    "borrowers": ("code", "name", "kind"),
    "loans": ("loan_no", "borrower_code", "amount", "term_months"),  # and annual_rate or monthly_rate
    "transactions": ("loan_no", "date", "kind", "amount"),
    "events": ("loan_no", "date", "kind"),
    "openings": ("loan_no", "as_of", "first_disbursement_date", "disbursed", "principal_outstanding",
                 "principal_overdue", "interest_due_unpaid", "interest_accrued", "overdue_interest", "late_interest"),
    "collateral": ("loan_no", "kind", "description", "value"),  # issue 16: services.collateral.COLUMNS
}
RATE_COLUMNS = ("annual_rate", "monthly_rate")
DIGITS = re.compile(r"^[0-9]+$")
TAX_CODE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")

Progress = Callable[[int, int], None]
WRITE_BATCH = 20_000  # entries inserted per executemany by an import
_NO_VALUES: dict[str, object] = {}  # the cells of a row already checked (only its file:line is kept)


@dataclass(slots=True)
class Row:
    source: str  # the file (or workbook[sheet]) shown in messages
    line: int
    values: Mapping[str, object]  # a dict, or _Cells for rows read from a file

    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class ImportSummary:
    """What an import wrote (or, for a check, would write): rows of each kind, and the source's name."""

    borrowers: int = 0
    loans: int = 0
    transactions: int = 0
    source: str = ""
    events: int = 0
    openings: int = 0


@dataclass
class _Checked:
    problems: list[str] = field(default_factory=list)
    borrowers: list[dict] = field(default_factory=list)
    loans: list[tuple[Row, dict, LoanTerms]] = field(default_factory=list)
    transactions: list[tuple[Row, str, Transaction]] = field(default_factory=list)
    events: list[tuple[Row, str, Entry]] = field(default_factory=list)  # restructure, interest_relief, write_off
    openings: list[tuple[Row, str, Opening]] = field(default_factory=list)
    collateral: list[tuple[str, dict]] = field(default_factory=list)  # (loan_no, checked asset values)
    states: dict[str, dict] = field(default_factory=dict)  # loan_no → its loan-list figures at today (no loan_id)

    def bad(self, row: Row, reason: str) -> None:
        self.problems.append(f"{row.where()}: {reason}")


# -- reading ---------------------------------------------------------------------------------
def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def read_source(path: Path) -> dict[str, list[Row]]:
    """Rows of each sheet present (header row = line 1). Refuses a path that is neither kind."""
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if path.suffix.lower() == ".csv" and path.stem.lower() in SHEETS:
        return _read_folder(path.parent, only=path.stem.lower())
    raise UserFacingError(
        f"Không đọc được «{path}»: chọn một thư mục có borrowers.csv, loans.csv, transactions.csv hoặc một tệp .xlsx",
        f"cannot import {path}: not a folder of CSV files nor an .xlsx",
    )


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
            raise ImportRefused([f"{file.name}:{line}: tệp không phải UTF-8 (lưu lại tệp CSV với mã hóa UTF-8)"]) from None
        if name in STREAMED:
            streamed = _streamed(file.name, text)
            if streamed is not None:
                out[name] = streamed
            continue
        try:
            records, lines, delimiter = csv_records(file.name, text)
        except FieldProblem as err:
            raise ImportRefused([str(err)]) from None
        rows = _rows_from(file.name, records, lines=lines)
        if delimiter not in (",", ";") and rows:
            raise ImportRefused([f"{file.name}:1: các cột phải cách nhau bằng dấu phẩy «,» (hoặc «;» khi Excel lưu "
                                 "theo thiết lập Việt Nam)"])
        out[name] = rows
    if not out:
        raise UserFacingError(
            f"Thư mục «{folder}» không có tệp borrowers.csv, loans.csv hay transactions.csv",
            f"{folder} has none of borrowers.csv, loans.csv, transactions.csv",
        )
    return out


class _Cells(Mapping):
    """A read row's cells by column name, over the reader's own list of values (a dict per row of a 900,000-row
    file costs ~600 MB more): ``get(name)`` gives the cell as ``_cell`` cleans it (text stripped, None as "")."""

    __slots__ = ("index", "values")

    def __init__(self, index: dict[str, int], values: list) -> None:
        self.index, self.values = index, values

    def __getitem__(self, name: str) -> object:
        i = self.index[name]
        if i >= len(self.values):
            raise KeyError(name)
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
        raise ImportRefused([str(err)]) from None
    if header is None:
        return None
    if delimiter not in (",", ";"):
        raise ImportRefused([f"{source}:1: các cột phải cách nhau bằng dấu phẩy «,» (hoặc «;» khi Excel lưu "
                             "theo thiết lập Việt Nam)"])
    names = [nfc(str(h or "")).strip().lower() for h in header[0]]
    index = {n: i for i, n in enumerate(names) if n}

    def rows() -> Iterator[Row]:
        try:
            for values, line in stream:
                if any(str(v or "").strip() for v in values):  # else a blank line
                    yield Row(source, line, _Cells(index, values))
        except FieldProblem as err:
            raise ImportRefused([str(err)]) from None

    return _Streamed(Row(source, 1, {n: n for n in names if n}), rows())


def _rows_from(source: str, records: Iterator[list] | list[list], first_line: int = 1,
               lines: list[int] | None = None) -> list[Row]:
    """Rows keyed by the header's names; ``lines`` gives each record's first line (a quoted field may span lines)."""
    it = iter(records)
    header = next(it, None)
    if header is None:
        return []
    names = [nfc(str(h or "")).strip().lower() for h in header]
    index = {n: i for i, n in enumerate(names) if n}  # a name given twice: its last column, as a dict would keep
    rows = []
    for offset, values in enumerate(it, start=1):
        if not any(str(v or "").strip() for v in values):
            continue  # a blank line
        line = lines[offset] if lines is not None and offset < len(lines) else first_line + offset
        rows.append(Row(source, line, _Cells(index, values)))
    rows_header = Row(source, first_line, {n: n for n in names if n})
    return [rows_header, *rows]


def _read_workbook(path: Path) -> dict[str, list[Row]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # not a workbook, damaged, password-protected: the detail to the log
        import logging

        logging.getLogger("fundapp.services").warning("cannot open workbook %s: %r", path, err)
        raise UserFacingError(f"Không mở được tệp Excel «{path.name}»: tệp không phải .xlsx hoặc bị hỏng; mở lại bằng "
                              "Excel và lưu dưới dạng Excel Workbook (.xlsx)", f"cannot open {path}: {err}") from None
    out: dict[str, list[Row]] = {}
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name in SHEETS:
                cells = ([sheet_value(c) for c in row] for row in ws.iter_rows())  # as the officer sees them
                out[name] = _rows_from(f"{path.name}[{ws.title}]", cells)
    finally:
        wb.close()
    if not out:
        raise UserFacingError(
            f"Tệp «{path.name}» không có trang tính borrowers, loans hay transactions",
            f"{path.name} has no sheet named borrowers, loans or transactions",
        )
    return out


# -- field parsing ---------------------------------------------------------------------------
_Bad = FieldProblem  # a field's problem: its Vietnamese reason, reported as file:line: reason
CODE_FIELDS = {"code": "mã khách hàng (code)", "borrower_code": "mã khách hàng (borrower_code)",
               "loan_no": "số hợp đồng (loan_no)"}


def _raw(row: Row, name: str) -> object:
    """The cell's value; an .xlsx cell that cannot be read as shown (an error, true/false) refuses the row."""
    value = row.values.get(name, "")
    if isinstance(value, Unreadable):
        raise _Bad(f"{name}: {value} — không đọc được; ghi giá trị thường (số, chữ hoặc ngày)")
    return value


def _text(row: Row, name: str) -> str:
    """Text (NFC) that fits its column and holds no control character; codes in the safe alphabet (services.codes)."""
    value = _raw(row, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()[:10]
    text = check_text(nfc(str(value)), name)
    if text and name in CODE_FIELDS:
        problem = code_problem(text, CODE_FIELDS[name])
        if problem:
            raise _Bad(problem)
    return text


def _text_or_empty(row: Row, name: str) -> str:
    """``_text``, or "" when the field is bad (its row reports the problem where it is checked)."""
    try:
        return _text(row, name)
    except _Bad:
        return ""


def _money(row: Row, name: str, label: str) -> int:
    value = _raw(row, name)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip()
        if not text:
            raise _Bad(f"{label}: bỏ trống")
        if not DIGITS.match(text):
            raise _Bad(f"{label}: «{text[:40]}» không hợp lệ — chỉ ghi chữ số, đơn vị đồng, không dấu chấm, dấu phẩy "
                       "hay chữ")
        if len(text) > 20:
            raise _Bad(f"{label}: số có {len(text)} chữ số, quá lớn (tối đa 10^15 đồng)")
        number = int(text)
    if number <= 0:
        raise _Bad(f"{label}: phải lớn hơn 0 đồng (nhận được {number})")
    return check_money(number, label)


def _date(row: Row, name: str, label: str, required: bool = True) -> date | None:
    """A date (ISO text or a date cell) between 01/01/2000 and the book's today."""
    value = _raw(row, name)
    if isinstance(value, datetime):
        return check_date(value.date(), label)
    if isinstance(value, date):
        return check_date(value, label)
    text = str(value).strip()
    if not text:
        if required:
            raise _Bad(f"{label}: bỏ trống")
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{label}: «{text[:40]}» không phải ngày hợp lệ theo dạng YYYY-MM-DD") from None
    return check_date(day, label)


def _integer(row: Row, name: str, label: str, default: int | None = None) -> int:
    """A whole number within its column and DOMAIN.md's sense (import_cells.check_whole)."""
    value = _raw(row, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text and default is not None:
        return default
    if not re.match(r"^-?\d+$", text):
        raise _Bad(f"{label}: «{text[:40]}» không phải số nguyên")
    if len(text.lstrip("-")) > 12:
        raise _Bad(f"{label}: số có {len(text.lstrip('-'))} chữ số, quá lớn")
    return check_whole(int(text), name, label)


def _decimal(row: Row, name: str, label: str, default: str | None = None) -> Decimal:
    """A decimal number: a dot or a decimal comma ("7,2", Excel under Vietnamese settings); at most 16 characters
    as stored (the rate columns hold 16)."""
    value = _raw(row, name)
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    if not text and default is not None:
        return Decimal(default)
    text = decimal_comma(text)
    if "," in text:
        raise _Bad(f"{label}: «{text[:40]}» — dùng dấu chấm (hoặc một dấu phẩy) cho phần thập phân, ví dụ 6.6")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"{label}: «{text[:40]}» không phải số") from None
    if not number.is_finite():
        raise _Bad(f"{label}: «{text[:40]}» không phải số")
    if abs(number) >= 10**6 or len(str(number)) > 16:
        raise _Bad(f"{label}: «{text[:40]}» quá lớn hoặc quá nhiều chữ số (tối đa 16 ký tự, dưới 1.000.000)")
    return number


# -- checking --------------------------------------------------------------------------------
def _check_header(check: _Checked, sheet: str, rows: list[Row]) -> bool:
    if not rows:
        return True
    header = rows[0]
    missing = [c for c in REQUIRED[sheet] if c not in header.values]
    if sheet == "loans" and not any(c in header.values for c in RATE_COLUMNS):
        missing.append("annual_rate (hoặc monthly_rate)")
    if missing:
        check.bad(header, f"thiếu cột {', '.join(missing)} (dòng tiêu đề phải có: {', '.join(REQUIRED[sheet])})")
        return False
    return True


def _check_borrowers(check: _Checked, rows: list[Row], known: dict[str, int]) -> set[str]:
    codes: set[str] = set()
    for row in rows:
        code = _text_or_empty(row, "code")
        try:
            code = _text(row, "code")  # a bad code is reported here, with its line
            if not code:
                raise _Bad("mã khách hàng (code) bỏ trống")
            if code in codes:
                raise _Bad(f"mã khách hàng «{code}» bị trùng trong tệp")
            if code in known:
                raise _Bad(f"mã khách hàng «{code}» đã có trong sổ")
            name = _text(row, "name")
            if not name:
                raise _Bad("tên khách hàng (name) bỏ trống")
            kind = _text(row, "kind").lower()
            if kind not in BORROWER_KINDS:
                raise _Bad(f"loại hình (kind) «{kind}» không hợp lệ: dùng một trong {', '.join(BORROWER_KINDS)}")
            tax = _text(row, "tax_code")
            if tax and not TAX_CODE.match(tax):
                raise _Bad(f"mã số thuế (tax_code) «{tax}» phải gồm 10 chữ số (hoặc 10-3 chữ số cho đơn vị phụ thuộc)")
            members_text = _text(row, "members")
            members = _integer(row, "members", "số thành viên (members)") if members_text else None
            if members is not None and members < 0:
                raise _Bad("số thành viên (members) không được âm")
            fields = {f: _text(row, f) for f in ("province", "ward", "district", "sector", "representative", "phone",
                                                 "address")}
        except _Bad as err:
            check.bad(row, str(err))
            codes.add(code)
            continue
        codes.add(code)
        check.borrowers.append(dict(code=code, name=name, kind=kind, tax_code=tax, members=members,
                                    search=search_key(name, code, tax, fields["ward"], fields["district"]), **fields))
    return codes


def _check_loans(check: _Checked, rows: list[Row], borrower_codes: set[str], known: dict[str, int]) -> set[str]:
    numbers: set[str] = set()
    for row in rows:
        loan_no = _text_or_empty(row, "loan_no")
        try:
            loan_no = _text(row, "loan_no")  # a bad number is reported here, with its line
            if not loan_no:
                raise _Bad("số hợp đồng (loan_no) bỏ trống")
            if loan_no in numbers:
                raise _Bad(f"số hợp đồng «{loan_no}» bị trùng trong tệp")
            if loan_no in known:
                raise _Bad(f"số hợp đồng «{loan_no}» đã có trong sổ")
            borrower = _text(row, "borrower_code")
            if borrower not in borrower_codes:
                raise _Bad(f"mã khách hàng (borrower_code) «{borrower}» không có trong borrowers hay trong sổ")
            amount = _money(row, "amount", "số tiền vay (amount)")
            values = dict(
                amount=amount,
                **_loan_rate(row),
                term_months=_integer(row, "term_months", "thời hạn (term_months)"),
                frequency_months=_integer(row, "frequency_months", "kỳ hạn trả nợ (frequency_months)", 1),
                method=_text(row, "method") or "equal_principal",
                grace_periods=_integer(row, "grace_periods", "số kỳ ân hạn (grace_periods)", 0),
                overdue_factor=_decimal(row, "overdue_factor", "hệ số lãi quá hạn (overdue_factor)", "1.5"),
                late_interest_rate=_decimal(row, "late_interest_rate", "lãi chậm trả (late_interest_rate)", "10"),
            )
            contract = _date(row, "contract_date", "ngày hợp đồng (contract_date)", required=False)
            purpose, sector = _text(row, "purpose"), _text(row, "sector")
            try:
                terms = LoanTerms(**values)
            except TermsError as err:
                raise _Bad(err.vi) from None
        except _Bad as err:
            check.bad(row, str(err))
            numbers.add(loan_no)
            continue
        numbers.add(loan_no)
        record = dict(loan_no=loan_no, borrower_code=borrower, purpose=purpose, sector=sector, contract_date=contract)
        check.loans.append((row, record, terms))
    return numbers


def _check_transactions(check: _Checked, rows: list[Row], loan_numbers: set[str], refs: set[str]) -> None:
    seen: set[str] = set()
    for row in rows:
        try:
            loan_no = _text(row, "loan_no")
            if loan_no not in loan_numbers:
                raise _Bad(f"số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ")
            on = _date(row, "date", "ngày (date)")
            kind = _text(row, "kind").lower()
            if kind not in ("disbursement", "repayment"):
                raise _Bad(f"loại giao dịch (kind) «{kind}» không hợp lệ: disbursement (giải ngân) hoặc repayment (thu nợ)")
            amount = _money(row, "amount", "số tiền (amount)")
            reference = _text(row, "reference")
            if reference and (reference in seen or reference in refs):
                where = "trong tệp" if reference in seen else "trong sổ"
                raise _Bad(f"số chứng từ (reference) «{reference}» bị trùng {where}")
        except _Bad as err:
            check.bad(row, str(err))
            continue
        if reference:
            seen.add(reference)
        assert on is not None
        # from here on the row only names its file:line: its cells go (900,000 rows: ~700 MB)
        check.transactions.append((Row(row.source, row.line, _NO_VALUES), sys.intern(loan_no),  # one str a loan
                                   Transaction(on, Kind(kind), amount, reference)))


def _loan_rate(row: Row) -> dict:
    """The loan's rate and its unit: ``annual_rate`` (%/năm) or ``monthly_rate`` (%/tháng, kept as stated:
    DOMAIN.md "Money and rates"), exactly one of the two. Raises ``_Bad``."""
    given = [c for c in RATE_COLUMNS if str(row.values.get(c, "")).strip()]
    if len(given) != 1:
        raise _Bad("ghi đúng một trong hai cột: lãi suất năm (annual_rate, %/năm) hoặc lãi suất tháng "
                   "(monthly_rate, %/tháng)" + (" — dòng này ghi cả hai" if given else " — dòng này bỏ trống cả hai"))
    if given[0] == "monthly_rate":
        label = "lãi suất tháng (monthly_rate)"
        return dict(rate=check_rate(_decimal(row, "monthly_rate", label), "month", label), rate_unit="month")
    label = "lãi suất năm (annual_rate)"
    return dict(rate=check_rate(_decimal(row, "annual_rate", label), "year", label), rate_unit="year")


# -- life events and openings (DOMAIN.md "Life events"; INTERCHANGE.md's optional files) -------
EVENT_KINDS_VI = "restructure (cơ cấu lại), interest_relief (miễn, giảm lãi) hoặc write_off (xử lý rủi ro)"


def _whole(row: Row, name: str, label: str, default: int | None = None) -> int:
    """A whole number ≥ 0 (months, periods, a count). Raises ``_Bad``."""
    number = _integer(row, name, label, default)
    if number < 0:
        raise _Bad(f"{label}: không được âm (nhận được {number})")
    return number


def _money0(row: Row, name: str, label: str) -> int:
    """Whole đồng ≥ 0 (an opening's figure may be 0; empty reads 0). Raises ``_Bad``."""
    value = row.values.get(name, "")
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0
    if str(value).strip() in ("", "0"):
        return 0
    return _money(row, name, label)


def _check_events(check: _Checked, rows: list[Row], loan_numbers: set[str], refs: set[str], seen: set[str]) -> None:
    """Rows of ``events``: restructure (extend_months, grace_periods), interest_relief (relief_of, amount),
    write_off; each with its decision number (reference, unique) and reason."""
    for row in rows:
        try:
            loan_no = _text(row, "loan_no")
            if loan_no not in loan_numbers:
                raise _Bad(f"số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ")
            on = _date(row, "date", "ngày (date)")
            kind = _text(row, "kind").lower()
            reference, reason = _text(row, "reference"), _text(row, "reason")
            if reference and (reference in seen or reference in refs):
                raise _Bad(f"số quyết định (reference) «{reference}» bị trùng {'trong tệp' if reference in seen else 'trong sổ'}")
            if kind == Kind.RESTRUCTURE:
                entry: Entry = Restructuring(on, _whole(row, "extend_months", "số tháng gia hạn (extend_months)", 0),
                                             _whole(row, "grace_periods", "số kỳ ân hạn gốc (grace_periods)", 0),
                                             reference, reason)
            elif kind == Kind.INTEREST_RELIEF:
                relief_of = _text(row, "relief_of").lower()
                if relief_of not in RELIEF_KINDS:
                    raise _Bad(f"loại lãi được miễn, giảm (relief_of) «{relief_of}» không hợp lệ: late_interest "
                               "(lãi chậm trả), overdue_interest (lãi quá hạn) hoặc interest (lãi trong hạn đến hạn)")
                entry = InterestRelief(on, relief_of, _money(row, "amount", "số tiền miễn, giảm (amount)"), reference,
                                       reason)
            elif kind == Kind.WRITE_OFF:
                entry = WriteOff(on, reference, reason)
            else:
                raise _Bad(f"loại sự kiện (kind) «{kind}» không hợp lệ: {EVENT_KINDS_VI}")
        except _Bad as err:
            check.bad(row, str(err))
            continue
        if reference:
            seen.add(reference)
        check.events.append((row, loan_no, entry))


def _check_openings(check: _Checked, rows: list[Row], loan_numbers: set[str], loans_with_entries: set[str]) -> None:
    """Rows of ``openings`` (số dư chuyển sang): at most one a loan, on a loan with no entry in the book yet."""
    seen: set[str] = set()
    for row in rows:
        try:
            loan_no = _text(row, "loan_no")
            if loan_no not in loan_numbers:
                raise _Bad(f"số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ")
            if loan_no in seen:
                raise _Bad(f"khoản vay «{loan_no}» đã có một dòng số dư chuyển sang: mỗi khoản vay nhiều nhất một dòng")
            seen.add(loan_no)
            if loan_no in loans_with_entries:
                raise _Bad(f"khoản vay «{loan_no}» đã có bút toán trong sổ: không nhận số dư chuyển sang")
            oldest = _date(row, "oldest_overdue_date", "ngày đến hạn cũ nhất chưa trả (oldest_overdue_date)",
                           required=False)
            opening = Opening(
                on=_date(row, "as_of", "ngày chuyển số dư (as_of)"),
                first_disbursement_date=_date(row, "first_disbursement_date",
                                              "ngày giải ngân đầu tiên (first_disbursement_date)"),
                disbursed=_money0(row, "disbursed", "số đã giải ngân (disbursed)"),
                principal_outstanding=_money0(row, "principal_outstanding", "dư nợ gốc (principal_outstanding)"),
                principal_overdue=_money0(row, "principal_overdue", "gốc quá hạn (principal_overdue)"),
                oldest_overdue_date=oldest,
                interest_due_unpaid=_money0(row, "interest_due_unpaid", "lãi đến hạn chưa trả (interest_due_unpaid)"),
                interest_accrued=_money0(row, "interest_accrued", "lãi dự thu trong kỳ (interest_accrued)"),
                overdue_interest=_money0(row, "overdue_interest", "lãi quá hạn (overdue_interest)"),
                late_interest=_money0(row, "late_interest", "lãi chậm trả (late_interest)"),
                restructurings=_whole(row, "restructurings", "số lần cơ cấu trước đây (restructurings)", 0),
                reference="",
            )
        except _Bad as err:
            check.bad(row, str(err))
            continue
        check.openings.append((row, loan_no, opening))


def _replay(check: _Checked, terms_by_loan: dict[str, LoanTerms], existing: dict[str, list[Entry]],
            cancelled: Callable[[], bool] | None,
            as_of: date | None = None) -> dict[str, list[tuple[Row, Entry, object]]]:
    """Each loan's entries — those of the book, and the new transactions, events and opening — through the one
    replay path, in DOMAIN.md's order of one date. Refusals become problems on their row; an entry of a loan
    with an opening dated on or before its as_of is refused here. Returns the new entries applied, per loan,
    with the engine's result. With ``as_of`` (the book's today, every entry on or before it), each loan's
    loan-list figures there go into ``check.states`` from the same replay (``portfolio.state_row_of``)."""
    new_by_loan: dict[str, list[tuple[Row, Entry]]] = {}
    for row, loan_no, entry in check.openings:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    for row, loan_no, entry in [*check.transactions, *check.events]:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    openings = {loan_no: opening for _, loan_no, opening in check.openings}
    applied: dict[str, list[tuple[Row, Entry, object]]] = {}
    for count, (loan_no, items) in enumerate(new_by_loan.items()):
        if cancelled and count % 200 == 0 and cancelled():
            raise UserCancelled
        terms = terms_by_loan.get(loan_no)
        if terms is None:
            continue  # its loan row was bad: already reported
        opening = openings.get(loan_no)
        kept: list[tuple[Row, Entry]] = []
        for row, entry in items:
            if opening is not None and entry is not opening and entry.on <= opening.on:
                check.bad(row, f"ngày {entry.on:%d/%m/%Y} không sau ngày chuyển số dư {opening.on:%d/%m/%Y} của khoản "
                               f"vay «{loan_no}» (openings): mọi giao dịch, sự kiện phải ghi sau ngày đó")
            else:
                kept.append((row, entry))
        row_of = {id(entry): row for row, entry in kept}
        results: list[tuple[Row, Entry, object]] = []

        def refused(entry: Entry, err, row_of=row_of, items=items) -> None:
            row = row_of.get(id(entry))
            if row is not None:
                check.bad(row, err.vi)
            else:
                check.bad(items[0][0], f"bút toán đã ghi ngày {entry.on:%d/%m/%Y} ({entry.reference}) bị từ chối sau "
                                       f"khi ghi lùi ngày: {err.vi}")

        def done(entry: Entry, result: object, row_of=row_of, results=results) -> None:
            row = row_of.get(id(entry))
            if row is not None:
                results.append((row, entry, result))

        entries = [*existing.get(loan_no, ()), *(entry for _, entry in kept)]
        state = replay_entries(terms, entries, on_result=done, on_refused=refused)
        if as_of is not None and not check.problems:
            check.states[loan_no] = state_row_of(None, state, entries, as_of)
        applied[loan_no] = results
    return applied


def check_and_import(ctx: Context, path: Path, progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                     accept_unusual_rates: bool = False) -> ImportSummary:
    """Check every row of ``path`` against what the book can hold (dates 01/01/2000 to the book's today, amounts
    ≤ 10^15 đồng, text within its column: services.import_cells) and write it all or nothing, as
    ``_check_and_import`` says. A contract rate outside 0,5–30 %/năm is refused unless ``accept_unusual_rates``
    (the officer confirmed it: ``fundapp import --accept-unusual-rates``, or the GUI after asking).
    A refusal whose every problem is an unusual rate has ``unusual_rates_only`` True: the GUI asks the officer
    and runs the import again with ``accept_unusual_rates=True``.
    Writing needs the right ``import`` (the accountant's); entries are posted as ``ctx.user``; none may be dated
    in a closed period (issue 14).
    """
    return _guarded(ctx, lambda: _check_and_import(ctx, path, progress, cancelled, dry_run), dry_run,
                    accept_unusual_rates)


def check_and_import_rows(ctx: Context, sheets: dict[str, list[Row]], source: str, progress: Progress | None = None,
                          cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                          accept_unusual_rates: bool = False) -> ImportSummary:
    """``check_and_import`` for rows already read into memory (the migration assistant builds them from a workbook
    in another layout): ``sheets`` maps our sheet names (``SHEETS``) to ``[header Row, data Rows…]``, each ``Row``
    naming where it came from (``source`` "file.xlsx[Sheet]", its line there) and holding our layout's field names;
    ``source`` names the whole for the summary and the audit. The same checks, the same transaction, the same
    ``ImportRefused`` with every problem as ``source:line: reason``; nothing written on any problem."""
    unknown = set(sheets) - set(SHEETS)
    if unknown:
        raise ValueError(f"not our sheets: {sorted(unknown)}")
    return _guarded(ctx, lambda: _check_rows(ctx, {k: list(v) for k, v in sheets.items()}, source, progress,
                                             cancelled, dry_run), dry_run, accept_unusual_rates)


def _guarded(ctx: Context, run: Callable[[], ImportSummary], dry_run: bool, accept_unusual_rates: bool) -> ImportSummary:
    """Run an import under its options (the book's today, unusual rates confirmed), the right ``import`` required to
    write; a refusal of only unusual rates is marked so (``unusual_rates_only``)."""
    if not dry_run:
        from .rights import require

        require(ctx, "import")
    token = OPTIONS.set(ImportOptions(ctx.today(), accept_unusual_rates))
    try:
        return run()
    except ImportRefused as err:
        err.unusual_rates_only = bool(err.problems) and all(UNUSUAL_RATE in p for p in err.problems)
        raise
    finally:
        OPTIONS.reset(token)


def _check_and_import(ctx: Context, path: Path, progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None, dry_run: bool = False) -> ImportSummary:
    """Check every row of ``path`` (a folder of CSV files or an .xlsx: borrowers, loans, transactions, and the
    optional events and openings) and, if none is bad, write it all — checked and written in one transaction,
    the loans it adds entries to locked first, so that nothing posted meanwhile on a shared book escapes the
    check (``dry_run``: check only).

    Raises ``ImportRefused`` with every problem as ``file:line: reason`` (nothing written), ``UserFacingError``
    for an unreadable source, ``UserCancelled`` if ``cancelled()`` turns true before writing.
    """
    path = Path(path)
    (progress or (lambda done, total: None))(0, 4)
    return _check_rows(ctx, read_source(path), path.name, progress, cancelled, dry_run, str(path))


def _check_rows(ctx: Context, sheets: dict[str, list[Row]], source: str, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                where: str | None = None) -> ImportSummary:
    """The check and write of ``_check_and_import`` on sheets already read (``source``: the name in the summary and
    the entries' note; ``where``: the audit's, the full path of a file)."""
    report = progress or (lambda done, total: None)
    report(0, 4)
    check = _Checked()
    for name, rows in sheets.items():
        if not _check_header(check, name, rows):
            sheets[name] = []
    if check.problems:
        raise ImportRefused(check.problems)
    body = {name: rows[1:] for name, rows in sheets.items()}
    with ctx.db.unit() as s:
        known_borrowers = store.borrower_codes(s)
        known_loans = store.loan_numbers(s)
        refs = store.references(s)
        report(1, 4)
        codes = _check_borrowers(check, body.get("borrowers", []), known_borrowers)
        numbers = _check_loans(check, body.get("loans", []), codes | set(known_borrowers), known_loans)
        all_numbers = numbers | set(known_loans)
        seen_refs: set[str] = set()
        _check_transactions(check, body.get("transactions", []), all_numbers, refs)
        body.pop("transactions", None)  # read once (a streamed file) and checked
        sheets.pop("transactions", None)
        seen_refs.update(tx.reference for _, _, tx in check.transactions if tx.reference)
        _check_events(check, body.get("events", []), all_numbers, refs, seen_refs)
        # the book's loans this import adds entries to: locked, then read (a posting waits for the commit)
        opening_nos = {_text_or_empty(row, "loan_no") for row in body.get("openings", [])}
        new_nos = {n for _, n, _ in (*check.transactions, *check.events)} | opening_nos
        touched_old = {known_loans[no] for no in new_nos if no in known_loans}
        if not dry_run:  # a check writes nothing, not even the loans' versions
            store.lock_loans(s, touched_old)
        existing = entries_by_loan(s, touched_old) if touched_old else {}
        id_to_no = {v: k for k, v in known_loans.items()}
        existing_by_no = {id_to_no[i]: entries for i, entries in existing.items()}
        _check_openings(check, body.get("openings", []), all_numbers, set(existing_by_no))
        _check_collateral(ctx, check, body.get("collateral", []), all_numbers)
        report(2, 4)
        terms_by_loan = {r.loan_no: terms_of(r) for r in store.loan_rows(s, touched_old)} if touched_old else {}
        terms_by_loan.update({record["loan_no"]: terms for _, record, terms in check.loans})
        applied = _replay(check, terms_by_loan, existing_by_no, cancelled, None if dry_run else ctx.today())
        if check.problems:
            raise ImportRefused(check.problems)
        new = [item for items in applied.values() for item in items]
        summary = ImportSummary(
            len(check.borrowers), len(check.loans), sum(1 for _, e, _ in new if isinstance(e, Transaction)), source,
            events=sum(1 for _, e, _ in new if not isinstance(e, Transaction | Opening)),
            openings=sum(1 for _, e, _ in new if isinstance(e, Opening)))
        if dry_run:
            return summary
        if cancelled and cancelled():
            raise UserCancelled
        report(3, 4)
        _write(ctx, s, check, applied, source, where or source)
    report(4, 4)
    return summary


def _write(ctx: Context, s, check: _Checked, applied: dict[str, list[tuple[Row, Entry, object]]], source: str,
           where: str) -> None:
    """Write the checked rows inside the checking unit of work ``s`` (Core executemany, not ORM objects)."""
    from .closing import refuse_closed

    dated = [entry.on for rows in applied.values() for _, entry, _ in rows]
    if dated:
        refuse_closed(s, min(dated), "dữ liệu nhập")
    now = store.now()
    store.bulk_insert(s, BorrowerRecord, [dict(b, created_at=now, version=1) for b in check.borrowers])
    codes = store.borrower_codes(s)
    store.bulk_insert(s, LoanRecord, [
        dict(loan_no=r["loan_no"], borrower_id=codes[r["borrower_code"]], purpose=r["purpose"], sector=r["sector"],
             amount=t.amount, rate=str(t.rate), rate_unit=str(t.rate_unit), term_months=t.term_months,
             frequency_months=t.frequency_months, method=str(t.method), grace_periods=t.grace_periods,
             overdue_factor=str(t.overdue_factor), late_interest_rate=str(t.late_interest_rate),
             contract_date=r["contract_date"], created_at=now, version=1)
        for _, r, t in check.loans
    ])
    loan_ids = store.loan_numbers(s)
    # posting order = file order within each file (openings, transactions, events): it breaks ties of one kind
    order = {id(e): i for i, (_, _, e) in enumerate((*check.openings, *check.transactions, *check.events))}
    items = sorted(((loan_no, entry, result) for loan_no, rows in applied.items() for _, entry, result in rows),
                   key=lambda item: order[id(item[1])])
    written = 0
    for start in range(0, len(items), WRITE_BATCH):  # batches: the rows of one batch in memory at a time
        written += _write_entries(ctx, s, items[start:start + WRITE_BATCH], loan_ids, source, now)
    _write_collateral(ctx, s, check, loan_ids)
    # the loan list's figures from the check's own replay (an entry dated after today is refused by the check)
    today = ctx.today()
    states = [dict(state, loan_id=loan_ids[no]) for no, state in check.states.items()]
    states += [state_row(loan_ids[r["loan_no"]], t, [], today) for _, r, t in check.loans
               if r["loan_no"] not in check.states]
    store.replace_states(s, states)
    store.audit(s, ctx.user, "import", f"{where}: {len(check.borrowers)} khách hàng, {len(check.loans)} khoản vay, "
                                       f"{written} bút toán")


def _write_entries(ctx: Context, s, items: list[tuple[str, Entry, object]], loan_ids: dict[str, int], source: str,
                   now) -> int:
    """Insert one batch of (loan_no, entry, engine result) with their life events' parameters; returns its size."""
    entries, params = [], []
    for loan_no, entry, result in items:
        entries.append(dict(
            loan_id=loan_ids[loan_no], on_date=entry.on, kind=str(entry.kind), amount=_stored_amount(entry),
            reference=entry.reference or None, reverses_id=None,
            principal=getattr(result, "principal", 0), interest=getattr(result, "interest", 0),
            overdue_interest=getattr(result, "overdue_interest", 0),
            late_interest=getattr(result, "late_interest", 0),
            note=f"Nhập từ {source}", entered_by=ctx.user, entered_at=now))
        params.append(None if isinstance(entry, Transaction) else event_params(entry))
    if any(p is not None for p in params):
        ids = store.insert_returning_ids(s, EntryRecord, entries)
        store.bulk_insert(s, EntryEventRecord, [dict(entry_id=i, **p) for i, p in zip(ids, params, strict=True)
                                                if p is not None])
    else:
        store.bulk_insert(s, EntryRecord, entries)
    return len(entries)


# -- collateral (issue 16): the optional file/sheet ``collateral`` ------------------------------------------------
def _check_collateral(ctx: Context, check: _Checked, rows: list[Row], loan_numbers: set[str]) -> None:
    """Rows of ``collateral``: loan_no, kind, description, owner, value (đồng ≥ 0), valued_on, registration_no,
    registered_on, status, status_on, note — checked by ``services.collateral.clean``."""
    from .collateral import clean

    for row in rows:
        try:
            loan_no = _text(row, "loan_no")
            if loan_no not in loan_numbers:
                raise _Bad(f"số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ")
            values = {"kind": _text(row, "kind").lower(), "description": _text_or_empty(row, "description"),
                      "owner": _text_or_empty(row, "owner"), "value": _money0(row, "value", "giá trị (value)"),
                      "valued_on": _date(row, "valued_on", "ngày định giá (valued_on)", required=False),
                      "registration_no": _text_or_empty(row, "registration_no"),
                      "registered_on": _date(row, "registered_on", "ngày đăng ký (registered_on)", required=False),
                      "status": _text_or_empty(row, "status").lower() or "pledged",
                      "status_on": _date(row, "status_on", "ngày đổi trạng thái (status_on)", required=False),
                      "note": _text_or_empty(row, "note")}
            data = clean(ctx, values)
        except _Bad as err:
            check.bad(row, str(err))
            continue
        except UserFacingError as err:
            check.bad(row, err.message)
            continue
        check.collateral.append((loan_no, data))


def _write_collateral(ctx: Context, s, check: _Checked, loan_ids: dict[str, int]) -> None:
    for loan_no, data in check.collateral:
        store.add_collateral(s, application_id=None, loan_id=loan_ids[loan_no], created_by=ctx.user, **data)


def _stored_amount(entry: Entry) -> int:
    """The entry's ``amount`` column: a transaction's or relief's amount, an opening's disbursed, else 0."""
    if isinstance(entry, Opening):
        return entry.disbursed
    return getattr(entry, "amount", 0)
