"""Reports over the whole book: balances as of a date, the quarterly report's figures and files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from fundapp.domain.engine import Balances
from fundapp.domain.figures import growth
from fundapp.domain.messages import msg
from fundapp.domain.periods import chart_bounds, disbursements_by_quarter, quarter_periods_until
from fundapp.domain.portfolio_report import PortfolioFigures
from fundapp.domain.records import BALANCE_FIELDS
from fundapp.domain.reporting import LoanDay, LoanInput, LoanPeriod, PeriodReport, period_report_of
from fundapp.formatting import short_date

from .book_loader import NO_TERMS, BookLoan
from .book_reads import balances_as_of
from .clock import refuse_future_figures
from .context import Context
from .errors import UserCancelled, ValidationError

BALANCES_KEYS = ("loan_no", *BALANCE_FIELDS)  # INTERCHANGE.md's balances keys, in their order
OnLoan = Callable[[BookLoan, list[LoanPeriod]], None] | None  # told of each loan's periods as they are made


def balances_rows(ctx: Context, as_of: date) -> Iterator[tuple]:
    """INTERCHANGE.md's ``balances`` as plain rows, one per loan sorted by loan_no: the values of ``BALANCES_KEYS``
    in order (the loan number, then ints: đồng, days past due, debt group 1–5), as of the end of ``as_of``.
    Raises ``ValidationError`` (``clock.refuse_future_figures``) at once, before any row, for a day after the book's
    today."""
    refuse_future_figures(ctx, as_of)
    return ((loan_no, *_balance_values(b)) for loan_no, b in balances_as_of(ctx.db, as_of))


_balance_values = attrgetter(*BALANCE_FIELDS)  # a Balances' values of BALANCE_FIELDS, read by name (one C call)


def balances_json(ctx: Context, as_of: date) -> list[dict]:
    """INTERCHANGE.md's ``balances`` array: one object per loan sorted by loan_no (``balances_rows`` keyed; a day
    after the book's today is refused as there)."""
    return [dict(zip(BALANCES_KEYS, row, strict=True)) for row in balances_rows(ctx, as_of)]


@dataclass(frozen=True)
class QuarterReports:
    """The quarter, the same quarter a year before, and the year to date, over one read of the book."""

    year: int
    quarter: int
    current: PeriodReport
    year_before: PeriodReport
    year_to_date: PeriodReport
    book: tuple[BookLoan, ...]  # every loan with its borrower (``input`` without its entries)
    unfinished_until: date | None = None  # the quarter has not ended: its figures run to this day (today)
    disbursement_by_quarter: tuple[tuple[str, int], ...] = ()  # (“I/2023”, đồng) of the last eight quarters
    # the book's journal head (its last row's number and hash: ``ledger.journal.head``) read just before the figures:
    # every write they rest on (entries, borrowers, settings, an import, a closing) adds to it, as do writes they do
    # not rest on (an issued paper's number, a login: ``PAPER_ACTIONS``); None: not known (never taken as current)
    journal_head: tuple[int, str] | None = None


def period_convention(ctx: Context) -> str:
    """The book's reporting periods: "calendar" or "administrative" (Decree 09/2019), from its settings; what the
    quarterly reports and the closing of a quarter count by."""
    from .settings import load_settings

    return load_settings(ctx).period_convention


def quarter_cut(ctx: Context, year: int, quarter: int) -> tuple[date, date, date | None]:
    """(first day, last day counted, the book's today when the quarter has not ended else None) of quarter
    ``quarter`` (1–4) of ``year`` as the report counts it on the book's today: a quarter not yet ended runs to
    today (``quarter_periods_until``, as the PDF, .xlsx and GUI do), never to a later day."""
    periods, unfinished = quarter_frame(ctx, year, quarter)
    return periods[0][0], periods[0][1], unfinished


def quarter_frame(ctx: Context, year: int, quarter: int) -> tuple[list[tuple[date, date]], date | None]:
    """The quarterly report's periods — the quarter, the same quarter a year before, the year to date, each (first
    day, last day) — and the book's today when the quarter has not ended (its figures count to that day), else None
    (``domain.periods.quarter_periods_until`` at the fund's period convention). A quarter that begins after the
    book's today has no figures yet: ``ValidationError`` (field "quarter") naming the quarter the officer asked
    for, «Quý 1/2025 chưa bắt đầu (hôm nay 31/12/2024)…» — it named the quarter's first day, a date nobody typed (an
    officer's trial); one beginning before 01/01/2000 is refused as ``clock.refuse_future_figures`` says it."""
    periods, unfinished = quarter_periods_until(year, quarter, period_convention(ctx), ctx.today())
    today = ctx.today()
    if periods[0][0] > today:
        raise ValidationError(msg("Quý {quarter}/{year} chưa bắt đầu (hôm nay {today}): chưa có số liệu để báo cáo",
                                  quarter=str(quarter), year=str(year), today=short_date(today)), field="quarter")
    refuse_future_figures(ctx, periods[0][0], "quarter")
    return periods, unfinished


def refuse_year_not_begun(ctx: Context, year: int) -> None:
    """Refuse a six-month or annual report of ``year`` when the year begins after the book's today: a
    ``ValidationError`` (field "year") naming the year asked for, «Năm 2025 chưa bắt đầu (hôm nay 31/12/2024)…»
    — it named 01/01/2025, a date nobody typed (an officer's trial). Returns None for a year begun."""
    today = ctx.today()
    if date(year, 1, 1) > today:
        raise ValidationError(msg("Năm {year} chưa bắt đầu (hôm nay {today}): chưa có số liệu để báo cáo",
                                  year=str(year), today=short_date(today)), field="year")


def latest_quarter(ctx: Context) -> tuple[int, int]:
    """(year, quarter 1–4) of the last quarter begun on or before the book's today at the fund's period convention
    (``period_convention``: an administrative quarter begins on the 15th of the month before): the last one a
    report can be asked for (``quarter_frame`` refuses a later one). Raises nothing."""
    from fundapp.domain.periods import quarter_periods

    today, convention = ctx.today(), period_convention(ctx)
    index = (today.year + 1) * 4  # the first quarter of next year, then back one at a time
    while quarter_periods(index // 4, index % 4 + 1, convention)[0][0] > today:
        index -= 1
    return index // 4, index % 4 + 1


def quarterly_json(ctx: Context, year: int, quarter: int) -> dict:
    """INTERCHANGE.md's quarterly report figures (exactly its keys); a quarter not yet ended counted to the book's
    today (``quarter_cut``). The figures of ``quarter_reports``' current quarter, by the same path."""
    start, end, _unfinished = quarter_cut(ctx, year, quarter)
    return book_period_reports(ctx, [(start, end)])[0][0].interchange_json()


def quarter_reports(ctx: Context, year: int, quarter: int, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None, on_loan: OnLoan = None) -> QuarterReports:
    """Everything the quarterly report shows (screen, PDF, .xlsx): the quarter, the same quarter a year before and
    the year to date (``quarter_periods_until``: a quarter not yet ended counts to the book's today) by
    ``book_period_reports``, and the disbursements of the last eight quarters for the chart. ``progress(done,
    total)`` is told as the loans are read; ``cancelled()`` true raises ``UserCancelled``; ``on_loan`` as
    ``book_period_reports``'s. The quarter's days are ``quarter_frame``'s."""
    from fundapp.ledger.checkpoints import disbursements

    periods, unfinished = quarter_frame(ctx, year, quarter)
    head = journal_head(ctx)  # before the figures: a write meanwhile makes them look older, never newer
    (current, year_before, year_to_date), book = book_period_reports(ctx, periods, progress, cancelled,
                                                                      on_loan=on_loan)
    first, last = chart_bounds(year, quarter)
    with ctx.db.read() as s:
        chart = disbursements_by_quarter(disbursements(s, first, last), year, quarter)
    return QuarterReports(year=year, quarter=quarter, current=current, year_before=year_before,
                          year_to_date=year_to_date, book=tuple(book), unfinished_until=unfinished,
                          disbursement_by_quarter=chart, journal_head=head)


def journal_head(ctx: Context) -> tuple[int, str]:
    """The book's journal head now: (its last row's number, its hash) (``ledger.journal.head``: one indexed read)."""
    from fundapp.ledger import journal

    with ctx.db.read() as s:
        return journal.head(s.connection())


# the audit records of writes no figure rests on: a paper's number taken (the first paper of figures shown must not
# make the second read them again), a login
PAPER_ACTIONS = frozenset({"document issue", "login", "login locked"})


def still_current(ctx: Context, reports: QuarterReports) -> bool:
    """Whether ``reports`` (``quarter_reports``' figures, read earlier) are what ``quarter_reports`` would read now:
    the same periods and day counted to (``quarter_frame``: the book's today, its reporting periods) and nothing
    written to the book since but ``PAPER_ACTIONS``' records (``ledger.journal.written_since``: the same chain, at
    most 1,000 rows later)."""
    from fundapp.ledger import journal

    periods, unfinished = quarter_frame(ctx, reports.year, reports.quarter)
    had = [(r.start, r.end) for r in (reports.current, reports.year_before, reports.year_to_date)]
    if reports.journal_head is None or list(periods) != had or unfinished != reports.unfinished_until:
        return False
    with ctx.db.read() as s:
        since = journal.written_since(s.connection(), *reports.journal_head, most=1000)
    return since is not None and all(kind == "audit" and action in PAPER_ACTIONS for kind, _, action in since)


def portfolio_as_of(ctx: Context, as_of: date, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> tuple[PortfolioFigures, list[BookLoan]]:
    """The portfolio report's figures at the end of ``as_of`` (``domain.portfolio_report.portfolio_of``: balances by
    aging band, the loans to chase) by the one path of the book's figures (``book_period_reports`` of the one-day
    period ``as_of``: each loan's position read from its replay checkpoints, or replayed from its last one; only
    the last quarter's end on or before ``as_of`` is kept as a new checkpoint), and every loan with its borrower
    (``BookLoan``, ``input`` without entries). ``progress``/``cancelled`` as ``book_period_reports``. Raises
    ``ValidationError`` for a day after the book's today (``clock.refuse_future_figures``)."""
    from fundapp.domain.portfolio_report import portfolio_of

    from .checkpoints import quarter_end_on_or_before

    refuse_future_figures(ctx, as_of)

    (report,), book = book_period_reports(ctx, [(as_of, as_of)], progress, cancelled,
                                          keep=[quarter_end_on_or_before(as_of)])
    return portfolio_of(report), book


def book_period_reports(ctx: Context, periods: Sequence[tuple[date, date]],
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        keep: Sequence[date] | None = None,
                        on_loan: OnLoan = None) -> tuple[list[PeriodReport], list[BookLoan]]:
    """The one path of the book's period figures (issue 13: the quarterly report on screen, in JSON, PDF and
    .xlsx; issue 17: from checkpoints). A report (``domain.reporting.PeriodReport``) for each (start, end) period,
    and every loan of the book (its ``input`` without entries: they are not all read).

    Each loan's period is the domain's ``period_of`` of its ``LoanDay`` on the day before the period's start and at
    its end, each read from the loan's checkpoint of that day; a day before the loan's first disbursement needs none
    (nothing yet, by the loan list's cache), and a period after it was settled for good has zero figures. A period
    with a day missing, or a life event in it (whose list needs the entries), is replayed (``loan_periods``) from
    the loan's latest checkpoint on or before the earliest such period's eve — one of the days read, or the last
    one before the first of them — and the checkpoints of its days missing are written afterwards in a unit of
    their own (of the days ``keep`` and the quarter ends among those days instead when given: e.g. only the last
    quarter's end for a report as of any day, so that an arbitrary day leaves no checkpoint of every loan behind;
    issue 17: after an import most loans have checkpoints at some of a report's days only). Raises
    ``UserCancelled`` when ``cancelled()`` turns true; ``progress(done, total)`` counts loans. ``on_loan(loan, its
    periods)`` is told of each loan as soon as its periods are made, in the loans' order (by loan number): a
    report's loan list written meanwhile (``report_worker``). The garbage collector is paused meanwhile
    (``book_loader.collector_paused``). A period ending after the book's today is refused before anything is read
    (``ValidationError``, ``clock.refuse_future_figures`` of its last day): the figures of a day not yet come would
    only project what has not happened; the callers refuse first in their own terms (a quarter, a year, a day)."""
    from .book_loader import collector_paused

    refuse_future_figures(ctx, max(end for _, end in periods))
    with collector_paused():
        return _book_period_reports(ctx, periods, progress, cancelled, keep, on_loan)


_ZERO = "zero"  # a loan's period with zero figures by the loan list's cache (before its first disbursement, or
# after it was settled for good): neither read nor replayed
_MISSING = "missing"  # no checkpoint of the day


def _known_periods(pairs: Sequence[tuple[date, date]], span: tuple[date | None, date | None],
                   stored: dict[date, LoanDay]) -> list:
    """How each of a loan's periods (``pairs``: (eve, end)) is known without a replay: ``_ZERO``; (eve's ``LoanDay``
    or None when the loan had not begun by then, end's ``LoanDay``) read from its checkpoints; or None — it must be
    replayed (a day needed without a checkpoint, or a life event in the period, whose list needs the entries).
    ``span``: (first disbursed, quiet from) by the cache (``checkpoints.activity_spans``); ``stored``: the
    ``LoanDay`` of each day from the first read to the last that the loan has a checkpoint or import figures at
    (``checkpoints.decode_run``). A period the loan was settled for good in ends with zero balances and the flow
    totals of a stored day on or after it was (``quiet``: no entry after it) and on or before the period's end."""
    first, quiet = span
    out: list = []
    for eve, end in pairs:
        if (first is not None and end < first) or (quiet is not None and eve >= quiet):
            out.append(_ZERO)
            continue
        at_end = stored.get(end)
        if at_end is None and quiet is not None and quiet <= end:
            after = max((d for d in stored if quiet <= d <= end), default=None)
            if after is not None:  # settled for good, never restructured (``loan_states.state_row_of``'s quiet_from)
                at_end = LoanDay(Balances(end, 0, 0, 0, 0, 0, 0, 0, 1), False, stored[after].totals)
        at_eve = None if first is not None and eve < first else stored.get(eve, _MISSING)
        if at_end is None or at_eve is _MISSING:
            out.append(None)
        elif (at_eve.totals[-1] if at_eve is not None else 0) != at_end.totals[-1]:
            out.append(None)  # a life event in the period: its list needs the entries
        else:
            out.append((at_eve, at_end))
    return out


def _book_period_reports(ctx: Context, periods: Sequence[tuple[date, date]],
                         progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
                         keep: Sequence[date] | None, on_loan: OnLoan) -> tuple[list[PeriodReport], list[BookLoan]]:
    from fundapp.domain.periods import eve_of
    from fundapp.domain.reporting import loan_periods, period_of
    from fundapp.ledger import checkpoints as ledger_checkpoints
    from fundapp.ledger import lending_store

    from .book_loader import terms_of, watch_days_in
    from .book_reads import loan_chunks, starting_points
    from .checkpoints import (
        Collector,
        activity_spans,
        decode_run,
        engine_stamp,
        has_state,
        in_use,
        loan_days,
        loans_without_balance,
        quarter_end_on_or_before,
        run_stamp,
    )

    days = sorted({eve_of(first) for first, _ in periods} | {end for _, end in periods})
    pairs = [(eve_of(first), end) for first, end in periods]
    # the days checkpoints are written at: a quarter end among the days read is kept even when ``keep`` leaves it
    # out (the first quarter's eve), else the loan would be replayed by every read of them
    marked = days if keep is None else sorted(set(keep) | {d for d in days if quarter_end_on_or_before(d) == d})
    read_days = set(days)
    stamp, runs_stamp = (engine_stamp(), run_stamp()) if in_use() else ("", "")  # "": no checkpoint matches
    no_span = (None, None)
    zeros = {end: Balances(end, 0, 0, 0, 0, 0, 0, 0, 1) for _, end in pairs}  # settled for good or not begun

    def read(loan: LoanInput, known: list, replayed: Iterator[LoanPeriod] | None = None) -> list[LoanPeriod]:
        # each period: replayed (the next of ``replayed``), zero, or from the checkpoints' ``LoanDay``s
        return [next(replayed) if k is None else LoanPeriod(loan, 0, 0, 0, 0, zeros[end]) if k is _ZERO
                else period_of(loan, k[0], k[1]) for k, (_, end) in zip(known, pairs, strict=True)]

    def part_read(s, ids: list[int] | None):
        # what the loans ``ids`` (a part of the book, by loan number; None: every loan) start from: (``StartingPoints``,
        # loan id → each period's ``_known_periods`` when none is replayed, loan id → (those, ``LoanDay``s read) when
        # some are)
        ready: dict[int, list] = {}
        partly: dict[int, tuple[list, dict[date, LoanDay]]] = {}
        prefer: dict[int, tuple[date, bytes]] = {}  # … and its checkpoint at the latest day read on or before the
        # first period replayed, when it has one: a later start than its last one before the days read
        stored_at = ledger_checkpoints.at_days(s, days, stamp, watch, ids)
        # … and the import's figures kept in runs (``checkpoints.encode_run``; a whole one first): of those days, and
        # of the days between them (a loan settled for good in a period: its totals after it was)
        for loan_id, runs in ledger_checkpoints.figures_in(s, days, runs_stamp, watch, ids).items():
            for on, blob in runs:
                for day, figures in (decode_run(blob, on, days[0], days[-1]) or {}).items():
                    stored_at.setdefault(loan_id, {}).setdefault(day, figures)
        for loan_id in stored_at.keys() | (spans.keys() if ids is None else spans.keys() & set(ids)):
            if loan_id in quiet:
                continue
            stored = stored_at.get(loan_id, {})
            got = loan_days(stored, ends) if stored else {}
            if got is None:  # one does not load: the loan is replayed from its last checkpoint before them
                got, stored = {}, {}
            known = _known_periods(pairs, spans.get(loan_id, no_span), got)
            if None not in known:
                ready[loan_id] = known
            elif got or _ZERO in known:
                partly[loan_id] = (known, got)
                first_eve = min(eve for k, (eve, _) in zip(known, pairs, strict=True) if k is None)
                later = max((d for d, blob in stored.items() if d <= first_eve and has_state(blob)), default=None)
                if later is not None:
                    prefer[loan_id] = (later, stored[later])
        del stored_at  # ~330,000 checkpoints' and figures' bytes (the 100,000-loan book's quarterly): only the
        # replayed keep theirs
        loans = None if ids is None else lending_store.loan_rows(s, ids)
        points = starting_points(s, days[-1], days[0], quiet | set(ready), None, count_all=True, prefer=prefer,
                                 loans=loans)
        return points, ready, partly

    def loan_periods_of(r, loan: LoanInput, points, ready: dict, partly: dict) -> list[LoanPeriod]:
        # the periods of the loan ``r`` (``lending_store.LoanRow``; ``loan`` its input without terms nor entries)
        loan_id = r.id
        known = ready.get(loan_id)
        if known is not None:
            return read(loan, known)
        if loan_id in quiet:
            return [LoanPeriod(loan, 0, 0, 0, 0, zeros[end]) for _, end in pairs]
        known, got = partly.get(loan_id, (None, {}))
        if known is None:
            known = [None] * len(pairs)
        replay = [i for i, k in enumerate(known) if k is None]
        day, state = points.states.get(loan_id, (None, None))
        entries = points.entries.get(loan_id, ())
        terms = NO_TERMS
        if entries or state is None:  # a restored state with nothing to apply reads its figures without terms
            terms = terms_of(r)
            if state is not None:
                state.attach(terms)
        replayed = LoanInput(r.loan_no, terms, tuple(entries), r.district, r.ward, r.borrower_kind, r.sector,
                             r.borrower_code)
        first, _quiet = spans.get(loan_id, no_span)
        # checkpoints of the days the replay passes that have none: of a day read only when a replayed period
        # needs it, none of a day before the loan began (its zeros are the cache's: its ``LoanDay`` there is
        # None, nothing yet), nor again of one stored
        needed = {d for i in replay for d in pairs[i]}
        not_begun = {d: None for d in needed if first is not None and d < first}
        marks = [d for d in marked if (d in needed or d not in read_days) and d not in got and d not in not_begun
                 and (day is None or d > day) and (first is None or d >= first)]
        return read(loan, known, iter(loan_periods(
            replayed, [periods[i] for i in replay], watch, start=state, marks=marks,
            on_checkpoint=collector.mark(loan_id), named=loan, known=not_begun | got)))

    per_loan, book = [], []
    counts: dict[int, int] = {}
    n = 0
    # one reading transaction, the book read a part at a time (``loan_chunks``, by loan number): the first loans are
    # made, and told to ``on_loan``, before the rest is read (issue 17: the quarterly .xlsx's worker began its ~6 s of
    # writing ~4 s into a report of the 100,000-loan book, once every checkpoint had been read)
    with ctx.db.read() as s:
        watch = watch_days_in(s)
        quiet = loans_without_balance(s, days[0], days[-1])  # settled for good, or not yet begun
        spans = activity_spans(s)
        ends = {end for _, end in pairs}
        collector = Collector(watch)
        numbers = ledger_checkpoints.loan_numbers(s)
        total = len(numbers)
        for ids in loan_chunks(numbers) or [None]:
            points, ready, partly = part_read(s, ids)
            counts.update(points.counts)
            for r in points.loans:
                if n % 2000 == 0:
                    if cancelled is not None and cancelled():
                        raise UserCancelled
                    if progress is not None:
                        progress(n, total)
                n += 1
                book.append(BookLoan(r.id, LoanInput(r.loan_no, NO_TERMS, (), r.district, r.ward, r.borrower_kind,
                                                     r.sector, r.borrower_code),
                                     r.borrower_name, r.purpose, r.contract_date, r.phone, r.representative, r.address))
                per_loan.append(loan_periods_of(r, book[-1].input, points, ready, partly))
                if on_loan is not None:
                    on_loan(book[-1], per_loan[-1])
            del points, ready, partly
    if progress is not None:
        progress(total, total)
    collector.write(ctx.db, counts)
    return [period_report_of(first, end, [lp[i] for lp in per_loan]) for i, (first, end) in enumerate(periods)], book


def period_summary(ctx: Context, start: date, end: date, progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> dict:
    """The six-month/annual lending report's figures (Decree 45 Art. 44): flows of the period, outstanding
    at its start and end, bad debt (groups 3–5) and its ratio, provisions, and the loan book's growth.
    ``progress``/``cancelled`` as ``book_period_reports``. A period begun after the book's today is refused naming
    its first day (field "year", as the command line's), one ending after it naming its last
    (``clock.refuse_future_figures``: ``ValidationError``); ``period_cut`` gives the end a report counts to."""
    from .settings import load_settings

    if start == date(start.year, 1, 1):  # a period not begun has no figures yet: the year asked for is named
        refuse_year_not_begun(ctx, start.year)
    refuse_future_figures(ctx, start, "year")
    refuse_future_figures(ctx, end)

    eve = date.fromordinal(start.toordinal() - 1)
    (before, period), _book = book_period_reports(ctx, [(eve, eve), (start, end)], progress, cancelled)
    total, opening_outstanding = period.total, before.total.outstanding
    rates = load_settings(ctx).provision_map()
    provisions, provision_total = total.provisions_with_total(rates)
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
        "bad_debt_ratio_percent": str(total.bad_debt_ratio),
        "provisions": provisions,
        "provision_total": provision_total,
        "growth_percent": str(growth(opening_outstanding, total.outstanding)),
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


def annual_summary(ctx: Context, year: int, progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> dict:
    """For the year-end conference: "27 projects, VND 9,45 billion disbursed, VND 14,5 billion outstanding". A year
    not yet ended is counted to the book's today (``period_cut``; its "end" says which day). ``progress``/
    ``cancelled`` as ``book_period_reports``."""
    start = date(year, 1, 1)
    return period_summary(ctx, start, period_cut(ctx, start, date(year, 12, 31)), progress, cancelled)


def half_year_summary(ctx: Context, year: int, half: int, progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> dict:
    """The six-month report (1/1–30/6) or, for half 2, the whole year (1/1–31/12), as Decree 45 Art. 44 asks; a
    period not yet ended is counted to the book's today (``period_cut``; its "end" says which day). ``progress``/
    ``cancelled`` as ``book_period_reports``."""
    start = date(year, 1, 1)
    last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return period_summary(ctx, start, period_cut(ctx, start, last), progress, cancelled)
