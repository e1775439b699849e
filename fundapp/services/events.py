"""Posting a loan's life events (DOMAIN.md "Life events"): restructuring, interest relief, write-off, opening.

The command line and the GUI call these; each is an entry of the loan posted like a transaction
(``posting.post_entry``: the loan replayed with it, every later entry still standing, all or
nothing) with its decision number (reference), reason, who and when; reversed like any entry
(``posting.reverse_entry``).
"""

from __future__ import annotations

from datetime import date

from fundapp.domain.event_words import restructure_words
from fundapp.domain.events import (
    RELIEF_KINDS,
    Entry,
    InterestRelief,
    Kind,
    Opening,
    Restructuring,
    WriteOff,
    relief_kind_refused,
)
from fundapp.domain.messages import N_, msg
from fundapp.ledger import entry_store, lending_store, office_store

from .book_loader import watch_days_in
from .clock import refuse_future
from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .loan_lookup import missing_loan
from .posting import KIND_VI, Posted, post_entry
from .rights import require, require_action


def event_params(entry: Entry, with_reason: bool = True) -> dict:
    """The ``entry_events`` row (without entry_id) of a life event: its parameters (names of ``entry_store.EventRow``)
    and, ``with_reason``, its reason. Raises ValueError for a transaction."""
    if isinstance(entry, Restructuring):
        params: dict = dict(extend_months=entry.extend_months, grace_periods=entry.grace_periods)
    elif isinstance(entry, InterestRelief):
        params = dict(relief_of=entry.relief_of)
    elif isinstance(entry, WriteOff):
        params = {}
    elif isinstance(entry, Opening):
        params = dict(first_disbursement_date=entry.first_disbursement_date,
                      principal_outstanding=entry.principal_outstanding, principal_overdue=entry.principal_overdue,
                      oldest_overdue_date=entry.oldest_overdue_date, interest_due_unpaid=entry.interest_due_unpaid,
                      interest_accrued=entry.interest_accrued, overdue_interest=entry.overdue_interest,
                      late_interest=entry.late_interest, restructurings=entry.restructurings)
    else:
        raise ValueError(f"not a life event: {entry!r}")
    if with_reason:
        params["reason"] = getattr(entry, "reason", "")
    return params


def loan_id_of(ctx: Context, loan_no: str) -> int:
    """The id of loan ``loan_no``; raises ``NotFound`` (Vietnamese) if the book has none."""
    with ctx.db.read() as s:
        record = lending_store.loan_by_no(s, loan_no.strip())
        if record is None:
            raise missing_loan(s, loan_no.strip())
        return record.id


def _loan_no(ctx: Context, loan_id: int) -> str:
    with ctx.db.read() as s:
        record = lending_store.loan(s, loan_id)
        if record is None:
            raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=loan_id))
        return record.loan_no


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Phải ghi lý do (ví dụ: thiệt hại do bão lũ)"), field="reason")
    return reason


def _whole(value: object, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(msg("{label} phải là số nguyên", label=msg(label)), field=field)
    return value


def restructure(ctx: Context, loan_id: int, on: date, extend_months: int, grace_periods: int, reference: str = "",
                reason: str = "") -> Posted:
    """Post a restructuring (cơ cấu lại thời hạn trả nợ) on ``on``: ``extend_months`` ≥ 0 (a multiple of the
    loan's frequency), ``grace_periods`` ≥ 0 installments after ``on`` without principal; ``reference`` the
    decision number (empty: the next CC- number), ``reason`` required. Returns ``Posted`` whose ``allocation``
    is the engine's ``RestructureResult`` (deferred interest đồng, restructuring number). Raises
    ``ValidationError``/``UserFacingError`` with the engine's refusal (DOMAIN.md "Restructuring on day t")."""
    require_action(ctx, "restructure", lambda: dict(
        loan_no=_loan_no(ctx, loan_id), on=on.isoformat(), extend_months=extend_months, grace_periods=grace_periods,
        reference=reference, reason=_reason(reason)))
    reason = _reason(reason)
    e = _whole(extend_months, "extend_months", N_("Số tháng gia hạn"))
    g = _whole(grace_periods, "grace_periods", N_("Số kỳ ân hạn gốc"))
    refuse_future(ctx, on, KIND_VI[Kind.RESTRUCTURE], "on")
    return post_entry(ctx, loan_id, lambda ref: Restructuring(on, e, g, ref, reason), kind=Kind.RESTRUCTURE, on=on,
                      amount=0, reference=reference, reason=reason, params=event_params(Restructuring(on, e, g), with_reason=False))


def relieve_interest(ctx: Context, loan_id: int, on: date, relief_of: str, amount: int, reference: str = "",
                     reason: str = "") -> Posted:
    """Post an interest relief (miễn, giảm lãi) on ``on``: ``amount`` đồng > 0 of ``relief_of`` (late_interest,
    overdue_interest or interest) as payable on ``on``, at most what is payable (the refusal names it).
    Returns ``Posted`` with the engine's ``ReliefResult``. DOMAIN.md "Interest relief on day t"."""
    require_action(ctx, "relief", lambda: dict(loan_no=_loan_no(ctx, loan_id), on=on.isoformat(), relief_of=relief_of,
                                               amount=amount, reference=reference, reason=_reason(reason)))
    reason = _reason(reason)
    if relief_of not in RELIEF_KINDS:
        raise ValidationError(relief_kind_refused(relief_of), field="relief_of")
    x = _whole(amount, "amount", N_("Số tiền miễn, giảm"))
    if x <= 0:
        raise ValidationError(N_("Số tiền miễn, giảm phải lớn hơn 0 đồng"), field="amount")
    refuse_future(ctx, on, KIND_VI[Kind.INTEREST_RELIEF], "on")
    return post_entry(ctx, loan_id, lambda ref: InterestRelief(on, relief_of, x, ref, reason),
                      kind=Kind.INTEREST_RELIEF, on=on, amount=x, reference=reference, reason=reason,
                      params=event_params(InterestRelief(on, relief_of, x), with_reason=False))


def write_off(ctx: Context, loan_id: int, on: date, reference: str = "", reason: str = "") -> Posted:
    """Post a write-off (xử lý rủi ro bằng dự phòng) at the end of ``on``: everything owed goes off the balance
    sheet. Returns ``Posted`` with the engine's ``WriteOffResult`` (principal, interest đồng). DOMAIN.md
    "Write-off on day t"."""
    require_action(ctx, "write_off", lambda: dict(loan_no=_loan_no(ctx, loan_id), on=on.isoformat(),
                                                  reference=reference, reason=_reason(reason)))
    reason = _reason(reason)
    refuse_future(ctx, on, KIND_VI[Kind.WRITE_OFF], "on")
    return post_entry(ctx, loan_id, lambda ref: WriteOff(on, ref, reason), kind=Kind.WRITE_OFF, on=on, amount=0,
                      reference=reference, reason=reason)


def post_opening(ctx: Context, loan_id: int, opening: Opening, reason: str = "") -> Posted:
    """Post a loan's opening balances (số dư chuyển sang) as at the end of ``opening.on``: the loan must have no
    entry in force on or before that day (the engine refuses it otherwise, as figures that do not add up).
    DOMAIN.md "Opening balances on day C"."""
    require(ctx, "import")
    refuse_future(ctx, opening.on, N_("ngày chuyển số dư"), "on")
    return post_entry(ctx, loan_id, lambda ref: opening._replace(reference=ref), kind=Kind.OPENING, on=opening.on,
                      amount=opening.disbursed, reference=opening.reference, reason=reason.strip(),
                      params=event_params(opening, with_reason=False))


def restructure_batch(ctx: Context, loan_ids: list[int], on: date, extend_months: int, grace_periods: int,
                      decision: str, reason: str, progress=None, cancelled=None) -> list[Posted]:
    """Restructure every loan of ``loan_ids`` on ``on`` under one decision (after a disaster): ``extend_months`` ≥ 0
    (a multiple of each loan's frequency), ``grace_periods`` ≥ 0, ``decision`` the decision number (required; each
    loan's entry is referenced ``batch_restructure.batch_reference(decision, loan_no)`` since references are unique
    across the book), ``reason`` required. All or nothing, in ONE unit of work: every loan is locked, then replayed
    with its restructuring (DOMAIN.md "Restructuring on day t"); if any is refused nothing is written and
    ``BatchRefused`` names each refused loan with the engine's reason. ``progress(done, total)`` is called as loans
    are checked then written; ``cancelled()`` true before the write raises ``UserCancelled`` (nothing written).
    Returns one ``Posted`` per loan, in ``loan_ids``' order (``allocation``: the engine's ``RestructureResult``).
    With maker-checker on for restructurings the batch is refused (a proposal covers one loan)."""
    from .batch_restructure import (
        BatchRefused,
        batch_reference,
        check_decision,
        reference_refusal,
        refuse_taken_decision,
    )
    from .book_loader import entries_with_ids, terms_of
    from .closing import refuse_closed
    from .errors import UserCancelled
    from .loan_states import refresh_states
    from .posting import replay_keyed

    require_action(ctx, "restructure")
    e = _whole(extend_months, "extend_months", N_("Số tháng gia hạn"))
    g = _whole(grace_periods, "grace_periods", N_("Số kỳ ân hạn gốc"))
    ids = list(dict.fromkeys(loan_ids))
    if not ids:
        raise ValidationError(N_("Chưa chọn khoản vay nào để cơ cấu lại"), field="loans")
    refuse_future(ctx, on, KIND_VI[Kind.RESTRUCTURE], "on")
    report = progress or (lambda done, total: None)
    total = 2 * len(ids)
    with ctx.db.unit() as s:
        refuse_closed(s, on)
        records = {i: lending_store.loan(s, i) for i in ids}
        missing = [str(i) for i, r in records.items() if r is None]
        if missing:
            raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=', '.join(missing)))
        decision, reason = check_decision(decision, reason, (r.loan_no for r in records.values()))
        lending_store.lock_loans(s, ids)  # a posting on one of them meanwhile waits for this unit of work
        refuse_taken_decision(s, decision)
        refs = entry_store.references(s)
        refused: dict[str, str] = {}
        checked: list[tuple[int, str, Restructuring, object]] = []
        for n, loan_id in enumerate(ids):
            report(n, total)
            record = records[loan_id]
            reference = batch_reference(decision, record.loan_no)
            refusal = reference_refusal(refs, decision, record.loan_no)
            if refusal is not None:
                refused[record.loan_no] = refusal
                continue
            entry = Restructuring(on, e, g, reference, reason)
            try:
                _, results = replay_keyed(terms_of(record), [*entries_with_ids(s, loan_id), (None, entry)], watch_days_in(s))
            except UserFacingError as err:
                refused[record.loan_no] = err.message
                continue
            checked.append((loan_id, reference, entry, results.get(None)))
        if refused:
            raise BatchRefused(refused)
        if cancelled is not None and cancelled():
            raise UserCancelled
        params = event_params(Restructuring(on, e, g), with_reason=False)
        posted: list[Posted] = []
        for n, (loan_id, reference, _entry, result) in enumerate(checked):
            report(len(ids) + n, total)
            record = entry_store.add_event(s, reason=reason, params=params, loan_id=loan_id, on_date=on,
                                     kind=str(Kind.RESTRUCTURE), amount=0, reference=reference, note="",
                                     entered_by=ctx.user)
            posted.append(Posted(record.id, reference, result))
        refresh_states(s, ids, ctx.today())
        office_store.audit(s, ctx.user, "post restructure batch",
                    f"{decision} {on} {restructure_words(e, g).render()}, {len(ids)} khoản vay: "
                    f"{', '.join(records[i].loan_no for i in ids)} — {reason}")
    report(total, total)
    return posted
