"""Due dates: the anchor plus k × frequency months, same day of month, clipped to the month's end."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by ``months`` calendar months, the day clipped to the month's last day."""
    year, month0 = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    else:
        last = _DAYS[month0]
    return date(year, month0 + 1, anchor.day if anchor.day <= last else last)


def due_dates(anchor: date, installments: int, frequency_months: int) -> tuple[date, ...]:
    """D_1..D_n, each computed from the anchor (31 Jan → 29 Feb → 31 Mar), never from the previous one."""
    return tuple(add_months(anchor, k * frequency_months) for k in range(1, installments + 1))


@lru_cache(maxsize=16384)
def due_ordinals(anchor: date, installments: int, frequency_months: int) -> tuple[int, ...]:
    """``due_dates`` as day ordinals (``date.toordinal``); loans disbursed on one day share them, so they are kept."""
    return tuple(add_months(anchor, k * frequency_months).toordinal() for k in range(1, installments + 1))


def day_month_year(d: date) -> str:
    """``d`` as every screen, paper and message shows a date: dd/mm/yyyy, the year always in four digits
    («01/01/0024», where ``strftime("%Y")`` wrote «24» for a year below 1000 and a refusal read «01/01/24»)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
