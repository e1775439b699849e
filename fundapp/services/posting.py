"""Posting entries: disbursements, repayments, life events and reversals, each checked by replaying the loan.

Every figure after a posted entry's date is recomputed by the engine (DOMAIN.md "Corrections"):
a back-dated entry or a reversal is accepted only if every remaining entry still stands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from fundapp.domain.engine import Allocation, LoanReplay, Quote
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.events import Entry, Kind, RecoveryResult, Transaction, entry_kind_label
from fundapp.domain.messages import N_, msg
from fundapp.domain.replay import replay_entries
from fundapp.formatting import short_date
from fundapp.ledger import entry_store, lending_store, office_store, posting_store, sql, state_cache

from .book_loader import WATCH_DAYS, entries_with_ids, terms_of, watch_days_in, watch_days_of
from .clock import refuse_future, refuse_future_figures
from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .loan_states import refresh_states, state_row_of
from .proposals import record_confirmation
from .rights import require, require_action, require_seen

PREFIX = {Kind.DISBURSEMENT: "GN", Kind.REPAYMENT: "PT", Kind.RESTRUCTURE: "CC", Kind.INTEREST_RELIEF: "MG",
          Kind.WRITE_OFF: "XL", Kind.OPENING: "SD"}
KIND_VI = {Kind.DISBURSEMENT: N_("ngày giải ngân"), Kind.REPAYMENT: N_("ngày trả nợ"),
           Kind.RESTRUCTURE: N_("ngày cơ cấu lại"), Kind.INTEREST_RELIEF: N_("ngày miễn, giảm lãi"),
           Kind.WRITE_OFF: N_("ngày xử lý rủi ro")}  # each entry's date as a refusal names it (clock.refuse_future)


@dataclass(frozen=True)
class Posted:
    """A posted entry: its id, reference and the engine's result for it (``Allocation`` for a repayment,
    ``RecoveryResult`` for one on a written-off loan, the event's result record, or None)."""

    entry_id: int
    reference: str
    allocation: Allocation | object | None


@dataclass(frozen=True)
class Preview:
    """What a repayment would do, before it is posted: the ``quote`` on its day, its ``allocation`` (a
    ``RecoveryResult`` on a written-off loan) and ``off_balance``, the (principal, interest) đồng still off-balance
    before it (0, 0 unless written off)."""

    quote: Quote
    allocation: Allocation
    off_balance: tuple[int, int] = (0, 0)


def replay_keyed(terms, items: list[tuple[int | None, Entry]], watch_days: int = WATCH_DAYS,
                 until: date | None = None) -> tuple[LoanReplay, dict[int | None, object]]:
    """Replay a loan's entries (key, entry) dated on or before ``until`` (all without it) through the one replay
    path with the book's watch of ``watch_days`` days (DOMAIN.md "Life events", watch); returns the state and each
    applied entry's result by key (entries whose result is None, a disbursement or an opening, left out). A
    refusal becomes a UserFacingError naming the entry (key None: the one being posted). The one keyed replay of
    a loan: posting, the life events' batch and previews, the loan page and its events."""
    key_of = {id(entry): key for key, entry in items}
    results: dict[int | None, object] = {}

    def refused(entry: Entry, err: TransactionRefused) -> None:
        key = key_of[id(entry)]
        if key is None:
            raise UserFacingError.from_domain(err) from None
        raise UserFacingError(
            msg("Không thể ghi: bút toán đã ghi ngày {on} (chứng từ {reference}) sẽ bị từ chối khi tính lại — {reason}",
                on=short_date(entry.on), reference=entry.reference or key, reason=err.msg),
            field=err.field) from None

    def keep(entry: Entry, result: object) -> None:
        if result is not None:
            results[key_of[id(entry)]] = result

    state = replay_entries(terms, [entry for _, entry in items], until=until, on_result=keep, on_refused=refused,
                           watch_days=watch_days)
    return state, results


def _cached_row(loan_id: int, state: LoanReplay, entries: list[Entry], today: date) -> dict | None:
    """The loan list's cached figures of ``loan_id`` (a ``loan_state`` row) from ``state``, the replay that checked
    the posting (every one of ``entries`` applied): no second read and replay of the loan. None when an entry is
    dated after ``today`` (a book whose clock was set back): the cache then replays up to today
    (``refresh_states``) once the entry is written."""
    return state_row_of(loan_id, state, entries, today) if all(e.on <= today for e in entries) else None


def _store_state(s, loan_id: int, state: LoanReplay, entries: list[Entry], today: date) -> None:
    """Rewrite the loan list's cached figures of ``loan_id`` from ``state`` (``_cached_row``), or by
    ``refresh_states`` when an entry is dated after ``today``."""
    row = _cached_row(loan_id, state, entries, today)
    if row is not None:
        state_cache.put_state(s, row)
    else:
        refresh_states(s, [loan_id], today)


def loan_record(s, loan_id: int):
    """The loan ``loan_id``'s record (``lending_store.loan``) in the unit ``s``; NotFound ("Không có khoản vay mã …")
    when the book has none. Shared by posting and the life events' previews."""
    record = lending_store.loan(s, loan_id)
    if record is None:
        raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=loan_id))
    return record


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(N_("Số tiền phải là số nguyên đồng"), field="amount")
    if amount <= 0:
        raise ValidationError(N_("Số tiền phải lớn hơn 0 đồng"), field="amount")


def _check_transaction(ctx: Context, kind: Kind, on: date, amount: int) -> None:
    """What a disbursement or repayment is refused for before any replay, in the posting's words: its amount
    (``_check_amount``) and its date (``clock.refuse_future``: after today, before 01/01/2000). One check for the
    posting and its two previews, so a preview never replays an entry the posting refuses outright."""
    _check_amount(amount)
    refuse_future(ctx, on, KIND_VI.get(kind, N_("ngày giao dịch")), "on")


def preview_repayment(ctx: Context, loan_id: int, on: date, amount: int) -> Preview:
    """The quote on ``on``, the split the repayment of ``amount`` đồng would get and what was off-balance before it
    (nothing written; one read and one replay of the loan). Raises ``UserFacingError`` with the engine's refusal,
    ``ValidationError`` for an ``on`` after the book's today (the posting's own refusal: ``clock.refuse_future``)."""
    _check_transaction(ctx, Kind.REPAYMENT, on, amount)
    state = _state_on(ctx, loan_id, on, for_entry=True)
    quote, off_balance = state.quote(on), tuple(state.off_balance)
    try:
        allocation = state.apply(Transaction(on, Kind.REPAYMENT, amount))
    except TransactionRefused as err:
        raise UserFacingError.from_domain(err) from None
    return Preview(quote, allocation, off_balance)


def quote_on(ctx: Context, loan_id: int, on: date) -> Quote:
    """Amount due to become current and the settlement amount on ``on`` (after that day's entries). Raises
    ``NotFound``, and ``ValidationError`` (field "on") for a day after the book's today
    (``clock.refuse_future_figures``)."""
    refuse_future_figures(ctx, on, "on")
    return _state_on(ctx, loan_id, on).quote(on)


def _state_on(ctx: Context, loan_id: int, on: date, for_entry: bool = False) -> LoanReplay:
    """The loan replayed with its entries in force dated on or before ``on``; ``for_entry``: for the preview of an entry
    dated ``on``, refused as its posting would be before a write-off in force (``refuse_before_write_off``)."""
    with ctx.db.read() as s:
        terms = terms_of(loan_record(s, loan_id))
        entries = [entry for _, entry in entries_with_ids(s, loan_id)]
        watch = watch_days_in(s)
    if for_entry:
        refuse_before_write_off(entries, on)
    return replay_entries(terms, entries, until=on, watch_days=watch)


def post_transaction(ctx: Context, loan_id: int, kind: Kind, on: date, amount: int, reference: str = "",
                     note: str = "") -> Posted:
    """Post a disbursement or repayment (``amount`` đồng > 0, ``reference`` unique or empty for the next GN-/PT-
    number) after replaying the loan with it; all or nothing. Raises ``ValidationError``/``UserFacingError``
    with the engine's refusal (DOMAIN.md "A repayment on day t"), ``NotFound``."""
    logged_in = ctx.roles is not None
    if logged_in:  # a logged-in officer's rights need no read: refused before anything else, and only here
        require(ctx, "post")
    _check_transaction(ctx, kind, on, amount)
    return post_entry(ctx, loan_id, lambda ref: Transaction(on, kind, amount, ref), kind=kind, on=on, amount=amount,
                      reference=reference, note=note, right=None if logged_in else "post")


def post_entry(ctx: Context, loan_id: int, make: Callable[[str], Entry], *, kind: Kind, on: date, amount: int,
               reference: str = "", note: str = "", reason: str = "", params: dict | None = None,
               right: str | None = None) -> Posted:
    """Post one entry of the loan — a transaction or a life event — in one unit of work: the loan's version is
    bumped first (its row locked: two officers on one loan of a shared book are serialised), reading in the same
    statement the loan, the book's closing date, its watch, whether it has users and whether ``reference`` is taken
    (``posting_store.lock_for_posting``); ``right`` (a code of ``rights.RIGHTS``, None: checked by the caller) is
    checked there; the reference must be unique (empty: the next number of the kind's prefix); the loan is replayed
    with ``make(reference)`` among its entries in force (every later entry must still stand), then the entry written
    (a life event with ``reason`` and ``params``, names of ``entry_store.EventRow``) and the loan's cached figures
    refreshed. Returns ``Posted`` (its ``allocation`` is the engine's result for the entry: an ``Allocation`` for a
    repayment, else the event's result record or None). Raises ``UserFacingError``, ``RightRefused``, ``NotFound``
    (nothing written)."""
    reference = reference.strip()
    from .closing import refuse_closed

    with ctx.db.unit() as s:
        record_confirmation(s, ctx)  # a confirmed proposal's event: written with its confirmation, or neither
        head = posting_store.lock_for_posting(s, loan_id, reference, None if reference else (on.year, PREFIX[kind]))
        if head is None:
            raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=loan_id))
        if right is not None:
            require_seen(ctx, right, head.has_users)
        if head.closed_through is not None and on <= head.closed_through:
            refuse_closed(s, on)  # names the closing date
        record = head.loan
        refuse_before_contract(record, kind, on)
        if head.reference_taken:
            raise ValidationError(msg("Số chứng từ «{reference}» đã có trong sổ", reference=reference), field="reference")
        if not reference:
            reference = f"{PREFIX[kind]}-{on.year}-{head.number:05d}"
        entry = make(reference)
        items = [*entries_with_ids(s, loan_id), (None, entry)]
        refuse_before_write_off([e for _, e in items[:-1]], on)
        state, results = replay_keyed(terms_of(record), items, watch_days_of(head.watch_days))
        result = results.get(None)
        fields = dict(loan_id=loan_id, on_date=on, kind=str(kind), amount=amount, reference=reference,
                      note=note.strip(), entered_by=ctx.user, principal=getattr(result, "principal", 0),
                      interest=getattr(result, "interest", 0),
                      overdue_interest=getattr(result, "overdue_interest", 0),
                      late_interest=getattr(result, "late_interest", 0))
        detail = f"{record.loan_no} {on} {amount} {reference} {reason}".strip()
        entries = [e for _, e in items]
        with _reference_refusal(reference):
            if kind in (Kind.DISBURSEMENT, Kind.REPAYMENT):  # entry, cached figures, audit: one statement on a server
                row = _cached_row(loan_id, state, entries, ctx.today())
                entry_id = posting_store.write_posting(s, fields, dict(actor=ctx.user, action=f"post {kind}",
                                                                       detail=detail), row)
                if row is None:
                    refresh_states(s, [loan_id], ctx.today())
                return Posted(entry_id, reference, result)
            posted = entry_store.add_event(s, reason=reason.strip(), params=params, **fields)
        _store_state(s, loan_id, state, entries, ctx.today())
        office_store.audit(s, ctx.user, f"post {kind}", detail)
        return Posted(posted.id, reference, result)


def refuse_before_contract(record, kind: Kind, on: date) -> None:
    """Refuse (``ValidationError``, field ``on``) a disbursement dated ``on`` before the loan's contract date
    (``record``: its ``lending_store`` row). Asked before any replay, by the posting and by the receipts' preview:
    a disbursement backdated before the contract, replayed first, was refused for the loan's own disbursement
    («… vượt số còn được giải ngân …») or a made-up last due date (an officer's trial)."""
    if kind == Kind.DISBURSEMENT and record.contract_date is not None and on < record.contract_date:
        raise ValidationError(msg("Ngày giải ngân ({on}) không được trước ngày ký hợp đồng ({contract_date})",
                                  on=short_date(on), contract_date=short_date(record.contract_date)), field="on")


def refuse_before_write_off(entries: list[Entry], on: date, action: str = N_("ghi bút toán")) -> None:
    """Refuse (``ValidationError``, field ``on``) an entry dated ``on`` — posted, or reversed (``action``) — when
    the loan's ``entries`` in force hold a write-off dated on or after ``on``: the replay would apply it before the
    write-off (DOMAIN.md's order of one date ends with write-offs) and silently change what the director's
    decision wrote off, as printed and numbered (a new officer's trial: a repayment posted on the write-off's day
    moved 5.000.000 đ from the written-off principal, and a restructuring was recorded on the written-off loan).
    The write-off is reversed first, then the entry posted, then the loan written off again by a new decision."""
    write_off = next((e for e in reversed(entries) if e.kind == Kind.WRITE_OFF), None)
    if write_off is None or on > write_off.on:
        return
    raise ValidationError(
        msg("Khoản vay đã xử lý rủi ro ngày {day} theo quyết định {reference}: không {action} ngày {on} được, vì "
            "việc đó làm thay đổi số đã xử lý rủi ro. Hủy quyết định xử lý rủi ro trước, rồi xử lý rủi ro lại theo "
            "quyết định mới.", day=short_date(write_off.on), reference=write_off.reference or "—",
            action=msg(action), on=short_date(on)),
        field="on")


@contextmanager
def _reference_refusal(reference: str) -> Iterator[None]:
    """Run a posting's write; the references' unique constraint refusing ``reference`` — written meanwhile by
    another officer or an open import on a shared PostgreSQL book, after the posting found it free — leaves as the
    same ``ValidationError`` (field ``reference``) as a reference already in the book (the unit rolls back)."""
    try:
        with posting_store.reference_clashes():
            yield
    except posting_store.ReferenceTaken as err:
        raise ValidationError(msg("Số chứng từ «{reference}» đã có trong sổ", reference=reference),
                              field="reference") from err


def reverse_entry(ctx: Context, entry_id: int, reason: str) -> Posted:
    """Reverse a posted entry (a new entry that cancels it); every later figure is recomputed."""
    require_action(ctx, "reverse", lambda: dict(entry_id=entry_id, reason=reason.strip()))
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Phải ghi lý do hủy (đảo) bút toán"), field="reason")
    from .closing import refuse_closed

    with ctx.db.unit() as s:
        record_confirmation(s, ctx)  # a confirmed reversal: written with its confirmation, or neither
        entry = entry_store.entry(s, entry_id)
        if entry is None:
            raise NotFound(msg("Không có bút toán mã {entry_id}", entry_id=entry_id))
        refuse_closed(s, entry.on_date, N_("việc hủy bút toán"))
        if entry.kind == "reversal":
            raise UserFacingError(N_("Không thể đảo một bút toán đảo: hãy ghi lại giao dịch đúng"))
        refuse_reversed_again(s, entry)
        record = loan_record(s, entry.loan_id)
        if not sql.touch_version(s, type(record), record.id, record.version):
            raise UserFacingError(N_("Khoản vay vừa được người khác cập nhật, hãy thử lại"))
        items = entries_with_ids(s, entry.loan_id, without=entry_id)
        if entry.kind != str(Kind.WRITE_OFF):
            refuse_before_write_off([e for _, e in items], entry.on_date, N_("hủy bút toán"))
        state, _ = replay_keyed(terms_of(record), items, watch_days_in(s))
        reversal = entry_store.add_entry(
            s, loan_id=entry.loan_id, on_date=entry.on_date, kind="reversal", amount=entry.amount,
            reference=None, reverses_id=entry_id, note=reason, entered_by=ctx.user)
        _store_state(s, entry.loan_id, state, [e for _, e in items], ctx.today())
        office_store.audit(s, ctx.user, "reverse", f"{record.loan_no}: bút toán {entry.reference or entry_id} — {reason}")
        return Posted(reversal.id, "", None)


def refuse_reversed_again(s, entry) -> None:
    """In unit ``s``: refuse reversing ``entry`` (an ``EntryRecord``) a second time, naming it — its voucher, date,
    kind and loan — and the reversal that cancelled it: the day it was done (local), by whom and why (a reversal has
    no voucher number of its own). A repeated «reverse» said only «Bút toán này đã được hủy trước đó» (an officer's
    trial). Raises ``UserFacingError``; returns None while ``entry`` is in force (DOMAIN.md "Corrections")."""
    from fundapp.domain.events import entry_kind_label
    from fundapp.formatting import local_time

    undo = entry_store.reversal_of(s, entry.id)
    if undo is None:
        return
    said = dict(reference=entry.reference or f"#{entry.id}", on=short_date(entry.on_date),
                what=msg(entry_kind_label(entry.kind)), loan=lending_store.loan(s, entry.loan_id).loan_no,
                undone_on=short_date(local_time(undo.entered_at).date()), reason=undo.note, user=undo.entered_by)
    if undo.entered_by:
        raise UserFacingError(msg("Bút toán {reference} ngày {on} ({what}, khoản vay {loan}) đã được hủy ngày "
                                  "{undone_on} bởi {user}, lý do: {reason}. Một bút toán chỉ hủy được một lần.", **said))
    raise UserFacingError(msg("Bút toán {reference} ngày {on} ({what}, khoản vay {loan}) đã được hủy ngày {undone_on}, "
                              "lý do: {reason}. Một bút toán chỉ hủy được một lần.", **said))


@dataclass(frozen=True)
class ChangedReceipt:
    """A repayment already posted (its receipt issued) whose split a back-dated entry or a reversal would change:
    its reference and date, the split (principal, interest, overdue interest, late interest đồng) now and after, and
    the kind of entry it is now and after: "repayment", or "recovery" on a written-off loan (DOMAIN.md "Write-off on
    day t"). Cancelling a write-off made its recovery of 10.000.000 đ a collection of principal — the quarter's
    «Thu hồi nợ đã xử lý rủi ro» down, «Thu nợ gốc» up — with the same split, so nothing was said (an officer's
    trial)."""

    reference: str
    on: date
    before: tuple[int, int, int, int]
    after: tuple[int, int, int, int]
    kind_before: str = "repayment"
    kind_after: str = "repayment"


def _split(result) -> tuple[int, int, int, int]:
    return tuple(int(getattr(result, f, 0) or 0) for f in ("principal", "interest", "overdue_interest", "late_interest"))


def _receipt_kind(result) -> str:
    """"recovery" for a repayment the engine applied to a written-off loan (a ``RecoveryResult``), else "repayment"."""
    return "recovery" if isinstance(result, RecoveryResult) else "repayment"


def changed_receipts(ctx: Context, loan_id: int, entry: Entry | None = None,
                     without: int | None = None) -> list[ChangedReceipt]:
    """The repayments of loan ``loan_id`` whose split would change if ``entry`` were posted (back-dated) and/or
    entry ``without`` reversed (nothing written): each with its split now and after, in posting order. Raises
    ``UserFacingError`` if the loan would refuse it (as posting would)."""
    with ctx.db.read() as s:
        terms = terms_of(loan_record(s, loan_id))
        items = entries_with_ids(s, loan_id)
    receipts = {key: e for key, e in items if e.kind == Kind.REPAYMENT}
    if not receipts:
        return []
    _, before = replay_keyed(terms, items)
    changed = [*[(k, e) for k, e in items if k != without], *([(None, entry)] if entry is not None else [])]
    _, after = replay_keyed(terms, changed)
    out = []
    for key, e in receipts.items():
        if key == without:
            continue
        old, new = _split(before.get(key)), _split(after.get(key))
        kinds = _receipt_kind(before.get(key)), _receipt_kind(after.get(key))
        if old != new or kinds[0] != kinds[1]:
            out.append(ChangedReceipt(e.reference or str(key), e.on, old, new, *kinds))
    return out


def receipts_text(changed: list[ChangedReceipt]) -> str:
    """The warning shown before posting, in the officer's language: which receipts already issued get another split
    (empty: none)."""
    if not changed:
        return ""
    from fundapp.formatting import group_thousands as g

    lines = [str(msg("Bút toán này làm thay đổi cách phân bổ của {count} phiếu thu đã lập:", count=len(changed)))]
    for c in changed:
        line = str(msg("- {reference} ngày {on}: gốc {p0} → {p1}, lãi {i0} → {i1}, lãi quá hạn {o0} → {o1}, lãi "
                       "chậm trả {l0} → {l1} đ", reference=c.reference, on=short_date(c.on),
                       p0=g(c.before[0]), p1=g(c.after[0]), i0=g(c.before[1]), i1=g(c.after[1]),
                       o0=g(c.before[2]), o1=g(c.after[2]), l0=g(c.before[3]), l1=g(c.after[3])))
        if c.kind_before != c.kind_after:  # a recovery becomes a collection (or back): the reports count it elsewhere
            line += str(msg("; ghi nhận là «{before}» → «{after}»", before=msg(entry_kind_label(c.kind_before)),
                            after=msg(entry_kind_label(c.kind_after))))
        lines.append(line)
    return "\n".join(lines)


def preview_transaction_receipts(ctx: Context, loan_id: int, kind: Kind, on: date, amount: int) -> str:
    """``receipts_text`` for a disbursement or repayment about to be posted on ``on`` (empty when none changes).
    Raises ``ValidationError`` for an amount or a date the posting refuses before replaying (``_check_amount``,
    ``clock.refuse_future``: after today or before 01/01/2000), in the posting's words: a disbursement dated 1999 was
    replayed here first and refused for the loan's own disbursement («… vượt số tiền được duyệt …»), a repayment
    after today for a loan «đã tất toán» (an officer's trial); a disbursement before the contract date
    (``refuse_before_contract``). Raises ``UserFacingError`` when ``on`` is in a closed period (the posting would be
    refused)."""
    from .closing import refuse_closed

    _check_transaction(ctx, kind, on, amount)
    with ctx.db.read() as s:
        refuse_closed(s, on)
        record = lending_store.loan(s, loan_id)
        if record is not None:  # a missing loan is the replay's NotFound, as before
            refuse_before_contract(record, kind, on)
    return receipts_text(changed_receipts(ctx, loan_id, Transaction(on, kind, amount, str(msg("(mới)")))))


def twin_text(ctx: Context, loan_id: int, kind: Kind, on: date, amount: int) -> str:
    """The warning before posting a disbursement or repayment of ``amount`` đồng on ``on`` that loan ``loan_id``
    already holds in force — same kind, same day, same amount (``entry_store.twins``) —, naming their vouchers; ""
    when it holds none. A voucher typed twice went through silently (an officer's trial); the window shows this in
    its confirmation, the command line refuses unless told ``--again``. Not a refusal of the posting itself: two
    equal payments on one day happen. "" for an unknown loan (it has no entry). Raises ``RightRefused`` for a
    logged-in officer without the right to post."""
    from fundapp.formatting import vnd

    if ctx.roles is not None:  # a logged-in officer without the right to post is refused that first, as the posting
        require(ctx, "post")  # does, and is told nothing of the loan's vouchers
    with ctx.db.read() as s:
        references = entry_store.twins(s, loan_id, str(kind), on, amount)
        if not references:  # an unknown loan has none either: its posting says it is unknown
            return ""
        loan_no = lending_store.loan(s, loan_id).loan_no  # read inside the unit: the row is not kept
    what = msg("lần giải ngân") if kind == Kind.DISBURSEMENT else msg("khoản thu nợ")
    return str(msg("Khoản vay {loan} đã có {what} {amount} ngày {on} (chứng từ {references}): kiểm tra để không ghi "
                   "một chứng từ hai lần.", loan=loan_no, what=what, amount=vnd(amount), on=short_date(on),
                   references=", ".join(references)))


def preview_reversal_receipts(ctx: Context, entry_id: int) -> str:
    """``receipts_text`` for reversing entry ``entry_id``: the receipts already issued whose split the reversal
    would change (empty when none). The command line's ``reverse`` refuses without ``--accept-changed-receipts`` and
    the window's reversal dialog shows it in its confirmation, as a back-dated posting's (a reversal changed a later
    receipt's split silently: an officer's trial); a proposal's preview holds it. Raises ``NotFound`` for an unknown
    entry, ``UserFacingError`` for an entry reversed already (``refuse_reversed_again``) and ``RightRefused`` for a
    logged-in user who may neither reverse nor confirm a reversal (told nothing of the loan's receipts)."""
    from .rights import ACTIONS, allowed

    if ctx.roles is not None and not any(allowed(ctx, right) for right in (ACTIONS["reverse"][1], *ACTIONS["reverse"][2])):
        require(ctx, ACTIONS["reverse"][1])
    with ctx.db.read() as s:
        e = entry_store.entry(s, entry_id)
        if e is None:
            raise NotFound(msg("Không có bút toán mã {entry_id}", entry_id=entry_id))
        refuse_reversed_again(s, e)
        loan_id = e.loan_id
    return receipts_text(changed_receipts(ctx, loan_id, without=entry_id))
