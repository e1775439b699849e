"""The book as the engine sees it: loans' terms and active transactions, balances, the per-loan cache."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.engine import Balances, Kind, LoanReplay, Transaction, ordered
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms
from fundapp.ledger import store
from fundapp.ledger.db import Database


@dataclass(frozen=True)
class Context:
    """What every service needs: the book, who is working, and what day it is."""

    db: Database
    user: str = "officer"
    today: Callable[[], date] = field(default=date.today)


def terms_from(amount, rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor,
               late_interest_rate) -> LoanTerms:
    """LoanTerms from stored columns (rates are stored as exact decimal text)."""
    return LoanTerms(amount=amount, rate=rate, rate_unit=rate_unit, term_months=term_months,
                     frequency_months=frequency_months, method=method, grace_periods=grace_periods,
                     overdue_factor=overdue_factor, late_interest_rate=late_interest_rate)


def terms_of(loan: store.LoanRecord) -> LoanTerms:
    return terms_from(loan.amount, loan.rate, loan.rate_unit, loan.term_months, loan.frequency_months, loan.method,
                      loan.grace_periods, loan.overdue_factor, loan.late_interest_rate)


def active_by_loan(entry_rows: Iterable[tuple]) -> dict[int, list[Transaction]]:
    """Transactions the engine replays, per loan id: every entry neither a reversal nor reversed.

    ``entry_rows`` are (id, loan_id, on_date, kind, amount, reference, reverses_id) in posting order.
    """
    rows = list(entry_rows)
    reversed_ids = {r[6] for r in rows if r[6] is not None}
    kinds = {k.value: k for k in Kind}
    out: dict[int, list[Transaction]] = {}
    for entry_id, loan_id, on, kind, amount, reference, reverses in rows:
        if reverses is None and entry_id not in reversed_ids:
            out.setdefault(loan_id, []).append(Transaction(on, kinds[kind], amount, reference or ""))
    return out


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


def load_book(db: Database, skip_entries_of: set[int] | frozenset[int] = frozenset()) -> list[BookLoan]:
    """Every loan with its terms and active transactions, sorted by loan number (one read, plain tuples).

    The loans in ``skip_entries_of`` come without their transactions (their figures are known otherwise).
    """
    with db.unit() as s:
        loans = store.loan_rows(s)
        by_loan = active_by_loan(store.entry_rows(s, skip=skip_entries_of))
    out = []
    for (loan_id, loan_no, amount, rate, unit, term, freq, method, grace, factor, late, sector, purpose, contract,
         code, name, kind, district, ward, phone, representative, address) in loans:
        terms = terms_from(amount, rate, unit, term, freq, method, grace, factor, late)
        loan_input = LoanInput(loan_no, terms, ordered(by_loan.get(loan_id, ())), district, ward, kind, sector, code)
        out.append(BookLoan(loan_id, loan_input, name, purpose, contract, phone, representative, address))
    return out


def replay_until(terms: LoanTerms, transactions: Iterable[Transaction], as_of: date) -> LoanReplay:
    """The engine's state after the transactions dated on or before ``as_of`` (already ordered)."""
    state = LoanReplay(terms)
    for tx in transactions:
        if tx.on > as_of:
            break
        state.apply(tx)
    return state


def balances_as_of(db: Database, as_of: date) -> list[tuple[str, Balances]]:
    """(loan_no, balances at the end of ``as_of``) for every loan, sorted by loan number.

    A loan settled on or before ``as_of`` (or not yet disbursed) is all zeros, as the engine would say; the
    per-loan cache names them, so their entries are neither read nor replayed.
    """
    with db.unit() as s:
        zero = store.loans_without_balance(s, as_of)
    nothing = Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
    return [(b.input.loan_no, nothing if b.id in zero else
             replay_until(b.input.terms, b.input.transactions, as_of).balances(as_of))
            for b in load_book(db, skip_entries_of=zero)]


def state_row(loan_id: int, terms: LoanTerms, transactions: list[Transaction], as_of: date) -> dict:
    """The cached figures of one loan at ``as_of`` (what the loan list shows)."""
    try:
        state = replay_until(terms, transactions, as_of)
    except TransactionRefused:  # cannot happen for a book written through the services; keep the list usable
        state = LoanReplay(terms)
    b = state.balances(as_of)
    next_on, next_amount = None, 0
    if state.anchor is not None and state.closed_on is None:
        for inst in state.schedule():
            owed = inst.principal - inst.principal_paid + inst.interest - inst.interest_paid
            if inst.due_on >= as_of and owed > 0:
                next_on, next_amount = inst.due_on, owed
                break
    if state.anchor is None:
        status = "approved"
    elif state.closed_on is not None:
        status = "closed"
    elif b.days_past_due > 0:
        status = "overdue"
    else:
        status = "active"
    return dict(loan_id=loan_id, as_of=as_of, disbursed=state.disbursed, principal_outstanding=b.principal_outstanding,
                principal_overdue=b.principal_overdue, interest_due=b.total_interest, days_past_due=b.days_past_due,
                debt_group=b.debt_group, next_due_on=next_on, next_due_amount=next_amount,
                first_disbursed_on=state.anchor, closed_on=state.closed_on, status=status)


def refresh_states(s, loan_ids: Iterable[int] | None, as_of: date) -> int:
    """Recompute the cached figures of ``loan_ids`` (all loans when None) inside unit of work ``s``."""
    ids = None if loan_ids is None else list(loan_ids)
    by_loan = active_by_loan(store.entry_rows(s, ids))
    rows = []
    for r in store.loan_rows(s, ids):
        terms = terms_from(*r[2:11])
        rows.append(state_row(r[0], terms, ordered(by_loan.get(r[0], ())), as_of))
    store.replace_states(s, rows)
    return len(rows)


def ensure_states_current(ctx: Context) -> int:
    """Bring the loan-list cache to today if a day has passed since it was written; returns loans refreshed."""
    today = ctx.today()
    with ctx.db.unit() as s:
        oldest, cached, loans = store.state_dates(s)
        if cached == loans and oldest is not None and oldest >= today:
            return 0
        return refresh_states(s, None, today)
