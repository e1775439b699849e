"""Restructuring many loans after a disaster under one decision (DOMAIN.md "Restructuring on day t").

A flood hits a ward: the fund decides once (decision number, date, extension months, grace periods, reason)
for many loans. ``preview_batch`` shows, per loan, what the restructuring would do or why the engine refuses it
(nothing written); ``services.events.restructure_batch`` posts them all in one transaction or none.

One decision, many entries: an entry's ``reference`` is unique across the book (``EntryRecord.reference``), so
each loan's entry carries ``batch_reference(decision, loan_no)`` = "QĐ-CC-0019/HD2024-019". No schema change, each
entry stays addressable on its own (``fundapp event-document QĐ-CC-0019/HD2024-019``, reversal of one loan's
restructuring alone), and the decision number is the part before the "/", so every loan of one decision is
found by that prefix (``decision_of``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from fundapp.domain.messages import N_, msg
from fundapp.formatting import fold

from .context import Context
from .errors import UserCancelled, UserFacingError, ValidationError

SEPARATOR = "/"
REFERENCE_LENGTH = 64  # EntryRecord.reference: String(64)

Progress = Callable[[int, int], None]


def batch_reference(decision: str, loan_no: str) -> str:
    """The reference of loan ``loan_no``'s entry under decision ``decision``: "QĐ-CC-0019/HD2024-019"."""
    return f"{decision.strip()}{SEPARATOR}{loan_no}"


def decision_of(reference: str) -> str:
    """The decision number of an entry's reference ("QĐ-CC-0019/HD2024-019" → "QĐ-CC-0019"); a reference of a
    single loan's decision (no "/") is its own decision number."""
    return reference.rsplit(SEPARATOR, 1)[0] if SEPARATOR in reference else reference


def check_decision(decision: str, reason: str, loan_nos: Iterable[str]) -> tuple[str, str]:
    """(decision number, reason) stripped, or ``ValidationError`` (field "reference" or "reason", Vietnamese): a
    batch needs its decision number (every loan's reference derives from it, and must fit 64 characters) and a
    reason."""
    decision, reason = decision.strip(), reason.strip()
    if not decision:
        raise ValidationError(
            N_("Phải ghi số quyết định cơ cấu lại (ví dụ QĐ-CC-0019): mỗi khoản vay được ghi với số «QĐ-CC-0019/số "
               "hợp đồng»"),
            field="reference")
    if SEPARATOR in decision:
        raise ValidationError(
            msg("Số quyết định «{decision}» không được chứa dấu «/» (dấu này nối số quyết định với số hợp đồng)",
                decision=decision),
            field="reference")
    longest = max((len(n) for n in loan_nos), default=0)
    if len(decision) + 1 + longest > REFERENCE_LENGTH:
        raise ValidationError(
            msg("Số quyết định «{decision}» quá dài: cùng số hợp đồng phải không quá {most} ký tự",
                decision=decision, most=REFERENCE_LENGTH),
            field="reference")
    if not reason:
        raise ValidationError(N_("Phải ghi lý do (ví dụ: thiệt hại do bão lũ)"), field="reason")
    return decision, reason


@dataclass(frozen=True)
class BatchLine:
    """One loan of a batch as the engine would restructure it on ``on`` (đồng, dates, groups), or ``refusal``: the
    engine's reason in Vietnamese. ``group_before`` → ``group_after`` at the end of ``on``; ``last_due_before`` →
    ``last_due_after`` the schedule's last due date. A refused loan keeps its own figures (principal outstanding,
    group and last due date as it stands at the end of ``on``, never a 0 in their place) and None for what only the
    restructuring would give (deferred interest, group and last due date after); None too where a figure could not
    be read (a day the book refuses figures for)."""

    loan_id: int
    loan_no: str
    borrower_name: str
    ward: str
    district: str
    principal_outstanding: int | None = None
    deferred_interest: int | None = None
    group_before: int | None = None
    group_after: int | None = None
    last_due_before: date | None = None
    last_due_after: date | None = None
    refusal: str | None = None

    @property
    def refused(self) -> bool:
        """True when the engine refuses this loan's restructuring."""
        return self.refusal is not None


class BatchRefused(UserFacingError):
    """A batch of which some loans would be refused: nothing was written. ``refused`` maps each refused loan number
    to its Vietnamese reason."""

    def __init__(self, refused: dict[str, str]) -> None:
        self.refused = dict(refused)
        lines = "\n".join(f"{no}: {why}" for no, why in refused.items())
        super().__init__(
            msg("Không cơ cấu lại: {count} khoản vay bị từ chối, chưa ghi gì vào sổ. Bỏ các khoản này khỏi danh "
                "sách hoặc sửa quyết định rồi làm lại.\n{lines}",
                count=len(refused), lines=lines))


def loans_in_area(ctx: Context, ward: str = "", district: str = "", loan_nos: Iterable[str] = ()) -> list:
    """The loans (``state_cache.LoanListRow``, by loan number) with principal outstanding, not written off, of borrowers in
    ``ward`` and/or ``district`` (compared without case or diacritics: "xa gio linh" finds "Xã Gio Linh"), or the
    loans numbered ``loan_nos`` whatever their state (the engine then says why one cannot be restructured).
    Raises ``NotFound`` naming a loan number the book does not have."""
    from .errors import NotFound
    from .queries import list_loans

    rows = list_loans(ctx)
    wanted = [n.strip() for n in loan_nos if n.strip()]
    if wanted:
        by_no = {r.loan_no: r for r in rows}
        missing = [n for n in wanted if n not in by_no]
        if missing:
            raise NotFound(msg("Không có khoản vay số {loans} trong sổ", loans=', '.join('«' + n + '»' for n in missing)))
        return [by_no[n] for n in dict.fromkeys(wanted)]
    w, d = fold(ward), fold(district)
    return [r for r in rows if r.principal_outstanding > 0 and r.status != "written_off"
            and (not w or fold(r.ward) == w) and (not d or fold(r.district) == d)]


def refuse_taken_decision(s, decision: str) -> None:
    """In unit ``s``: raise ``ValidationError`` (field "reference", Vietnamese) when ``decision`` is already the whole
    reference of an entry of the book — another decision (a single loan's restructuring, relief or write-off, or a
    voucher) carries that number, and a batch under it would make two decisions of one number, its papers printed
    by one of them. A batch's own decision number is never a whole reference (each loan's is «số/số hợp đồng»), so
    a later batch under the same decision (a loan left out) still goes through."""
    from fundapp.formatting import short_date
    from fundapp.ledger import lending_store, record_store

    entry = record_store.entry_by_reference(s, decision)
    if entry is None:
        return
    raise ValidationError(
        msg("Số quyết định «{decision}» đã có trong sổ: bút toán của khoản vay {loan_no} ngày {on}. Một quyết định "
            "cơ cấu lại hàng loạt cần số khác", decision=decision,
            loan_no=lending_store.loan(s, entry.loan_id).loan_no, on=short_date(entry.on_date)),
        field="reference")


def reference_refusal(references: set[str], decision: str, loan_no: str) -> str | None:
    """Why loan ``loan_no`` cannot be restructured under ``decision`` whatever the engine says (Vietnamese), or None:
    its entry's reference ``batch_reference(decision, loan_no)`` is already in the book (``references``). The
    preview and the posting (``services.events.restructure_batch``) refuse it with these same words."""
    reference = batch_reference(decision, loan_no)
    if reference in references:
        return str(msg("số quyết định «{reference}» đã có trong sổ (khoản vay đã được cơ cấu lại theo quyết định "
                       "này)", reference=reference))
    return None


def preview_batch(ctx: Context, loan_ids: Iterable[int], on: date, extend_months: int, grace_periods: int,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                  decision: str | None = None, reason: str | None = None) -> list[BatchLine]:
    """Per loan of ``loan_ids`` (in that order): what restructuring it on ``on`` by ``extend_months`` (months) with
    ``grace_periods`` (installments without principal) would do — the engine's own preview
    (``event_previews.preview_restructure``) — or why it would be refused. Nothing written. Raises
    ``UserCancelled`` when ``cancelled()`` turns true.

    The posting's own refusals are the preview's too, so that a preview that reads «all can be restructured» is
    never followed by a refused posting: a day in a closed period refuses the whole batch (``UserFacingError``,
    field "on"); given ``decision`` (and ``reason``), the decision is checked as the posting checks it
    (``check_decision``) and a loan already restructured under it is refused by name (``reference_refusal``)."""
    from fundapp.ledger import entry_store

    from .closing import refuse_closed
    from .event_previews import preview_restructure
    from .queries import list_loans

    ids = list(dict.fromkeys(loan_ids))
    rows = {r.id: r for r in list_loans(ctx)}
    with ctx.db.read() as s:
        refuse_closed(s, on)
        references = entry_store.references(s) if decision is not None else set()
        if decision is not None:
            decision, _ = check_decision(decision, reason if reason is not None else "-",
                                         (r.loan_no for i, r in rows.items() if i in ids))
            refuse_taken_decision(s, decision)
    report = progress or (lambda done, total: None)
    out: list[BatchLine] = []
    for n, loan_id in enumerate(ids):
        if cancelled is not None and cancelled():
            raise UserCancelled
        report(n, len(ids))
        row = rows.get(loan_id)
        base = dict(loan_id=loan_id, loan_no=row.loan_no if row else str(loan_id),
                    borrower_name=row.borrower_name if row else "", ward=row.ward if row else "",
                    district=row.district if row else "")
        refusal = reference_refusal(references, decision, base["loan_no"]) if decision is not None else None
        try:
            p = preview_restructure(ctx, loan_id, on, extend_months, grace_periods)
        except UserFacingError as err:
            refusal = refusal or err.message
        if refusal is not None:
            out.append(BatchLine(**base, **_standing(ctx, loan_id, on), refusal=refusal))
            continue
        out.append(BatchLine(**base, principal_outstanding=p.principal_outstanding,
                             deferred_interest=p.deferred_interest, group_before=p.group_before,
                             group_after=p.debt_group, last_due_before=p.last_due_before,
                             last_due_after=p.last_due_after))
    report(len(ids), len(ids))
    return out


def _standing(ctx: Context, loan_id: int, on: date) -> dict:
    """A refused loan's own figures at the end of ``on``, as the loan page reads them (``loans.loan_view``):
    principal outstanding (đồng), debt group and the schedule's last due date; none when the book gives no figures
    for ``on`` (the refusal then says why)."""
    from .loans import loan_view

    try:
        view = loan_view(ctx, as_of=on, loan_id=loan_id)
    except UserFacingError:
        return {}
    return dict(principal_outstanding=view.balances.principal_outstanding, group_before=view.balances.debt_group,
                last_due_before=view.schedule[-1].due_on if view.schedule else None)
