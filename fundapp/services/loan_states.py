"""The loan list's cache of each loan's figures (``loan_state``): a loan's row from its replay (``state_row``,
``state_row_of``), rebuilt inside a unit of work (``refresh_states``) and brought to today (``ensure_states_current``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from fundapp.domain.engine import LoanReplay
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.events import Entry, Kind, LoanStatus
from fundapp.domain.terms import LoanTerms
from fundapp.ledger import lending_store, state_cache

from .book_loader import WATCH_DAYS, entries_by_loan, replay_until, terms_of, watch_days_in
from .context import Context


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
    """Bring the loan-list cache to today if a day has passed since it was written; returns loans refreshed.
    Whether it is current is read first (``Database.read``): a cache already current, the usual case, is no reason
    to wait for the write lock behind another officer's import (the loan list, the overview's cards and the coverage
    report ask it first); the unit that refreshes it asks again."""
    today = ctx.today()
    with ctx.db.read() as s:
        if states_current(s, today):
            return 0
    with ctx.db.unit() as s:
        if states_current(s, today):
            return 0
        return refresh_states(s, None, today)
