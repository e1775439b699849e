"""Reading one field of an import's row into its value, or refusing it with its reason (``FieldProblem``, reported
as ``file:line: reason``): text, codes, money (whole đồng), dates, whole numbers, decimals and the loan's rate
(INTERCHANGE.md; the limits are services.import_cells').
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fundapp.domain.events import Kind
from fundapp.domain.messages import N_, Message, msg
from fundapp.domain.money import quoted_amount
from fundapp.domain.numerals import AROUND, numeral, to_decimal
from fundapp.domain.terms import MAX_PLACES
from fundapp.formatting import nfc, short_date

from .codes import code_message
from .errors import IN_BOOK_REFERENCE
from .import_cells import (
    EARLIEST,
    MAX_AMOUNT,
    RATE_LOW,
    FieldProblem,
    NumberText,
    PercentText,
    Unreadable,
    check_date,
    check_money,
    check_rate,
    check_text,
    decimal_comma,
    float_digits,
    options,
    shown_number,
    whole_float,
    whole_number,
)
from .import_read import Row

RATE_COLUMNS = ("annual_rate", "monthly_rate")
DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() takes «１２» and «²»
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TRANSACTION_KINDS = {"disbursement": Kind.DISBURSEMENT, "repayment": Kind.REPAYMENT}
TRANSACTION_FIELDS = ("date", "kind", "amount", "reference")

CODE_FIELDS = {"code": N_("mã khách hàng (code)"), "borrower_code": N_("mã khách hàng (borrower_code)"),
               "loan_no": N_("số hợp đồng (loan_no)")}


def _raw(row: Row, name: str) -> object:
    """The cell's value; an .xlsx cell that cannot be read as shown (an error, true/false) refuses the row."""
    value = row.values.get(name, "")
    if isinstance(value, Unreadable):
        raise FieldProblem(msg("{name}: {value} — không đọc được; ghi giá trị thường (số, chữ hoặc ngày)", name=name,
                               value=value.shown))
    return value


def read_text(row: Row, name: str) -> str:
    """Column ``name`` of ``row`` as text (NFC; a whole number cell as its digits, a date cell as YYYY-MM-DD) that
    fits its column and holds no control character; codes (code, borrower_code, loan_no) in the safe alphabet
    (services.codes). "" when empty. Raises ``FieldProblem`` with the reason."""
    value = _raw(row, name)
    if type(value) is not str:  # text, the common case (every xlsx row's kind and reference), checked once
        if type(value) is PercentText:  # members, a tax code… shown «5500%»: no text means that
            raise _percent_cell(value, name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            value = value.isoformat()[:10]
    text = check_text(nfc(str(value)), name)
    if text and name in CODE_FIELDS:
        problem = code_message(text, CODE_FIELDS[name])
        if problem:
            raise FieldProblem(problem)
    return text


def read_text_or_empty(row: Row, name: str) -> str:
    """``read_text``, or "" when the field is bad (its row reports the problem where it is checked)."""
    try:
        return read_text(row, name)
    except FieldProblem:
        return ""


def read_money(row: Row, name: str, label: str) -> int:
    """Whole đồng > 0 in column ``name`` of ``row`` (ASCII digits, or a whole number cell: ``whole_float``), at most
    10^15 đồng (import_cells.check_money); ``label`` names the field in Vietnamese in the reason. Raises
    ``FieldProblem`` when empty, not digits (no thousands separator, no decimals, no unit), 0 or below (a text
    «-5» as a number cell -5 is: «phải lớn hơn 0 đồng (nhận được -5)»; it was told it was not digits) or too large."""
    number = _money_number(row, name, label)
    if number <= 0:
        raise FieldProblem(msg("{label}: phải lớn hơn 0 đồng (nhận được {number})", label=msg(label),
                               number=quoted_amount(number)))
    return check_money(number, label)


def _money_number(row: Row, name: str, label: str) -> int:
    """The whole number of đồng column ``name`` of ``row`` writes, 0 and below included: ASCII digits with a minus
    sign or not, or a whole number cell. Raises ``FieldProblem`` (naming ``label``) for anything else."""
    value = _raw(row, name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and (whole := whole_float(value)) is not None:
        return whole
    if isinstance(value, float) and math.isfinite(value):  # a number cell with a fraction of a đồng
        raise FieldProblem(msg("{label}: «{text}» có phần lẻ nhỏ hơn 1 đồng — số tiền phải là số đồng nguyên",
                               label=msg(label), text=shown_number(value)[:40]))
    if type(value) is PercentText:
        raise _percent_cell(value, label)
    text = str(value).strip(AROUND)  # any whitespace around the digits, as str.strip(); inside it is refused
    if not text.strip():
        raise FieldProblem(msg("{label}: bỏ trống", label=msg(label)))
    if not DIGITS.fullmatch(text.removeprefix("-")):  # «-5» is a number, below 0: refused as such by the caller
        _refuse_typed_amount(text, label)
        raise FieldProblem(msg("{label}: «{text}» không hợp lệ — chỉ ghi chữ số, đơn vị đồng, không dấu chấm, "
                               "dấu phẩy hay chữ", label=msg(label), text=text[:40]))
    if len(text) > 20:
        raise FieldProblem(msg("{label}: số có {digits} chữ số, quá lớn (tối đa 10^15 đồng)", label=msg(label),
                               digits=str(len(text.removeprefix("-")))))
    return int(text)


CURRENCY = re.compile(r"\s*(?:đồng|đ|vnđ|vnd|₫)\s*$|^\s*(?:vnđ|vnd|₫)\s*", re.IGNORECASE)
MINUS = re.compile(r"^(?:[-\u2212\u2012\u2013](?=\s*[0-9])|\((?=.*\)$))")  # «−5», «-5», «(5)»: negatives
GROUPED = {sep: re.compile(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}}){rep}") for sep, rep in
           ((".", "+"), (",", "+"), (" ", "+"), ("\u00a0", "+"), ("\u202f", "+"), ("'", "+"))}
ZERO_FRACTION = {".": re.compile(r",0{1,2}"), ",": re.compile(r"\.0{1,2}"), "": re.compile(r"[.,]0{1,2}")}


def _refuse_typed_amount(text: str, label: str) -> None:
    """Raise ``FieldProblem`` saying what to type when ``text`` (money read_money cannot read) is a whole amount
    written as Excel or the officer shows it: thousands grouped with one kind of mark in threes («1.000.000»,
    «230 000 000», «1,460,000,000»), a zero fraction of the other mark («230.000.000,00», «230000000.0»), a unit
    («đ», «VNĐ», «₫»); and when it is negative («−5.000.000» with U+2212, «(5.000.000)»). A single mark before three
    digits («1.000»: a thousand, or one with three decimals?) is no grouping it names; nothing raised then, nor for any
    other text. Only on the refusal path: none of it is ever read as an amount."""
    core = CURRENCY.sub("", text).strip(AROUND)
    negative = MINUS.match(core)
    if negative:
        core = core[negative.end():].removesuffix(")") if core.startswith("(") else core[negative.end():]
        core = CURRENCY.sub("", core).strip(AROUND)
    digits = None
    if DIGITS.fullmatch(core) and core != text:
        digits = core
    for sep, grouped in GROUPED.items():
        if digits is not None:
            break
        body, fraction = core, ""
        cut = ZERO_FRACTION.get(sep, ZERO_FRACTION[""]).search(core)
        if cut and cut.end() == len(core):
            body, fraction = core[:cut.start()], core[cut.start():]
        if grouped.fullmatch(body) and (body.count(sep) > 1 or sep not in ".," or fraction):
            digits = body.replace(sep, "")
    if digits is None:
        cut = ZERO_FRACTION[""].search(core)
        if cut and cut.end() == len(core) and DIGITS.fullmatch(core[:cut.start()]):
            digits = core[:cut.start()]
    if digits is None:
        return
    digits = digits.lstrip("0") or "0"
    if negative and digits != "0":  # «−0» is 0, as «-0» is
        raise FieldProblem(msg("{label}: «{text}» là số âm — số tiền không được âm", label=msg(label),
                               text=text[:40]))
    raise FieldProblem(msg("{label}: «{text}» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng "
                           "hay đơn vị: {digits}", label=msg(label), text=text[:40], digits=digits))


def _percent_cell(value: PercentText, label: str) -> FieldProblem:
    """The problem of a percent-formatted cell in a column of đồng, of a count or of text: Excel shows 2300000 as
    «230000000%»; neither the figure it holds nor the one it shows is read (which did the officer mean?)."""
    return FieldProblem(msg("{label}: ô định dạng phần trăm (Excel hiện «{shown}%») — đổi định dạng ô sang kiểu số "
                            "(Number) rồi ghi đúng số", label=msg(label), shown=shown_number(value)[:40]))


def plain_transaction(values, today: date, reference_limit: int) -> tuple[date, Kind, int, str] | None:
    """A transactions.csv row's (date, kind, amount, reference) when each field (``values``: the row's cells) is in
    its plain form — an ISO date from 01/01/2000 to ``today``, the kind in lower case, an amount of ASCII digits
    from 1 to 10^15 đồng, a reference of printable ASCII of at most ``reference_limit`` characters — which is what
    ``read_date``, ``read_text`` and ``read_money`` make of it, read at a fraction of their cost (900,000 rows);
    None for any other row, which then goes through them (and they say what is wrong). The reference's uniqueness is the
    caller's (``read_reference``)."""
    pick = getattr(values, "pick", None)  # import_read's cells, as read; else a mapping of cleaned cells
    cells = pick(TRANSACTION_FIELDS) if pick is not None else tuple(values.get(n) for n in TRANSACTION_FIELDS)
    if cells is None:
        return None
    on, kind, amount, reference = cells
    if not (type(on) is str and type(kind) is str and type(amount) is str and type(reference) is str):
        return None
    kind = TRANSACTION_KINDS.get(kind)
    if (kind is None or len(on) != 10 or not ISO_DAY.fullmatch(on) or not amount.isascii() or not amount.isdigit()
            or len(amount) > 16 or not reference.isascii() or not reference.isprintable()
            or len(reference) > reference_limit):
        return None
    try:
        day = date.fromisoformat(on)
    except ValueError:
        return None
    number = int(amount)
    if not (EARLIEST <= day <= today and 0 < number <= MAX_AMOUNT) or reference != reference.strip():  # " x": cleaned
        return None
    return day, kind, number, reference


def transaction_fields(row: Row, seen: set[str], refs: set[str], today: date,
                       reference_limit: int) -> tuple[date, Kind, int, str]:
    """A transactions.csv row's (date, kind, amount, reference): ``plain_transaction`` when the row is plain and its
    reference new, else each field read and checked on its own (``read_date``, ``read_text``, ``read_money``,
    ``read_reference``), which raise ``FieldProblem`` with the first field's problem."""
    plain = plain_transaction(row.values, today, reference_limit)
    if plain is not None and plain[3] not in seen and plain[3] not in refs:
        return plain
    on = read_date(row, "date", N_("ngày (date)"))
    kind = read_text(row, "kind").lower()
    if kind not in TRANSACTION_KINDS:
        raise FieldProblem(msg("loại giao dịch (kind) «{kind}» không hợp lệ: disbursement (giải ngân) hoặc "
                               "repayment (thu nợ)",
                       kind=kind))
    amount = read_money(row, "amount", N_("số tiền (amount)"))
    reference = read_reference(row, N_("số chứng từ"), seen, refs)
    assert on is not None
    return on, TRANSACTION_KINDS[kind], amount, reference


def read_reference(row: Row, what: str, seen: set[str], refs: set[str]) -> str:
    """The row's ``reference`` (``what`` names it: số chứng từ, số quyết định), "" or one not earlier in the file
    (``seen``) nor in the book (``refs``). Raises ``FieldProblem``; the caller adds it to ``seen`` once the row is
    good."""
    reference = read_text(row, "reference")
    if reference and (reference in seen or reference in refs):
        if reference in seen:
            raise FieldProblem(msg("{what} (reference) «{reference}» bị trùng trong tệp", what=msg(what),
                                   reference=reference))
        raise FieldProblem(msg(IN_BOOK_REFERENCE, what=msg(what), reference=reference))
    return reference


def read_date(row: Row, name: str, label: str, required: bool = True) -> date | None:
    """Column ``name`` of ``row`` as a date (ISO text YYYY-MM-DD or a date cell) between 01/01/2000 and the book's
    today; None when empty and not ``required``. Raises ``FieldProblem`` naming ``label`` otherwise."""
    value = _raw(row, name)
    if isinstance(value, datetime):
        return check_date(value.date(), label)
    if isinstance(value, date):
        return check_date(value, label)
    text = str(value).strip()
    if not text:
        if required:
            raise FieldProblem(msg("{label}: bỏ trống", label=msg(label)))
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise FieldProblem(_date_problem(value, text, label)) from None
    return check_date(day, label)


# «05/01/2024», «5.1.2024», «5-1-2024» (ASCII digits: \d takes «１５» too); the old workbook's dates read it too
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
LOOSE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9:.]*)?")  # «2024-1-5», «2024-01-05 00:00:00»
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 for serials past 28/02/1900 (its 1900 leap-year bug before it)


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_problem(value: object, text: str, label: str) -> Message:
    """Why ``text`` (the cell ``value`` as text) is no ISO date, saying what to type: the ISO date it writes when only
    one reading exists («30/01/2022», «2024-1-5», «2022-02-04 00:00:00» → ghi 2022-01-30…), both when the day and the
    month could be swapped («04/02/2022»: 2022-02-04 if it is 4 February, 2022-04-02 if 2 April: never guessed), or
    the day an Excel date serial stands for (a number cell not formatted as a date: 44596 is 04/02/2022). Only on the
    refusal path."""
    plain = msg("{label}: «{text}» không phải ngày hợp lệ theo dạng YYYY-MM-DD", label=msg(label), text=text[:40])
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None and DIGITS.fullmatch(text) and len(text) <= 6:
        number = int(text)
    if number is not None and float(number).is_integer() and (EARLIEST - EXCEL_EPOCH).days <= number <= 2958465:
        day = EXCEL_EPOCH + timedelta(days=int(number))
        if day <= options().today:
            return msg("{label}: «{text}» là một số, không phải ngày; nếu đó là ngày {day} Excel lưu dưới dạng số (ô "
                       "chưa định dạng kiểu ngày) thì ghi {iso} hoặc định dạng ô kiểu ngày", label=msg(label),
                       text=text[:40], day=short_date(day), iso=day.isoformat())
        return plain
    loose = LOOSE_ISO.fullmatch(text)
    if loose:
        day = _day(*loose.groups())
        return msg("{label}: «{text}» — ghi ngày theo dạng YYYY-MM-DD: {iso}", label=msg(label), text=text[:40],
                   iso=day.isoformat()) if day else plain
    parts = DAY_MONTH_YEAR.fullmatch(text)
    if not parts:
        return plain
    first, second, year = parts.groups()
    as_day_month, as_month_day = _day(year, second, first), _day(year, first, second)
    if as_day_month and as_month_day and as_day_month != as_month_day:
        return msg("{label}: «{text}» — ghi ngày theo dạng YYYY-MM-DD: {one} nếu là ngày {d1} tháng {m1}, {other} nếu "
                   "là ngày {d2} tháng {m2}", label=msg(label), text=text[:40], one=as_day_month.isoformat(),
                   d1=str(as_day_month.day), m1=str(as_day_month.month), other=as_month_day.isoformat(),
                   d2=str(as_month_day.day), m2=str(as_month_day.month))
    day = as_day_month or as_month_day
    return msg("{label}: «{text}» — ghi ngày theo dạng YYYY-MM-DD: {iso}", label=msg(label), text=text[:40],
               iso=day.isoformat()) if day else plain


def read_integer(row: Row, name: str, label: str, default: int | None = None) -> int:
    """Column ``name`` of ``row`` as a whole number (may be negative) within its column and DOMAIN.md's sense
    (import_cells.check_whole); ``default`` when empty and one is given. Raises ``FieldProblem`` naming ``label``."""
    value = _raw(row, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is PercentText:
        raise _percent_cell(value, label)
    text = str(value)
    if not text.strip() and default is not None:
        return default
    # a number cell (2.4, =12/5) is quoted as Excel under Vietnamese settings shows it: «2,4», not «2.4» (twenty-four)
    return whole_number(text, name, label, shown_number(value) if isinstance(value, float | NumberText) else None)


def read_decimal(row: Row, name: str, label: str, default: str | None = None) -> Decimal:
    """A decimal number: a dot or a decimal comma ("7,2", Excel under Vietnamese settings), or a number cell's float
    as Excel shows it when its extra digits are binary noise (``import_cells.float_digits``: =1.1+0.1 reads 1.2);
    at most 16 characters as stored (the rate columns hold 16), below 1,000,000; ``Decimal(default)`` when empty and
    one is given. Raises ``FieldProblem`` naming ``label``, quoting typed text as written («9,6…» stays «9,6…») and a
    number cell (a float, ``import_cells.NumberText``: a percent cell's) as Excel under Vietnamese settings shows
    it, with the decimal comma (``import_cells.shown_number``), and offering a rounding with that same mark."""
    value = _raw(row, name)
    number_cell = isinstance(value, float | NumberText)  # shown by Excel with the decimal comma: quoted so
    written = float_digits(value) if isinstance(value, float) else str(value).strip(AROUND)
    if not written.strip() and default is not None:
        return Decimal(default)
    text = decimal_comma(written)
    quoted = (shown_number(written) if number_cell else written)[:40]
    if numeral(text) is None:  # «1_5», «７,２», «1\u30005»: Decimal() would read the first two
        raise FieldProblem(msg("{label}: «{text}» không phải số", label=msg(label), text=quoted))
    if "," in text:
        _refuse_percent_sign(name, label, written, quoted)
        raise FieldProblem(msg("{label}: «{text}» — dùng một dấu phẩy (hoặc dấu chấm) cho phần thập phân, ví dụ 6,6",
                               label=msg(label), text=quoted))
    number = to_decimal(text)
    if number is None or not number.is_finite():
        _refuse_percent_sign(name, label, written, quoted)
        raise FieldProblem(msg("{label}: «{text}» không phải số", label=msg(label), text=quoted))
    # abs() would overflow on 1e999999999; more than MAX_PLACES places («1e-999999999») the terms refuse anyway, but
    # checked here first it is named as written, before a rate's «0 %/năm bất thường»
    if number.copy_abs() >= 10**6 or len(str(number)) > 16 or number.as_tuple().exponent < -MAX_PLACES:
        rounded = _rounded_to_fit(number)
        if rounded is not None:
            if number_cell or text != written:  # a number cell, or text written with a decimal comma
                rounded = rounded.replace(".", ",")
            raise FieldProblem(msg("{label}: «{text}» có quá nhiều chữ số (tối đa 16 ký tự) — làm tròn theo số hợp đồng "
                                   "ghi, ví dụ {rounded}", label=msg(label), text=quoted, rounded=rounded))
        raise FieldProblem(msg("{label}: «{text}» quá lớn hoặc quá nhiều chữ số (tối đa 16 ký tự, dưới 1.000.000)",
                               label=msg(label), text=quoted))
    return number


def _refuse_percent_sign(name: str, label: str, written: str, quoted: str) -> None:
    """Raise ``FieldProblem`` saying what to type when ``written`` (a cell read_decimal cannot read) is a number with
    a percent sign, «7,8%» or «7.8 %»: a rate column holds its percent without the sign («7,8»), the overdue factor
    a multiple («150%» is 1.5; «150,0%» is 1,5: the officer's decimal mark); nothing raised for any other text. Only on the refusal path: the sign is never read."""
    if not written.endswith("%"):
        return
    core = written[:-1].strip(AROUND)
    number = to_decimal(decimal_comma(core))
    if number is None or not number.is_finite() or number < 0 or len(core) > 16:
        return
    comma = "," in core
    if name == "overdue_factor":
        factor = format((number / 100).normalize(), "f")
        raise FieldProblem(msg("{label}: «{text}» — hệ số ghi bằng số, không kèm dấu %: {percent}% là {factor}",
                               label=msg(label), text=quoted, percent=core,
                               factor=factor.replace(".", ",") if comma else factor))
    raise FieldProblem(msg("{label}: «{text}» — ghi số phần trăm, không kèm dấu %: {number}", label=msg(label),
                           text=quoted, number=core))


def _rounded_to_fit(number: Decimal) -> str | None:
    """``number`` (below 1,000,000) rounded half up to the most decimal places a 16-character column writes, with
    no trailing zero, as the officer would type it («6.666666666666667» → «6.66666666666667», «8.121387283236995»
    → «8.121387283237»); None when it is negative (no rate or factor is), or too large, or rounds to 0 or to
    1,000,000 (1e-20, 999999.99999999999: no figure the column takes)."""
    if number < 0 or number >= 10**6:
        return None
    places = min(MAX_PLACES, 16 - len(str(int(number))) - 1)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if not rounded or rounded >= 10**6:
        return None
    return format(rounded.normalize(), "f")


def read_loan_rate(row: Row) -> dict:
    """The loan's rate and its unit: ``annual_rate`` (%/năm) or ``monthly_rate`` (%/tháng, kept as stated:
    DOMAIN.md "Money and rates"), exactly one of the two. Raises ``FieldProblem``."""
    given = [c for c in RATE_COLUMNS if str(row.values.get(c, "")).strip()]
    if len(given) != 1:
        if given:
            raise FieldProblem(msg("ghi đúng một trong hai cột: lãi suất năm (annual_rate, %/năm) hoặc lãi suất tháng "
                                   "(monthly_rate, %/tháng) — dòng này ghi cả hai"))
        raise FieldProblem(msg("ghi đúng một trong hai cột: lãi suất năm (annual_rate, %/năm) hoặc lãi suất tháng "
                               "(monthly_rate, %/tháng) — dòng này bỏ trống cả hai"))
    if given[0] == "monthly_rate":
        label = N_("lãi suất tháng (monthly_rate)")
        return dict(rate=check_rate(read_decimal(row, "monthly_rate", label), "month", label), rate_unit="month")
    label = N_("lãi suất năm (annual_rate)")
    return dict(rate=check_rate(read_decimal(row, "annual_rate", label), "year", label), rate_unit="year")



def read_late_rate(row: Row) -> Decimal:
    """The loan's late-payment interest rate (%/năm, ``late_interest_rate``; 10 when empty: DOMAIN.md). One above 0
    and below 0,5 %/năm («0.1») is the fraction of a percentage as often as the percentage itself (10 % typed as
    0.1): it needs the officer's confirmation, as an unusual contract rate does (``check_rate``); 0 (no late
    interest) does not. Raises ``FieldProblem``."""
    label = N_("lãi chậm trả (late_interest_rate)")
    rate = read_decimal(row, "late_interest_rate", label, "10")
    if 0 < rate < RATE_LOW:
        check_rate(rate, "year", label)
    return rate


def read_whole(row: Row, name: str, label: str, default: int | None = None) -> int:
    """A whole number ≥ 0 (months, periods, a count). Raises ``FieldProblem``."""
    number = read_integer(row, name, label, default)
    if number < 0:
        raise FieldProblem(msg("{label}: không được âm (nhận được {number})", label=msg(label), number=str(number)))
    return number


def read_money_or_zero(row: Row, name: str, label: str) -> int:
    """Whole đồng ≥ 0 (an opening's figure may be 0; empty reads 0). Raises ``FieldProblem``: below 0 «không được
    âm (nhận được -5)», as ``read_whole``, and what ``read_money`` refuses."""
    value = row.values.get(name, "")
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0
    if not str(value).strip() or str(value).strip(AROUND) == "0":
        return 0
    number = _money_number(row, name, label)
    if number < 0:  # 0 is taken here: «phải lớn hơn 0» would say otherwise
        raise FieldProblem(msg("{label}: không được âm (nhận được {number})", label=msg(label),
                               number=quoted_amount(number)))
    return check_money(number, label)  # «-0» is 0

