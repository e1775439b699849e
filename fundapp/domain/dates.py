"""Due dates: the anchor plus k × frequency months, same day of month, clipped to the month's end."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by ``months`` calendar months, the day clipped to the month's last day."""
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(anchor.day, last))


def due_dates(anchor: date, installments: int, frequency_months: int) -> tuple[date, ...]:
    """D_1..D_n, each computed from the anchor (31 Jan → 29 Feb → 31 Mar), never from the previous one."""
    return tuple(add_months(anchor, k * frequency_months) for k in range(1, installments + 1))
