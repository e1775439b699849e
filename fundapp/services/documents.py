"""Printed documents and report files: fill the documents' input values from the book, render, write.

reportlab and XlsxWriter are imported here only when a document is made (start-up stays fast).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fundapp.ledger import store

from .clock import refuse_future_paper
from .errors import NotFound, UserCancelled, UserFacingError
from .loans import LoanView, loan_view
from .portfolio import BookLoan, Context, load_book, replay_until
from .settings import FundSettings, load_settings

# kind → the code of its number ("05/SK-QHT"); the reports share one BC sequence
DOC_KINDS = {"statement": "SK", "schedule": "LTN", "notice": "TB", "receipt": "GNN", "reconciliation": "BB",
             "quarterly": "BC", "portfolio": "BC", "period": "BC",
             # life events (services.event_documents): the amendment to the contract, the director's decisions
             "amendment": "PL", "restructuring": "QĐ", "relief": "QĐ", "write_off": "QĐ",
             # the Word papers (services.templates): the director's loan decision shares the decisions' QĐ sequence
             "contract": "HĐTD", "acknowledgment": "KUNN", "appraisal": "TTr", "decision": "QĐ", "release": "TB"}


def fund_info(settings: FundSettings):
    """The fund's name, address, signers and bank account from ``settings`` as the documents print them
    (``documents.model.FundInfo``). Raises nothing."""
    from fundapp.documents.model import FundInfo

    return FundInfo(parent_body=settings.parent_body, name=settings.fund_name, abbreviation=settings.abbreviation,
                    place=settings.place, address=settings.address, phone=settings.phone, director=settings.director,
                    deputy_director=settings.deputy_director, chief_accountant=settings.chief_accountant,
                    preparer=settings.preparer, deputy_signs=settings.deputy_signs, bank_bin=settings.bank_bin,
                    bank_account=settings.bank_account, bank_account_name=settings.bank_account_name)


KIND_LABELS = {"statement": "Sao kê khoản vay", "schedule": "Lịch trả nợ", "notice": "Thông báo nợ",
               "receipt": "Giấy nhận nợ", "reconciliation": "Biên bản đối chiếu công nợ",
               "quarterly": "Báo cáo quý", "portfolio": "Báo cáo danh mục cho vay", "period": "Báo cáo tình hình cho vay",
               "amendment": "Phụ lục hợp đồng tín dụng", "restructuring": "Quyết định cơ cấu lại thời hạn trả nợ",
               "relief": "Quyết định miễn, giảm lãi", "write_off": "Quyết định xử lý rủi ro",
               "contract": "Hợp đồng tín dụng", "acknowledgment": "Khế ước nhận nợ", "appraisal": "Tờ trình thẩm định",
               "decision": "Quyết định cho vay", "release": "Thông báo giải chấp tài sản bảo đảm"}


@dataclass(frozen=True)
class RegisterRow:
    """One issued document of the register: ``label`` is the printed number ("05/SK-QHT"), ``number`` its
    place in the (code, year) sequence, ``on`` the document's date, ``reprint`` True when the document had been
    issued before and kept its number."""

    number: int
    label: str
    kind: str
    code: str
    year: int
    subject: str
    loan_no: str | None
    on: date
    issued_by: str
    issued_at: datetime
    reprint: bool = False

    @property
    def kind_label(self) -> str:
        """The document kind in Vietnamese words, the raw kind when unknown."""
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class IssuedDocument:
    """An issued document: its register row and the PDF bytes printed with its number."""

    register: RegisterRow
    pdf: bytes


def _register_row(r, reprint: bool = False) -> RegisterRow:
    return RegisterRow(r.number, r.label, r.kind, r.code, r.year, r.subject, r.loan_no, r.on_date, r.issued_by,
                       r.issued_at, reprint)


def take_numbers(ctx: Context, kind: str, documents: list[tuple[str, date, str | None]],
                 settings: FundSettings | None = None) -> list[RegisterRow]:
    """Issue the documents ``(subject, on, loan_no)`` of one ``kind``: each takes the next number of its code in
    the year of the book's today, or keeps the number it was issued with before (a reprint).

    All or nothing, in one transaction: the register never has a gap per code and year. Two officers issuing at
    once wait for each other on the counter row (see ``store.next_document_number``); the same document issued
    twice at the same moment is retried and then found as a reprint. Raises ValidationError for a document dated
    after today.
    """
    if kind not in DOC_KINDS:
        raise UserFacingError(f"Không có loại tài liệu «{kind}»", f"unknown document kind {kind}")
    for _subject, on, _loan in documents:
        refuse_future_paper(ctx, on, KIND_LABELS[kind].lower())  # the papers' own words, not the postings
    settings = settings or load_settings(ctx)
    code, year = DOC_KINDS[kind], ctx.today().year
    for attempt in range(5):
        try:
            with ctx.db.unit() as s:
                rows = []
                for subject, on, loan_no in documents:
                    existing = store.issued_document(s, kind, subject, on)
                    if existing is not None:
                        rows.append(_register_row(existing, reprint=True))
                        continue
                    n = store.next_document_number(s, year, code)
                    record = store.register_document(
                        s, kind=kind, code=code, year=year, number=n, label=f"{n:02d}/{code}-{settings.abbreviation}",
                        subject=subject, loan_no=loan_no, on_date=on, issued_by=ctx.user)
                    rows.append(_register_row(record))
                issued = [r.label for r in rows if not r.reprint]
                if issued:
                    store.audit(s, ctx.user, "document issue", f"{kind}: {', '.join(issued)}")
                return rows
        except store.DocumentConflict:
            if attempt == 4:
                raise UserFacingError("Người khác vừa cấp số cho tài liệu này, vui lòng thử lại",
                                      "the same document was numbered concurrently, try again") from None
    raise AssertionError("unreachable")


def document_register(ctx: Context, year: int | None = None) -> list[RegisterRow]:
    """The register of issued documents (of ``year``, or all), by year, code and number."""
    with ctx.db.unit() as s:
        return [_register_row(r) for r in store.document_rows(s, year)]


def _borrower_info(ctx: Context, borrower_id: int):
    from fundapp.documents.model import BorrowerInfo

    with ctx.db.unit() as s:
        b = store.borrower(s, borrower_id)
        if b is None:
            raise NotFound(f"Không có khách hàng mã {borrower_id}", f"no borrower {borrower_id}")
        return BorrowerInfo(code=b.code, name=b.name, kind=b.kind, tax_code=b.tax_code,
                            representative=b.representative, phone=b.phone, address=b.address, ward=b.ward,
                            district=b.district, province=b.province)


def _history(view: LoanView):
    from fundapp.documents.model import HistoryLine

    lines = []
    for h in view.history:
        if h.kind == "reversal" or h.on > view.as_of:
            continue
        lines.append(HistoryLine(  # a write-off's amount: what it took off-balance
            on=h.on, kind=h.kind, reference=h.reference,
            amount=h.principal + h.interest if h.kind == "write_off" else h.amount,
            principal=h.amount if h.kind == "disbursement" else h.principal, interest=h.interest,
            overdue_interest=h.overdue_interest, late_interest=h.late_interest, reversed=h.reversed_by is not None,
            note="Đã hủy" if h.reversed_by is not None else ("Tất toán" if h.settled else _officer_note(h.note))))
    return tuple(lines)


def _officer_note(note: str) -> str:
    """The officer's own note; the import's "Nhập từ …" mark is bookkeeping, not a description."""
    return "" if note.startswith("Nhập từ ") else note


def loan_document(ctx: Context, loan_no: str, as_of: date, kind: str = "", settings: FundSettings | None = None):
    """The LoanDocument of ``loan_no`` at the end of ``as_of`` — the engine's figures for that date — without a
    number (a number is given only when the document is issued: ``issue_document``)."""
    from fundapp.documents.model import LoanDocument

    from .event_documents import event_lines

    settings = settings or load_settings(ctx)
    view = loan_view(ctx, loan_no, as_of)
    return LoanDocument(
        fund=fund_info(settings), borrower=_borrower_info(ctx, view.borrower_id), loan_no=view.loan_no,
        contract_date=view.contract_date, purpose=view.purpose, terms=view.terms, as_of=view.as_of,
        balances=view.balances, schedule=view.schedule, history=_history(view), quote=view.quote,
        number="", disbursed=view.disbursed, life_events=event_lines(ctx, view))


@dataclass(frozen=True)
class _Draft:
    """A document ready to print but for its number: ``render(label)`` gives the PDF."""

    subject: str
    on: date
    loan_no: str | None
    render: Callable[[str], bytes]


def _tranche(ctx: Context, loan_no: str, entry_id: int | None = None, reference: str | None = None):
    view = loan_view(ctx, loan_no)
    tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
    tranche = next((h for h in tranches if h.id == entry_id or (reference and h.reference == reference)), None)
    if tranche is None:
        if reference:
            raise NotFound(f"Khoản vay {loan_no} không có lần giải ngân nào số chứng từ «{reference}»",
                           f"{loan_no}: no disbursement {reference}")
        raise NotFound("Không có lần giải ngân này (hoặc đã bị hủy)", f"no disbursement entry {entry_id}")
    return tranches, tranche


def _draft(ctx: Context, kind: str, loan_no: str, on: date | None, *, month: tuple[int, int] | None = None,
           entry_id: int | None = None, reference: str | None = None) -> _Draft:
    """What ``kind`` of document for ``loan_no`` dated ``on`` prints (see ``issue_document``)."""
    today = ctx.today()
    if kind in ("statement", "schedule", "reconciliation"):
        from fundapp.documents.reconciliation import reconciliation_pdf
        from fundapp.documents.schedule import schedule_pdf
        from fundapp.documents.statement import statement_pdf

        render = {"statement": statement_pdf, "schedule": schedule_pdf, "reconciliation": reconciliation_pdf}[kind]
        doc = loan_document(ctx, loan_no, on or today)
        return _Draft(doc.loan_no, doc.as_of, doc.loan_no, lambda label: render(dataclasses.replace(doc, number=label)))
    if kind == "receipt":
        from fundapp.documents.receipt import receipt_pdf

        tranches, tranche = _tranche(ctx, loan_no, entry_id, reference)
        doc = loan_document(ctx, loan_no, tranche.on)
        line = next(h for h in doc.history if h.on == tranche.on and h.reference == tranche.reference)
        disbursed = sum(h.amount for h in tranches if (h.on, h.id) <= (tranche.on, tranche.id))
        doc = dataclasses.replace(doc, disbursed=disbursed)
        no = tranches.index(tranche) + 1
        return _Draft(f"{loan_no} {tranche.reference}", tranche.on, loan_no,
                      lambda label: receipt_pdf(dataclasses.replace(doc, number=label), line, no))
    if kind == "notice":
        from fundapp.documents.notices import notice_pdf

        on = on or today
        year, m = month or (on.year, on.month)
        with ctx.db.unit() as s:
            record = store.loan_by_no(s, loan_no)
            if record is None:
                raise NotFound(f"Không có khoản vay số «{loan_no}»", f"no loan {loan_no}")
            code = store.borrower(s, record.borrower_id).code
        notice = next((n for n in due_notices(ctx, year, m, on=on, borrower_code=code)), None)
        if notice is None:
            raise UserFacingError(f"Khoản vay {loan_no} không có kỳ nào đến hạn trong tháng {m:02d}/{year} "
                                  f"và không có nợ đến hạn chưa trả ngày {on:%d/%m/%Y}",
                                  f"{loan_no}: nothing due in {year}-{m:02d} nor unpaid on {on}")
        return _Draft(_notice_subject(code, year, m), on, loan_no,
                      lambda label: notice_pdf(dataclasses.replace(notice, number=label)))
    from .event_documents import EVENT_DOCUMENTS, event_draft

    if kind in EVENT_DOCUMENTS:  # restructuring, relief and write-off documents: dated the event's day
        return _Draft(*event_draft(ctx, kind, loan_no, entry_id, reference))
    raise UserFacingError(f"Không có loại tài liệu «{kind}»", f"unknown document kind {kind}")


def preview_document(ctx: Context, kind: str, loan_no: str, on: date | None = None, **options) -> bytes:
    """The PDF of a loan document for the screen: the engine's figures for ``on``, "Số: ……" instead of a
    number, nothing written to the book (issue 10.3: a preview uses up no number).

    ``kind``: "statement" / "reconciliation" (as of the end of ``on``), "schedule" (as it stands on ``on``),
    "notice" (dated ``on``; ``month=(year, month)``, default ``on``'s month), "receipt" (``entry_id=`` or
    ``reference=`` of the tranche; dated the tranche's day). ``on`` defaults to the book's today.
    Raises NotFound / UserFacingError.
    """
    return _draft(ctx, kind, loan_no, on, **options).render("")


def issue_document(ctx: Context, kind: str, loan_no: str, on: date | None = None, **options) -> IssuedDocument:
    """Issue a loan document (the officer saves or prints it): the same PDF as ``preview_document`` with the
    document's number, and its register row (number, kind, loan, date, who, when).

    A document issued before (same kind, subject — the loan, the tranche, the borrower and month — and date)
    keeps its number (``register.reprint`` is True). Raises ValidationError for a date after today.
    """
    draft = _draft(ctx, kind, loan_no, on, **options)
    row = take_numbers(ctx, kind, [(draft.subject, draft.on, draft.loan_no)])[0]
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


def _write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_document(ctx: Context, kind: str, loan_no: str, path: Path, on: date | None = None,
                   **options) -> IssuedDocument:
    """Issue a loan document and write it to ``path`` (the command line's way of issuing)."""
    issued = issue_document(ctx, kind, loan_no, on, **options)
    _write(path, issued.pdf)
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


def due_notices(ctx: Context, year: int, month: int, progress: Callable[[int, int], None] | None = None,
                on: date | None = None, borrower_code: str | None = None):
    """The notices of debt due of a month, dated ``on`` (default today), one per borrower (sorted by code) that
    has an installment of the month unpaid or debt due and unpaid on ``on``; without numbers.

    Each loan is replayed with its entries up to ``on`` and quoted on ``on`` (DOMAIN.md "Quote"): an installment
    due by ``on`` shows its actual interest, later ones the engine's projection; a loan with debt due and unpaid
    gets an ArrearsLine with the quote's principal and interest due, overdue and late-payment interest payable
    on ``on`` and their sum (issue 10.2).
    """
    from fundapp.documents.layout import name_in_sentence
    from fundapp.documents.model import ArrearsLine, DueItem, due_notice

    settings = load_settings(ctx)
    fund = fund_info(settings)
    issued = on or ctx.today()
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1)
    found: dict[str, tuple[list, list]] = {}
    book = load_book(ctx.db)
    for n, loan in enumerate(book):
        if progress and n % 200 == 0:
            progress(n, len(book) * 2)
        if borrower_code is not None and loan.input.borrower_code != borrower_code:
            continue
        state = replay_until(loan.input.terms, loan.input.transactions, issued, settings.watch_days)
        if state.anchor is None or state.closed_on is not None or state.anchor > issued:
            continue
        quote = state.quote(issued)  # fixes every installment due by ``issued``: their interest is actual
        balances = state.balances(issued)
        items, arrears = found.setdefault(loan.input.borrower_code, ([], []))
        for inst in state.schedule():
            if first <= inst.due_on < last and inst.unpaid > 0:
                items.append(DueItem(loan.input.loan_no, inst.as_unpaid(), loan.contract_date, state.outstanding))
        if quote.due_now > 0:
            arrears.append(ArrearsLine(loan.input.loan_no, quote.principal_due, quote.interest_due,
                                       quote.overdue_interest, quote.late_interest, quote.due_now,
                                       balances.days_past_due, quote.interest_payable_after_term))
    notices = []
    for code, (items, arrears) in sorted(found.items()):
        if not items and not arrears:
            continue
        with ctx.db.unit() as s:
            borrower_id = store.borrower_by_code(s, code).id
        notices.append(due_notice(fund, _borrower_info(ctx, borrower_id), year, month, issued, items, number="",
                                  pay_to=name_in_sentence(settings.fund_name), arrears=arrears))
    return notices


def write_notices(ctx: Context, year: int, month: int, path: Path, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """All notices of a month dated today, issued (each takes its number) and written as one PDF; returns how many.

    The numbers are taken after the PDF is laid out, in one transaction, so a cancelled batch uses up none.
    """
    from fundapp.documents import notices as render

    notices = due_notices(ctx, year, month, progress)
    if not notices:
        raise UserFacingError(f"Không có khoản nào đến hạn trong tháng {month:02d}/{year}",
                              f"nothing falls due in {year}-{month:02d}")

    def step(done: int, total: int) -> None:
        if progress:
            progress(len(notices) + done, len(notices) + total)

    try:
        render.notices_pdf(notices, cancelled=cancelled)  # a cancel before the numbers are taken
    except render.Cancelled:
        raise UserCancelled from None
    rows = take_numbers(ctx, "notice", [(_notice_subject(n.borrower.code, year, month), n.issued_on,
                                         n.items[0].loan_no if n.items else n.arrears[0].loan_no) for n in notices])
    numbered = [dataclasses.replace(n, number=r.label) for n, r in zip(notices, rows, strict=True)]
    _write(path, render.notices_pdf(numbered, progress=step))
    return len(notices)


# -- reports ---------------------------------------------------------------------------------
def _borrowers(book: list[BookLoan]):
    from fundapp.documents.model import BorrowerInfo

    return {b.input.borrower_code: BorrowerInfo(code=b.input.borrower_code, name=b.borrower_name,
                                                kind=b.input.borrower_kind, representative=b.representative,
                                                phone=b.phone, address=b.address, ward=b.input.ward,
                                                district=b.input.district) for b in book}


def _report_number(ctx: Context, kind: str, subject: str, number: bool) -> str:
    """The issued report's number (taken now, or kept from an earlier issue the same day), or "" for a preview."""
    if not number:
        return ""
    return take_numbers(ctx, kind, [(subject, ctx.today(), None)])[0].label


def quarterly_data(ctx: Context, year: int, quarter: int, number: bool = False):
    """The quarterly report's input value (quarter, same quarter a year before, year to date, chart); with
    ``number`` the report is issued (it takes the next BC number), else it is a preview ("Số: ……")."""
    from fundapp.documents.reports_model import build_quarterly_data

    if quarter not in (1, 2, 3, 4):
        raise UserFacingError("Quý phải từ 1 đến 4", "quarter is 1..4")
    from dataclasses import replace

    from .closing import stored_quarterly

    settings = load_settings(ctx)
    book = load_book(ctx.db)
    data = build_quarterly_data(
        fund_info(settings), [b.input for b in book], year, quarter,
        borrower_names={b.input.borrower_code: b.borrower_name for b in book},
        provision_rates=settings.provision_map(), signed_on=ctx.today(),
        number=_report_number(ctx, "quarterly", f"{year}-Q{quarter}", number), convention=settings.period_convention,
        until=ctx.today())
    closed = stored_quarterly(ctx, year, quarter)  # a closed quarter prints "Đã khóa sổ" (issue 14)
    return replace(data, closed_through=closed.through, closed_anchor=closed.anchor) if closed is not None else data


def quarterly_pdf(ctx: Context, year: int, quarter: int, issue: bool = False) -> bytes:
    """The quarterly report as PDF bytes: a preview ("Số: ……"), or with ``issue`` the issued report with its BC
    number (kept when the same report was issued earlier the same day)."""
    from fundapp.documents.reports_pdf import render_quarterly_pdf

    return render_quarterly_pdf(quarterly_data(ctx, year, quarter, number=issue))


def _write_report(data, xlsx: Path | None, pdf: Path | None, xlsx_renderer: str, pdf_renderer: str) -> list[Path]:
    """Render one report's data as .xlsx and/or PDF (renderers named, so reportlab loads only when asked)."""
    written = []
    if xlsx:
        from fundapp.documents import reports_xlsx

        Path(xlsx).parent.mkdir(parents=True, exist_ok=True)
        getattr(reports_xlsx, xlsx_renderer)(data, str(xlsx))
        written.append(Path(xlsx))
    if pdf:
        from fundapp.documents import reports_pdf

        written.append(_write(pdf, getattr(reports_pdf, pdf_renderer)(data)))
    return written


def write_quarterly(ctx: Context, year: int, quarter: int, xlsx: Path | None = None,
                    pdf: Path | None = None) -> list[Path]:
    """The quarterly disbursement report as .xlsx and/or PDF, from one computation."""
    return _write_report(quarterly_data(ctx, year, quarter, number=True), xlsx, pdf, "render_quarterly_xlsx",
                         "render_quarterly_pdf")


def portfolio_data(ctx: Context, as_of: date, number: bool = False):
    """The portfolio report's input value as of a date; with ``number`` issued (next BC number), else a preview."""
    from fundapp.documents.reports_model import build_portfolio_data

    settings = load_settings(ctx)
    book = load_book(ctx.db)
    return build_portfolio_data(fund_info(settings), [b.input for b in book], as_of, borrowers=_borrowers(book),
                                provision_rates=settings.provision_map(), signed_on=ctx.today(),
                                number=_report_number(ctx, "portfolio", f"{as_of.isoformat()}", number))


def write_portfolio(ctx: Context, as_of: date, xlsx: Path | None = None, pdf: Path | None = None) -> list[Path]:
    """The portfolio as of a date (balances, aging, collection list) as .xlsx and/or PDF."""
    return _write_report(portfolio_data(ctx, as_of, number=True), xlsx, pdf, "render_portfolio_xlsx", "render_portfolio_pdf")


PERIOD_RECIPIENTS = ("UBND tỉnh", "Liên minh Hợp tác xã tỉnh", "Sở Tài chính")


def period_report_data(ctx: Context, year: int, half: int | None = None, number: bool = False):
    """The six-month (half 1) or annual (half 2, or None) lending report's input value; with ``number`` issued
    (next BC number), else a preview."""
    from fundapp.documents.summary_report import SummaryReportData, groups_from, lines_from

    from .reports import annual_summary, half_year_summary

    settings = load_settings(ctx)
    figures = half_year_summary(ctx, year, half) if half else annual_summary(ctx, year)
    title = (f"BÁO CÁO TÌNH HÌNH CHO VAY 6 THÁNG ĐẦU NĂM {year}" if half == 1
             else f"BÁO CÁO TÌNH HÌNH CHO VAY NĂM {year}")
    return SummaryReportData(
        fund=fund_info(settings), title=title, start=date.fromisoformat(figures["start"]),
        end=date.fromisoformat(figures["end"]), lines=lines_from(figures, settings.provision_rates.split(",")),
        groups=groups_from(figures, settings.provision_rates.split(",")),
        recipients=PERIOD_RECIPIENTS, number=_report_number(ctx, "period", f"{year}-H{half or 2}", number),
        signed_on=ctx.today())


def write_period_report(ctx: Context, year: int, half: int | None = None, xlsx: Path | None = None,
                        pdf: Path | None = None) -> list[Path]:
    """The six-month or annual lending report (Decree 45 Art. 44) as .xlsx and/or PDF."""
    from fundapp.documents.summary_report import render_summary_pdf, render_summary_xlsx

    data = period_report_data(ctx, year, half, number=True)
    written = []
    if xlsx:
        Path(xlsx).parent.mkdir(parents=True, exist_ok=True)
        render_summary_xlsx(data, str(xlsx))
        written.append(Path(xlsx))
    if pdf:
        written.append(_write(pdf, render_summary_pdf(data)))
    return written
