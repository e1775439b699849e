"""The fund's report files: the quarterly disbursement report, the portfolio as of a date and the six-month or
annual lending report (Decree 45 Art. 44), each built once from the book and rendered as .xlsx and/or PDF;
issued reports take the next BC number of the register. reportlab and XlsxWriter load only when a file is made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from fundapp.domain.messages import N_

from .book_loader import BookLoan, collector_paused
from .context import Context
from .document_register import fund_info, paper_digest, refuse_missing_folder, replacing, take_numbers
from .errors import UserCancelled, UserFacingError
from .settings import load_settings

log = logging.getLogger("fundapp.reports")

if TYPE_CHECKING:  # the types only: reportlab and XlsxWriter load only when a file is made
    from fundapp.documents.model import FundInfo
    from fundapp.documents.quarterly_model import QuarterlyReportData
    from fundapp.domain.figures import Figures
    from fundapp.domain.reporting import PeriodReport

    from .reports import QuarterReports


def _borrowers(book: list[BookLoan]):
    from fundapp.domain.borrowers import BorrowerInfo

    return {b.input.borrower_code: BorrowerInfo(code=b.input.borrower_code, name=b.borrower_name,
                                                kind=b.input.borrower_kind, representative=b.representative,
                                                phone=b.phone, address=b.address, ward=b.input.ward,
                                                district=b.input.district) for b in book}


Progress = Callable[[int, int], None] | None  # told (done, total) as the loans are read, then as rows are written
Cancelled = Callable[[], bool] | None  # true once the officer asked to stop: UserCancelled, nothing written


def _numbered(ctx: Context, kind: str, subject: str, data, number: bool, cancelled: Cancelled = None):
    """The report's input value ``data`` (a dataclass with ``number`` blank) with its issued number — taken now, or
    kept from an earlier issue the same day when that stated the same (``paper_digest`` of ``data``) — or ``data``
    as it is for a preview. Raises UserCancelled before taking one once ``cancelled()`` is true."""
    _stop_if(cancelled)
    if not number:
        return data
    label = take_numbers(ctx, kind, [(subject, ctx.today(), None, paper_digest(kind, data))])[0].label
    return replace(data, number=label)


def _stop_if(cancelled: Cancelled) -> None:
    """Raise UserCancelled when ``cancelled`` (the job's question) says the officer asked to stop."""
    if cancelled is not None and cancelled():
        raise UserCancelled


def versus_year_before(current: Figures, year_before: Figures) -> dict[str, Decimal]:
    """The quarterly summary's «So với cùng kỳ (%)»: each line's figure of the quarter (``current``) as a percentage
    of the same quarter a year before (``figures.ratio``: two decimals, half up), by the line's key
    (``report_labels.SUMMARY_ROWS``); the percentage lines and the lines whose figure a year before is 0 have
    none."""
    from fundapp.documents.report_labels import SUMMARY_ROWS
    from fundapp.domain.figures import ratio

    return {row.key: ratio(row.read(current), row.read(year_before)) for row in SUMMARY_ROWS
            if row.kind != "percent" and row.read(year_before)}


def quarterly_data_of(
    fund: FundInfo,
    year: int,
    quarter: int,
    current: PeriodReport,
    year_before: PeriodReport,
    year_to_date: PeriodReport,
    *,
    chart: Sequence[tuple[str, int]] = (),
    unfinished_until: date | None = None,
    borrower_names: Mapping[str, str] | None = None,
    provision_rates: Mapping[int, Decimal] | None = None,
    signed_on: date | None = None,
    number: str = "",
) -> QuarterlyReportData:
    """The quarterly report's value from the domain's figures (the three ``PeriodReport``s and the chart's (label,
    đồng) pairs, as ``reports.quarter_reports`` reads them from the book): the fund, the borrowers' names and the
    provision rates (debt group → %; Decree 86's ``DEFAULT_PROVISION_RATES`` when None) joined to them, with the
    figures the paper derives from them made here by the domain: each debt group's specific provision at those
    rates and their total (``Figures.provisions_with_total``) and the «so với cùng kỳ» percentages
    (``versus_year_before``). The renderers lay the value out and compute nothing."""
    from fundapp.documents.quarterly_model import QuarterlyReportData
    from fundapp.domain.figures import DEFAULT_PROVISION_RATES

    rates = dict(provision_rates or DEFAULT_PROVISION_RATES)
    provisions, provision_total = current.total.provisions_with_total(rates)
    return QuarterlyReportData(
        fund=fund,
        year=year,
        quarter=quarter,
        current=current,
        year_before=year_before,
        year_to_date=year_to_date,
        provision_rates=rates,
        provisions=provisions,
        provision_total=provision_total,
        versus=versus_year_before(current.total, year_before.total),
        borrower_names=dict(borrower_names or {}),
        disbursement_by_quarter=tuple(chart),
        signed_on=signed_on,
        number=number,
        unfinished_until=unfinished_until,
    )


def quarterly_data(ctx: Context, year: int, quarter: int, number: bool = False, progress: Progress = None,
                   cancelled: Cancelled = None, on_loan: Callable | None = None,
                   figures: QuarterReports | None = None):
    """The quarterly report's input value (quarter, same quarter a year before, year to date, chart); with
    ``number`` the report is issued (it takes the next BC number), else it is a preview ("Số: ……"). ``progress``
    and ``cancelled`` as ``reports.quarter_reports`` (UserCancelled, no number taken), and ``on_loan`` (told of each
    loan's periods as they are made: ``write_quarterly``'s worker). ``figures``: that quarter's
    ``reports.QuarterReports`` read earlier (the Báo cáo page's, on screen), taken instead of reading them again when
    they are still the book's (``reports.still_current``; issue 17: the 100,000-loan book's .xlsx read them twice)."""
    if quarter not in (1, 2, 3, 4):
        raise UserFacingError(N_("Quý phải từ 1 đến 4"))
    from .closing import stored_quarterly
    from .reports import quarter_reports, still_current

    settings = load_settings(ctx)
    if figures is not None and (figures.year, figures.quarter) == (year, quarter) and still_current(ctx, figures):
        r = figures
        if on_loan is not None:  # the worker's loan list, as the read would have told it (progress and a stop too)
            total = len(r.book)
            for i, loan in enumerate(r.book):
                if i % 2000 == 0:
                    _stop_if(cancelled)
                    if progress is not None:
                        progress(i, total)
                on_loan(loan, [r.current.loans[i], r.year_before.loans[i], r.year_to_date.loans[i]])
            if progress is not None:
                progress(total, total)
    else:
        r = quarter_reports(ctx, year, quarter, progress, cancelled, on_loan)  # the one path of the quarterly figures
    data = quarterly_data_of(
        fund_info(settings), year, quarter, r.current, r.year_before, r.year_to_date,
        chart=r.disbursement_by_quarter, unfinished_until=r.unfinished_until,
        borrower_names={b.input.borrower_code: b.borrower_name for b in r.book},
        provision_rates=settings.provision_map(), signed_on=ctx.today(), number="")
    data = _numbered(ctx, "quarterly", f"{year}-Q{quarter}", data, number, cancelled)
    closed = stored_quarterly(ctx, year, quarter)  # a closed quarter prints "Đã khóa sổ" (issue 14)
    return replace(data, closed_through=closed.through, closed_anchor=closed.anchor) if closed is not None else data


def quarterly_pdf(ctx: Context, year: int, quarter: int, issue: bool = False, progress: Progress = None,
                  cancelled: Cancelled = None, figures: QuarterReports | None = None) -> bytes:
    """The quarterly report as PDF bytes: a preview ("Số: ……"), or with ``issue`` the issued report with its BC
    number (kept when the same report was issued earlier the same day). The garbage collector is paused meanwhile
    (``collector_paused``: the figures of every loan live until the file is made). ``progress``/``cancelled`` and
    ``figures`` as ``quarterly_data``; UserCancelled also once the PDF is laid out."""
    with collector_paused():
        pdf = _quarterly_pdf()(quarterly_data(ctx, year, quarter, issue, progress, cancelled, figures=figures))
    _stop_if(cancelled)
    return pdf


def _write_report(data, xlsx: Path | None, pdf: Path | None, xlsx_renderer: Callable[[], Callable],
                  pdf_renderer: Callable[[], Callable], cancelled: Cancelled = None) -> list[Path]:
    """Render one report's data as .xlsx (a file at ``xlsx``) and/or PDF (bytes saved at ``pdf``). Each renderer is
    given by a function that imports it, so XlsxWriter or reportlab loads only when its file is asked for. Each file
    is written beside its path and replaces it only once both are written (``replacing``): a cancel, an error or
    Ctrl-C leaves a file already at either path byte for byte. ``cancelled()`` is asked before each file, after the
    PDF's layout and by the .xlsx's steps (``_writing``): true, UserCancelled is raised."""
    from contextlib import ExitStack

    written: list[Path] = []
    with ExitStack() as files:
        if xlsx:
            _stop_if(cancelled)
            xlsx_renderer()(data, str(files.enter_context(replacing(xlsx))))
            written.append(Path(xlsx))
        if pdf:
            _stop_if(cancelled)
            laid_out = pdf_renderer()(data)
            _stop_if(cancelled)
            files.enter_context(replacing(pdf)).write_bytes(laid_out)
            written.append(Path(pdf))
    return written


def _writing(progress: Progress, cancelled: Cancelled) -> Progress:
    """A renderer's ``step(done, total)``: tells ``progress`` and raises UserCancelled once ``cancelled()`` is true,
    which stops the writing before its file is closed (``render_quarterly_xlsx``)."""
    if progress is None and cancelled is None:
        return None

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        _stop_if(cancelled)

    return step


def _quarterly_xlsx(step: Progress = None) -> Callable:
    from functools import partial

    from fundapp.documents.quarterly_xlsx import render_quarterly_xlsx

    return partial(render_quarterly_xlsx, step=step)


def _quarterly_pdf() -> Callable:
    from fundapp.documents.reports_pdf import render_quarterly_pdf

    return render_quarterly_pdf


def _portfolio_xlsx() -> Callable:
    from fundapp.documents.portfolio_xlsx import render_portfolio_xlsx

    return render_portfolio_xlsx


def _portfolio_pdf(step: Progress = None) -> Callable:
    from functools import partial

    from fundapp.documents.reports_pdf import render_portfolio_pdf

    return partial(render_portfolio_pdf, step=step)


def write_quarterly(ctx: Context, year: int, quarter: int, xlsx: Path | None = None,
                    pdf: Path | None = None, progress: Progress = None, cancelled: Cancelled = None,
                    figures: QuarterReports | None = None) -> list[Path]:
    """The quarterly disbursement report as .xlsx and/or PDF, from one computation. Raises ValidationError naming
    a missing folder before a number is taken. The garbage collector is paused from the figures to the written files
    (``collector_paused``): a full collection after the figures would walk every loan's (issue 17: ~1 s CPU of
    the 100,000-loan book's .xlsx). ``progress(done, total)`` is told as the loans are read, then as the .xlsx's
    loan list is written; ``cancelled()`` true raises UserCancelled with no file left (``_write_report``). On a large
    book the .xlsx is written by a worker process while the figures are made (``_loan_list_worker``: the same
    workbook; issue 17's ≤ 10 s on 100,000 loans). ``figures`` as ``quarterly_data``'s: the figures on screen."""
    refuse_missing_folder(xlsx, pdf)
    worker = _loan_list_worker(ctx, year, quarter, xlsx)
    try:
        with collector_paused():
            data = quarterly_data(ctx, year, quarter, True, progress, cancelled,
                                  on_loan=None if worker is None else worker.loan, figures=figures)
            step = _writing(progress, cancelled)

            def write_xlsx(value: QuarterlyReportData, path: str) -> None:
                if worker is not None:
                    from .report_worker import WorkerLost

                    try:
                        return worker.finish(value, path, step, cancelled)
                    except WorkerLost:
                        pass  # nothing written at the path: the workbook is written here
                return _quarterly_xlsx(step)(value, path)

            return _write_report(data, xlsx, pdf, lambda: write_xlsx, _quarterly_pdf, cancelled)
    finally:
        if worker is not None:
            worker.close()


def _loan_list_worker(ctx: Context, year: int, quarter: int, xlsx: Path | None):
    """The worker process writing the quarterly .xlsx at ``xlsx`` while the figures are made
    (``report_worker.LoanListWorker``, begun with the loan list's head from the quarter's days, its closing and the
    fund's name), or None: no .xlsx asked for, a book too small for it (``worker_wanted``), or one that cannot start
    (the workbook is then written in this process)."""
    if xlsx is None:
        return None
    from fundapp.documents.quarterly_model import quarter_note, quarter_title
    from fundapp.documents.quarterly_xlsx import LoanListHead, sheet_subtitle
    from fundapp.ledger.lending_store import loan_count

    from .closing import stored_quarterly
    from .report_worker import LoanListWorker, worker_wanted
    from .reports import quarter_frame

    with ctx.db.read() as s:
        loans = loan_count(s)
    if quarter not in (1, 2, 3, 4) or not worker_wanted(loans):
        return None
    periods, unfinished = quarter_frame(ctx, year, quarter)
    closed = stored_quarterly(ctx, year, quarter)
    note = quarter_note(unfinished, None if closed is None else closed.through, "" if closed is None else closed.anchor)
    head = LoanListHead(fund_info(load_settings(ctx)).name, quarter_title(year, quarter),
                        sheet_subtitle(periods[0][0], periods[0][1], note))
    try:
        return LoanListWorker(Path(xlsx), head)
    except (OSError, RuntimeError, ImportError, NotImplementedError) as err:  # no process can start (as the import's
        # workers: no working sem_open, a frozen program without multiprocessing): written here
        log.warning("quarterly .xlsx: no worker process (%r); written in this process", err)
        return None


def portfolio_data(ctx: Context, as_of: date, number: bool = False, progress: Progress = None,
                   cancelled: Cancelled = None):
    """The portfolio report's input value as of a date; with ``number`` issued (next BC number), else a preview.
    ``progress``/``cancelled`` as ``reports.portfolio_as_of`` (UserCancelled, no number taken)."""
    from fundapp.documents.portfolio_model import build_portfolio_data

    from .reports import portfolio_as_of

    settings = load_settings(ctx)
    figures, book = portfolio_as_of(ctx, as_of, progress, cancelled)  # from the replay checkpoints (issue 17)
    data = build_portfolio_data(fund_info(settings), figures, as_of, borrowers=_borrowers(book), signed_on=ctx.today(),
                                number="")
    return _numbered(ctx, "portfolio", f"{as_of.isoformat()}", data, number, cancelled)


def write_portfolio(ctx: Context, as_of: date, xlsx: Path | None = None, pdf: Path | None = None,
                    progress: Progress = None, cancelled: Cancelled = None) -> list[Path]:
    """The portfolio as of a date (balances, aging, collection list) as .xlsx and/or PDF. Raises ValidationError
    naming a missing folder before a number is taken. The garbage collector is paused meanwhile, as for the
    quarterly report. ``progress``/``cancelled`` as ``write_quarterly``'s: the loans read, then the PDF appendix's rows
    laid out a page at a time (``render_portfolio_pdf``'s step), the cancel stopping the layout."""
    refuse_missing_folder(xlsx, pdf)
    with collector_paused():
        return _write_report(portfolio_data(ctx, as_of, True, progress, cancelled), xlsx, pdf, _portfolio_xlsx,
                             lambda: _portfolio_pdf(_writing(progress, cancelled)), cancelled)


PERIOD_RECIPIENTS = ("UBND tỉnh", "Liên minh Hợp tác xã tỉnh", "Sở Tài chính")


def period_report_data(ctx: Context, year: int, half: int | None = None, number: bool = False,
                       progress: Progress = None, cancelled: Cancelled = None):
    """The six-month (half 1) or annual (half 2, or None) lending report's input value; with ``number`` issued
    (next BC number), else a preview. A period not yet ended is counted to the book's today and says so
    (``unfinished_until``: «Năm chưa kết thúc — số liệu đến hết ngày …»), as the quarterly does.
    ``progress``/``cancelled`` as ``reports.period_summary`` (UserCancelled, no number taken)."""
    from fundapp.documents.summary_report import SummaryReportData, groups_from, lines_from

    from .reports import annual_summary, half_year_summary

    settings = load_settings(ctx)
    figures = (half_year_summary(ctx, year, half, progress, cancelled) if half
               else annual_summary(ctx, year, progress, cancelled))
    end, last = date.fromisoformat(figures["end"]), date(year, 6, 30) if half == 1 else date(year, 12, 31)
    title = (f"BÁO CÁO TÌNH HÌNH CHO VAY 6 THÁNG ĐẦU NĂM {year}" if half == 1
             else f"BÁO CÁO TÌNH HÌNH CHO VAY NĂM {year}")
    data = SummaryReportData(
        fund=fund_info(settings), title=title, start=date.fromisoformat(figures["start"]), end=end,
        unfinished_until=end if end < last else None, period_name="6 tháng đầu năm" if half == 1 else "Năm",
        lines=lines_from(figures), groups=groups_from(figures, settings.provision_map()),
        recipients=PERIOD_RECIPIENTS, number="", signed_on=ctx.today())
    return _numbered(ctx, "period", f"{year}-H{half or 2}", data, number, cancelled)


def write_period_report(ctx: Context, year: int, half: int | None = None, xlsx: Path | None = None,
                        pdf: Path | None = None, progress: Progress = None, cancelled: Cancelled = None) -> list[Path]:
    """The six-month or annual lending report (Decree 45 Art. 44) as .xlsx and/or PDF. Raises ValidationError
    naming a missing folder before a number is taken. ``progress``/``cancelled`` as ``write_quarterly``'s."""
    from fundapp.documents.summary_report import render_summary_pdf, render_summary_xlsx

    refuse_missing_folder(xlsx, pdf)
    return _write_report(period_report_data(ctx, year, half, True, progress, cancelled), xlsx, pdf,
                         lambda: render_summary_xlsx, lambda: render_summary_pdf, cancelled)
