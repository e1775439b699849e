"""The book as the engine sees it: loans' terms and entries in force (transactions and life events), balances,
the per-loan cache."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.engine import Balances, LoanReplay
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.events import (
    Entry,
    InterestRelief,
    Kind,
    LoanStatus,
    Opening,
    Restructuring,
    Transaction,
    WriteOff,
    ordered,
)
from fundapp.domain.replay import replay_entries
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms
from fundapp.ledger import entry_store, lending_store, models, office_store, state_cache
from fundapp.ledger.db import Database

log = logging.getLogger("fundapp.portfolio")


@dataclass(frozen=True)
class Context:
    """What every service needs: the book, who is working, and what day it is."""

    db: Database
    user: str = "officer"
    today: Callable[[], date] = field(default=date.today)
    # the logged-in user's role codes (services.users.login); None: nobody logged in — on a book without users the
    # implicit administrator (every right), on a book with users nothing (services.rights.require)
    roles: frozenset[str] | None = None
    # the proposal being confirmed (maker-checker): the services then do what it proposed
    confirming: int | None = None

    def watch_days(self) -> int:
        """The book's watch length in days (setting ``watch_days``, default 90; DOMAIN.md "Restructuring on day
        t", item 4), read from the book each time (one small query)."""
        with self.db.unit() as s:
            return watch_days_in(s)


WATCH_DAYS = 90  # DOMAIN.md's default watch length, days


@contextmanager
def collector_paused() -> Iterator[None]:
    """Inside the block Python's cyclic garbage collector does not run (restored after, if it ran before): a read
    or an import of the whole book holds hundreds of thousands of objects until it ends, and every full collection
    walks them all (~40 % of a warm quarterly's CPU on the 100,000-loan book, issue 17). Nothing it makes is
    cyclic garbage."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def watch_days_in(s) -> int:
    """The book's ``watch_days`` setting read inside unit of work ``s`` (days; 90 when never set)."""
    return watch_days_of(office_store.settings(s).get("watch_days"))


def watch_days_of(raw: str | None) -> int:
    """The watch length in days of the ``watch_days`` setting as stored (``raw`` text, None when never set): a
    positive whole number, else DOMAIN.md's default 90."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else WATCH_DAYS  # "²" is a digit too


def terms_from(amount, rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor,
               late_interest_rate) -> LoanTerms:
    """LoanTerms from stored columns (rates are stored as exact decimal text; rate_unit "year" or "month")."""
    return LoanTerms(amount=amount, rate=rate, rate_unit=rate_unit, term_months=term_months,
                     frequency_months=frequency_months, method=method, grace_periods=grace_periods,
                     overdue_factor=overdue_factor, late_interest_rate=late_interest_rate)


def terms_of(loan: models.LoanRecord | lending_store.LoanRow) -> LoanTerms:
    """The terms of a stored loan (an ORM record or a ``lending_store.LoanRow``)."""
    return terms_from(loan.amount, loan.rate, loan.rate_unit, loan.term_months, loan.frequency_months, loan.method,
                      loan.grace_periods, loan.overdue_factor, loan.late_interest_rate)


_TRANSACTION_KINDS = {"disbursement": Kind.DISBURSEMENT, "repayment": Kind.REPAYMENT}


def domain_entry(row: entry_store.EntryRow, event: entry_store.EventRow | None = None) -> Entry:
    """The engine's record of one stored entry in force: a ``Transaction`` or a life event (DOMAIN.md "Life
    events") built from its parameters (``event``, required for the four event kinds)."""
    kind = _TRANSACTION_KINDS.get(row.kind)
    reference = row.reference or ""
    if kind is not None:
        return Transaction(row.on_date, kind, row.amount, reference)
    if event is None:
        raise ValueError(f"entry {row.id} ({row.kind}) has no parameters in entry_events")
    if row.kind == Kind.RESTRUCTURE:
        return Restructuring(row.on_date, event.extend_months or 0, event.grace_periods or 0, reference, event.reason)
    if row.kind == Kind.INTEREST_RELIEF:
        return InterestRelief(row.on_date, event.relief_of or "", row.amount, reference, event.reason)
    if row.kind == Kind.WRITE_OFF:
        return WriteOff(row.on_date, reference, event.reason)
    if row.kind == Kind.OPENING:
        return Opening(row.on_date, event.first_disbursement_date, row.amount, event.principal_outstanding or 0,
                       event.principal_overdue or 0, event.oldest_overdue_date, event.interest_due_unpaid or 0,
                       event.interest_accrued or 0, event.overdue_interest or 0, event.late_interest or 0,
                       event.restructurings or 0, reference)
    raise ValueError(f"entry {row.id}: unknown kind {row.kind!r}")


def entries_by_loan(s, loan_ids: Iterable[int] | None = None, skip: Iterable[int] = (),
                    until: date | None = None) -> dict[int, list[Entry]]:
    """The engine's entries in force (transactions and life events; dated on or before ``until`` if given) per
    loan id, in posting order, read inside unit of work ``s`` by the one "entries in force" query
    (``entry_store.entries_in_force``)."""
    return _grouped(*entry_store.entries_in_force(s, loan_ids, skip, until))


def entries_with_ids(s, loan_id: int, without: int | None = None) -> list[tuple[int, Entry]]:
    """(entry id, engine entry) of one loan's entries in force in posting order (``without`` left out: a replay
    as if it were reversed)."""
    rows, events = entry_store.entries_in_force(s, [loan_id])
    return [(r.id, domain_entry(r, events.get(r.id))) for r in rows if r.id != without]


NO_TERMS = LoanTerms(amount=1, rate="0", term_months=1)  # the terms of a loan whose figures are not replayed


@dataclass(frozen=True)
class BookLoan:
    """A loan of the book with what the reports and lists need besides the engine's input."""

    id: int
    input: LoanInput
    borrower_name: str
    purpose: str
    contract_date: date | None
    phone: str
    representative: str
    address: str


def load_book(db: Database, skip_entries_of: set[int] | frozenset[int] = frozenset(),
              until: date | None = None) -> list[BookLoan]:
    """Every loan with its terms and entries in force (transactions and life events, in DOMAIN.md's order),
    sorted by loan number (one read).

    ``until``: only the entries dated on or before it (figures as of that day need no later one).
    The loans in ``skip_entries_of`` come without their entries, and without their terms (a placeholder: their
    figures are known otherwise; LoanTerms cost 28 µs each).
    """
    with db.unit() as s:
        loans = lending_store.loan_rows(s)
        by_loan = entries_by_loan(s, skip=skip_entries_of, until=until)
    out = []
    for r in loans:
        terms = NO_TERMS if r.id in skip_entries_of else terms_of(r)
        loan_input = LoanInput(r.loan_no, terms, ordered(by_loan.get(r.id, ())), r.district, r.ward,
                               r.borrower_kind, r.sector, r.borrower_code)
        out.append(BookLoan(r.id, loan_input, r.borrower_name, r.purpose, r.contract_date, r.phone, r.representative,
                            r.address))
    return out


def replay_until(terms: LoanTerms, entries: Iterable[Entry], as_of: date, watch_days: int = WATCH_DAYS) -> LoanReplay:
    """The engine's state after the entries dated on or before ``as_of`` (``domain.replay.replay_entries``), with
    the book's watch of ``watch_days`` days. Raises ``TransactionRefused`` if an entry is refused (a book written
    through the services has none)."""
    return replay_entries(terms, entries, until=as_of, watch_days=watch_days)


def _grouped(rows: list[entry_store.EntryRow], events: dict[int, entry_store.EventRow]) -> dict[int, list[Entry]]:
    """Engine entries per loan id from stored rows (``entries_by_loan``'s shape)."""
    out: dict[int, list[Entry]] = {}
    kinds = _TRANSACTION_KINDS
    for r in rows:
        kind = kinds.get(r.kind)
        entry = (Transaction(r.on_date, kind, r.amount, r.reference or "") if kind is not None
                 else domain_entry(r, events.get(r.id)))
        out.setdefault(r.loan_id, []).append(entry)
    return out


@dataclass
class StartingPoints:
    """What a replay of every loan to ``until`` starts from, read in one snapshot of the book (issue 17).

    ``loans``: every loan (``lending_store.LoanRow``, by loan number); ``states``: loan id → (day, state) restored from its
    last checkpoint on or before ``since``; ``figures``: loan id → its balances at ``until`` read from a checkpoint
    of that very day with no later entry (no state restored); ``entries``: loan id → its entries in force dated
    after its checkpoint (all of them for a loan without a usable one) and on or before ``until``; ``counts``: the
    entry counts of the loans that will get a checkpoint (``Collector``); ``watch_days`` the book's watch.
    """

    loans: list
    states: dict[int, tuple[date, LoanReplay]]
    figures: dict[int, Balances]
    entries: dict[int, list[Entry]]
    counts: dict[int, int]
    watch_days: int
    terms: dict = field(default_factory=dict)  # loan id → ``ledger.checkpoints.TermsRow`` (``with_borrowers`` False)


_COUNT_BY_IDS = 20_000  # fewer loans than this: their entries counted through the index, 500 loans a query
# (PostgreSQL counted all 906,000 entries of the 100,000-loan book in 1.25 s for a warm quarter's ~2,000 loans)


def starting_points(s, until: date, since: date, skip: set[int], mark: date | None,
                    with_borrowers: bool = True, count_all: bool = False) -> StartingPoints:
    """Read, inside unit of work ``s``, each loan's last checkpoint on or before ``since`` (≤ ``until``) and its
    entries after it up to ``until`` (the loans ``skip`` left out); a checkpoint that does not load is ignored (the
    loan's every entry is read). ``mark``: the day a checkpoint will be written for loans that have none there yet
    (their entry counts are read, see ``Collector``); None writes none. ``with_borrowers`` False: ``loans`` are
    ``ledger.checkpoints.LoanNumber`` (id and number only, a faster read) and ``terms`` holds the terms of the loans
    whose figures are not read from a checkpoint. ``count_all``: read the entry counts of
    every loan not skipped (checkpoints will be written for them at several days)."""
    from fundapp.ledger import checkpoints as ledger_checkpoints

    from .checkpoints import decode, engine_stamp, figures_of, in_use

    stamp, watch = engine_stamp() if in_use() else "", watch_days_in(s)  # "": no checkpoint matches
    loans = lending_store.loan_rows(s) if with_borrowers else ledger_checkpoints.loan_numbers(s)
    wanted = [r.id for r in loans if r.id not in skip]
    only = wanted if len(wanted) <= len(skip) else None  # name the loans read when they are the fewer
    saved = {i: v for i, v in ledger_checkpoints.latest(s, since, stamp, watch, only=only).items() if i not in skip}
    rows, events = ledger_checkpoints.entries_after(s, until, stamp, watch, after=since, only=only)
    by_loan = _grouped([r for r in rows if r.loan_id not in skip], events)
    without = [i for i in wanted if i not in saved]  # every entry of theirs
    if without:
        if len(without) <= len(skip):
            by_loan.update(entries_by_loan(s, without, until=until))
        else:
            by_loan.update((i, e) for i, e in entries_by_loan(s, skip=skip, until=until).items() if i not in saved)
    states: dict[int, tuple[date, LoanReplay]] = {}
    figures: dict[int, Balances] = {}
    failed = []
    for loan_id, (day, blob) in saved.items():
        if loan_id in skip:
            continue
        if day == until and loan_id not in by_loan:
            b = figures_of(blob, day)
            if b is not None:
                figures[loan_id] = b
                continue
        state = decode(blob, None, watch)
        if state is None:
            failed.append(loan_id)
        else:
            states[loan_id] = (day, state)
    if failed:
        log.info("%d replay checkpoints did not load: replayed from the first entry", len(failed))
        by_loan.update(entries_by_loan(s, failed, until=until))
    counts: dict[int, int] = {}
    if count_all:
        need = [r.id for r in loans if r.id not in skip]
        if need:
            counts = ledger_checkpoints.entry_counts(s, need if len(need) < _COUNT_BY_IDS else None)
    elif mark is not None:
        have = {i for i, (day, _) in saved.items() if day == mark and i not in failed}
        need = [r.id for r in loans if r.id not in skip and r.id not in have]
        if need:
            counts = ledger_checkpoints.entry_counts(s, need if len(need) < _COUNT_BY_IDS else None)
    terms: dict = {}
    if not with_borrowers:
        need = [i for i in wanted if i not in figures]
        if need:
            terms = ledger_checkpoints.terms_rows(s, need if len(need) < 5000 else None)
    return StartingPoints(loans, states, figures, by_loan, counts, watch, terms)


def balances_as_of(db: Database, as_of: date) -> list[tuple[str, Balances]]:
    """(loan_no, balances at the end of ``as_of``) for every loan, sorted by loan number.

    A loan settled on or before ``as_of`` (or not yet disbursed or opened) is all zeros, as the engine would say;
    the per-loan cache names them, so their entries are neither read nor replayed. Every other loan starts from its
    last checkpoint on or before ``as_of`` and replays only the later entries (issue 17); the loans without a
    checkpoint at the last quarter's end on or before ``as_of`` get one, written after in a unit of its own. The
    garbage collector is paused meanwhile (``collector_paused``).
    """
    from .checkpoints import quarter_end_on_or_before

    with collector_paused():
        return _balances_as_of(db, as_of, quarter_end_on_or_before(as_of))


def _balances_as_of(db: Database, as_of: date, mark: date) -> list[tuple[str, Balances]]:
    from .checkpoints import Collector

    with db.read() as s:
        zero = state_cache.loans_without_balance(s, as_of)
        points = starting_points(s, as_of, as_of, zero, mark, with_borrowers=False)
    nothing = Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
    collector = Collector(points.watch_days)
    out = []
    figures, states, entries_of, counts = points.figures, points.states, points.entries, points.counts
    for r in points.loans:
        loan_id = r.id
        if loan_id in zero:
            out.append((r.loan_no, nothing))
            continue
        b = figures.get(loan_id)
        if b is not None:
            out.append((r.loan_no, b))
            continue
        day, state = states.get(loan_id, (None, None))
        entries = entries_of.get(loan_id)
        marks = [mark] if loan_id in counts and (day is None or day < mark) else []
        if entries or marks or state is None:
            terms = terms_of(points.terms[loan_id])
            if state is not None:
                state.attach(terms)
            state = replay_entries(terms, entries or (), until=as_of, watch_days=points.watch_days, start=state,
                                   checkpoints=marks, on_checkpoint=collector.mark(loan_id) if marks else None)
        out.append((r.loan_no, state.balances(as_of)))
    collector.write(db, counts)
    return out


def state_row(loan_id: int, terms: LoanTerms, entries: list[Entry], as_of: date,
              watch_days: int = WATCH_DAYS) -> dict:
    """The cached figures of one loan at ``as_of`` (what the loan list shows), the watch ``watch_days`` days long.
    ``status``: approved (nothing disbursed or opened), active, overdue, closed (settled) or written_off."""
    try:
        state = replay_until(terms, entries, as_of, watch_days)
    except TransactionRefused:  # cannot happen for a book written through the services; keep the list usable
        state = LoanReplay(terms)
    return state_row_of(loan_id, state, entries, as_of)


def state_row_of(loan_id: int | None, state: LoanReplay, entries: Iterable[Entry], as_of: date) -> dict:
    """``state_row`` of a loan already replayed: ``state`` holds every one of ``entries`` (all dated on or before
    ``as_of``) applied, as ``replay_until(terms, entries, as_of)`` leaves it (an import replays each loan once and
    keeps the figures so, instead of reading its entries back)."""
    entries = list(entries)
    b = state.balances(as_of)
    status_now = state.status
    next_on, next_amount = None, 0
    if status_now is LoanStatus.ACTIVE:
        for inst in state.schedule():
            owed = inst.principal - inst.principal_paid + inst.interest - inst.interest_paid
            if inst.due_on >= as_of and owed > 0:
                next_on, next_amount = inst.due_on, owed
                break
    if status_now is LoanStatus.PENDING:
        status = "approved"
    elif status_now is LoanStatus.SETTLED:
        status = "closed"
    elif status_now is LoanStatus.WRITTEN_OFF:
        status = "written_off"
    elif b.in_arrears:  # overdue or late-payment interest owed is arrears too (DOMAIN.md "A repayment")
        status = "overdue"
    else:
        status = "active"
    first_on = min((e.on for e in entries if e.kind in (Kind.DISBURSEMENT, Kind.OPENING)), default=None)
    watched = any(e.kind in (Kind.RESTRUCTURE, Kind.INTEREST_RELIEF) for e in entries)  # a watch may outlive it
    quiet_from = state.closed_on if status_now is LoanStatus.SETTLED and not watched else None
    return dict(loan_id=loan_id, as_of=as_of, disbursed=state.disbursed, principal_outstanding=b.principal_outstanding,
                principal_overdue=b.principal_overdue, total_interest=b.total_interest, days_past_due=b.days_past_due,
                debt_group=b.debt_group, next_due_on=next_on, next_due_amount=next_amount,
                first_disbursed_on=first_on if state.anchor is not None else None,
                closed_on=state.closed_on if status_now is LoanStatus.SETTLED else None, status=status,
                quiet_from=quiet_from)


def refresh_states(s, loan_ids: Iterable[int] | None, as_of: date) -> int:
    """Recompute the cached figures of ``loan_ids`` (all loans when None) inside unit of work ``s``."""
    ids = None if loan_ids is None else list(loan_ids)
    by_loan = entries_by_loan(s, ids)
    watch = watch_days_in(s)
    rows = [state_row(r.id, terms_of(r), by_loan.get(r.id, []), as_of, watch) for r in lending_store.loan_rows(s, ids)]
    state_cache.replace_states(s, rows)
    return len(rows)


def states_current(s, today: date) -> bool:
    """Whether every loan of the book has a loan-list cache row as of ``today`` (three small aggregates, no
    replay); a book without loans is current."""
    oldest, cached, loans = state_cache.state_dates(s)
    return cached == loans and (oldest is None or oldest >= today)


def ensure_states_current(ctx: Context) -> int:
    """Bring the loan-list cache to today if a day has passed since it was written; returns loans refreshed."""
    today = ctx.today()
    with ctx.db.unit() as s:
        if states_current(s, today):
            return 0
        return refresh_states(s, None, today)
