"""The documents of a loan's life events, filled from the book and the engine (``documents.restructuring``).

Kinds: ``amendment`` (phụ lục hợp đồng, with the new schedule) and ``restructure_decision`` for a restructuring,
``relief_decision`` for an interest relief, ``write_off_decision`` for a write-off. Each is dated the event's day
and names the event by its entry (``entry_id``) or its reference; ``services.documents`` numbers them when issued
(a preview takes no number), as every loan document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fundapp.domain.messages import N_, msg

from .context import Context
from .errors import NotFound
from .event_previews import posted_event
from .loans import loan_view
from .settings import FundSettings, load_settings

# document kind → the entry kind it belongs to
EVENT_DOCUMENTS = {"amendment": "restructure", "restructuring": "restructure",
                   "relief": "interest_relief", "write_off": "write_off"}
# entry kind → its documents, in the order the loan page offers them
DOCUMENTS_OF = {"restructure": ("restructuring", "amendment"), "interest_relief": ("relief",),
                "write_off": ("write_off",)}
# document kind → the start of its suggested file name
FILE_NAMES = {"amendment": "phu-luc-hop-dong", "restructuring": "quyet-dinh-co-cau", "relief": "quyet-dinh-mien-giam",
              "write_off": "quyet-dinh-xu-ly-rui-ro"}


def event_document(ctx: Context, kind: str, loan_no: str, entry_id: int | None = None, reference: str | None = None,
                   settings: FundSettings | None = None):
    """The ``EventDocument`` (no number) of document ``kind`` for the life event of ``loan_no`` given by
    ``entry_id`` or ``reference``, a write-off's total and uncovered principal made by the domain
    (``figures.write_off_total``, ``uncovered_principal``). Raises ``NotFound`` (Vietnamese) when the loan has no
    such event in force."""
    from fundapp.documents.restructuring import EventDocument
    from fundapp.domain.figures import uncovered_principal, write_off_total

    from .documents import borrower_info, fund_info

    wanted = EVENT_DOCUMENTS[kind]
    view = loan_view(ctx, loan_no)
    row = next((h for h in view.history if h.kind == wanted and h.active
                and (h.id == entry_id or (reference and h.reference == reference))), None)
    if row is None:
        cancelled = next((h for h in view.history if h.kind == wanted and h.reversed_by is not None
                          and (h.id == entry_id or (reference and h.reference == reference))), None)
        if cancelled is not None:
            raise reversed_event_refusal(ctx, cancelled.reference)
        raise NotFound(
            msg("Khoản vay {loan_no} không có {what} «{reference}» (hoặc đã bị hủy)",
                loan_no=view.loan_no, what=msg(_WHAT[wanted]), reference=reference or entry_id))
    ev = posted_event(ctx, view.id, row.id)
    r = ev.result
    fields: dict = dict(
        fund=fund_info(settings or load_settings(ctx)), borrower=borrower_info(ctx, view.borrower_id),
        loan_no=view.loan_no, contract_date=view.contract_date, purpose=view.purpose, terms=view.terms, kind=wanted,
        on=row.on, reference=row.reference, reason=row.reason,
        debt_group=ev.group_before if wanted == "write_off" else ev.balances.debt_group)
    if wanted == "restructure":
        fields.update(extend_months=r.extend_months, grace_periods=r.grace_periods,
                      deferred_interest=r.deferred_interest, restructure_number=r.number,
                      principal_outstanding=ev.balances.principal_outstanding, last_due_before=ev.last_due_before,
                      last_due_after=ev.schedule[-1].due_on if ev.schedule else None, schedule=ev.schedule)
    elif wanted == "interest_relief":
        fields.update(relief_of=r.relief_of, amount=r.amount)
    else:
        fields.update(principal=r.principal, interest=r.interest, provision_rate=ev.provision_rate,
                      provision=ev.provision, write_off_total=write_off_total(r.principal, r.interest),
                      uncovered_principal=uncovered_principal(r.principal, ev.provision))
    return EventDocument(**fields)


_WHAT = {"restructure": N_("lần cơ cấu lại"), "interest_relief": N_("lần miễn, giảm lãi"),
         "write_off": N_("lần xử lý rủi ro")}


def event_draft(ctx: Context, kind: str, loan_no: str, entry_id: int | None = None,
                reference: str | None = None) -> tuple[str, date, str, Callable[[str], bytes], str]:
    """(register subject, date, loan number, render(number label) → PDF bytes, ``paper_digest`` of what it states)
    of an event document."""
    import dataclasses

    from fundapp.documents.restructuring import event_pdf

    from .document_register import paper_digest

    doc = event_document(ctx, kind, loan_no, entry_id, reference)
    return (f"{doc.loan_no} {doc.reference}", doc.on, doc.loan_no,
            lambda label: event_pdf(kind, dataclasses.replace(doc, number=label)), paper_digest(kind, doc))


def event_lines(ctx: Context, view) -> tuple:
    """The restructurings, reliefs, write-off and recoveries of the loan of ``view`` (a ``LoanView``) dated on or
    before ``view.as_of``, as the engine read them (``domain.reporting.LifeEvent``, made by the domain's
    ``life_event``), for the statement and the reconciliation minutes; () for a loan without any."""
    from fundapp.domain.reporting import life_event

    from .event_previews import loan_events

    if not any(h.kind in ("restructure", "interest_relief", "write_off") for h in view.history if h.active):
        return ()
    results = loan_events(ctx, view.id, view.as_of).results
    lines = []
    for h in view.history:
        r = results.get(h.id)
        if r is None or not h.active or h.on > view.as_of:
            continue
        event = life_event(h, r, view.loan_no, recovery=True)
        if event is not None:
            lines.append(event)
    return tuple(lines)


def reversed_event_refusal(ctx: Context, reference: str) -> NotFound:
    """The refusal to make the decision (or amendment) of the reversed life event ``reference``: it says the decision
    was reversed, on which day, why, and the number its paper had been issued with (``_reversed_refusal``)."""
    with ctx.db.read() as s:
        refusal = _reversed_refusal(s, reference)
    return refusal if refusal is not None else NotFound(
        msg("Không có lần cơ cấu lại, miễn giảm lãi hay xử lý rủi ro nào số «{reference}» trong sổ", reference=reference))


def _reversed_refusal(s, reference: str) -> NotFound | None:
    """In unit ``s``: when ``reference`` names a restructuring, relief or write-off that was reversed, the refusal a
    records officer reads — the decision, its loan and day, reversed on which day (the reversal's own, local) and
    why, and the number its paper was issued with if any (the register keeps it); None otherwise. A paper is never
    made of a reversed decision: it would read as a decision in force and take a number of the register."""
    from fundapp.formatting import local_time, short_date
    from fundapp.ledger import entry_store, lending_store, office_store, record_store

    entry = record_store.entry_by_reference(s, reference)
    undo = entry_store.reversal_of(s, entry.id) if entry is not None and entry.kind in DOCUMENTS_OF else None
    if undo is None:
        return None
    loan_no = lending_store.loan(s, entry.loan_id).loan_no
    text = msg("Quyết định số «{reference}» ({what} khoản vay {loan_no} ngày {on}) đã bị hủy ngày {undone_on}, lý do: "
               "{reason}. Không lập văn bản cho quyết định đã hủy.", reference=reference,
               what=msg(_WHAT[entry.kind]), loan_no=loan_no, on=short_date(entry.on_date),
               undone_on=short_date(local_time(undo.entered_at).date()), reason=undo.note)
    issued = [d.label for kind in DOCUMENTS_OF[entry.kind]
              if (d := office_store.issued_document(s, kind, f"{loan_no} {reference}", entry.on_date)) is not None]
    if issued:
        text = msg("{text} Văn bản đã cấp số {labels} vẫn được giữ trong sổ đăng ký tài liệu.", text=text,
                   labels=", ".join(issued))
    return NotFound(text)


def _batch_refusal(rows, decision: str) -> NotFound | None:
    """When ``decision`` is the decision number of a batch restructuring (``batch_restructure``: each loan's entry is
    referenced «QĐ-CC-0019/số hợp đồng»), the refusal that names the references its papers are made by, one loan
    each; None otherwise. The batch's own number named no entry, and the officer read «Không có … trong sổ» of a
    decision the book holds."""
    from .batch_restructure import decision_of

    references = sorted(r.reference for r in rows
                        if r.kind in DOCUMENTS_OF and r.reference and r.reference != decision
                        and decision_of(r.reference) == decision)
    if not references:
        return None
    return NotFound(
        msg("Quyết định «{decision}» cơ cấu lại {count} khoản vay; mỗi khoản vay có quyết định và phụ lục riêng, in "
            "theo số: {references}", decision=decision, count=str(len(references)), references=", ".join(references)))


def write_event_document(ctx: Context, reference: str, path, amendment: bool = False):
    """Issue the decision (or, ``amendment``, the contract amendment) of the life event whose reference is
    ``reference`` and write it to ``path``; returns the ``IssuedDocument``. Raises ``NotFound`` (Vietnamese) when no
    restructuring, relief or write-off in force has that reference, or an amendment is asked of another kind."""
    from fundapp.ledger import entry_store, lending_store

    from .documents import write_document

    reference = reference.strip()
    with ctx.db.unit() as s:
        rows, _ = entry_store.entries_in_force(s)
        row = next((r for r in rows if r.reference == reference and r.kind in DOCUMENTS_OF), None)
        if row is None:
            refusal = _reversed_refusal(s, reference)
            if refusal is not None:
                raise refusal
            refusal = _batch_refusal(rows, reference)
            if refusal is not None:
                raise refusal
            raise NotFound(
                msg("Không có lần cơ cấu lại, miễn giảm lãi hay xử lý rủi ro nào số «{reference}» trong sổ",
                    reference=reference))
        loan_no = lending_store.loan(s, row.loan_id).loan_no
    kinds = DOCUMENTS_OF[row.kind]
    if amendment and "amendment" not in kinds:
        raise NotFound(msg("«{reference}» không phải lần cơ cấu lại: không có phụ lục hợp đồng", reference=reference))
    return write_document(ctx, "amendment" if amendment else kinds[0], loan_no, path, reference=reference)
