"""Reading an import's cells as the officer sees them, and the limits every field is checked against.

Used by ``services/imports.py``'s reading helpers, so that every value is refused with ``file:line:
reason`` *before* anything is written (SQLite and PostgreSQL would refuse it later, with a traceback):

* a CSV file saved by Excel under Vietnamese regional settings (``;`` between fields, decimal comma)
  is read: the separator is detected from the header line (``csv.Sniffer``);
* a field longer than the csv module's limit (131,072 characters) is a problem of its line;
* an .xlsx cell is read as shown: a percent-formatted 0.072 ("7.2%") is the text "7.2", a
  date-formatted cell a date, a text cell text, a plain number a number; an error cell (#N/A…) or a
  true/false cell cannot be read and its row is refused;
* a float that becomes a rate, a factor or a percentage loses a formula's binary noise
  (``float_digits``: =1.1+0.1 is 1.2, as Excel shows it), never digits it really has (=20/3);
* whole numbers fit their columns (32-bit INTEGER) and DOMAIN.md's sense (terms ≤ 600 months, so
  that no due date runs past year 9999); amounts are 1 đồng to 10^15 đồng (so sums stay in 64 bits);
* dates lie between 01/01/2000 and the book's today (INTERCHANGE.md; issue 10.1);
* text holds no NUL or control character and fits its column (lengths read from the models);
* a rate outside 0,5–30 %/năm (0,5/12–30/12 %/tháng) needs the officer's confirmation.
"""

from __future__ import annotations

import contextvars
import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from fundapp.domain.messages import N_, Message, Verbatim, msg
from fundapp.domain.money import quoted_amount
from fundapp.domain.numerals import AROUND, decimal_comma, numeral  # noqa: F401  (decimal_comma: the import's too)
from fundapp.formatting import decimal_comma_text, decimal_shown, group_thousands, short_date

EARLIEST = date(2000, 1, 1)
MAX_AMOUNT = 10**15  # đồng: a million tỷ; 9,223 such loans still sum within a 64-bit column
MAX_INT32 = 2**31 - 1  # INTEGER columns (members, term_months, …) on PostgreSQL
MAX_MONTHS = 600  # 50 years: with dates ≤ today no due date can run past year 9999
MAX_MEMBERS = 10_000_000
RATE_LOW, RATE_HIGH = Decimal("0.5"), Decimal("30")  # %/năm: outside needs confirmation (issue 10.11)
UNUSUAL_RATE = N_("(thường từ 0,5 đến 30 %/năm)")  # in every unusual-rate problem: the GUI offers to confirm
CSV_LIMIT = 131_072  # the csv module's default field_size_limit
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONTH_FIELDS = {"term_months", "extend_months", "grace_periods", "frequency_months"}


class FieldProblem(Exception):
    """A value that cannot be stored as given: ``args[0]`` is the reason (a ``Message``, no file:line), rendered in
    the officer's language by ``str()``; ``msg`` gives the Message itself (a plain str is taken as text)."""

    @property
    def msg(self) -> Message:
        """The reason as a Message (rendered when shown, in the officer's language)."""
        reason = self.args[0] if self.args else ""
        return reason if isinstance(reason, Message) else Verbatim(str(reason))


@dataclass(frozen=True)
class Unreadable:
    """An .xlsx cell that cannot be read as the officer sees it (an error value, true/false)."""

    shown: Message

    def __str__(self) -> str:
        return str(self.shown)


class NumberText(str):
    """A number cell's digits as text with a dot ("6.666666666666667": ``float_digits``), as a rate or factor is
    handed on; Excel under Vietnamese settings shows it with the decimal comma, and so does every refusal that
    quotes it (``shown_number``), where text the officer typed is quoted as typed."""

    __slots__ = ()


class PercentText(NumberText):
    """A percent cell's number in percent as text, read as the rate it shows ("7.2" for a cell showing 7,2 %); the
    old workbook's page shows it as Excel does («7,2 %»: ``migration.cell_text``)."""

    __slots__ = ()


@dataclass(frozen=True)
class ImportOptions:
    """What an import checks against: the book's today, and whether unusual rates were confirmed."""

    today: date
    accept_unusual_rates: bool = False


OPTIONS: contextvars.ContextVar[ImportOptions | None] = contextvars.ContextVar("import_options", default=None)


def options() -> ImportOptions:
    """The options of the import running in this context (check_and_import sets them); today's date otherwise."""
    return OPTIONS.get() or ImportOptions(date.today())


# -- CSV ---------------------------------------------------------------------------------------
def sniff_delimiter(text: str) -> str:
    """The field separator of a CSV text, from its header line: ``,`` (INTERCHANGE.md), ``;`` (Excel under
    Vietnamese settings) or a tab; ``,`` when the header says nothing."""
    header = text.split("\n", 1)[0][:CSV_LIMIT]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def csv_records(source: str, text: str) -> tuple[list[list[str]], list[int], str]:
    """(records, the line each starts on, separator) of a CSV text; raises FieldProblem naming the line of a field
    over the csv module's limit or a broken quote (message ``file:line: reason``)."""
    delimiter = sniff_delimiter(text)
    records, lines = [], []
    for record, line in csv_stream(source, text, delimiter):
        records.append(record)
        lines.append(line)
    return records, lines, delimiter


def csv_stream(source: str, text: str, delimiter: str) -> Iterator[tuple[list[str], int]]:
    """(record, the line it starts on) of a CSV text one at a time, as ``csv_records`` reads them (a 900,000-row
    file is checked as it is read, never held whole); FieldProblem as it says, when the reader reaches the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            line = reader.line_num or start
            if "field larger than field limit" in str(err):
                raise FieldProblem(msg("{where}: một ô dài quá {limit} ký tự (giới hạn của tệp CSV)",
                                       where=f"{source}:{line}", limit=group_thousands(CSV_LIMIT))) from None
            raise FieldProblem(msg("{where}: dòng CSV không đọc được (dấu ngoặc kép không đóng?)",
                                   where=f"{source}:{line}")) from None
        yield record, start
        start = reader.line_num + 1


# -- .xlsx cells -------------------------------------------------------------------------------
def sheet_value(cell) -> object:
    """A worksheet cell (openpyxl, read-only) as the officer sees it: see the module's docstring."""
    value = cell.value
    if value is None:
        return ""
    kind = getattr(cell, "data_type", "n")
    if kind == "e":
        return Unreadable(msg("ô lỗi {value}", value=str(value)))
    if kind == "b" or isinstance(value, bool):
        return Unreadable(msg("ô đúng/sai ({value})", value="TRUE" if value else "FALSE"))
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        return value
    fmt = str(getattr(cell, "number_format", "General") or "General")
    if isinstance(value, int | float) and "%" in fmt.replace('"%"', "").replace("\\%", ""):
        try:
            shown = (Decimal(float_digits(value) if isinstance(value, float) else value) * 100).normalize()
        except InvalidOperation:
            return Unreadable(msg("ô phần trăm {value}", value=repr(value)))
        return PercentText(format(shown, "f"))
    if getattr(cell, "is_date", False):
        return Unreadable(msg("ô ngày không đọc được ({value})", value=repr(value)))
    return value


EXCEL_DIGITS = 15  # significant digits Excel shows of a number cell
SHORT_DIGITS = 12  # a rounding to 15 digits that ends in three zeros (or rounded-up nines) dropped only noise
NOISE_ULPS = 2  # a formula's few operations leave its result this close to the decimal it means


def float_digits(value: float) -> str:
    """The text of a float read from a number cell, for a Decimal: the short decimal Excel shows when the float's
    digits beyond Excel's 15 are only a formula's binary noise (=1.1+0.1 holds 1.2000000000000002: "1.2"; =0.1+7.1
    holds 7.199999999999999: "7.2"); ``repr(value)`` otherwise, every digit (=20/3: "6.666666666666667", which
    read_decimal refuses as too long). Noise means all of: the float needs more than 15 significant digits, its
    rounding to 15 keeps at most 12 (Excel's last three digits show 000) and is written shorter, and the float is
    within two units in the last place of that short decimal. A rounding that keeps 13 to 15 digits is never taken:
    those may be the number's own digits (=20/3 rounds to 6.66666666666667, =1405/173 to 8.121387283237)."""
    exact = repr(value)
    if not math.isfinite(value) or value == 0 or len(Decimal(exact).as_tuple().digits) <= EXCEL_DIGITS:
        return exact
    binary = Decimal(value)  # the float's own value: rounding its repr again could round a 5 up twice
    short = binary.quantize(Decimal(1).scaleb(binary.adjusted() - EXCEL_DIGITS + 1)).normalize()
    text = format(short, "f")
    if (len(short.as_tuple().digits) > SHORT_DIGITS or len(text) >= len(exact)
            or abs(float(short) - value) > NOISE_ULPS * math.ulp(value)):
        return exact
    return text


def shown_number(value: float | str) -> str:
    """A number cell (its float, or its digits as text: ``NumberText``) as Excel under Vietnamese settings shows it, to
    quote it back: the decimal comma, no exponent (``formatting.decimal_shown``: 20/3 → «6,666666666666667», a
    formula's noise dropped by ``float_digits``: =1.1+0.1 → «1,2»)."""
    return decimal_shown(float_digits(value) if isinstance(value, float) else value)


def whole_float(value: float) -> int | None:
    """A number cell's float as whole đồng: the float itself when it is whole, or the whole number Excel shows when
    its digits beyond Excel's 15 are only a formula's binary noise (``float_digits``: =0.07*100000000 holds
    7000000.000000001, shown 7.000.000); None otherwise (a fraction of a đồng, 1500000.5, is refused by the caller)."""
    if value.is_integer():
        return int(value)
    text = float_digits(value)
    return int(text) if text.isdigit() else None


# -- fields --------------------------------------------------------------------------------------
def column_lengths() -> dict[str, int]:
    """The longest text each import field may hold: the VARCHAR length of its column (the shortest if several)."""
    from fundapp.ledger.models import BorrowerRecord, EntryRecord, LoanRecord

    out: dict[str, int] = {}
    for model in (BorrowerRecord, LoanRecord, EntryRecord):
        for column in model.__table__.columns:
            length = getattr(column.type, "length", None)
            if length:
                out[column.name] = min(out.get(column.name, length), length)
    out["borrower_code"] = BorrowerRecord.__table__.c.code.type.length
    return out


_LENGTHS: dict[str, int] | None = None


def check_text(value: str, name: str) -> str:
    """``value`` if it has no control character and fits the column of field ``name``; FieldProblem otherwise."""
    global _LENGTHS
    bad = CONTROL.search(value)
    if bad:
        raise FieldProblem(msg("{name}: chứa ký tự điều khiển không lưu được (mã {code}); xóa ký tự đó",
                               name=name, code=f"U+{ord(bad.group()):04X}"))
    if _LENGTHS is None:
        _LENGTHS = column_lengths()
    limit = _LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        raise FieldProblem(msg("{name}: dài {length} ký tự, tối đa {limit} ký tự", name=name, length=str(len(value)),
                               limit=str(limit)))
    return value


def check_money(number: int, label: str) -> int:
    """``number`` đồng if it is at most 10^15 đồng; FieldProblem otherwise (it would overflow the book's sums)."""
    if number > MAX_AMOUNT:
        raise FieldProblem(msg("{label}: {number} đồng quá lớn (tối đa 10^15 đồng = 1.000.000 tỷ đồng)",
                               label=msg(label), number=quoted_amount(number)))
    return number


def whole_number(text: str, name: str, label: str, shown: str | None = None) -> int:
    """``text`` as a whole number, which may be negative, within its column and DOMAIN.md's sense (``check_whole``):
    the one reading of a typed or imported count (``import_fields.read_integer``, the borrower form's members), ASCII
    digits with any whitespace around them (``numerals.numeral``). Raises ``FieldProblem`` naming ``label``: not
    digits («1_2», «１２», an ideographic space U+3000 between them; quoting ``shown`` when given: a number cell as
    Excel shows it, ``shown_number``), more than 12 digits, or too large."""
    core = numeral(text)
    if core is None or not _WHOLE.fullmatch(core):
        raise FieldProblem(msg("{label}: «{text}» không phải số nguyên", label=msg(label),
                               text=(text.strip(AROUND) if shown is None else shown)[:40]))
    if len(core.lstrip("-")) > 12:  # int() of thousands of digits is refused by Python itself
        raise FieldProblem(msg("{label}: số có {digits} chữ số, quá lớn", label=msg(label),
                               digits=str(len(core.lstrip("-")))))
    return check_whole(int(core), name, label)


_WHOLE = re.compile(r"-?[0-9]+")  # ASCII digits only (INTERCHANGE.md), not any Unicode digit


def check_whole(number: int, name: str, label: str) -> int:
    """A whole number within its column and DOMAIN.md's sense (months ≤ 600, members ≤ 10.000.000)."""
    if abs(number) > MAX_INT32:
        raise FieldProblem(msg("{label}: {number} quá lớn (tối đa {limit})", label=msg(label), number=str(number),
                               limit=str(MAX_INT32)))
    if name in MONTH_FIELDS and number > MAX_MONTHS:
        raise FieldProblem(msg("{label}: {number} tháng quá dài (tối đa {limit} tháng = 50 năm)", label=msg(label),
                               number=str(number), limit=str(MAX_MONTHS)))
    if name == "members" and number > MAX_MEMBERS:
        raise FieldProblem(msg("{label}: {number} không hợp lý (tối đa {limit})", label=msg(label),
                               number=str(number), limit=group_thousands(MAX_MEMBERS)))
    return number


def check_date(day: date, label: str) -> date:
    """A date between 01/01/2000 and the book's today (both included)."""
    today = options().today
    if day < EARLIEST:
        raise FieldProblem(msg("{label}: ngày {day} trước ngày {earliest}", label=msg(label), day=short_date(day),
                               earliest=short_date(EARLIEST)))
    if day > today:
        raise FieldProblem(msg("{label}: ngày {day} sau ngày hôm nay {today}", label=msg(label), day=short_date(day),
                               today=short_date(today)))
    return day


def check_rate(rate: Decimal, unit: str, label: str) -> Decimal:
    """A contract rate (``unit`` "year": %/năm, "month": %/tháng) within 0,5–30 %/năm unless confirmed."""
    if options().accept_unusual_rates:
        return rate
    yearly = rate * 12 if unit == "month" else rate
    if not RATE_LOW <= yearly <= RATE_HIGH:
        shown = decimal_comma_text(rate.normalize())
        per = N_("%/tháng") if unit == "month" else N_("%/năm")
        raise FieldProblem(msg(
            "{label}: {rate} {per} bất thường {usual}; nếu đúng là như vậy, nhập lại và xác nhận lãi suất bất thường",
            label=msg(label), rate=shown, per=msg(per), usual=msg(UNUSUAL_RATE)))
    return rate
