"""Decree 45/2021/NĐ-CP's lending limits at approval (DOMAIN.md, legal background: Art. 23 one customer ≤ 15 % of
the fund's actual charter capital, ≤ 25 % with related persons; Art. 22 own capital ≥ 20 % of the plan).

Money in đồng (int), percents as decimal strings or ``Decimal`` (e.g. ``"15"`` for 15 %). A percent of an amount is
rounded half up to whole đồng (DOMAIN.md "Money and rates"), never truncated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .messages import N_, Message, msg
from .money import format_dong, round_half_up
from .terms import decimal_comma_text


@dataclass(frozen=True)
class LimitCheck:
    """Decree 45/2021's limits with the figures behind them (all đồng) and the breaches as messages (``Message``: str() gives the officer's language).

    ``customer_outstanding``/``group_outstanding``: the borrower's (and related persons') outstanding before this
    loan; ``*_after``: with the loan; ``*_limit``: the percent of ``charter_capital``; ``own_capital_min``: the
    percent of ``plan_total``. ``breaches`` is empty when every limit holds.
    """

    charter_capital: int
    customer_outstanding: int  # the borrower's outstanding before this loan
    customer_after: int
    customer_limit: int
    group_outstanding: int
    group_after: int
    group_limit: int
    plan_total: int
    own_capital: int
    own_capital_min: int
    breaches: tuple[Message, ...]

    @property
    def ok(self) -> bool:
        """True when no limit is breached."""
        return not self.breaches


def percent_of(amount: int, percent: str | Decimal) -> int:
    """``amount`` đồng × ``percent`` / 100, rounded half up to whole đồng: ``percent_of(1_000_004, "15")`` is
    150.001 đ where truncation gave 150.000 đ; ``percent_of(3, "50")`` is 2 đ. Raises ``decimal.InvalidOperation`` for a
    percent that is not a number."""
    return round_half_up(Fraction(amount) * Fraction(Decimal(percent)) / 100)


def credit_exposure(principal_outstanding: int, approved: int, disbursed: int, open_to_disburse: bool) -> int:
    """What one loan or approval weighs against Decree 45/2021's limits (đồng): its outstanding principal plus the
    part approved and not yet disbursed while more may still be disbursed (``open_to_disburse``: False once the loan
    is settled or written off — DOMAIN.md "Write-off on day t" refuses a later disbursement). An approved
    application not yet signed weighs its approved amount (nothing outstanding, nothing disbursed)."""
    return principal_outstanding + (max(0, approved - disbursed) if open_to_disburse else 0)


def lending_limits(*, charter_capital: int, single_limit_percent: str, group_limit_percent: str,
                   own_capital_percent: str, customer_outstanding: int, group_outstanding: int, amount: int,
                   plan_total: int, own_capital: int) -> LimitCheck:
    """The limits for lending ``amount`` đồng to a borrower whose outstanding is ``customer_outstanding`` đồng
    (``group_outstanding`` with related persons), against ``charter_capital`` đồng and the fund's percents
    (%, decimal strings); ``plan_total``/``own_capital`` đồng are the application's plan. A charter capital of 0
    is itself a breach (nothing can be checked). Raises nothing for well-formed numbers."""
    customer_limit = percent_of(charter_capital, single_limit_percent)
    group_limit = percent_of(charter_capital, group_limit_percent)
    own_min = percent_of(plan_total, own_capital_percent)
    customer_after, group_after = customer_outstanding + amount, group_outstanding + amount
    breaches: list[Message] = []
    if charter_capital <= 0:
        breaches.append(msg(N_("Chưa khai báo vốn điều lệ thực có trong Cài đặt: không kiểm tra được giới hạn cho vay")))
    else:
        if customer_after > customer_limit:
            breaches.append(msg("Dư nợ của khách hàng sau khi vay {after} vượt {percent} % vốn điều lệ ({limit})",
                                after=format_dong(customer_after), percent=decimal_comma_text(single_limit_percent),
                                limit=format_dong(customer_limit)))
        if group_after > group_limit:
            breaches.append(msg("Dư nợ của khách hàng và người có liên quan sau khi vay {after} vượt {percent} % vốn "
                                "điều lệ ({limit})", after=format_dong(group_after), percent=decimal_comma_text(group_limit_percent),
                                limit=format_dong(group_limit)))
    if plan_total and own_capital < own_min:
        breaches.append(msg("Vốn tự có {own} dưới {percent} % tổng vốn phương án ({least})",
                            own=format_dong(own_capital), percent=decimal_comma_text(own_capital_percent), least=format_dong(own_min)))

    return LimitCheck(charter_capital, customer_outstanding, customer_after, customer_limit, group_outstanding,
                      group_after, group_limit, plan_total, own_capital, own_min, tuple(breaches))
