"""Reports over the whole book: balances as of a date, the quarterly report's figures and files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.domain.reporting import (
    PeriodReport,
    period_report,
    period_reports,
    quarter_periods_until,
    ratio,
)

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
    unfinished_until: date | None = None  # the quarter has not ended: its figures run to this day (today)


def _convention(ctx: Context) -> str:
    from .settings import load_settings

    return load_settings(ctx).period_convention


def quarter_cut(ctx: Context, year: int, quarter: int) -> tuple[date, date, date | None]:
    """(first day, last day counted, the book's today when the quarter has not ended else None) of quarter
    ``quarter`` (1–4) of ``year`` as the report counts it on the book's today: a quarter not yet ended runs to
    today (``quarter_periods_until``, as the PDF, .xlsx and GUI do), never to a later day."""
    periods, unfinished = quarter_periods_until(year, quarter, _convention(ctx), ctx.today())
    return periods[0][0], periods[0][1], unfinished


def quarterly_json(ctx: Context, year: int, quarter: int) -> dict:
    """INTERCHANGE.md's quarterly report figures (exactly its keys); a quarter not yet ended counted to the book's
    today (``quarter_cut``)."""
    start, end, _unfinished = quarter_cut(ctx, year, quarter)
    return period_report([b.input for b in load_book(ctx.db, until=end)], start, end,
                         ctx.watch_days()).interchange_json()


def quarter_reports(ctx: Context, year: int, quarter: int) -> QuarterReports:
    """Everything the quarterly report's PDF and XLSX show."""
    book = tuple(load_book(ctx.db))
    loans = [b.input for b in book]
    periods, unfinished = quarter_periods_until(year, quarter, _convention(ctx), ctx.today())
    current, year_before, year_to_date = period_reports(loans, periods, ctx.watch_days())
    return QuarterReports(year=year, quarter=quarter, current=current, year_before=year_before,
                          year_to_date=year_to_date, book=book, unfinished_until=unfinished)


def period_summary(ctx: Context, start: date, end: date) -> dict:
    """The six-month/annual lending report's figures (Decree 45 Art. 44): flows of the period, outstanding
    at its start and end, bad debt (groups 3–5) and its ratio, provisions, and the loan book's growth."""
    from .settings import load_settings

    loans = [b.input for b in load_book(ctx.db, until=end)]
    eve = date.fromordinal(start.toordinal() - 1)
    before, period = period_reports(loans, [(eve, eve), (start, end)], ctx.watch_days())
    total, opening_outstanding = period.total, before.total.outstanding
    provisions = total.provisions(load_settings(ctx).provision_map())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "projects_financed": total.disbursed_loans,
        "disbursed_count": total.disbursed_count,
        "disbursed_amount": total.disbursed_amount,
        "principal_collected": total.principal_collected,
        "interest_collected": total.interest_collected,
        "outstanding_start": opening_outstanding,
        "outstanding_end": total.outstanding,
        "overdue_principal": total.principal_overdue,
        "bad_debt": total.bad_debt,
        "bad_debt_ratio_percent": str(ratio(total.bad_debt, total.outstanding)),
        "provisions": provisions,
        "provision_total": sum(provisions.values()),
        "growth_percent": str(ratio(total.outstanding - opening_outstanding, opening_outstanding)),
        "borrowers_with_outstanding": len({lp.loan.borrower_code for lp in period.loans
                                           if lp.balances.principal_outstanding > 0}),
        "debt_groups": dict(total.debt_groups),
        "outstanding_by_group": dict(total.outstanding_by_group),
        **total.life_events(),  # DOMAIN.md "Reported": restructured, relieved, written off, recovered, off-balance
    }


def period_cut(ctx: Context, start: date, end: date) -> date:
    """The last day a report of ``start``–``end`` counts on the book's today: ``end``, or today when the period has
    begun and not ended (figures are never computed at a later day, as ``quarter_periods_until`` does for quarters)."""
    today = ctx.today()
    return today if start <= today < end else end


def annual_summary(ctx: Context, year: int) -> dict:
    """For the year-end conference: "27 projects, VND 9,45 billion disbursed, VND 14,5 billion outstanding". A year
    not yet ended is counted to the book's today (``period_cut``; its "end" says which day)."""
    start = date(year, 1, 1)
    return period_summary(ctx, start, period_cut(ctx, start, date(year, 12, 31)))


def half_year_summary(ctx: Context, year: int, half: int) -> dict:
    """The six-month report (1/1–30/6) or, for half 2, the whole year (1/1–31/12), as Decree 45 Art. 44 asks; a
    period not yet ended is counted to the book's today (``period_cut``; its "end" says which day)."""
    start = date(year, 1, 1)
    return period_summary(ctx, start, period_cut(ctx, start, date(year, 6, 30) if half == 1 else date(year, 12, 31)))
