"""Nhập sổ cũ, our side: the fields of our layout (INTERCHANGE.md) with the header names that mean each, and how
one cell of the officer's workbook is read into a field's value: dates as Excel dates, as text "15/01/2024" or as
Excel serial numbers; money "1.000.000", "500 triệu", "1,5 tỷ" (``formatting.parse_money``, the one money parser);
rates "7,2", "7,2 %/năm", "0,6 %/tháng" or a percent cell; kinds in words ("Hợp tác xã", "Giải ngân"). What cannot
be read is handed on as written. Whether the import takes a number or date cell is asked of the import's own reader
(``import_problem``), never guessed here: the preview flags what the import refuses, no more, no less.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from fundapp.domain.messages import N_, Message
from fundapp.domain.numerals import AROUND, decimal_comma, to_decimal
from fundapp.formatting import fold, parse_money, plain_decimal

from .import_cells import FieldProblem, NumberText, PercentText, float_digits, whole_float
from .import_fields import (
    DAY_MONTH_YEAR,
    EXCEL_EPOCH,
    read_date,
    read_decimal,
    read_money,
    read_money_or_zero,
    read_whole,
)
from .import_read import Row

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


SHEET_LABELS = {"borrowers": N_("Khách hàng"), "loans": N_("Khoản vay"), "transactions": N_("Giao dịch"),
                "events": N_("Sự kiện (cơ cấu, miễn giảm, xóa nợ)"), "openings": N_("Số dư chuyển sang")}

_F = Field
FIELDS: tuple[Field, ...] = (
    _F("borrowers", "code", N_("Mã khách hàng"), "text", ("ma khach hang", "ma kh", "ma don vi", "ma htx", "ma"), True),
    _F("borrowers", "name", N_("Tên khách hàng"), "text", ("ten khach hang", "ten htx", "ten don vi", "ten to chuc",
                                                      "khach hang", "ten"), True),
    _F("borrowers", "kind", N_("Loại hình"), "borrower_kind", ("loai hinh", "loai hinh to chuc", "loai"), True),
    _F("borrowers", "tax_code", N_("Mã số thuế"), "text", ("ma so thue", "mst")),
    _F("borrowers", "province", N_("Tỉnh"), "text", ("tinh", "tinh/thanh pho", "tinh thanh")),
    _F("borrowers", "ward", N_("Xã/phường"), "text", ("xa/phuong", "xa phuong", "phuong/xa", "xa", "phuong", "dia ban")),
    _F("borrowers", "district", N_("Huyện (trước 1/7/2025)"), "text", ("huyen", "quan/huyen", "huyen/thi xa", "quan huyen")),
    _F("borrowers", "sector", N_("Ngành nghề"), "text", ("nganh nghe", "linh vuc", "nganh")),
    _F("borrowers", "members", N_("Số thành viên"), "int", ("so thanh vien", "thanh vien")),
    _F("borrowers", "representative", N_("Người đại diện"), "text", ("nguoi dai dien", "dai dien", "giam doc")),
    _F("borrowers", "phone", N_("Điện thoại"), "text", ("dien thoai", "so dien thoai", "sdt")),
    _F("borrowers", "address", N_("Địa chỉ"), "text", ("dia chi", "dia chi tru so")),
    _F("loans", "loan_no", N_("Số hợp đồng"), "text", ("so hop dong", "so hd", "so hdtd", "hop dong so", "ma khoan vay",
                                                  "hop dong"), True),
    _F("loans", "borrower_code", N_("Mã khách hàng vay"), "text", ("ma khach hang", "ma kh", "ma don vi", "ma htx"), True),
    _F("loans", "purpose", N_("Mục đích vay"), "text", ("muc dich vay", "muc dich", "du an")),
    _F("loans", "sector", N_("Ngành (khoản vay)"), "text", ("nganh nghe", "linh vuc", "nganh")),
    _F("loans", "amount", N_("Số tiền vay"), "money", ("so tien vay", "so tien cho vay", "so tien hop dong", "han muc",
                                                   "so tien"), True),
    _F("loans", "annual_rate", N_("Lãi suất (%/năm)"), "rate", ("lai suat nam", "lai suat %/nam", "lai suat (%/nam)",
                                                           "lai suat cho vay", "lai suat")),
    _F("loans", "monthly_rate", N_("Lãi suất (%/tháng)"), "rate", ("lai suat thang", "lai suat %/thang",
                                                              "lai suat (%/thang)")),
    _F("loans", "term_months", N_("Thời hạn vay (tháng)"), "int", ("thoi han vay", "thoi han", "so thang vay"), True),
    _F("loans", "frequency_months", N_("Kỳ hạn trả nợ (tháng)"), "int", ("ky han tra no", "ky tra no", "ky han",
                                                                    "dinh ky tra no")),
    _F("loans", "method", N_("Phương thức trả nợ"), "method", ("phuong thuc tra no", "phuong thuc", "cach tra no")),
    _F("loans", "grace_periods", N_("Số kỳ ân hạn gốc"), "int", ("so ky an han", "an han goc", "an han")),
    _F("loans", "overdue_factor", N_("Hệ số lãi quá hạn"), "decimal", ("he so lai qua han", "lai qua han bang")),
    _F("loans", "late_interest_rate", N_("Lãi chậm trả lãi (%/năm)"), "rate", ("lai suat cham tra", "lai cham tra lai")),
    _F("loans", "contract_date", N_("Ngày hợp đồng"), "date", ("ngay hop dong", "ngay ky hop dong", "ngay ky")),
    _F("transactions", "loan_no", N_("Số hợp đồng"), "text", ("so hop dong", "so hd", "hop dong so", "hop dong"), True),
    _F("transactions", "date", N_("Ngày giao dịch"), "date", ("ngay giao dich", "ngay chung tu", "ngay thu chi", "ngay"),
       True),
    _F("transactions", "kind", N_("Loại giao dịch"), "tx_kind", ("loai giao dich", "noi dung", "dien giai", "loai"), True),
    _F("transactions", "amount", N_("Số tiền"), "money", ("so tien giao dich", "so tien", "gia tri"), True),
    _F("transactions", "reference", N_("Số chứng từ"), "text", ("so chung tu", "chung tu", "so ct", "so phieu")),
    _F("events", "loan_no", N_("Số hợp đồng"), "text", ("so hop dong", "so hd", "hop dong"), True),
    _F("events", "date", N_("Ngày quyết định"), "date", ("ngay quyet dinh", "ngay"), True),
    _F("events", "kind", N_("Loại sự kiện"), "event_kind", ("loai su kien", "noi dung", "loai"), True),
    _F("events", "reference", N_("Số quyết định"), "text", ("so quyet dinh", "quyet dinh so", "so qd")),
    _F("events", "reason", N_("Lý do"), "text", ("ly do", "nguyen nhan")),
    _F("events", "extend_months", N_("Số tháng gia hạn"), "int", ("so thang gia han", "gia han")),
    _F("events", "grace_periods", N_("Số kỳ ân hạn gốc"), "int", ("so ky an han", "an han")),
    _F("events", "relief_of", N_("Loại lãi miễn, giảm"), "relief_of", ("loai lai", "loai lai mien giam")),
    _F("events", "amount", N_("Số tiền miễn, giảm"), "money", ("so tien mien giam", "so tien")),
    _F("openings", "loan_no", N_("Số hợp đồng"), "text", ("so hop dong", "so hd", "hop dong"), True),
    _F("openings", "as_of", N_("Ngày chuyển số dư"), "date", ("ngay chuyen so du", "so du den ngay", "ngay so du"), True),
    _F("openings", "first_disbursement_date", N_("Ngày giải ngân đầu tiên"), "date",
       ("ngay giai ngan dau tien", "ngay giai ngan"), True),
    _F("openings", "disbursed", N_("Số đã giải ngân"), "money0", ("so da giai ngan", "da giai ngan", "luy ke giai ngan"),
       True),
    _F("openings", "principal_outstanding", N_("Dư nợ gốc"), "money0", ("du no goc", "du no"), True),
    _F("openings", "principal_overdue", N_("Gốc quá hạn"), "money0", ("goc qua han", "no goc qua han", "no qua han"), True),
    _F("openings", "oldest_overdue_date", N_("Ngày đến hạn cũ nhất chưa trả"), "date",
       ("ngay qua han", "ngay den han cu nhat", "qua han tu ngay")),
    _F("openings", "interest_due_unpaid", N_("Lãi đến hạn chưa trả"), "money0",
       ("lai den han chua tra", "lai chua tra"), True),
    _F("openings", "interest_accrued", N_("Lãi dự thu trong kỳ"), "money0", ("lai du thu", "lai trong ky"), True),
    _F("openings", "overdue_interest", N_("Lãi quá hạn"), "money0", ("lai qua han",), True),
    _F("openings", "late_interest", N_("Lãi chậm trả"), "money0", ("lai cham tra",), True),
    _F("openings", "restructurings", N_("Số lần đã cơ cấu lại"), "int", ("so lan co cau", "da co cau")),
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
SERIALS = (36526, 73051)  # Excel day numbers of 01/01/2000 … 31/12/2099: a date cell saved as a plain number
DASHES = {"-", "–", "—"}


def read_value(kind: str, value: object) -> tuple[object, bool]:
    """(the cell read into our layout's value, True when it was read): a ``Field.kind`` and the cell as shown
    (``import_cells.sheet_value``). A value that cannot be read comes back as written, with False, and the import
    judges it as written. Read or not, whether the import takes a number or date cell is ``import_problem``'s to
    say (an amount «0» is read and refused; a factor «.5» is not read here and taken)."""
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
    m = DAY_MONTH_YEAR.fullmatch(text)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])), True
        except ValueError:
            return text, False
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return date.fromisoformat(text), True
        except ValueError:
            return text, False
    return text, False


def _money(value: object, zero_ok: bool) -> tuple[object, bool]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, True
    if isinstance(value, float):  # whole, or a formula's noise around a whole amount (as read_money reads it)
        whole = whole_float(value)
        return (whole, True) if whole is not None else (value, False)
    text = str(value).strip()
    if zero_ok and text in DASHES:
        return 0, True
    try:
        return parse_money(text), True
    except ValueError:
        return text, False


def _number(value: object, whole: bool) -> tuple[object, bool]:
    if isinstance(value, float) and value.is_integer():
        return int(value), True
    if isinstance(value, float) and not whole:  # a factor as Excel shows it (=1.1+0.1: "1.2"), as read_decimal reads it
        return NumberText(float_digits(value)), True
    if isinstance(value, int):  # an integer cell is whole: a count (12 tháng, 0 kỳ ân hạn) or a factor (1)
        return value, True
    if isinstance(value, float):  # a count with a fraction (12.5): handed on, the import refuses it
        return value, False
    if _odd_space(str(value)):  # «12\u200b» (a zero-width space): fold() would keep it, «1\u200b2» would be 12
        return str(value).strip(), False
    text = fold(str(value))
    text = re.sub(r"\s*(thang|ky|lan|nguoi|thanh vien)$", "", text).strip()
    # ASCII digits only (\d takes «１２», which the import refuses): «1,5», «1.5», «1e-7» as the import reads them
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text), True
    if not whole and re.fullmatch(r"-?[0-9]+(,[0-9]+|(\.[0-9]+)?(e[+-]?[0-9]+)?)", text):
        if abs(Decimal(text.replace(",", ".")).adjusted()) <= EXCEL_EXPONENT:
            return text, True  # a decimal comma kept as written: the import reads either, its refusals quote it so
    return str(value).strip(), False


RATE_UNITS = (("thang", "month"), ("nam", "year"))


def _odd_space(text: str) -> bool:
    """Whether ``text`` holds an invisible character that is no whitespace (``numerals.AROUND``, which every reader
    trims at a number's ends as ``str.strip()`` does): a zero-width space, a soft hyphen, a direction mark. A number
    cell's text holding one is not read (the import refuses it, ``numerals.numeral``). Whitespace inside a number
    («1\u30002») ``fold`` makes a plain space, which no number holds either."""
    return any(not ch.isprintable() and ch not in AROUND for ch in text)
EXCEL_EXPONENT = 308  # Excel holds no number beyond 10^±308: text past it is not read, the import names the field


def _rate(value: object) -> tuple[object, bool]:
    """A rate as our layout reads it ("7.2", or "7,2" as the officer wrote it: the import reads either and its
    refusals quote the officer's own writing); a text naming its unit ("0,6 %/tháng") is returned as
    ``RateText(number, unit)`` so the row goes to annual_rate or monthly_rate by what it says. A number cell's
    float is read as Excel shows it when its extra digits are binary noise (``import_cells.float_digits``) and,
    like a percent cell's text (cleaned by ``sheet_value``), handed on as a number cell's (``NumberText``: the
    import quotes it with the decimal comma); typed text keeps its digits as written. Text that is no
    number, or none a cell can hold («nan», «1.2345678901234567e999999999»), comes back as written with False."""
    if isinstance(value, float):
        return NumberText(float_digits(value)), True
    if isinstance(value, int | Decimal):
        return plain_decimal(value), True
    if isinstance(value, PercentText):  # its digits as they are (finite, no unit): still a number cell's
        return value, True
    if _odd_space(str(value)):
        return str(value).strip(), False
    text = fold(str(value))
    unit = next((u for word, u in RATE_UNITS if re.search(rf"(/|\b){word}\b", text)), None)
    # the spaces around «%» and the unit go, not those between digits: «7 2» is no rate (it was read 72)
    number = re.sub(r"\s*%\s*|\s*/?\s*(thang|nam)$", "", text.replace("/ ", "/")).rstrip("/")
    read = to_decimal(decimal_comma(number))  # ASCII digits, no «_»: «7_2» and «７,２» are no rate either
    if read is None or not read.is_finite() or abs(read.adjusted()) > EXCEL_EXPONENT:
        return str(value).strip(), False
    return (RateText(number, unit) if unit else number), True


@dataclass(frozen=True)
class RateText:
    """A rate read from text that names its unit: ``number`` ("0,6" as written, or "0.6") and ``unit`` ("month" or
    "year")."""

    number: str
    unit: str

    def __str__(self) -> str:
        return self.number


# -- what the import takes ----------------------------------------------------------------------------------
def _date_or_empty(row: Row, name: str, label: str) -> object:
    return read_date(row, name, label, required=False)


# the import's reader of each kind of number or date field, as services.import_checks calls it; a count is judged by
# read_whole (≥ 0) everywhere: a loan's months and periods are read by read_integer there, and refused below 0 by its terms
IMPORT_READERS = {"date": _date_or_empty, "money": read_money, "money0": read_money_or_zero, "rate": read_decimal,
                  "decimal": read_decimal, "int": read_whole}


def import_problem(f: Field, value: object) -> Message | None:
    """Why the import refuses ``value`` in field ``f`` on its own, or None when it takes it: ``value`` is the cell
    as ``read_value`` hands it to the import (a ``RateText`` goes as its number), judged by the import's own reader
    of the field's kind (``IMPORT_READERS``) with its limits — 1 đồng to 10^15 đồng (0 in an opening's figures),
    dates from 01/01/2000 to the book's today (``import_cells.options``: the caller sets the book's), a rate or
    factor of at most 16 characters below 1,000,000, a count ≥ 0 within its column (months ≤ 600). None as well
    for an empty cell (whether it may be empty is its row's), a text or word field (``read_value`` says), and what
    only the row as a whole decides: the loan's terms together (``LoanTerms``: a frequency of 1, 3, 6 or 12 months,
    a factor ≤ 1,5 …) and an unusual rate, which the officer confirms when checking."""
    reader = IMPORT_READERS.get(f.kind)
    if reader is None or (isinstance(value, str) and not value.strip()):
        return None
    row = Row("", 0, {f.name: value.number if isinstance(value, RateText) else value})
    try:
        reader(row, f.name, f.label)
    except FieldProblem as err:
        return err.msg
    return None
