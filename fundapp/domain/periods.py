"""Reporting periods (DOMAIN.md "Reported"): calendar and administrative quarters, the comparison periods of the
quarterly report, the chart's quarters and their disbursements summed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .dates import add_months


def eve_of(day: date) -> date:
    """The day before ``day``."""
    return date.fromordinal(day.toordinal() - 1)


QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1..4")
    start = date(year, 3 * quarter - 2, 1)
    return start, date.fromordinal(add_months(start, 3).toordinal() - 1)


def administrative_quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Decree 09/2019's reporting period: the 15th of the month before the quarter to the 14th of its last month."""
    start, _ = quarter_bounds(year, quarter)
    first = add_months(start, -1).replace(day=15)
    return first, add_months(start, 2).replace(day=14)


def quarter_periods(year: int, quarter: int, convention: str = "calendar") -> list[tuple[date, date]]:
    """The quarter, the same quarter a year before, and the year to date, under a reporting convention:
    "calendar" quarters, or "administrative" ones (Decree 09/2019: from the 15th of the month before)."""
    bounds = administrative_quarter_bounds if convention == "administrative" else quarter_bounds
    start, end = bounds(year, quarter)
    return [(start, end), bounds(year - 1, quarter), (bounds(year, 1)[0], end)]


def quarter_periods_until(year: int, quarter: int, convention: str = "calendar",
                          until: date | None = None) -> tuple[list[tuple[date, date]], date | None]:
    """``quarter_periods`` for a report made on ``until`` (the book's today): a quarter not yet ended is counted
    to ``until``, the year to date too, and the same quarter a year before to the same day a year earlier (28/02
    for a 29/02), so the comparison covers the same days. Returns (the three periods, ``until`` when the quarter
    was cut there, else None). Figures are never computed at a day after ``until``.
    """
    periods = quarter_periods(year, quarter, convention)
    (start, end), (before_start, before_end), (ytd_start, _ytd_end) = periods
    if until is None or not start <= until < end:
        return periods, None
    try:
        year_ago = until.replace(year=until.year - 1)
    except ValueError:  # 29/02
        year_ago = date(until.year - 1, 2, 28)
    return [(start, until), (before_start, min(before_end, max(before_start, year_ago))), (ytd_start, until)], until


def disbursements_by_quarter(disbursements: Iterable[tuple[date, int]], year: int, quarter: int,
                             count: int = 8) -> tuple[tuple[str, int], ...]:
    """``disbursement_by_quarter`` from the disbursements in force as (date, amount in đồng) pairs."""
    index = year * 4 + quarter - 1
    first = index - count + 1
    sums = [0] * count
    for on, amount in disbursements:
        i = on.year * 4 + (on.month - 1) // 3 - first
        if 0 <= i < count:
            sums[i] += amount
    return tuple((f"{QUARTER_NUMERALS[(first + i) % 4 + 1]}/{(first + i) // 4}", s) for i, s in enumerate(sums))


def chart_bounds(year: int, quarter: int, count: int = 8) -> tuple[date, date]:
    """First and last day of the ``count`` calendar quarters ending with quarter ``quarter`` of ``year``."""
    index = year * 4 + quarter - 1 - count + 1
    return quarter_bounds(index // 4, index % 4 + 1)[0], quarter_bounds(year, quarter)[1]
