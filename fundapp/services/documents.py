"""A loan's printed documents and the monthly notices of debt due: fill the documents' input values from the book,
render, issue (numbered by ``document_register``), write.

The register of issued documents lives in ``document_register`` and the report files in ``report_documents``;
the names callers take from here are re-exported. reportlab is imported only when a document is made (start-up stays fast).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fundapp.domain.dates import add_months
from fundapp.domain.messages import N_, Message, lowered, msg
from fundapp.domain.tranches import disbursed_through
from fundapp.formatting import month_year, short_date
from fundapp.ledger import lending_store

from .book_loader import load_book, replay_until
from .context import Context
from .document_register import (
    DOC_KIND_LABELS,
    IssuedDocument,
    RegisterRow,
    document_register,
    fund_info,
    paper_digest,
    refuse_future_document,
    refuse_missing_folder,
    save,
    take_numbers,
)
from .errors import NotFound, UserCancelled, UserFacingError, ValidationError
from .loan_lookup import missing_loan
from .loans import LoanView, loan_view
from .report_documents import (
    quarterly_data,
    quarterly_pdf,
    write_period_report,
    write_portfolio,
    write_quarterly,
)
from .settings import FundSettings, load_settings

if TYPE_CHECKING:  # the types only: this module imports documents/ when a document is made
    from fundapp.documents.model import ArrearsLine, DueItem, DueNotice, FundInfo
    from fundapp.domain.borrowers import BorrowerInfo

__all__ = ["RegisterRow", "document_register", "due_notices", "fund_info", "issue_document", "loan_document", "notice_pdf", "preview_document", "quarterly_data", "quarterly_pdf", "receipt_pdf", "reconciliation_pdf", "schedule_pdf", "statement_pdf", "take_numbers", "write_document", "write_notices", "write_period_report", "write_portfolio", "write_quarterly", "write_receipt", "write_reconciliation", "write_schedule", "write_statement"]  # the register's and the reports' names stay importable from here, where callers always found them


def borrower_info(ctx: Context, borrower_id: int):
    """The borrower ``borrower_id`` as every paper heads it (``domain.borrowers.BorrowerInfo``: code, name, kind, tax
    code, representative, phone, address); NotFound ("Không có khách hàng mã …") when the book has none. Shared by
    the loan papers, the due notices and the life events' papers."""
    from dataclasses import fields

    from fundapp.domain.borrowers import BorrowerInfo

    with ctx.db.read() as s:
        b = lending_store.borrower(s, borrower_id)
        if b is None:
            raise NotFound(msg("Không có khách hàng mã {borrower_id}", borrower_id=borrower_id))
        return BorrowerInfo(**{f.name: getattr(b, f.name) for f in fields(BorrowerInfo)})


def _history(view: LoanView, life_events: tuple = ()):
    # ``life_events``: the loan's EventLines; a repayment the engine took as a recovery is printed as one, as the loan
    # page's history names it (domain.events.ENTRY_KIND_LABELS["recovery"])
    from fundapp.documents.model import HistoryLine
    from fundapp.domain.event_words import figure, shown_kind

    recoveries = {(e.on, e.reference) for e in life_events if e.kind == "recovery"}
    lines = []
    for h in view.history:
        if h.kind == "reversal" or h.on > view.as_of:
            continue
        # a reversed recovery too, by the record the book read before its reversal, as the page names it
        recovery = h.kind == "repayment" and (shown_kind(h.kind, h.result) == "recovery" or (
            h.reversed_by is None and (h.on, h.reference) in recoveries))
        # the amount is the domain's one figure for the entry, as the loan page's history shows it: a write-off's what
        # it took off-balance, none for a restructuring (it moves no money: the statement printed «0», an officer's
        # trial)
        lines.append(HistoryLine(
            on=h.on, kind="recovery" if recovery else h.kind, reference=h.reference,
            amount=figure(h.kind, h.amount, h.result),
            principal=h.amount if h.kind == "disbursement" else h.principal, interest=h.interest,
            overdue_interest=h.overdue_interest, late_interest=h.late_interest, reversed=h.reversed_by is not None,
            note="Đã hủy" if h.reversed_by is not None else ("Tất toán" if h.settled else _officer_note(h.note))))
    return tuple(lines)


def _officer_note(note: str) -> str:
    """The officer's own note; the import's "Nhập từ …" mark is bookkeeping, not a description."""
    return "" if note.startswith("Nhập từ ") else note


def loan_document(ctx: Context, loan_no: str, as_of: date, kind: str = "", settings: FundSettings | None = None,
                  field: str = "as_of"):
    """The LoanDocument of ``loan_no`` at the end of ``as_of`` — the engine's figures for that date — without a
    number (a number is given only when the document is issued: ``issue_document``). With ``kind`` (a key of
    ``DOC_KIND_LABELS``: the paper is of that day) an ``as_of`` before the loan's contract date is refused
    (``ValidationError`` marking ``field``: ``loans.refuse_before_signing``), before anything is computed."""
    from fundapp.documents.model import LoanDocument

    from .event_documents import event_lines

    settings = settings or load_settings(ctx)
    paper = lowered(DOC_KIND_LABELS[kind]) if kind in DOC_KIND_LABELS else None
    view = loan_view(ctx, loan_no, as_of, paper=paper, field=field)
    life_events = event_lines(ctx, view)
    return LoanDocument(
        fund=fund_info(settings), borrower=borrower_info(ctx, view.borrower_id), loan_no=view.loan_no,
        contract_date=view.contract_date, purpose=view.purpose, terms=view.terms, as_of=view.as_of,
        balances=view.balances, schedule=view.schedule, history=_history(view, life_events), quote=view.quote,
        number="", disbursed=view.disbursed, life_events=life_events, terms_in_force=view.terms_in_force,
        closed_on=view.closed_on, written_off_on=view.written_off_on,
        issued_on=ctx.today())  # the paper is dated the day it is made, its figures «tính đến hết ngày» ``as_of``


@dataclass(frozen=True)
class _Draft:
    """A document ready to print but for its number: ``render(label)`` gives the PDF; ``digest`` is
    ``paper_digest`` of what it states (its model without the number)."""

    subject: str
    on: date
    loan_no: str | None
    render: Callable[[str], bytes]
    digest: str


def _tranche(ctx: Context, loan_no: str, entry_id: int | None = None, reference: str | None = None):
    view = loan_view(ctx, loan_no)
    tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
    tranche = next((h for h in tranches if h.id == entry_id or (reference and h.reference == reference)), None)
    if tranche is None:
        if reference:
            raise NotFound(
                msg("Khoản vay {loan_no} không có lần giải ngân nào số chứng từ «{reference}»",
                    loan_no=loan_no, reference=reference))
        raise NotFound(N_("Không có lần giải ngân này (hoặc đã bị hủy)"))
    return tranches, tranche


def _draft(ctx: Context, kind: str, loan_no: str, on: date | None, *, month: tuple[int, int] | None = None,
           entry_id: int | None = None, reference: str | None = None) -> _Draft:
    """What ``kind`` of document for ``loan_no`` dated ``on`` prints (see ``issue_document``). A paper asked for a
    day after the book's today is refused before anything is computed, the preview too, in the papers' words
    (``document_register.refuse_future_document``: the command line's, the register's at issue)."""
    today = ctx.today()
    field = "as_of" if kind in ("statement", "reconciliation") else "on"
    if on is not None and kind in DOC_KIND_LABELS:  # an unknown kind is refused below, naming it
        refuse_future_document(ctx, kind, on, field)
    if kind in ("statement", "schedule", "reconciliation"):
        from fundapp.documents.reconciliation import reconciliation_pdf
        from fundapp.documents.schedule import schedule_pdf
        from fundapp.documents.statement import statement_pdf

        render = {"statement": statement_pdf, "schedule": schedule_pdf, "reconciliation": reconciliation_pdf}[kind]
        # a day before the contract is refused here, the preview's and the issue's alike, before a number is taken
        doc = loan_document(ctx, loan_no, on or today, kind, field=field)
        return _Draft(doc.loan_no, doc.as_of, doc.loan_no, lambda label: render(dataclasses.replace(doc, number=label)),
                      paper_digest(kind, doc))
    if kind == "receipt":
        from fundapp.documents.receipt import receipt_pdf

        tranches, tranche = _tranche(ctx, loan_no, entry_id, reference)
        doc = loan_document(ctx, loan_no, tranche.on)
        line = next(h for h in doc.history if h.on == tranche.on and h.reference == tranche.reference)
        # a receipt records the disbursement: it is dated the tranche's day, whenever it is printed
        doc = dataclasses.replace(doc, disbursed=disbursed_through(tranches, tranche), issued_on=None)
        no = tranches.index(tranche) + 1
        return _Draft(f"{loan_no} {tranche.reference}", tranche.on, loan_no,
                      lambda label: receipt_pdf(dataclasses.replace(doc, number=label), line, no),
                      paper_digest(kind, doc, line, no))
    if kind == "notice":
        from fundapp.documents.notices import notice_pdf

        on = on or today
        year, m = month or (on.year, on.month)
        with ctx.db.read() as s:
            record = lending_store.loan_by_no(s, loan_no)
            if record is None:
                raise missing_loan(s, loan_no)
            code = lending_store.borrower(s, record.borrower_id).code
        notice = next((n for n in due_notices(ctx, year, m, on=on, borrower_code=code)), None)
        if notice is None:
            raise UserFacingError(
                msg("Khoản vay {loan_no} không có kỳ nào đến hạn trong tháng {month}/{year} và không có nợ đến "
                    "hạn từ tháng đó trở về trước còn chưa trả ngày {on}", loan_no=loan_no, month=f"{m:02d}", year=year,
                    on=short_date(on)))
        return _Draft(_notice_subject(code, year, m), on, loan_no,
                      lambda label: notice_pdf(dataclasses.replace(notice, number=label)), paper_digest(kind, notice))
    from .event_documents import EVENT_DOCUMENTS, event_draft

    if kind in EVENT_DOCUMENTS:  # restructuring, relief and write-off documents: dated the event's day
        return _Draft(*event_draft(ctx, kind, loan_no, entry_id, reference))
    raise UserFacingError(msg("Không có loại tài liệu «{kind}»", kind=kind))


def preview_document(ctx: Context, kind: str, loan_no: str, on: date | None = None, **options) -> bytes:
    """The PDF of a loan document for the screen: the engine's figures for ``on``, "Số: ……" instead of a
    number, nothing written to the book (issue 10.3: a preview uses up no number).

    ``kind``: "statement" / "reconciliation" (as of the end of ``on``), "schedule" (as it stands on ``on``),
    "notice" (dated ``on``; ``month=(year, month)``, default ``on``'s month), "receipt" (``entry_id=`` or
    ``reference=`` of the tranche; dated the tranche's day). ``on`` defaults to the book's today.
    Raises NotFound / UserFacingError, ValidationError for an ``on`` after the book's today (nothing made).
    """
    return _draft(ctx, kind, loan_no, on, **options).render("")


def issue_document(ctx: Context, kind: str, loan_no: str, on: date | None = None, **options) -> IssuedDocument:
    """Issue a loan document (the officer saves or prints it): the same PDF as ``preview_document`` with the
    document's number, and its register row (number, kind, loan, date, who, when).

    A document issued before (same kind, subject — the loan, the tranche, the borrower and month — and date)
    keeps its number (``register.reprint`` is True) when it states the same; when its figures changed it takes a new
    number (``register.change_note`` says so). Raises ValidationError for a date after today.
    """
    draft = _draft(ctx, kind, loan_no, on, **options)
    row = take_numbers(ctx, kind, [(draft.subject, draft.on, draft.loan_no, draft.digest)])[0]
    return IssuedDocument(row, draft.render(row.label))


def statement_pdf(ctx: Context, loan_no: str, as_of: date) -> bytes:
    """The loan statement (sao kê khoản vay) as of a date — a preview (no number)."""
    return preview_document(ctx, "statement", loan_no, as_of)


def schedule_pdf(ctx: Context, loan_no: str) -> bytes:
    """The repayment schedule (lịch trả nợ) as it stands today — a preview (no number)."""
    return preview_document(ctx, "schedule", loan_no)


def reconciliation_pdf(ctx: Context, loan_no: str, as_of: date) -> bytes:
    """Debt reconciliation minutes (biên bản đối chiếu công nợ) as of a date — a preview (no number)."""
    return preview_document(ctx, "reconciliation", loan_no, as_of)


def receipt_pdf(ctx: Context, loan_no: str, entry_id: int) -> bytes:
    """The disbursement receipt (giấy nhận nợ) of one tranche — a preview (no number)."""
    return preview_document(ctx, "receipt", loan_no, entry_id=entry_id)


def notice_pdf(ctx: Context, loan_no: str, year: int, month: int) -> bytes:
    """The notice of debt due for the borrower of ``loan_no`` for a month, dated today — a preview (no number)."""
    return preview_document(ctx, "notice", loan_no, month=(year, month))


def write_document(ctx: Context, kind: str, loan_no: str, path: Path, on: date | None = None,
                   **options) -> IssuedDocument:
    """Issue a loan document and write it to ``path`` (the command line's way of issuing). Raises ValidationError
    naming a missing folder before a number is taken."""
    refuse_missing_folder(path)
    issued = issue_document(ctx, kind, loan_no, on, **options)
    save(path, issued.pdf)
    return issued


def write_receipt(ctx: Context, loan_no: str, reference: str, path: Path) -> Path:
    """The disbursement receipt of the tranche with this reference, issued."""
    write_document(ctx, "receipt", loan_no, path, reference=reference)
    return Path(path)


def write_statement(ctx: Context, loan_no: str, as_of: date, path: Path) -> Path:
    """Write loan ``loan_no``'s statement at the end of ``as_of`` to ``path`` (PDF) and return the path. Raises
    ``NotFound`` for an unknown loan number and the document writer's ``UserFacingError`` for an unwritable file."""
    write_document(ctx, "statement", loan_no, path, as_of)
    return Path(path)


def write_schedule(ctx: Context, loan_no: str, path: Path) -> Path:
    """Write loan ``loan_no``'s repayment schedule to ``path`` (PDF) and return the path. Raises ``NotFound`` for
    an unknown loan number and ``UserFacingError`` for an unwritable file."""
    write_document(ctx, "schedule", loan_no, path)
    return Path(path)


def write_reconciliation(ctx: Context, loan_no: str, as_of: date, path: Path) -> Path:
    """Write loan ``loan_no``'s balance reconciliation at the end of ``as_of`` to ``path`` (PDF) and return the
    path. Raises ``NotFound`` for an unknown loan number and ``UserFacingError`` for an unwritable file."""
    write_document(ctx, "reconciliation", loan_no, path, as_of)
    return Path(path)


# -- notices of debt due ---------------------------------------------------------------------
def _notice_subject(borrower_code: str, year: int, month: int) -> str:
    return f"{borrower_code} {year}-{month:02d}"


def due_notice(fund: FundInfo, borrower: BorrowerInfo, year: int, month: int, issued_on: date,
               items: Sequence[DueItem], number: str = "", pay_to: str = "", recipients: Sequence[str] = (),
               arrears: Sequence[ArrearsLine] = ()) -> DueNotice:
    """A notice of debt due (``documents.model.DueNotice``) to ``borrower`` of ``items`` (``DueItem``: the month's
    installments still unpaid) and ``arrears`` (``ArrearsLine``: each loan's quote on ``issued_on`` with debt due),
    with the total the domain gives them, đồng (``figures.notice_total``: the arrears lines' ``quote.due_now`` plus
    the month's installments due after ``issued_on``) and the part of it not yet due. The one builder of a notice:
    ``due_notices`` and the documents' tests call it; the notice only prints the figures."""
    from fundapp.documents.model import DueNotice
    from fundapp.domain.figures import notice_total

    total, not_yet_due = notice_total((i.installment for i in items), (a.quote for a in arrears), issued_on)
    return DueNotice(fund=fund, borrower=borrower, year=year, month=month, issued_on=issued_on, items=tuple(items),
                     total=total, number=number, pay_to=pay_to, recipients=tuple(recipients), arrears=tuple(arrears),
                     not_yet_due=not_yet_due)


def notice_months(today: date) -> tuple[date, date]:
    """The first days of the earliest and the latest month notices of debt due are made for on ``today``: today's
    month and the next (a notice is sent for the month under way or, ahead, for the next one). The one rule of the
    months allowed: the service (``refuse_notice_month``) and the window's «Tháng» field both take it from here.

    A notice is dated the day it is made and quotes each loan on that day: one for a month gone by would head that
    month and print today's debt, another month's figures (an officer's trial: HD2022-002 got three notices, for
    11/2024, 12/2024 and 01/2025, all made 31/12/2024 with the same 389.676.637 đ). This month's notice already
    holds every debt due and still unpaid today."""
    first = today.replace(day=1)
    return first, add_months(first, 1)


def notice_month_message(month: date, today: date) -> Message:
    """Why notices for ``month`` (its first day), outside ``notice_months(today)``, are not made, in words. Before
    today's month: «Tháng 11/2024 đã qua: thông báo nợ đến hạn lập cho tháng này (12/2024) đã gồm mọi khoản nợ đến
    hạn còn chưa trả đến hôm nay 31/12/2024»; after the next: «Tháng 02/2025 chưa đến: thông báo nợ đến hạn lập trước
    được nhiều nhất cho tháng sau (tháng 01/2025, hôm nay 31/12/2024)». One wording for the service and the window's
    month field; only called for a month refused."""
    earliest, latest = notice_months(today)
    if month < earliest:
        return msg("Tháng {month} đã qua: thông báo nợ đến hạn lập cho tháng này ({current}) đã gồm mọi khoản nợ đến "
                   "hạn còn chưa trả đến hôm nay {today}", month=month_year(month), current=month_year(earliest),
                   today=short_date(today))
    return msg("Tháng {month} chưa đến: thông báo nợ đến hạn lập trước được nhiều nhất cho tháng sau (tháng {latest}, "
               "hôm nay {today})", month=month_year(month), latest=month_year(latest), today=short_date(today))


def refuse_notice_month(issued_on: date, year: int, month: int) -> None:
    """Refuse notices dated ``issued_on`` of a month outside ``notice_months(issued_on)``: one gone by (its notice
    would quote another month's debt) or one after the next («notices --month 2035-01» issued 17 numbered notices
    headed «tháng 01/2035» that held only today's arrears). Raises ValidationError (field "month",
    ``notice_month_message``) before anything is computed or numbered; returns None otherwise."""
    first = date(year, month, 1)
    earliest, latest = notice_months(issued_on)
    if not earliest <= first <= latest:
        raise ValidationError(notice_month_message(first, issued_on), field="month")


def due_notices(ctx: Context, year: int, month: int, progress: Callable[[int, int], None] | None = None,
                on: date | None = None, borrower_code: str | None = None):
    """The notices of debt due of a month, ``on``'s month or the next (``notice_months``; another is refused by
    ``refuse_notice_month``, ValidationError), dated ``on`` (default today), one per borrower (sorted by code) that
    has an installment of the month unpaid on ``on``, or debt due and unpaid on ``on`` (which fell due by ``on``, so
    by the month's last day); without numbers. A loan settled or written off by ``on`` is left out (DOMAIN.md
    "Write-off": nothing is due on it, its schedule stays as it stood). A borrower with nothing of the month unpaid
    and nothing due has no notice, and a month with none (one before every loan, on a day in it) has no notice.

    Each loan is replayed with its entries up to ``on`` and quoted on ``on`` (DOMAIN.md "Quote"): an installment
    due by ``on`` shows its actual interest, later ones the engine's projection; a loan with debt due and unpaid on
    ``on`` gets an ArrearsLine with the quote on ``on`` (principal and interest due, overdue and late-payment
    interest payable, their sum ``due_now``) and its days past due (issue 10.2).
    """
    from fundapp.documents.layout import name_in_sentence
    from fundapp.documents.model import ArrearsLine, DueItem

    settings = load_settings(ctx)
    fund = fund_info(settings)
    issued = on or ctx.today()
    refuse_notice_month(issued, year, month)
    first = date(year, month, 1)
    last = add_months(first, 1)
    found: dict[str, tuple[list, list]] = {}
    book = load_book(ctx.db)
    for n, loan in enumerate(book):
        if progress and n % 200 == 0:
            progress(n, len(book) * 2)
        if borrower_code is not None and loan.input.borrower_code != borrower_code:
            continue
        state = replay_until(loan.input.terms, loan.input.transactions, issued, settings.watch_days)
        if state.anchor is None or state.closed_on is not None or state.anchor > issued \
                or state.written_off_on is not None:  # DOMAIN.md "Write-off": from then on it has nothing due
            continue
        quote = state.quote(issued)  # fixes every installment due by ``issued``: their interest is actual
        balances = state.balances(issued)
        items, arrears = found.setdefault(loan.input.borrower_code, ([], []))
        for inst in state.schedule():
            if first <= inst.due_on < last and inst.unpaid > 0:
                items.append(DueItem(loan.input.loan_no, inst.as_unpaid(), loan.contract_date, state.outstanding))
        if quote.due_now > 0:  # fell due by ``issued``, so by the month's end (refuse_notice_month)
            arrears.append(ArrearsLine(loan.input.loan_no, quote, balances.days_past_due))
    notices = []
    for code, (items, arrears) in sorted(found.items()):
        if not items and not arrears:
            continue
        with ctx.db.read() as s:
            borrower_id = lending_store.borrower_by_code(s, code).id
        notices.append(due_notice(fund, borrower_info(ctx, borrower_id), year, month, issued, items, number="",
                                  pay_to=name_in_sentence(settings.fund_name), arrears=arrears))
    return notices


def write_notices(ctx: Context, year: int, month: int, path: Path, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  told: Callable[[Message], None] | None = None) -> int:
    """All notices of a month dated today, issued (each takes its number) and written as one PDF; returns how many.
    A notice issued before that states other figures now takes a new number: ``told`` gets each such
    ``RegisterRow.change_note``.

    The month is today's or the next (``refuse_notice_month``: ValidationError, field "month", for another). The
    numbers are taken after the PDF is laid out, in one transaction, so a cancelled batch uses up none, nor a
    missing folder (ValidationError naming it, first), nor a month refused (no file written either).
    """
    refuse_missing_folder(path)
    from fundapp.documents import notices as render

    notices = due_notices(ctx, year, month, progress)
    if not notices:
        raise UserFacingError(
            msg("Không có khoản nào đến hạn trong tháng {month}/{year}", month=f"{month:02d}", year=year))

    def step(done: int, total: int) -> None:
        if progress:
            progress(len(notices) + done, len(notices) + total)

    try:
        render.notices_pdf(notices, cancelled=cancelled)  # a cancel before the numbers are taken
    except render.Cancelled:
        raise UserCancelled from None
    rows = take_numbers(ctx, "notice", [(_notice_subject(n.borrower.code, year, month), n.issued_on,
                                         n.items[0].loan_no if n.items else n.arrears[0].loan_no,
                                         paper_digest("notice", n)) for n in notices])
    for row in rows:
        if told is not None and row.change_note is not None:
            told(row.change_note)
    numbered = [dataclasses.replace(n, number=r.label) for n, r in zip(notices, rows, strict=True)]
    save(path, render.notices_pdf(numbered, progress=step))
    return len(notices)
