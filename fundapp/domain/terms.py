"""The terms of a loan: immutable, checked on creation, with DOMAIN.md's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from .errors import TermsError
from .messages import N_, msg
from .numerals import AROUND, decimal_comma, to_decimal, to_int, unsigned_zero

FREQUENCIES = (1, 3, 6, 12)
MAX_OVERDUE_FACTOR = Decimal("1.5")  # lãi quá hạn ≤ 150 % of the in-term rate
MAX_LATE_INTEREST_RATE = Decimal("10")  # Civil Code Art. 466, 468: ≤ 10 %/năm


class Method(StrEnum):
    """Repayment method (DOMAIN.md "Terms of a loan", "Principal of the installments")."""

    EQUAL_PRINCIPAL = "equal_principal"  # gốc đều, lãi theo dư nợ giảm dần
    ANNUITY = "annuity"  # gốc + lãi đều
    BULLET = "bullet"  # gốc cuối kỳ, lãi định kỳ


class RateUnit(StrEnum):
    """Unit of the in-term rate (DOMAIN.md "Money and rates"): %/năm ÷ 365 a day, or %/tháng ÷ 30 a day."""

    PER_YEAR = "year"  # %/năm: daily rate = rate / 365
    PER_MONTH = "month"  # %/tháng: daily rate = rate / 30 (Circular 14/2017)


METHOD_LABELS_VI = {
    Method.EQUAL_PRINCIPAL: N_("Gốc đều, lãi theo dư nợ giảm dần"),
    Method.ANNUITY: N_("Gốc và lãi chia đều (niên kim)"),
    Method.BULLET: N_("Gốc trả cuối kỳ, lãi trả định kỳ"),
}


MAX_PLACES = 14  # decimal places of a rate or factor: what a 16-character column can write out ("0.00000000000001")


def plain_decimal(value: Decimal | int | str) -> str:
    """A rate, factor or percent as text without an exponent, the way it is stored and shown: Decimal("1E-14") →
    "0.00000000000001", Decimal("1E+3") → "1000"; otherwise as ``str`` writes it (7.80 → "7.80"). ``str`` of a
    Decimal writes «1E-14» from 7 decimal places on, which an officer cannot read."""
    return format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")


def decimal_comma_text(value: Decimal | int | str) -> str:
    """A rate, factor or percent as the domain's messages write it: no exponent, the Vietnamese decimal comma in
    either language (as ``formatting.rate_message`` does): Decimal("150.5") → "150,5", "12.5" → "12,5"."""
    return plain_decimal(value).replace(".", ",")


def _decimal(value: object, field: str, label_vi: str) -> Decimal:
    """``value`` as an exact Decimal with at most ``MAX_PLACES`` decimal places, a negative zero made 0; text with a
    decimal comma or a dot ("6,6", "6.6") in the forms an officer means (``numerals.numeral``). Raises ``TermsError``
    for a float, text that is no number («1_5», «６,６»), NaN or infinity, and more places: «1e-999999999» is a number
    below 1,5, but its exact daily rate (a Fraction over 10^999999999) would hold the replay for ever."""
    if type(value) is Decimal:
        number = value
    elif isinstance(value, float):
        raise TermsError(msg("{label}: phải là số thập phân chính xác, không dùng số thực dấu phẩy động",
                             label=msg(label_vi)), field=field)
    else:
        read = to_decimal(decimal_comma(str(value).strip(AROUND)))
        if read is None:
            raise TermsError(msg("{label}: «{value}» không phải là số (dùng dấu phẩy thập phân, ví dụ 6,6)",
                                 label=msg(label_vi), value=str(value)), field=field)
        number = read
    if not number.is_finite() or number.as_tuple().exponent < -MAX_PLACES:
        raise TermsError(msg("{label}: «{value}» không phải là số có tối đa {places} chữ số thập phân",
                             label=msg(label_vi), value=str(value)[:40], places=str(MAX_PLACES)), field=field)
    return unsigned_zero(number)  # «-0» is kept and shown «0»


def _integer(value: object, field: str, label_vi: str) -> int:
    """``value`` as an int: an int, or text of ASCII digits (``numerals.to_int``). Raises ``TermsError`` otherwise."""
    if type(value) is int:  # the common case, from the book
        return value
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TermsError(msg("{label}: phải là số nguyên", label=msg(label_vi)), field=field)
    number = to_int(str(value))
    if number is None:
        raise TermsError(msg("{label}: «{value}» không phải là số nguyên", label=msg(label_vi), value=str(value)),
                         field=field)
    return number


@dataclass(frozen=True, slots=True)
class LoanTerms:
    """The terms of one loan (DOMAIN.md "Terms of a loan"), immutable.

    ``amount`` approved principal in đồng; ``rate`` in % per ``rate_unit`` (%/năm, or %/tháng
    for contracts so stated); ``term_months`` and ``frequency_months`` (1, 3, 6 or 12) in months,
    n = term / frequency installments; ``grace_periods`` installments without principal;
    ``overdue_factor`` (≤ 1.5) and ``late_interest_rate`` (%/năm, ≤ 10). Values from a form or a
    file may come as text. Raises ``TermsError`` naming the field when a term makes no sense.
    """

    amount: int
    rate: Decimal
    term_months: int
    frequency_months: int = 1
    method: Method = Method.EQUAL_PRINCIPAL
    grace_periods: int = 0
    overdue_factor: Decimal = Decimal("1.5")
    late_interest_rate: Decimal = Decimal("10")
    rate_unit: RateUnit = RateUnit.PER_YEAR

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "amount", _integer(self.amount, "amount", N_("Số tiền vay")))
        s(self, "rate", _decimal(self.rate, "rate", N_("Lãi suất")))
        s(self, "term_months", _integer(self.term_months, "term_months", N_("Thời hạn vay")))
        s(self, "frequency_months", _integer(self.frequency_months, "frequency_months", N_("Kỳ hạn trả nợ")))
        s(self, "grace_periods", _integer(self.grace_periods, "grace_periods", N_("Số kỳ ân hạn gốc")))
        s(self, "overdue_factor", _decimal(self.overdue_factor, "overdue_factor", N_("Hệ số lãi quá hạn")))
        s(self, "late_interest_rate", _decimal(self.late_interest_rate, "late_interest_rate", N_("Lãi chậm trả")))
        try:
            s(self, "method", Method(str(self.method).strip()))
        except ValueError:
            raise TermsError(msg("Phương thức trả nợ «{method}» không hợp lệ: chọn equal_principal (gốc đều), "
                                 "annuity (gốc và lãi đều) hoặc bullet (gốc cuối kỳ)", method=str(self.method)),
                             field="method") from None
        try:
            s(self, "rate_unit", RateUnit(str(self.rate_unit).strip()))
        except ValueError:
            raise TermsError(msg("Đơn vị lãi suất «{unit}» không hợp lệ: %/năm (year) hoặc %/tháng (month)",
                                 unit=str(self.rate_unit)), field="rate_unit") from None
        self._check()

    def _check(self) -> None:
        if self.amount <= 0:
            raise TermsError(N_("Số tiền vay phải lớn hơn 0 đồng"), field="amount")
        if not (0 <= self.rate <= 100):
            raise TermsError(msg("Lãi suất {rate} % nằm ngoài khoảng 0–100 %", rate=decimal_comma_text(self.rate)),
                             field="rate")
        if self.frequency_months not in FREQUENCIES:
            raise TermsError(msg("Kỳ hạn trả nợ {months} tháng không hợp lệ: chỉ 1, 3, 6 hoặc 12 tháng",
                                 months=self.frequency_months), field="frequency_months")
        if self.term_months <= 0 or self.term_months % self.frequency_months:
            raise TermsError(msg("Thời hạn vay {term} tháng phải là bội số dương của kỳ hạn trả nợ {months} tháng",
                                 term=self.term_months, months=self.frequency_months), field="term_months")
        if not (0 <= self.grace_periods < self.installments):
            raise TermsError(msg("Số kỳ ân hạn gốc {grace} phải từ 0 đến {most} (khoản vay có {n} kỳ trả nợ)",
                                 grace=self.grace_periods, most=self.installments - 1, n=self.installments),
                             field="grace_periods")
        if not (0 <= self.overdue_factor <= MAX_OVERDUE_FACTOR):
            raise TermsError(msg("Hệ số lãi quá hạn {factor} phải từ 0 đến 1,5 (lãi quá hạn không quá 150 %)",
                                 factor=decimal_comma_text(self.overdue_factor)), field="overdue_factor")
        if not (0 <= self.late_interest_rate <= MAX_LATE_INTEREST_RATE):
            raise TermsError(msg("Lãi chậm trả {rate} %/năm phải từ 0 đến 10 %/năm",
                                 rate=decimal_comma_text(self.late_interest_rate)),
                             field="late_interest_rate")


    @property
    def installments(self) -> int:
        """n = term / frequency."""
        return self.term_months // self.frequency_months

    @property
    def daily_rate(self) -> Fraction:
        """In-term interest per đồng per day, exact (annual / 365, or monthly / 30)."""
        days = 365 if self.rate_unit is RateUnit.PER_YEAR else 30
        return Fraction(self.rate) / 100 / days

    @property
    def overdue_daily_rate(self) -> Fraction:
        """Overdue interest per đồng of overdue principal per day: daily rate × overdue_factor, exact."""
        return self.daily_rate * Fraction(self.overdue_factor)

    @property
    def late_daily_rate(self) -> Fraction:
        """Late-payment interest per đồng of unpaid installment interest per day: %/năm ÷ 365 (never monthly)."""
        return Fraction(self.late_interest_rate) / 100 / 365

    @property
    def period_rate(self) -> Fraction:
        """The annuity's rate per installment period (annual × freq / 12, or monthly × freq)."""
        if self.rate_unit is RateUnit.PER_YEAR:
            return Fraction(self.rate) / 100 * self.frequency_months / 12
        return Fraction(self.rate) / 100 * self.frequency_months


_TERMS_FIELDS = tuple(name for name in LoanTerms.__dataclass_fields__ if name != "amount")


@lru_cache(maxsize=4096, typed=True)  # typed: the int 3 checked is not the text "3"
def _checked_terms(rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor,
                   late_interest_rate) -> LoanTerms:
    """Terms of 1 đồng with these values, checked once for each distinct set (an error is not kept: raised again)."""
    return LoanTerms(amount=1, rate=rate, rate_unit=rate_unit, term_months=term_months,
                     frequency_months=frequency_months, method=method, grace_periods=grace_periods,
                     overdue_factor=overdue_factor, late_interest_rate=late_interest_rate)


def terms_with_amount(amount, rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor,
                      late_interest_rate) -> LoanTerms:
    """``LoanTerms(amount=amount, rate=rate, …)``, equal to it and raising the same ``TermsError``: the values other
    than ``amount``, as a book stores them (text: rates as decimal text; ints), are read and checked once for each
    distinct set of them, the amount (đồng, a positive int) set on a copy; any other value (a Decimal, whose 7.2 and
    7.20 are equal keys but print apart, a float, a bool…) goes through ``LoanTerms`` itself. A read of the
    100,000-loan book builds the terms of ~40,000 loans from a few hundred sets, and checking each again was ~1 s of
    a quarterly report's first read (issue 17)."""
    others = (rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor,
              late_interest_rate)
    if type(amount) is not int or amount <= 0 or not all(type(v) is str or type(v) is int for v in others):
        return LoanTerms(amount=amount, rate=rate, rate_unit=rate_unit, term_months=term_months,
                         frequency_months=frequency_months, method=method, grace_periods=grace_periods,
                         overdue_factor=overdue_factor, late_interest_rate=late_interest_rate)
    checked = _checked_terms(*others)
    terms = object.__new__(LoanTerms)
    for name in _TERMS_FIELDS:
        object.__setattr__(terms, name, getattr(checked, name))
    object.__setattr__(terms, "amount", amount)
    return terms
