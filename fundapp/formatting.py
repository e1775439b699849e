"""Vietnamese formatting and text folding shared by the documents, the GUI and the command line.

Money goes through babel (vi_VN): ``9.450.000.000 đ``. babel rounds half-even and writes a
no-break space before ₫, so amounts here are whole đồng already (rounded by the domain) and
the unit is written ``đ`` as Vietnamese documents do.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal

from fundapp.domain.dates import day_month_year
from fundapp.domain.messages import N_, Message, msg
from fundapp.domain.money import format_dong, group_thousands, quoted_amount  # noqa: F401  (the one grouping, for every layer)
from fundapp.domain.numerals import AROUND, decimal_comma, to_decimal, unsigned_zero
from fundapp.domain.terms import (  # noqa: F401  (a rate as text without exponent — with a decimal comma — for every layer)
    MAX_PLACES,
    decimal_comma_text,
    plain_decimal,
)

LOCALE = "vi_VN"

# A str as one JSON string, exactly as json.dumps(..., ensure_ascii=False) writes it ('"' and '\\' and control
# characters escaped, Vietnamese letters as they are): json's own C encoder. The one canonical JSON string of the
# journal's hashes (ledger.journal) and of the command line's streamed JSON (cli.output).
json_string = json.encoder.encode_basestring


def vnd(amount: int) -> str:
    """9450000000 → "9.450.000.000 đ": ``domain.money.format_dong``, the one way an amount is written with its unit
    (papers, refusals, the command line; a normal space before «đ»: documents wrap on it)."""
    return format_dong(amount)


def decimal_vi(value: Decimal | int | str, places: int | None = None) -> str:
    """6.6 → "6,6"; ``places`` fixes the number of decimals."""
    d = Decimal(str(value))
    if places is None:
        exponent = d.normalize().as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(d, format=pattern, locale=LOCALE, decimal_quantization=True)


_DOT_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
SHOWN_WHOLE_DIGITS = 16  # a figure a 16-character column holds: longer is shown back as written, never padded out


def decimal_shown(value: Decimal | int | str) -> str:
    """A rate, factor or percent an officer typed (or a cell held) shown back to them: plain, with the Vietnamese
    decimal comma, its digits as given — "1E-7" → "0,0000001", "15.5" or "15,5" → "15,5", Decimal("7.80") → "7,80",
    "1E+3" → "1000" (no grouping: the text is typed back as is), a zero without a sign («-0» an older book stored →
    "0": ``numerals.unsigned_zero``). Text is read as every number the program reads (``numerals.to_decimal`` after
    ``numerals.decimal_comma``): text that is none («７,２», «1_5»), no finite number, or one whose plain form would
    run past ``MAX_PLACES`` decimal places or 16 whole digits («1e-999999999»), comes back as written (the check that
    refuses it quotes it so), a decimal dot still the comma («6.666666666666667» → «6,666666666666667»)."""
    if isinstance(value, Decimal):
        number, written = value, str(value)
    else:
        written = str(value).strip()
        read = to_decimal(decimal_comma(written))
        if read is None:
            return written
        number = read
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or exponent < -MAX_PLACES \
            or number.adjusted() >= SHOWN_WHOLE_DIGITS:
        return written.replace(".", ",") if _DOT_DECIMAL.fullmatch(written) else written
    return decimal_comma_text(unsigned_zero(number))


RATE_UNITS = {"year": N_("{rate} %/năm"), "month": N_("{rate} %/tháng")}  # English "%/year", "%/month"


def rate_message(value: Decimal | str, unit: str = "year") -> Message:
    """A rate in percent (``unit`` "year": %/năm, "month": %/tháng, as a contract states it) as a Message: 6.6 →
    "6,6 %/năm", rendered "6,6 %/year" in English (``str(message)``: the officer's language). The number keeps the
    Vietnamese decimal comma in both languages, as the page's money does. DOMAIN.md "Terms"."""
    return msg(RATE_UNITS["year" if unit == "year" else "month"], rate=decimal_vi(value))


def rate(value: Decimal | str, unit: str = "year") -> str:
    """The papers' rate, Vietnamese whatever the officer's language: 6.6 → "6,6 %/năm", a monthly contract rate
    → "0,5 %/tháng" (``rate_message`` rendered in the source language). The GUI shows ``rate_message``."""
    return rate_message(value, unit).render()


def percent(value: Decimal | str, places: int = 2) -> str:
    """12.5 → "12,50 %" (a value already in percent)."""
    return f"{decimal_vi(value, places)} %"


def short_date(d: date | None) -> str:
    """dd/MM/yyyy, the year always in four digits (``domain.dates.day_month_year``); "" for None."""
    return day_month_year(d) if d else ""


def local_time(t: datetime) -> datetime:
    """A stored time (timezone-aware: the ledger reads every ``*_at`` column as UTC on SQLite and PostgreSQL alike)
    in the officer's local zone, the one the GUI, the command line and the papers show. Raises ValueError for a
    naive time, whose zone nobody knows."""
    if t.tzinfo is None:
        raise ValueError(f"a stored time without its zone: {t.isoformat()}")
    return t.astimezone()


def short_date_time(t: datetime | None, seconds: bool = False) -> str:
    """A stored time in the officer's local zone (``local_time``), dd/MM/yyyy HH:MM (``seconds``: HH:MM:SS); ""
    for None."""
    if t is None:
        return ""
    local = local_time(t)
    return f"{day_month_year(local)} {local:%H:%M:%S}" if seconds else f"{day_month_year(local)} {local:%H:%M}"


def month_year(d: date) -> str:
    """The month of ``d``, mm/yyyy: «11/2024»."""
    return f"{d.month:02d}/{d.year:04d}"


def long_date(d: date, place: str = "") -> str:
    """Decree 30's place and date: "Quảng Trị, ngày 20 tháng 02 năm 2024".

    Day under 10 and months 1 and 2 take a leading zero ("ngày 05 tháng 3 năm 2024").
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    text = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, {text}" if place else text


def nfc(text: str | None) -> str:
    """Text as stored: NFC, outer spaces trimmed (NFD from some keyboards renders badly in PDFs)."""
    return unicodedata.normalize("NFC", text or "").strip()


_VARIANTS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """A search key that ignores case and diacritics: "Hợp tác xã Đakrông" → "hop tac xa dakrong".

    "Hoà"/"Hòa" and "Thuỷ"/"Thủy" fold alike; đ, which has no decomposition, maps to d.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_VARIANTS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


ABBREVIATIONS = (("lhhtx", "lien hiep hop tac xa"), ("htx", "hop tac xa"), ("tht", "to hop tac"))


def search_key(*fields: str | None) -> str:
    """The folded fields, with the usual abbreviations added both ways ("HTX" ↔ "Hợp tác xã")."""
    key = " ".join(fold(f) for f in fields if f)
    words = set(key.split())
    extra = [short for short, full in ABBREVIATIONS if full in key]
    extra += [full for short, full in ABBREVIATIONS if short in words]
    return " ".join([key, *extra]) if extra else key


def matches(query: str, key: str) -> bool:
    """Every word of the folded query appears in ``key`` (a ``search_key``)."""
    return all(w in key for w in fold(query).split())


_UNITS = {"nghìn": 10**3, "nghin": 10**3, "ngàn": 10**3, "ngan": 10**3, "k": 10**3, "triệu": 10**6, "trieu": 10**6,
          "tr": 10**6, "tỷ": 10**9, "ty": 10**9, "tỉ": 10**9, "ti": 10**9}


_COMMA_GROUPED = re.compile(r"[1-9][0-9]{0,2}(,[0-9]{3})+")  # no leading zero: "0,500" is no grouping
_ZERO_COMMA_THREE = re.compile(r"0,([0-9]{3})")  # "0,500": refused, but its writer may have meant 500 đồng
_AMOUNT_CHARACTERS = frozenset("0123456789.,")  # ASCII digits: str.isdigit() also takes «１５０», «١٥٠» and «²»


def parse_money(text: str) -> int:
    """An amount typed by an officer → đồng: "9.450.000.000", "500 triệu", "9,45 tỷ", "1,5tr", "250k".

    Dots group thousands; a comma is the decimal mark (Vietnamese), except in a bare number grouped by commas in
    threes ("500,000", "1,234,567": English settings), which reads as grouped. A comma and three digits before a unit
    ("1,500 triệu") could mean either and is refused, as is a comma followed by a dot ("500,000.00"). Raises
    ``AmountError`` (a ValueError
    whose ``msg`` is the translatable message, str() the Vietnamese) for anything else, or for a fraction of
    a đồng; the fraction of a bare "0,500" (a group of thousands never starts with 0) says what to write for the
    grouped reading ("Nếu là 500 đồng, hãy viết 500.").
    """
    # the whitespace around it goes (numerals.AROUND, as str.strip()); inside, «\u3000» or «１５０» is no amount
    raw = unicodedata.normalize("NFC", text or "").lower().replace("đồng", "").replace("đ", "").replace("vnd", "")
    raw = raw.strip(AROUND)
    if not raw.strip():
        raise AmountError(msg(N_("Chưa nhập số tiền")))
    if raw[0] in _MINUS and raw[1:2] not in ("", *_MINUS):  # «-5», «-1,5 triệu»: a number, and below 0
        value = _unsigned_money(raw[1:].strip(AROUND), text)
        if value:
            raise AmountError(msg("Số tiền không được âm (nhận được {amount})", amount=quoted_amount(-value)),
                              negative=-value)
        return 0  # «-0» is 0
    return _unsigned_money(raw, text)


_MINUS = ("-", "\u2212", "\u2013")  # the hyphen-minus, the minus sign, an en dash a word processor put for one


def _unsigned_money(raw: str, text: str) -> int:
    """``parse_money`` of ``raw`` (``text`` lower-cased, «đồng» dropped, stripped; without a sign), quoting ``text``."""
    unit = 1
    for word in sorted(_UNITS, key=len, reverse=True):
        if raw.endswith(word):
            unit, raw = _UNITS[word], raw[: -len(word)].strip(AROUND)
            break
    number = raw.replace(" ", "").replace("\u00a0", "")
    if unit == 1 and _COMMA_GROUPED.fullmatch(number):  # "500,000": Excel under English settings, never 500 đồng
        number = number.replace(",", "")
    if not number or not all(ch in _AMOUNT_CHARACTERS for ch in number) or number.count(",") > 1:
        raise AmountError(msg("«{text}» không phải số tiền (ví dụ 9.450.000.000 hoặc 500 triệu)", text=text))
    whole, _, frac = number.partition(",")
    if "." in frac:  # "500,000.00", "1,000.000": a comma then a dot reads neither way
        raise AmountError(msg("«{text}»: dấu chấm chỉ dùng để phân cách hàng nghìn", text=text))
    if unit != 1 and len(frac) == 3 and whole.strip("0"):
        # "1,500 triệu": 1,5 triệu with a decimal comma, or 1.500 triệu grouped under English settings
        raise AmountError(msg("«{text}» có thể hiểu hai cách (dấu phẩy thập phân hay phân cách hàng nghìn): hãy viết rõ, ví dụ 1,5 triệu hoặc 1.500 triệu", text=text))
    if "." in whole:
        groups = whole.split(".")
        if not groups[0] or any(len(g) != 3 for g in groups[1:]):
            raise AmountError(msg("«{text}»: dấu chấm chỉ dùng để phân cách hàng nghìn", text=text))
        whole = "".join(groups)
    value = Decimal(f"{whole or '0'}.{frac or '0'}") * unit
    if value != value.to_integral_value():
        grouped = _ZERO_COMMA_THREE.fullmatch(number) if unit == 1 else None
        if grouped:  # a comma grouping the thousands under English settings: 0 thousand and the three digits
            raise AmountError(msg("«{text}» có phần lẻ nhỏ hơn 1 đồng. Nếu là {amount} đồng, hãy viết {amount}.",
                                  text=text, amount=int(grouped.group(1))))
        raise AmountError(msg("«{text}» có phần lẻ nhỏ hơn 1 đồng", text=text))
    return int(value)


class AmountError(ValueError):
    """Text that is not an amount of đồng: ``msg`` is the message (``fundapp.domain.messages.Message``);
    ``negative`` the amount when the text is one below 0 («-5»: -5), None otherwise, for a caller that refuses 0
    and below in one message (``cli.parser.parse_amount``)."""

    def __init__(self, message: Message, negative: int | None = None) -> None:
        self.msg = message
        self.negative = negative
        super().__init__(message.render())



# -- a date typed by an officer ------------------------------------------------------------------------------------
_DAY_TYPED = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d+)")  # 3/2/2024, 03-02-2024, 03.02.2024
_MONTH_TYPED = re.compile(r"(\d{1,2})[/.\- ](\d+)")  # 2/2024, 02-2024


class DateTextError(ValueError):
    """Text that is not a day (or month) of the calendar: ``msg`` is the message (a ``Message``) that says what is
    wrong with the text as typed."""

    def __init__(self, message: Message) -> None:
        self.msg = message
        super().__init__(message.render())


def _days_in(month: int, year: int) -> int:
    return calendar.monthrange(year, month)[1]  # December 9999 too (the 1st of the month after is no date)


def parse_day(text: str) -> date:
    """A day typed by an officer → ``date``: day/month/year as «25/03/2024», «3/2/2024» (slashes, dots, dashes or
    spaces between) or eight digits «25032024». The year has four digits. Never another day than the one typed: a
    day the calendar lacks («31/02/2024», «31022024») raises ``DateTextError`` saying so, as does any other text."""
    raw = unicodedata.normalize("NFC", text or "").strip(AROUND)
    if not raw:
        raise DateTextError(msg(N_("Chưa nhập ngày")))
    match = _DAY_TYPED.fullmatch(raw)
    if match is None and len(raw) == 8 and all(ch in "0123456789" for ch in raw):
        match = re.fullmatch(r"(\d\d)(\d\d)(\d{4})", raw)
    if match is None or not raw.isascii():
        raise DateTextError(msg("«{text}» không phải ngày: hãy nhập ngày/tháng/năm, ví dụ 25/03/2024", text=text))
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) != 4:
        raise DateTextError(msg("«{text}»: năm phải đủ bốn chữ số, ví dụ 25/03/2024", text=text))
    reason = calendar_reason(year, month, day)
    if reason is not None:
        raise DateTextError(msg("Ngày {day} không có: {reason}", day=f"{day:02d}/{month:02d}/{year:04d}",
                                reason=reason))
    return date(year, month, day)


def parse_month(text: str) -> date:
    """A month typed by an officer → the first day of it: month/year as «03/2024», «3/2024» or six digits
    «032024». Raises ``DateTextError`` saying what is wrong otherwise (never another month than the one typed)."""
    raw = unicodedata.normalize("NFC", text or "").strip(AROUND)
    if not raw:
        raise DateTextError(msg(N_("Chưa nhập tháng")))
    match = _MONTH_TYPED.fullmatch(raw)
    if match is None and len(raw) == 6 and all(ch in "0123456789" for ch in raw):
        match = re.fullmatch(r"(\d\d)(\d{4})", raw)
    if match is None or not raw.isascii():
        raise DateTextError(msg("«{text}» không phải tháng: hãy nhập tháng/năm, ví dụ 03/2024", text=text))
    month, year = (int(g) for g in match.groups())
    if len(match.group(2)) != 4:
        raise DateTextError(msg("«{text}»: năm phải đủ bốn chữ số, ví dụ 03/2024", text=text))
    reason = calendar_reason(year, month)
    if reason is not None:
        raise DateTextError(msg("Tháng {month} không có: {reason}", month=f"{month:02d}/{year:04d}", reason=reason))
    return date(year, month, 1)


def calendar_reason(year: int, month: int, day: int | None = None) -> Message | None:
    """Why the day ``day``/``month``/``year`` (the month, when ``day`` is None) is not in the calendar, in words
    («một năm chỉ có 12 tháng», «tháng 02/2023 chỉ có 28 ngày», «không có năm 0»); None when it is. The one check
    of a typed day or month, the window's (``parse_day``, ``parse_month``) and the command line's
    (``cli.parser.parse_date``, ``parse_month``): each says what is wrong with the value, not only its form."""
    if year < 1:
        return msg(N_("không có năm 0"))
    if month < 1:
        return msg(N_("tháng đánh số từ 01 đến 12"))
    if month > 12:
        return msg(N_("một năm chỉ có 12 tháng"))
    if day is not None and day < 1:
        return msg("ngày trong tháng {month} đánh số từ 01 đến {n}", month=f"{month:02d}/{year:04d}",
                   n=_days_in(month, year))
    if day is not None and day > _days_in(month, year):
        return msg("tháng {month} chỉ có {n} ngày", month=f"{month:02d}/{year:04d}", n=_days_in(month, year))
    return None


def too_early_message(day: date, earliest: date) -> Message:
    """The refusal of a typed ``day`` before ``earliest``, the first day a field takes."""
    return msg("Ngày {day} trước ngày {earliest}, ngày sớm nhất nhập được", day=short_date(day),
               earliest=short_date(earliest))


def too_late_message(day: date, latest: date) -> Message:
    """The refusal of a typed ``day`` after ``latest``, the last day a field takes."""
    return msg("Ngày {day} sau ngày {latest}, ngày muộn nhất nhập được", day=short_date(day), latest=short_date(latest))


def future_figures_message(day: date, today: date) -> Message:
    """The refusal of figures asked for a ``day`` after the book's ``today`` (the services' own words)."""
    return msg("Ngày {on} sau ngày hôm nay {today}: không tính được số liệu của ngày chưa đến", on=short_date(day),
               today=short_date(today))
