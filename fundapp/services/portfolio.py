"""The book as the engine sees it: loans' terms and entries in force (transactions and life events), balances,
the per-loan cache."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.engine import LoanReplay
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


class _CollectorPauses:
    """The pauses of the garbage collector in force in this process, counted under a lock: reads run in threads
    (the GUI's jobs), and the collector must not run again while any of them still reads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.resume = False  # whether the collector ran before the first pause in force


_PAUSES = _CollectorPauses()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Inside the block Python's cyclic garbage collector does not run: a read or an import of the whole book holds
    hundreds of thousands of objects until it ends, and every full collection walks them all (~40 % of a warm
    quarterly's CPU on the 100,000-loan book, issue 17). Nothing it makes is cyclic garbage. Pauses are counted
    across threads: the collector runs again when the last pause in force ends, and only if it ran before the
    first one began (two overlapping reads: the first to end leaves it off for the other)."""
    with _PAUSES.lock:
        if _PAUSES.count == 0:
            _PAUSES.resume = gc.isenabled()
            gc.disable()
        _PAUSES.count += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.count -= 1
            if _PAUSES.count == 0 and _PAUSES.resume:
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
    return grouped_entries(*entry_store.entries_in_force(s, loan_ids, skip, until))


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


def grouped_entries(rows: list[entry_store.EntryRow],
                    events: dict[int, entry_store.EventRow]) -> dict[int, list[Entry]]:
    """Engine entries per loan id (in the order of ``rows``) from stored rows and the life events' parameters by
    entry id (``entry_store.entries_in_force``'s shapes): ``entries_by_loan``'s shape."""
    out: dict[int, list[Entry]] = {}
    kinds = _TRANSACTION_KINDS
    for r in rows:
        kind = kinds.get(r.kind)
        entry = (Transaction(r.on_date, kind, r.amount, r.reference or "") if kind is not None
                 else domain_entry(r, events.get(r.id)))
        out.setdefault(r.loan_id, []).append(entry)
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
