"""Collateral (tài sản bảo đảm): its kinds and statuses, and coverage — collateral value ÷ amount.

Coverage is a ratio of two int đồng amounts, kept exact (``Fraction``) and shown as a percent rounded
half up to two places (DOMAIN.md "Money and rates": round only where shown). Pure Python.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .messages import N_

KINDS = {
    "land": N_("Quyền sử dụng đất (giấy chứng nhận)"),
    "house": N_("Nhà ở, công trình xây dựng"),
    "vehicle": N_("Phương tiện vận tải"),
    "machinery": N_("Máy móc, thiết bị"),
    "goods": N_("Hàng hóa"),
    "deposit": N_("Tiền gửi, giấy tờ có giá"),
    "guarantee": N_("Bảo lãnh của bên thứ ba"),
}
STATUSES = {"pledged": N_("Đang bảo đảm"), "released": N_("Đã giải chấp"),
            "enforced": N_("Đã xử lý tài sản")}  # the English is the catalogue's


def coverage(collateral_value: int, amount: int) -> Fraction | None:
    """Exact coverage ``collateral_value / amount`` (both int đồng); None when ``amount`` is 0 (nothing to cover)."""
    for v in (collateral_value, amount):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError("money is an int number of đồng")
    if amount <= 0:
        return None
    return Fraction(collateral_value, amount)


def coverage_percent(collateral_value: int, amount: int) -> Decimal | None:
    """Coverage in percent, rounded half up to two places as shown: 1.500.000.000 ÷ 1.330.000.000 → 112.78."""
    ratio = coverage(collateral_value, amount)
    if ratio is None:
        return None
    exact = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    # Decimal's 28 digits are enough for đồng amounts below 10^18; the rounding is the only one
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def below_threshold(collateral_value: int, amount: int, threshold_percent: Decimal) -> bool:
    """True when the exact coverage is under ``threshold_percent`` (%, e.g. Decimal("100")); an amount of 0 is
    never below."""
    ratio = coverage(collateral_value, amount)
    return ratio is not None and ratio * 100 < Fraction(threshold_percent)


def revaluation_due(valued_on: date | None, as_of: date, every_months: int) -> bool:
    """True when the valuation dated ``valued_on`` is ``every_months`` months old or more on ``as_of`` (or was
    never made)."""
    if valued_on is None:
        return True
    months = (as_of.year - valued_on.year) * 12 + as_of.month - valued_on.month - (as_of.day < valued_on.day)
    return months >= every_months
