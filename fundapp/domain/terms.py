"""The terms of a loan: immutable, checked on creation, with DOMAIN.md's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from .errors import TermsError

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
    Method.EQUAL_PRINCIPAL: "Gốc đều, lãi theo dư nợ giảm dần",
    Method.ANNUITY: "Gốc và lãi chia đều (niên kim)",
    Method.BULLET: "Gốc trả cuối kỳ, lãi trả định kỳ",
}


def _decimal(value: object, field: str, label_vi: str) -> Decimal:
    if type(value) is Decimal:
        return value
    if isinstance(value, float):
        raise TermsError(
            f"{label_vi}: phải là số thập phân chính xác, không dùng số thực dấu phẩy động",
            f"{field}: must be an exact decimal, not a float",
            field,
        )
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TermsError(
            f"{label_vi}: «{value}» không phải là số (dùng dấu chấm thập phân, ví dụ 6.6)",
            f"{field}: {value!r} is not a number",
            field,
        ) from None


def _integer(value: object, field: str, label_vi: str) -> int:
    if type(value) is int:  # the common case, from the book
        return value
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TermsError(f"{label_vi}: phải là số nguyên", f"{field}: must be an integer", field)
    try:
        return int(str(value).strip())
    except ValueError:
        raise TermsError(
            f"{label_vi}: «{value}» không phải là số nguyên",
            f"{field}: {value!r} is not an integer",
            field,
        ) from None


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
        s(self, "amount", _integer(self.amount, "amount", "Số tiền vay"))
        s(self, "rate", _decimal(self.rate, "rate", "Lãi suất"))
        s(self, "term_months", _integer(self.term_months, "term_months", "Thời hạn vay"))
        s(self, "frequency_months", _integer(self.frequency_months, "frequency_months", "Kỳ hạn trả nợ"))
        s(self, "grace_periods", _integer(self.grace_periods, "grace_periods", "Số kỳ ân hạn gốc"))
        s(self, "overdue_factor", _decimal(self.overdue_factor, "overdue_factor", "Hệ số lãi quá hạn"))
        s(self, "late_interest_rate", _decimal(self.late_interest_rate, "late_interest_rate", "Lãi chậm trả"))
        try:
            s(self, "method", Method(str(self.method).strip()))
        except ValueError:
            raise TermsError(
                f"Phương thức trả nợ «{self.method}» không hợp lệ: chọn equal_principal (gốc đều), "
                "annuity (gốc và lãi đều) hoặc bullet (gốc cuối kỳ)",
                f"method: unknown method {self.method!r}",
                "method",
            ) from None
        try:
            s(self, "rate_unit", RateUnit(str(self.rate_unit).strip()))
        except ValueError:
            raise TermsError(
                f"Đơn vị lãi suất «{self.rate_unit}» không hợp lệ: %/năm (year) hoặc %/tháng (month)",
                f"rate_unit: unknown unit {self.rate_unit!r}",
                "rate_unit",
            ) from None
        self._check()

    def _check(self) -> None:
        if self.amount <= 0:
            raise TermsError("Số tiền vay phải lớn hơn 0 đồng", "amount: must be > 0", "amount")
        if not (0 <= self.rate <= 100):
            raise TermsError(
                f"Lãi suất {self.rate} % nằm ngoài khoảng 0–100 %", f"rate: {self.rate} outside 0..100", "rate"
            )
        if self.frequency_months not in FREQUENCIES:
            raise TermsError(
                f"Kỳ hạn trả nợ {self.frequency_months} tháng không hợp lệ: chỉ 1, 3, 6 hoặc 12 tháng",
                f"frequency_months: {self.frequency_months} not in 1, 3, 6, 12",
                "frequency_months",
            )
        if self.term_months <= 0 or self.term_months % self.frequency_months:
            raise TermsError(
                f"Thời hạn vay {self.term_months} tháng phải là bội số dương của kỳ hạn trả nợ "
                f"{self.frequency_months} tháng",
                f"term_months: {self.term_months} is not a positive multiple of {self.frequency_months}",
                "term_months",
            )
        if not (0 <= self.grace_periods < self.installments):
            raise TermsError(
                f"Số kỳ ân hạn gốc {self.grace_periods} phải từ 0 đến {self.installments - 1} "
                f"(khoản vay có {self.installments} kỳ trả nợ)",
                f"grace_periods: {self.grace_periods} must be 0..{self.installments - 1}",
                "grace_periods",
            )
        if not (0 <= self.overdue_factor <= MAX_OVERDUE_FACTOR):
            raise TermsError(
                f"Hệ số lãi quá hạn {self.overdue_factor} phải từ 0 đến 1,5 (lãi quá hạn không quá 150 %)",
                f"overdue_factor: {self.overdue_factor} outside 0..1.5",
                "overdue_factor",
            )
        if not (0 <= self.late_interest_rate <= MAX_LATE_INTEREST_RATE):
            raise TermsError(
                f"Lãi chậm trả {self.late_interest_rate} %/năm phải từ 0 đến 10 %/năm",
                f"late_interest_rate: {self.late_interest_rate} outside 0..10",
                "late_interest_rate",
            )

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
