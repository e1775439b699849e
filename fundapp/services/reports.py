"""Reports over the whole book: balances as of a date, the quarterly report's figures and files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.domain.reporting import PeriodReport, period_report, period_reports, quarter_bounds

from .portfolio import BookLoan, Context, balances_as_of, load_book


def balances_json(ctx: Context, as_of: date) -> list[dict]:
    """INTERCHANGE.md's ``balances`` array: one object per loan sorted by loan_no."""
    return [{"loan_no": loan_no, **b.as_dict()} for loan_no, b in balances_as_of(ctx.db, as_of)]


@dataclass(frozen=True)
class QuarterReports:
    """The quarter, the same quarter a year before, and the year to date, over one read of the book."""

    year: int
    quarter: int
    current: PeriodReport
    year_before: PeriodReport
    year_to_date: PeriodReport
    book: tuple[BookLoan, ...]


def quarterly_json(ctx: Context, year: int, quarter: int) -> dict:
    """INTERCHANGE.md's quarterly report figures (exactly its keys)."""
    start, end = quarter_bounds(year, quarter)
    return period_report([b.input for b in load_book(ctx.db)], start, end).interchange_json()


def quarter_reports(ctx: Context, year: int, quarter: int) -> QuarterReports:
    """Everything the quarterly report's PDF and XLSX show."""
    book = tuple(load_book(ctx.db))
    loans = [b.input for b in book]
    start, end = quarter_bounds(year, quarter)
    current, year_before, year_to_date = period_reports(
        loans, [(start, end), quarter_bounds(year - 1, quarter), (date(year, 1, 1), end)])
    return QuarterReports(year=year, quarter=quarter, current=current, year_before=year_before,
                          year_to_date=year_to_date, book=book)
