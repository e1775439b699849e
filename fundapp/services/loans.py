"""Reading one loan: terms, schedule, history with each repayment's split, balances and quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.domain.engine import Balances, Installment, LoanReplay, Quote
from fundapp.domain.messages import msg
from fundapp.domain.replay import replay_entries
from fundapp.domain.terms import LoanTerms
from fundapp.ledger import entry_store, lending_store
from fundapp.ledger.models import EVENT_KINDS

from .errors import NotFound
from .portfolio import Context, entries_with_ids, terms_of, watch_days_in


@dataclass(frozen=True)
class EntryRow:
    """One posted entry as the history shows it; the split is the engine's current reading."""

    id: int
    on: date
    kind: str
    amount: int
    reference: str
    note: str
    entered_by: str
    entered_at: object
    reversed_by: int | None  # the reversal entry that cancelled it
    reverses: int | None  # for a reversal: the entry it cancels
    principal: int = 0
    interest: int = 0
    overdue_interest: int = 0
    late_interest: int = 0
    settled: bool = False
    reason: str = ""  # a life event's reason (its decision number is ``reference``)

    @property
    def active(self) -> bool:
        """True for an entry in force: not a reversal and not reversed (DOMAIN.md "Corrections")."""
        return self.kind != "reversal" and self.reversed_by is None


@dataclass(frozen=True)
class LoanView:
    """Everything the loan page, the statement and the command line show about a loan at a date."""

    id: int
    loan_no: str
    borrower_id: int
    borrower_code: str
    borrower_name: str
    purpose: str
    sector: str
    contract_date: date | None
    terms: LoanTerms
    as_of: date
    balances: Balances
    schedule: tuple[Installment, ...]
    history: tuple[EntryRow, ...]
    quote: Quote
    disbursed: int
    prepaid: int
    anchor: date | None
    closed_on: date | None
    version: int


def _history_and_state(s, entries, terms: LoanTerms, as_of: date) -> tuple[list[EntryRow], LoanReplay]:
    """Every posted entry as the history shows it, and the loan replayed (one replay path) through ``as_of``."""
    reversed_by = {e.reverses_id: e.id for e in entries if e.reverses_id is not None}
    in_force = entries_with_ids(s, entries[0].loan_id) if entries else []
    key_of = {id(entry): entry_id for entry_id, entry in in_force}
    results: dict[int, object] = {}

    def keep(entry, result) -> None:
        if result is not None:
            results[key_of[id(entry)]] = result

    state = replay_entries(terms, [entry for _, entry in in_force], until=as_of, on_result=keep,
                           watch_days=watch_days_in(s))
    reasons = {i: ev.reason for i, ev in entry_store.events_of(s, [e.id for e in entries if e.kind in EVENT_KINDS]).items()}
    rows = []
    for e in entries:
        a = results.get(e.id)
        rows.append(EntryRow(
            id=e.id, on=e.on_date, kind=e.kind, amount=e.amount, reference=e.reference or "", note=e.note,
            entered_by=e.entered_by, entered_at=e.entered_at, reversed_by=reversed_by.get(e.id), reverses=e.reverses_id,
            principal=getattr(a, "principal", 0), interest=getattr(a, "interest", 0),
            overdue_interest=getattr(a, "overdue_interest", 0), late_interest=getattr(a, "late_interest", 0),
            settled=getattr(a, "settled", False), reason=reasons.get(e.id, "")))
    rows.sort(key=lambda r: (r.on, r.id))
    return rows, state


def loan_view(ctx: Context, loan_no: str | None = None, as_of: date | None = None, *,
              loan_id: int | None = None) -> LoanView:
    """The loan ``loan_no`` (or ``loan_id``) read at the end of ``as_of`` (default: today, with every entry).

    ``quote`` is what is payable on ``as_of`` (accrued through the day before), after that day's entries.
    """
    with ctx.db.unit() as s:
        record = lending_store.loan(s, loan_id) if loan_id is not None else lending_store.loan_by_no(s, loan_no or "")
        if record is None:
            raise NotFound(msg("Không có khoản vay số «{loan_no}» trong sổ", loan_no=loan_no or loan_id))
        borrower = lending_store.borrower(s, record.borrower_id)
        entries = entry_store.entries_of(s, record.id)
        # without a date: today, or the last entry's day if the book runs ahead of the calendar
        when = as_of or max([ctx.today(), *(e.on_date for e in entries)])
        terms = terms_of(record)
        history, state = _history_and_state(s, entries, terms, when)
        quote = state.quote(when)  # before balances(): payable on a day excludes that day's accrual
        balances = state.balances(when)
        schedule = tuple(state.schedule())
        return LoanView(
            id=record.id, loan_no=record.loan_no, borrower_id=borrower.id, borrower_code=borrower.code,
            borrower_name=borrower.name, purpose=record.purpose, sector=record.sector,
            contract_date=record.contract_date, terms=terms, as_of=when, balances=balances, schedule=schedule,
            history=tuple(history), quote=quote, disbursed=state.disbursed, prepaid=state.prepaid,
            anchor=state.anchor, closed_on=state.closed_on, version=record.version)
