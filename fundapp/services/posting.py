"""Posting entries: disbursements, repayments and reversals, each checked by replaying the whole loan.

Every figure after a posted entry's date is recomputed by the engine (DOMAIN.md "Corrections"):
a back-dated entry or a reversal is accepted only if every remaining entry still stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.domain.engine import Allocation, Kind, LoanReplay, Quote, Transaction, ordered
from fundapp.domain.errors import TransactionRefused
from fundapp.ledger import store

from .clock import refuse_future
from .errors import NotFound, UserFacingError, ValidationError
from .portfolio import Context, refresh_states, terms_of

PREFIX = {Kind.DISBURSEMENT: "GN", Kind.REPAYMENT: "PT"}
KIND_VI = {Kind.DISBURSEMENT: "ngày giải ngân", Kind.REPAYMENT: "ngày trả nợ"}


@dataclass(frozen=True)
class Posted:
    entry_id: int
    reference: str
    allocation: Allocation | None


@dataclass(frozen=True)
class Preview:
    """What a repayment would do, before it is posted."""

    quote: Quote
    allocation: Allocation


def _active(entries, without: int | None = None) -> list[tuple[int, Transaction]]:
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    return [
        (e.id, Transaction(e.on_date, Kind(e.kind), e.amount, e.reference or ""))
        for e in entries
        if e.kind != "reversal" and e.id not in reversed_ids and e.id != without
    ]


def _replay(terms, items: list[tuple[int | None, Transaction]]) -> tuple[LoanReplay, dict[int | None, Allocation]]:
    """Replay everything; refusals become a UserFacingError naming the entry."""
    by_tx = {id(tx): key for key, tx in items}
    state = LoanReplay(terms)
    splits: dict[int | None, Allocation] = {}
    for tx in ordered(tx for _, tx in items):
        key = by_tx[id(tx)]
        try:
            allocation = state.apply(tx)
        except TransactionRefused as err:
            if key is None:
                raise UserFacingError.from_domain(err) from None
            raise UserFacingError(
                f"Không thể ghi: giao dịch đã ghi ngày {tx.on:%d/%m/%Y} (chứng từ {tx.reference or key}) sẽ bị từ chối "
                f"khi tính lại — {err.vi}",
                f"entry {key} on {tx.on} would be refused after recomputation: {err.en}",
                err.field,
            ) from None
        if allocation is not None:
            splits[key] = allocation
    return state, splits


def _loan(s, loan_id: int):
    record = store.loan(s, loan_id)
    if record is None:
        raise NotFound(f"Không có khoản vay mã {loan_id}", f"no loan {loan_id}")
    return record


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError("Số tiền phải là số nguyên đồng", "amount must be an int", "amount")
    if amount <= 0:
        raise ValidationError("Số tiền phải lớn hơn 0 đồng", "amount must be > 0", "amount")


def preview_repayment(ctx: Context, loan_id: int, on: date, amount: int) -> Preview:
    """The quote on ``on`` and the split the repayment would get (nothing written)."""
    _check_amount(amount)
    with ctx.db.unit() as s:
        record = _loan(s, loan_id)
        terms = terms_of(record)
        items = [(k, tx) for k, tx in _active(store.entries_of(s, loan_id)) if tx.on <= on]
    state = LoanReplay(terms)
    for tx in ordered(tx for _, tx in items):
        state.apply(tx)
    quote = state.quote(on)
    try:
        allocation = state.apply(Transaction(on, Kind.REPAYMENT, amount))
    except TransactionRefused as err:
        raise UserFacingError.from_domain(err) from None
    return Preview(quote, allocation)


def quote_on(ctx: Context, loan_id: int, on: date) -> Quote:
    """Amount due to become current and the settlement amount on ``on``."""
    with ctx.db.unit() as s:
        record = _loan(s, loan_id)
        terms = terms_of(record)
        items = [tx for _, tx in _active(store.entries_of(s, loan_id)) if tx.on <= on]
    state = LoanReplay(terms)
    for tx in ordered(items):
        state.apply(tx)
    return state.quote(on)


def post_transaction(ctx: Context, loan_id: int, kind: Kind, on: date, amount: int, reference: str = "",
                     note: str = "") -> Posted:
    """Post a disbursement or repayment after replaying the loan with it; all or nothing."""
    _check_amount(amount)
    refuse_future(ctx, on, KIND_VI.get(kind, "ngày giao dịch"), f"{kind} date", "on")
    reference = reference.strip()
    with ctx.db.unit() as s:
        record = _loan(s, loan_id)
        # bump the loan's version: two officers posting on one loan of a shared book are serialised
        if not store.touch_version(s, type(record), record.id, record.version):
            raise UserFacingError("Khoản vay vừa được người khác cập nhật, hãy thử lại", "loan changed concurrently")
        if reference and reference in store.references(s):
            raise ValidationError(f"Số chứng từ «{reference}» đã có trong sổ", "duplicate reference", "reference")
        if not reference:
            reference = f"{PREFIX[kind]}-{on.year}-{store.next_document_number(s, on.year, PREFIX[kind]):05d}"
        tx = Transaction(on, kind, amount, reference)
        items: list[tuple[int | None, Transaction]] = [*_active(store.entries_of(s, loan_id)), (None, tx)]
        _, splits = _replay(terms_of(record), items)
        allocation = splits.get(None)
        entry = store.add_entry(
            s, loan_id=loan_id, on_date=on, kind=str(kind), amount=amount, reference=reference, note=note.strip(),
            entered_by=ctx.user, principal=getattr(allocation, "principal", 0),
            interest=getattr(allocation, "interest", 0), overdue_interest=getattr(allocation, "overdue_interest", 0),
            late_interest=getattr(allocation, "late_interest", 0))
        refresh_states(s, [loan_id], ctx.today())
        store.audit(s, ctx.user, f"post {kind}", f"{record.loan_no} {on} {amount} {reference}")
        return Posted(entry.id, reference, allocation)


def reverse_entry(ctx: Context, entry_id: int, reason: str) -> Posted:
    """Reverse a posted entry (a new entry that cancels it); every later figure is recomputed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Phải ghi lý do hủy (đảo) bút toán", "a reason is required", "reason")
    with ctx.db.unit() as s:
        entry = store.entry(s, entry_id)
        if entry is None:
            raise NotFound(f"Không có bút toán mã {entry_id}", f"no entry {entry_id}")
        if entry.kind == "reversal":
            raise UserFacingError("Không thể đảo một bút toán đảo: hãy ghi lại giao dịch đúng", "cannot reverse a reversal")
        if store.is_reversed(s, entry_id):
            raise UserFacingError("Bút toán này đã được hủy trước đó", "entry already reversed")
        record = _loan(s, entry.loan_id)
        if not store.touch_version(s, type(record), record.id, record.version):
            raise UserFacingError("Khoản vay vừa được người khác cập nhật, hãy thử lại", "loan changed concurrently")
        remaining = _active(store.entries_of(s, entry.loan_id), without=entry_id)
        _replay(terms_of(record), remaining)
        reversal = store.add_entry(
            s, loan_id=entry.loan_id, on_date=entry.on_date, kind="reversal", amount=entry.amount,
            reference=None, reverses_id=entry_id, note=reason, entered_by=ctx.user)
        refresh_states(s, [entry.loan_id], ctx.today())
        store.audit(s, ctx.user, "reverse", f"{record.loan_no}: bút toán {entry.reference or entry_id} — {reason}")
        return Posted(reversal.id, "", None)
