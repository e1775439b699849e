"""Reading one loan: terms, schedule, history with each repayment's split, balances and quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.domain.engine import (
    Balances,
    Installment,
    Kind,
    Quote,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    WriteOffResult,
)
from fundapp.domain.messages import Message, as_message, msg
from fundapp.domain.terms import LoanTerms
from fundapp.domain.terms_in_force import TermsInForce, terms_in_force
from fundapp.formatting import short_date
from fundapp.ledger import entry_store, lending_store
from fundapp.ledger.models import EVENT_KINDS

from .book_loader import domain_entry, entries_with_ids, terms_of, watch_days_in
from .clock import refuse_future_figures
from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .event_previews import LoanEvents, events_at, replayed
from .loan_lookup import missing_loan
from .posting import replay_keyed


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
    # the engine's record of a life event or a recovery (its figures: a write-off's are not ``amount``, stored 0): for
    # an entry in force as the book reads it now, for a reversed one as it read it just before the reversal, for a
    # reversal the record of the entry it cancels; None for any other entry
    result: object = None
    reverses_reference: str = ""  # for a reversal: the reference of the entry it cancels (entries are named by it)
    reverses_kind: str = ""  # for a reversal: the kind of the entry it cancels

    @property
    def active(self) -> bool:
        """True for an entry in force: not a reversal and not reversed (DOMAIN.md "Corrections")."""
        return self.kind != "reversal" and self.reversed_by is None


@dataclass(frozen=True)
class LoanView:
    """Everything the loan page, the statement and the command line show about a loan at a date.

    ``terms`` are the contract's; ``terms_in_force`` those in force at ``as_of``, as the restructurings in force on or
    before it changed them (DOMAIN.md "Restructuring on day t"): what the page and the papers show as the terms."""

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
    terms_in_force: TermsInForce
    written_off_on: date | None = None  # DOMAIN.md "Write-off on day t": from then on nothing is due


def _history(entries, results: dict[int, object], reasons: dict[int, str], events: dict[int, object] | None = None,
             undone: dict[int, object] | None = None) -> list[EntryRow]:
    """Every posted entry (``entries``: the loan's ``EntryRecord``s) as the history shows it, by date then as
    posted: each in force with its split from ``results`` (the engine's result by entry id), its reversal named.
    ``events``: the engine's results of the entries in force of any date (default ``results``); ``undone``: those of
    the reversed entries as the book read them just before their reversal (``results_before_reversal``)."""
    reversed_by = {e.reverses_id: e.id for e in entries if e.reverses_id is not None}
    by_id = {e.id: e for e in entries}
    events = results if events is None else events
    undone = undone or {}
    rows = []
    for e in entries:
        a = results.get(e.id)
        cancelled = by_id.get(e.reverses_id) if e.reverses_id is not None else None
        if cancelled is not None:
            result = undone.get(cancelled.id)
        elif e.id in reversed_by:
            result = undone.get(e.id)
        else:
            result = events.get(e.id)
        rows.append(EntryRow(
            id=e.id, on=e.on_date, kind=e.kind, amount=e.amount, reference=e.reference or "", note=e.note,
            entered_by=e.entered_by, entered_at=e.entered_at, reversed_by=reversed_by.get(e.id), reverses=e.reverses_id,
            principal=getattr(a, "principal", 0), interest=getattr(a, "interest", 0),
            overdue_interest=getattr(a, "overdue_interest", 0), late_interest=getattr(a, "late_interest", 0),
            settled=getattr(a, "settled", False), reason=reasons.get(e.id, ""),
            result=result if _is_event_result(result) else None,
            reverses_reference=(cancelled.reference or "") if cancelled is not None else "",
            reverses_kind=cancelled.kind if cancelled is not None else ""))
    rows.sort(key=lambda r: (r.on, r.id))
    return rows


def _is_event_result(result: object) -> bool:
    """Whether ``result`` is a life event's or a recovery's record (what ``EntryRow.result`` keeps)."""
    return isinstance(result, RestructureResult | ReliefResult | WriteOffResult | RecoveryResult)


def results_before_reversal(terms: LoanTerms, entries, events: dict, watch_days: int) -> dict[int, object]:
    """The engine's result of each reversed life event and repayment of a loan as the book read it just before its
    reversal was posted (the entries then in force replayed: those posted before the reversal and not reversed
    before it), by entry id: what the reversal undid. ``entries``: every ``EntryRecord`` of the loan, by id;
    ``events``: their ``entry_store.EventRow`` by entry id. A repayment is replayed only on a loan with a write-off
    (a recovery); one replay per reversed entry, and reversals are rare."""
    reversal_of = {e.reverses_id: e.id for e in entries if e.reverses_id is not None}
    written_off = any(e.kind == Kind.WRITE_OFF for e in entries)
    wanted = {Kind.RESTRUCTURE, Kind.INTEREST_RELIEF, Kind.WRITE_OFF} | ({Kind.REPAYMENT} if written_off else set())
    out: dict[int, object] = {}
    for e in entries:
        undone_by = reversal_of.get(e.id)
        if undone_by is None or e.kind not in wanted:
            continue
        items = [(x.id, domain_entry(x, events.get(x.id))) for x in entries
                 if x.kind != "reversal" and x.id < undone_by and reversal_of.get(x.id, undone_by) >= undone_by]
        try:
            _, results = replay_keyed(terms, items, watch_days)
        except UserFacingError:  # a book that did not stand then (an old import): nothing to say of it
            continue
        if e.id in results:
            out[e.id] = results[e.id]
    return out


def _read(ctx: Context, loan_no: str | None, loan_id: int | None):
    """(loan record, borrower record, every entry, entries in force (id, entry), life events' ``EventRow`` by entry id,
    the book's watch in days), read in one read-only unit (no write lock: a page opens while a posting writes).
    Raises ``NotFound``."""
    with ctx.db.read() as s:
        record = lending_store.loan(s, loan_id) if loan_id is not None else lending_store.loan_by_no(s, loan_no or "")
        if record is None:
            if loan_id is not None:
                raise NotFound(msg("Không có khoản vay số «{loan_no}» trong sổ", loan_no=loan_no or loan_id))
            raise missing_loan(s, loan_no or "")
        entries = entry_store.entries_of(s, record.id)
        in_force = entries_with_ids(s, record.id) if entries else []
        params = entry_store.events_of(s, [e.id for e in entries if e.kind in EVENT_KINDS])
        borrower = lending_store.borrower(s, record.borrower_id)
        watch = watch_days_in(s)
        s.expunge_all()  # the records keep their values past the read's rollback
        return record, borrower, entries, in_force, params, watch


def refuse_before_signing(loan_no: str, contract_date: date | None, on: date | None, paper: Message | str,
                          field: str = "as_of", first_entry: date | None = None) -> None:
    """Refuse (``ValidationError`` marking ``field``) a paper or figures of loan ``loan_no`` at the end of ``on``, a
    day before the loan began: its contract date ``contract_date`` or, when earlier or when the contract date is
    empty (INTERCHANGE.md allows it), the day of its first entry in force ``first_entry`` (an import may hold a
    disbursement dated before the contract). «Khoản vay HD2022-001 ký hợp đồng ngày 15/03/2022: không lập sao kê
    khoản vay tại ngày 01/01/2000, trước ngày ký». ``paper`` names what was asked (a msgid marked ``N_``, or a
    Message). The loan did not exist that day: its statement, reconciliation or schedule there would be all zeros,
    numbered in the register as if it had (an officer's trial). None for every date passes; so does the first day
    itself. The one check of every per-loan paper or figure at a day (``loan_view(…, paper=…)``: the command
    line's and the window's papers alike, before any number is taken)."""
    began = min((d for d in (contract_date, first_entry) if d is not None), default=None)
    if on is None or began is None or on >= began:
        return
    if began == contract_date:
        raise ValidationError(msg("Khoản vay {loan_no} ký hợp đồng ngày {contract_date}: không lập {paper} tại ngày "
                                  "{on}, trước ngày ký", loan_no=loan_no, contract_date=short_date(contract_date),
                                  paper=as_message(paper), on=short_date(on)), field=field)
    raise ValidationError(msg("Khoản vay {loan_no} có bút toán đầu tiên ngày {first}: không lập {paper} tại ngày {on}, "
                              "trước ngày đó", loan_no=loan_no, first=short_date(began), paper=as_message(paper),
                              on=short_date(on)), field=field)


def _view(ctx: Context, loan_no: str | None, as_of: date | None, loan_id: int | None,
          with_events: bool, paper: Message | str | None = None,
          field: str = "as_of") -> tuple[LoanView, LoanEvents | None]:
    """``loan_view``'s view, and with ``with_events`` the loan's ``LoanEvents`` at the same date, from one read and
    one replay (two when an entry in force is dated after the view's date: the events' results are of any date).
    With ``paper``, an ``as_of`` before the contract date is refused before the replay (``refuse_before_signing``)."""
    refuse_future_figures(ctx, as_of)  # a day asked for; None reads every entry, however far the book runs
    record, borrower, entries, in_force, params, watch = _read(ctx, loan_no, loan_id)
    if paper is not None:
        refuse_before_signing(record.loan_no, record.contract_date, as_of, paper, field,
                              min((e.on for _, e in in_force), default=None))
    reasons = {i: ev.reason for i, ev in params.items()}
    # without a date: today, or the last entry's day if the book runs ahead of the calendar
    when = as_of or max([ctx.today(), *(e.on_date for e in entries)])
    terms = terms_of(record)
    # every entry's result of any date, with or without the events: the history names an entry after ``when`` by
    # what it did (f0b6efd) the same on the page and in the view the statement reads (a second replay then)
    state, results, every = replayed(terms, in_force, when, watch, every=True)
    events = None
    quote = state.quote(when)  # before balances(): payable on a day excludes that day's accrual
    balances = state.balances(when)
    schedule = tuple(state.schedule())
    view = LoanView(
        id=record.id, loan_no=record.loan_no, borrower_id=borrower.id, borrower_code=borrower.code,
        borrower_name=borrower.name, purpose=record.purpose, sector=record.sector,
        contract_date=record.contract_date, terms=terms, as_of=when, balances=balances,
        schedule=schedule, history=tuple(_history(entries, results, reasons, every,
                                                  results_before_reversal(terms, entries, params, watch))),
        quote=quote,
        disbursed=state.disbursed, prepaid=state.prepaid, anchor=state.anchor, closed_on=state.closed_on,
        version=record.version, terms_in_force=terms_in_force(terms, schedule, state.restructures),
        written_off_on=state.written_off_on)
    if with_events:
        events = events_at(state, when, every, watch)
    return view, events


def loan_view(ctx: Context, loan_no: str | None = None, as_of: date | None = None, *,
              loan_id: int | None = None, paper: Message | str | None = None, field: str = "as_of") -> LoanView:
    """The loan ``loan_no`` (or ``loan_id``) read at the end of ``as_of`` (default: today, with every entry).

    ``quote`` is what is payable on ``as_of`` (accrued through the day before), after that day's entries.
    Raises ``NotFound``, and ``ValidationError`` for an ``as_of`` after the book's today
    (``clock.refuse_future_figures``: installments not yet due are the schedule's, never a day's figures).
    ``paper`` names the paper or figures of this one loan the view is read for (``N_("sao kê khoản vay")``): an
    ``as_of`` before the loan's contract date is then refused too (``refuse_before_signing``, marking ``field``).
    Without it a day before the contract reads the loan with nothing yet (DOMAIN.md "Balances as of a date": listed
    with every figure 0; the appraisal and the decision precede the contract).
    """
    return _view(ctx, loan_no, as_of, loan_id, with_events=False, paper=paper, field=field)[0]


def loan_page(ctx: Context, loan_id: int, as_of: date) -> tuple[LoanView, LoanEvents]:
    """What the loan page shows of loan ``loan_id`` at the end of ``as_of``: its ``LoanView`` and its ``LoanEvents``
    (``event_previews.loan_events``'), from one read of the book and one replay of the loan (issue 17: the page
    within 200 ms on a 500-entry loan). Raises ``NotFound``, and ``ValidationError`` for an ``as_of`` after the
    book's today (as ``loan_view``)."""
    view, events = _view(ctx, None, as_of, loan_id, with_events=True)
    return view, events
