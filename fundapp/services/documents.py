"""Printed documents and report files: fill the documents' input values from the book, render, write.

reportlab and XlsxWriter are imported here only when a document is made (start-up stays fast).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fundapp.ledger import store

from .errors import NotFound, UserCancelled, UserFacingError
from .loans import LoanView, loan_view
from .portfolio import BookLoan, Context, load_book, replay_until
from .settings import FundSettings, load_settings

DOC_KINDS = {"statement": "SK", "schedule": "LTN", "notice": "TB", "receipt": "GNN", "reconciliation": "BB",
             "quarterly": "BC", "portfolio": "BC"}


def fund_info(settings: FundSettings):
    from fundapp.documents.model import FundInfo

    return FundInfo(parent_body=settings.parent_body, name=settings.fund_name, abbreviation=settings.abbreviation,
                    place=settings.place, address=settings.address, phone=settings.phone, director=settings.director,
                    deputy_director=settings.deputy_director, chief_accountant=settings.chief_accountant,
                    preparer=settings.preparer, deputy_signs=settings.deputy_signs)


def document_number(ctx: Context, kind: str, on: date, settings: FundSettings) -> str:
    """"05/TB-QHT": the next number of the year for this kind of document (leading zero under 10)."""
    code = DOC_KINDS[kind]
    with ctx.db.unit() as s:
        n = store.next_document_number(s, on.year, code)
    return f"{n:02d}/{code}-{settings.abbreviation}"


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
        lines.append(HistoryLine(
            on=h.on, kind=h.kind, reference=h.reference, amount=h.amount,
            principal=h.amount if h.kind == "disbursement" else h.principal, interest=h.interest,
            overdue_interest=h.overdue_interest, late_interest=h.late_interest, reversed=h.reversed_by is not None,
            note="Đã hủy" if h.reversed_by is not None else ("Tất toán" if h.settled else _officer_note(h.note))))
    return tuple(lines)


def _officer_note(note: str) -> str:
    """The officer's own note; the import's "Nhập từ …" mark is bookkeeping, not a description."""
    return "" if note.startswith("Nhập từ ") else note


def loan_document(ctx: Context, loan_no: str, as_of: date, kind: str, settings: FundSettings | None = None):
    """The LoanDocument of ``loan_no`` at the end of ``as_of``, numbered for ``kind``."""
    from fundapp.documents.model import LoanDocument

    settings = settings or load_settings(ctx)
    view = loan_view(ctx, loan_no, as_of)
    return LoanDocument(
        fund=fund_info(settings), borrower=_borrower_info(ctx, view.borrower_id), loan_no=view.loan_no,
        contract_date=view.contract_date, purpose=view.purpose, terms=view.terms, as_of=view.as_of,
        balances=view.balances, schedule=view.schedule, history=_history(view), quote=view.quote,
        number=document_number(ctx, kind, ctx.today(), settings), disbursed=view.disbursed)


def statement_pdf(ctx: Context, loan_no: str, as_of: date) -> bytes:
    """The loan statement (sao kê khoản vay) as of a date."""
    from fundapp.documents.statement import statement_pdf as render

    return render(loan_document(ctx, loan_no, as_of, "statement"))


def schedule_pdf(ctx: Context, loan_no: str) -> bytes:
    """The repayment schedule (lịch trả nợ) as it stands today."""
    from fundapp.documents.schedule import schedule_pdf as render

    return render(loan_document(ctx, loan_no, ctx.today(), "schedule"))


def reconciliation_pdf(ctx: Context, loan_no: str, as_of: date) -> bytes:
    """Debt reconciliation minutes (biên bản đối chiếu công nợ) as of a date."""
    from fundapp.documents.reconciliation import reconciliation_pdf as render

    return render(loan_document(ctx, loan_no, as_of, "reconciliation"))


def receipt_pdf(ctx: Context, loan_no: str, entry_id: int) -> bytes:
    """The disbursement receipt (giấy nhận nợ) of one tranche."""
    from fundapp.documents.receipt import receipt_pdf as render

    view = loan_view(ctx, loan_no)
    tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
    tranche = next((h for h in tranches if h.id == entry_id), None)
    if tranche is None:
        raise NotFound("Không có lần giải ngân này (hoặc đã bị hủy)", f"no disbursement entry {entry_id}")
    doc = loan_document(ctx, loan_no, tranche.on, "receipt")
    line = next(h for h in doc.history if h.on == tranche.on and h.reference == tranche.reference)
    disbursed = sum(h.amount for h in tranches if (h.on, h.id) <= (tranche.on, tranche.id))
    return render(dataclasses.replace(doc, disbursed=disbursed), line, tranches.index(tranche) + 1)


def _write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_receipt(ctx: Context, loan_no: str, reference: str, path: Path) -> Path:
    """The disbursement receipt of the tranche with this reference."""
    view = loan_view(ctx, loan_no)
    entry = next((h for h in view.history if h.kind == "disbursement" and h.reference == reference), None)
    if entry is None:
        raise NotFound(f"Khoản vay {loan_no} không có lần giải ngân nào số chứng từ «{reference}»",
                       f"{loan_no}: no disbursement {reference}")
    return _write(path, receipt_pdf(ctx, loan_no, entry.id))


def write_statement(ctx: Context, loan_no: str, as_of: date, path: Path) -> Path:
    return _write(path, statement_pdf(ctx, loan_no, as_of))


def write_schedule(ctx: Context, loan_no: str, path: Path) -> Path:
    return _write(path, schedule_pdf(ctx, loan_no))


# -- notices of debt due ---------------------------------------------------------------------
def due_notices(ctx: Context, year: int, month: int, progress: Callable[[int, int], None] | None = None):
    """One DueNotice per borrower with installments falling due in the month (unpaid parts)."""
    from fundapp.documents.model import DueItem, due_notice

    settings = load_settings(ctx)
    fund = fund_info(settings)
    issued = ctx.today()
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1)
    by_borrower: dict[str, list] = {}
    book = load_book(ctx.db)
    for n, loan in enumerate(book):
        if progress and n % 200 == 0:
            progress(n, len(book) * 2)
        state = replay_until(loan.input.terms, loan.input.transactions, min(issued, last))
        if state.anchor is None or state.closed_on is not None:
            continue
        for inst in state.schedule():
            if first <= inst.due_on < last and inst.unpaid > 0:
                item = DueItem(loan.input.loan_no, inst.as_unpaid(), loan.contract_date, state.outstanding)
                by_borrower.setdefault(loan.input.borrower_code, []).append(item)
    notices = []
    for code, items in sorted(by_borrower.items()):
        with ctx.db.unit() as s:
            borrower_id = store.borrower_by_code(s, code).id
        notices.append(due_notice(fund, _borrower_info(ctx, borrower_id), year, month, issued,
                                  items, number=document_number(ctx, "notice", issued, settings),
                                  pay_to=settings.fund_name.title() if settings.fund_name else ""))
    return notices


def write_notices(ctx: Context, year: int, month: int, path: Path, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """All notices of debt due in a month as one PDF; returns how many."""
    from fundapp.documents import notices as render

    notices = due_notices(ctx, year, month, progress)
    if not notices:
        raise UserFacingError(f"Không có khoản nào đến hạn trong tháng {month:02d}/{year}",
                              f"nothing falls due in {year}-{month:02d}")

    def step(done: int, total: int) -> None:
        if progress:
            progress(len(notices) + done, len(notices) + total)

    try:
        data = render.notices_pdf(notices, progress=step, cancelled=cancelled)
    except render.Cancelled:
        raise UserCancelled from None
    _write(path, data)
    return len(notices)


def notice_pdf(ctx: Context, loan_no: str, year: int, month: int) -> bytes:
    """The notice of debt due for the borrower of ``loan_no`` for a month."""
    from fundapp.documents.notices import notice_pdf as render

    with ctx.db.unit() as s:
        record = store.loan_by_no(s, loan_no)
        if record is None:
            raise NotFound(f"Không có khoản vay số «{loan_no}»", f"no loan {loan_no}")
        code = store.borrower(s, record.borrower_id).code
    notice = next((n for n in due_notices(ctx, year, month) if n.borrower.code == code), None)
    if notice is None:
        raise UserFacingError(f"Khoản vay {loan_no} không có kỳ nào đến hạn trong tháng {month:02d}/{year}",
                              f"{loan_no}: nothing due in {year}-{month:02d}")
    return render(notice)


# -- reports ---------------------------------------------------------------------------------
def _borrowers(book: list[BookLoan]):
    from fundapp.documents.model import BorrowerInfo

    return {b.input.borrower_code: BorrowerInfo(code=b.input.borrower_code, name=b.borrower_name,
                                                kind=b.input.borrower_kind, representative=b.representative,
                                                phone=b.phone, address=b.address, ward=b.input.ward,
                                                district=b.input.district) for b in book}


def quarterly_data(ctx: Context, year: int, quarter: int):
    """The quarterly report's input value (quarter, same quarter a year before, year to date, chart)."""
    from fundapp.documents.reports_model import build_quarterly_data

    if quarter not in (1, 2, 3, 4):
        raise UserFacingError("Quý phải từ 1 đến 4", "quarter is 1..4")
    settings = load_settings(ctx)
    book = load_book(ctx.db)
    return build_quarterly_data(
        fund_info(settings), [b.input for b in book], year, quarter,
        borrower_names={b.input.borrower_code: b.borrower_name for b in book},
        provision_rates=settings.provision_map(), signed_on=ctx.today(),
        number=document_number(ctx, "quarterly", ctx.today(), settings), convention=settings.period_convention)


def quarterly_pdf(ctx: Context, year: int, quarter: int) -> bytes:
    from fundapp.documents.reports_pdf import render_quarterly_pdf

    return render_quarterly_pdf(quarterly_data(ctx, year, quarter))


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
    return _write_report(quarterly_data(ctx, year, quarter), xlsx, pdf, "render_quarterly_xlsx",
                         "render_quarterly_pdf")


def portfolio_data(ctx: Context, as_of: date):
    from fundapp.documents.reports_model import build_portfolio_data

    settings = load_settings(ctx)
    book = load_book(ctx.db)
    return build_portfolio_data(fund_info(settings), [b.input for b in book], as_of, borrowers=_borrowers(book),
                                provision_rates=settings.provision_map(), signed_on=ctx.today(),
                                number=document_number(ctx, "portfolio", ctx.today(), settings))


def write_portfolio(ctx: Context, as_of: date, xlsx: Path | None = None, pdf: Path | None = None) -> list[Path]:
    """The portfolio as of a date (balances, aging, collection list) as .xlsx and/or PDF."""
    return _write_report(portfolio_data(ctx, as_of), xlsx, pdf, "render_portfolio_xlsx", "render_portfolio_pdf")


PERIOD_RECIPIENTS = ("UBND tỉnh", "Liên minh Hợp tác xã tỉnh", "Sở Tài chính")


def period_report_data(ctx: Context, year: int, half: int | None = None):
    """The six-month (half 1) or annual (half 2, or None) lending report's input value."""
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
        recipients=PERIOD_RECIPIENTS, number=document_number(ctx, "quarterly", ctx.today(), settings),
        signed_on=ctx.today())


def write_period_report(ctx: Context, year: int, half: int | None = None, xlsx: Path | None = None,
                        pdf: Path | None = None) -> list[Path]:
    """The six-month or annual lending report (Decree 45 Art. 44) as .xlsx and/or PDF."""
    from fundapp.documents.summary_report import render_summary_pdf, render_summary_xlsx

    data = period_report_data(ctx, year, half)
    written = []
    if xlsx:
        Path(xlsx).parent.mkdir(parents=True, exist_ok=True)
        render_summary_xlsx(data, str(xlsx))
        written.append(Path(xlsx))
    if pdf:
        written.append(_write(pdf, render_summary_pdf(data)))
    return written
