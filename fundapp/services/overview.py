"""The overview page's figures: portfolio as of a date and its history by quarter, in one pass over the book."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.collation import vi_sorted
from fundapp.domain.dates import add_months
from fundapp.domain.figures import Figures, bad_debt_loans
from fundapp.domain.periods import QUARTER_NUMERALS, quarter_bounds

from .context import Context


@dataclass(frozen=True)
class QuarterPoint:
    """One quarter of the overview's chart: label "I/2024" (the quarter in Roman numerals, as the quarterly report's
    chart and «Quý I/2024» write it), its last day (or the overview's date), disbursed
    in it and principal outstanding at its end (đồng)."""

    label: str  # "I/2024"
    end: date
    disbursed: int
    outstanding: int


@dataclass(frozen=True)
class Overview:
    """The overview page's figures at the end of ``as_of`` (all đồng): outstanding and overdue principal, their
    ratio (Decimal as text, two places), disbursements of the quarter and the year, collections of the year, loans
    with principal outstanding, counts and outstanding by debt group 1–5, outstanding by area, the quarters, and
    restructured outstanding and off-balance debt (None from ``overview_cards``, which has no such cache)."""

    as_of: date
    outstanding: int
    principal_overdue: int
    overdue_ratio_percent: str  # "3,52" style text is the GUI's job: this is Decimal as str with a dot
    disbursed_quarter: int
    disbursed_year: int
    collected_year: int
    active_loans: int
    loans_by_group: dict[int, int]
    outstanding_by_group: dict[int, int]
    outstanding_by_area: dict[str, int]
    quarters: tuple[QuarterPoint, ...] = field(default_factory=tuple)
    # DOMAIN.md "Reported", the quarterly report's keys: principal outstanding of loans restructured on or before
    # ``as_of`` and written-off debt not yet recovered (off-balance). None where not computed (the cache's cards).
    restructured_outstanding: int | None = None
    off_balance: int | None = None

    @property
    def bad_debt_loans(self) -> int:
        """Loans with principal outstanding in debt groups 3–5 (nợ xấu), by the domain's ``figures.bad_debt_loans``:
        the page's «Nợ xấu (nhóm 3–5): n khoản». A count, not đồng."""
        return bad_debt_loans(self.loans_by_group)


def _quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def overview_cards(ctx: Context, as_of: date) -> Overview | None:
    """The overview's figures without its charts, at once from the per-loan cache when ``as_of`` is the
    cache's day (today); None otherwise, computing nothing (then ``overview`` computes everything, or refuses a day
    after today)."""
    from fundapp.ledger import entry_store, state_cache

    from .loan_states import ensure_states_current

    if as_of != ctx.today():
        return None
    ensure_states_current(ctx)
    year, q = _quarter_of(as_of)
    with ctx.db.read() as s:
        positions = state_cache.cached_positions(s)
        year_flows = entry_store.flow_sums(s, date(year, 1, 1), as_of)
        quarter_flows = entry_store.flow_sums(s, quarter_bounds(year, q)[0], as_of)
    held = Figures()
    for outstanding, overdue, group in positions:
        held.add_position(outstanding, overdue, group)
    return Overview(
        as_of=as_of, outstanding=held.outstanding, principal_overdue=held.principal_overdue,
        overdue_ratio_percent=str(held.principal_overdue_ratio),
        disbursed_quarter=quarter_flows["disbursement"], disbursed_year=year_flows["disbursement"],
        collected_year=year_flows["repayment"], active_loans=held.loans_outstanding,
        loans_by_group=_by_int(held.debt_groups), outstanding_by_group=_by_int(held.outstanding_by_group),
        outstanding_by_area={})


def _by_int(by_group: dict[str, int]) -> dict[int, int]:
    return {int(g): v for g, v in by_group.items()}


def overview(ctx: Context, as_of: date, quarters: int = 8,
             progress: Callable[[int, int], None] | None = None) -> Overview:
    """Figures at the end of ``as_of`` and for the ``quarters`` calendar quarters up to it (all đồng), by the book's
    one path of period figures (``reports.book_period_reports``: each loan's positions read from its replay
    checkpoints, or one replay from its last; only quarter ends are kept as new checkpoints): the periods are the
    quarters (the last one to ``as_of``) and the year to ``as_of``; the positions are summed by the domain's
    ``Figures`` (DOMAIN.md "Reported"). ``progress(done, total)`` counts loans. Raises ``ValidationError`` for a
    day after the book's today, before anything is read (``clock.refuse_future_figures``: what has not happened is
    not in the book)."""
    from .clock import refuse_future_figures
    from .reports import book_period_reports

    refuse_future_figures(ctx, as_of)
    year, q = _quarter_of(as_of)
    bounds = []
    for back in range(quarters - 1, -1, -1):
        start = add_months(quarter_bounds(year, q)[0], -3 * back)
        bounds.append((start, min(quarter_bounds(*_quarter_of(start))[1], as_of)))
    keep = [end for _, end in bounds if end != as_of or quarter_bounds(year, q)[1] == as_of]
    reports, _book = book_period_reports(ctx, [*bounds, (date(year, 1, 1), as_of)], progress, keep=keep)
    *by_quarter, year_to_date = reports
    now = by_quarter[-1]
    held = now.total
    # the quarter's breakdown by area, as the domain summed it (DOMAIN.md "Reported"); the unknown area shows "—"
    by_area = {area or "—": f.outstanding for area, f in now.by_area.items() if f.outstanding > 0}
    points = tuple(QuarterPoint(f"{QUARTER_NUMERALS[_quarter_of(end)[1]]}/{end.year}", end, r.total.disbursed_amount,
                                r.total.outstanding)
                   for (_, end), r in zip(bounds, by_quarter, strict=True))
    return Overview(
        as_of=as_of,
        outstanding=held.outstanding,
        principal_overdue=held.principal_overdue,
        overdue_ratio_percent=str(held.principal_overdue_ratio),
        disbursed_quarter=held.disbursed_amount,
        disbursed_year=year_to_date.total.disbursed_amount,
        collected_year=year_to_date.total.collected,
        active_loans=held.loans_outstanding,
        loans_by_group=_by_int(held.debt_groups),
        outstanding_by_group=_by_int(held.outstanding_by_group),
        outstanding_by_area=dict(vi_sorted(by_area.items(), key=lambda kv: kv[0])),
        quarters=points,
        restructured_outstanding=held.restructured_outstanding,
        off_balance=held.off_balance,
    )
