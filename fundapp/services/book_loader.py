"""The book as the engine sees it: each loan's terms and entries in force (transactions and life events) read into the
domain's records (``load_book``, ``entries_by_loan``, ``terms_of``), the one replay to a day (``replay_until``), the
book's watch length, and the garbage collector's pause during the book's reads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from fundapp.domain.engine import LoanReplay
from fundapp.domain.events import (
    Entry,
    InterestRelief,
    Kind,
    Opening,
    Restructuring,
    Transaction,
    WriteOff,
    ordered,
)
from fundapp.domain.replay import replay_entries
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms, terms_with_amount
from fundapp.ledger import entry_store, lending_store, models, office_store
from fundapp.ledger.db import Database

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
    """LoanTerms from stored columns (rates are stored as exact decimal text; rate_unit "year" or "month"), the
    columns other than the amount checked once for each distinct set (``terms_with_amount``)."""
    return terms_with_amount(amount, rate, rate_unit, term_months, frequency_months, method, grace_periods,
                             overdue_factor, late_interest_rate)


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
    with db.read() as s:
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
