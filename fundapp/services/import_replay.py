"""Replaying an import's checked entries (INTERCHANGE.md, DOMAIN.md "Order within a day"): each loan's entries of
the book and the new rows through the domain's one replay path, loan by loan, refusals kept as problems on their row,
each loan's results handed to the writer as soon as it passes.

A loan's replay (``replay_loan``) is a pure function of its terms and entries: a large import runs it in worker
processes as well (``services.import_workers``), and takes the outcomes back in the loans' order, so that what is
checked and written is the same whether one process or several replayed it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from fundapp.domain.events import Entry
from fundapp.domain.messages import Message, msg
from fundapp.domain.replay import replay_entries
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import short_date

from .checkpoints import encode, encode_figures, encode_run
from .import_checks import ImportCheck
from .import_read import Row
from .loan_states import state_row_of

Amounts = tuple[int, int, int, int]  # an entry's split as the entry table stores it (đồng)
Applied = Callable[[str, list[tuple[Entry, Amounts, Row]], dict | None], None]


class ReplaySettings(NamedTuple):
    """What every loan of one import is replayed with: ``as_of`` the day of the loan-list figures (the book's
    today; None: none made, a check only), ``marks`` the days checkpoints are taken at (ascending; empty: none),
    ``always`` those of them kept whole even for a loan with no entry since its last checkpoint (its figures only
    on the others: ``replay_loan``), ``watch_days`` the book's watch (days)."""

    as_of: date | None
    marks: tuple[date, ...]
    always: frozenset[date]
    watch_days: int


class LoanJob(NamedTuple):
    """One loan to replay: its number, terms, and entries — the book's first, then the import's new ones from
    position ``first_new`` on, in posting order."""

    loan_no: str
    terms: LoanTerms
    entries: list[Entry]
    first_new: int


class LoanOutcome(NamedTuple):
    """What a loan's replay gives: ``amounts`` of each new entry (principal, interest, overdue interest, late
    interest the engine booked, đồng; None when it was refused), ``refused`` as (position in the job's entries,
    the domain's reason) in replay order, ``state_row`` the loan-list figures at the settings' ``as_of`` (or
    None), ``checkpoints`` as (day, ``services.checkpoints.encode`` bytes) and ``figures`` its figures kept at
    other days as (the last of them, ``services.checkpoints.encode_run`` bytes), or None."""

    amounts: list[Amounts | None]
    refused: list[tuple[int, Message]]
    state_row: dict | None
    checkpoints: list[tuple[date, bytes]]
    figures: tuple[date, bytes] | None = None


def replay_loan(job: LoanJob, settings: ReplaySettings) -> LoanOutcome:
    """Replay one loan's entries through ``domain.replay.replay_entries`` and give its ``LoanOutcome``. Checkpoints
    are kept of a loan live on the day only: none of a loan already settled (the reads give a loan settled for
    good zero figures without one, by the loan list's ``quiet_from`` which the import writes; one whose watch
    outlives it is replayed: a checkpoint is only a cache), nor of one not yet disbursed or opened (zero by the
    loan list's ``first_disbursed_on``); and, but on the days ``settings.always``, a loan with no entry since its
    last checkpoint keeps its figures only there (``encode_figures``: a replay starting from that one applies no
    entry either, and the whole state made half of the 100,000-loan book's year-end checkpoints), as does a loan
    settled at the first mark on or after its settlement day (its flow totals for a period it was settled in), all
    of them in one row (``LoanOutcome.figures``: ``encode_run``, dated its last day; at most one row a loan where a
    row per loan and year made 439,295 of the 100,000-loan book). Without those figures, the first quarterly
    report of a past quarter after an import replayed ~44,000 loans (issue 17). ``LoanOutcome.checkpoints`` are in
    date order. Raises nothing for a refused entry (it is in ``refused``)."""
    entries, first_new = job.entries, job.first_new
    position = {id(entry): i for i, entry in enumerate(entries)}
    amounts: list[Amounts | None] = [None] * (len(entries) - first_new)
    refused: list[tuple[int, Message]] = []
    checkpoints: list[tuple[date, bytes]] = []

    def done(entry: Entry, result: object) -> None:
        i = position[id(entry)] - first_new
        if i >= 0:
            amounts[i] = (getattr(result, "principal", 0), getattr(result, "interest", 0),
                          getattr(result, "overdue_interest", 0), getattr(result, "late_interest", 0))

    def on_refused(entry: Entry, err) -> None:
        refused.append((position[id(entry)], err.msg))

    kept: list[date] = []  # the days of its whole checkpoints
    run: list[tuple[date, bytes]] = []  # the days of its figures only (``encode_run``)
    settled: list[date] = []  # the day its figures were kept after it was settled (then none)
    always = settings.always

    def on_checkpoint(state, day: date) -> None:
        if state.anchor is None:
            return
        if state.closed_on is not None:  # settled: its flow totals once (a report of a period it was settled in)
            if state.closed_on not in settled:
                settled.append(state.closed_on)
                blob = encode_figures(state, day)
                if blob is not None:
                    run.append((day, blob))
            return
        if day in always or not kept or (state.last_on is not None and state.last_on > kept[-1]):
            blob = encode(state, day)
            if blob is not None:
                checkpoints.append((day, blob))
            kept.append(day)
        else:  # its figures only: a report of the day reads them, a replay starts from ``kept[-1]`` as short
            blob = encode_figures(state, day)
            if blob is not None:
                run.append((day, blob))

    state = replay_entries(job.terms, entries, on_result=done, on_refused=on_refused, watch_days=settings.watch_days,
                           checkpoints=settings.marks, on_checkpoint=on_checkpoint if settings.marks else None)
    row = None if settings.as_of is None else state_row_of(None, state, entries, settings.as_of)
    figures = encode_run(run) if run else None
    return LoanOutcome(amounts, refused, row, checkpoints, None if figures is None else (run[-1][0], figures))


class LoanToReplay(NamedTuple):
    """A loan's job and what only the checking process keeps of it: its new entries' rows (file:line) and the
    problems found before its replay (an entry dated on or before its opening)."""

    job: LoanJob
    rows: list[Row]
    first_row: Row
    early: list[tuple[Row, Message]]


def replay_new_entries(check: ImportCheck, terms_by_loan: dict[str, LoanTerms], existing: dict[str, list[Entry]],
                       cancelled: Callable[[], bool] | None, as_of: date | None = None, applied: Applied | None = None,
                       marks: Sequence[date] = (), always: Collection[date] = (), collector=None,
                       moved: Callable[[int, int], None] | None = None, watch_days: int = 90,
                       workers: int = 0) -> None:
    """Each loan's entries — those of the book, and the new transactions, events and opening — through the one
    replay path (``replay_loan``), in DOMAIN.md's order of one date, loan by loan. Refusals become problems on their
    row (those after a loan's first refused row name it as their likely cause: «… — có thể do dòng 3 của
    transactions.csv bị từ chối trước đó»); an entry of a loan with an opening dated on or before its as_of is
    refused here. While no problem is found, each loan's new entries go to ``applied(loan_no, [(entry, its
    ``Amounts``, its file:line Row)…] in posting order — the opening, then the transactions and the events in file
    order —, its loan-list figures at ``as_of`` or None)`` (the write, loan by loan: ``loan_states.state_row_of``
    from the same replay; ``as_of`` is the book's today, every entry on or before it), its checkpoints at the days
    ``marks`` (``always``: see ``replay_loan``) first to ``collector`` (``services.checkpoints.Collector``, keyed by
    loan number). A loan's checked entries are let go once handed on: ``check.transactions`` is emptied.
    ``moved(loans done, loans)`` is told the progress about a hundred times. ``terms_by_loan``: every loan's terms by
    number (a loan missing there had a bad row, already reported, and is skipped); ``existing``: the book's entries
    by loan number; ``watch_days``: the book's watch (days); ``workers``: worker processes replaying beside this one
    (0: all here; ``services.import_workers``). Raises ``UserCancelled`` when ``cancelled()`` turns true (checked
    every 200 loans at most); every refusal is a problem in ``check``, nothing is raised for it.
    """
    from .import_workers import outcomes

    settings = ReplaySettings(as_of, tuple(marks) if collector is not None else (), frozenset(always), watch_days)
    loans = _loans(check, terms_by_loan, existing)
    total = len(loans)
    for loan, outcome in outcomes(iter(loans.values()) if total else iter(()), total, settings, workers, cancelled,
                                  moved):
        _take(check, loan, outcome, applied, collector)


def _loans(check: ImportCheck, terms_by_loan: dict[str, LoanTerms],
           existing: dict[str, list[Entry]]) -> _LazyLoans:
    new_by_loan: dict[str, list[tuple[Row, Entry]]] = {}
    for row, loan_no, entry in check.openings:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    for loan_no, items in check.transactions.items():
        if loan_no in new_by_loan:
            new_by_loan[loan_no].extend(items)
        else:
            new_by_loan[loan_no] = items
    check.transactions = {}
    for row, loan_no, entry in check.events:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    openings = {loan_no: opening for _, loan_no, opening in check.openings}
    return _LazyLoans(new_by_loan, openings, terms_by_loan, existing)


class _LazyLoans:
    """The import's loans as ``LoanToReplay``s, each built only when the replay reaches it (``values``) and its checked
    entries let go of meanwhile (``new_by_loan`` popped); ``len`` counts them all, skipped ones included."""

    def __init__(self, new_by_loan, openings, terms_by_loan, existing) -> None:
        self.new_by_loan, self.openings, self.terms_by_loan, self.existing = (new_by_loan, openings, terms_by_loan,
                                                                              existing)
        self.total = len(new_by_loan)

    def __len__(self) -> int:
        return self.total

    def values(self) -> Iterator[LoanToReplay | None]:
        """Each loan in turn; None for one whose loan row was bad (already reported): it counts for the progress
        but is not replayed."""
        for loan_no in list(self.new_by_loan):
            items = self.new_by_loan.pop(loan_no)
            terms = self.terms_by_loan.get(loan_no)
            if terms is None:
                yield None
                continue
            opening = self.openings.get(loan_no)
            kept: list[tuple[Row, Entry]] = []
            early: list[tuple[Row, Message]] = []
            for row, entry in items:
                if opening is not None and entry is not opening and entry.on <= opening.on:
                    early.append((row, msg("ngày {day} không sau ngày chuyển số dư {opening} của khoản vay «{loan_no}» "
                                           "(openings): mọi giao dịch, sự kiện phải ghi sau ngày đó",
                                           day=short_date(entry.on), opening=short_date(opening.on),
                                           loan_no=loan_no)))
                else:
                    kept.append((row, entry))
            book = self.existing.get(loan_no, ())
            job = LoanJob(loan_no, terms, [*book, *(entry for _, entry in kept)], len(book))
            yield LoanToReplay(job, [row for row, _ in kept], items[0][0], early)


def _take(check: ImportCheck, loan: LoanToReplay, outcome: LoanOutcome, applied: Applied | None, collector) -> None:
    """A loan's outcome, in the loans' order: its problems into ``check``, and while there is none its checkpoints
    to ``collector`` and its entries to ``applied`` (the checkpoints first: the writer writes them after the
    entries of the batch they join)."""
    for row, reason in loan.early:
        check.bad(row, reason)
    job, first = loan.job, None
    for position, reason in outcome.refused:
        if position >= job.first_new:
            row = loan.rows[position - job.first_new]
            check.bad(row, reason if first is None else msg(
                "{reason} — có thể do dòng {line} của {source} bị từ chối trước đó", reason=reason,
                line=str(first.line), source=first.source))
            first = first or row
        else:
            entry = job.entries[position]
            check.bad(loan.first_row, msg("bút toán đã ghi ngày {day} ({reference}) bị từ chối sau khi ghi lùi ngày: "
                                          "{reason}", day=short_date(entry.on), reference=entry.reference,
                                          reason=reason))
    if check.problems:
        return
    if collector is not None:
        collector.rows.extend((job.loan_no, day, blob) for day, blob in outcome.checkpoints)
        if outcome.figures is not None:
            collector.figures.append((job.loan_no, *outcome.figures))
    if applied is not None:
        new = job.entries[job.first_new:]
        applied(job.loan_no, list(zip(new, outcome.amounts, loan.rows, strict=True)), outcome.state_row)
