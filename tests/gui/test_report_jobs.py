"""The report files' jobs on the Báo cáo page can be stopped and leave nothing, and the quarterly preview's «Lưu
PDF…» issues the report off the GUI thread (issue 17: on a 100,000-loan book the figures alone take ~5 s; the
preview's issue ran on the GUI thread and froze the window, and «Hủy» on a save let the report be written)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fundapp.services.documents import document_register
from fundapp.ui.jobs import JobRunner
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files, reports_page

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def page(qtbot, sample_ctx, qsettings, boxes):
    widget = reports_page(qtbot, sample_ctx, qsettings, 2023, 4)
    widget.env.fund_named = True  # no job asks the book for the fund's name before a document
    return widget


@pytest.fixture
def cancelled_at_once(monkeypatch):
    """Every job started from now on is cancelled as it begins, as if the officer pressed «Hủy» at once."""
    run = JobRunner.run

    def cancelling(self, fn, *args, **kwargs):
        def job(control):
            control.cancel()
            return fn(control)

        return run(self, job, *args, **kwargs)

    monkeypatch.setattr(JobRunner, "run", cancelling)


WRITERS = {"xlsx_button": "write_quarterly", "pdf_button": "write_quarterly", "portfolio_button": "write_portfolio",
           "period_button": "write_period_report"}


@pytest.mark.parametrize("button", list(WRITERS))
def test_a_report_file_cancelled_is_not_written_and_takes_no_number(page, qtbot, boxes, tmp_path, monkeypatch,
                                                                    cancelled_at_once, button):
    import fundapp.services.documents as documents

    asked = []
    writer = getattr(documents, WRITERS[button])
    monkeypatch.setattr(documents, WRITERS[button], lambda *a, **k: asked.append(k) or writer(*a, **k))
    files = Files(monkeypatch)
    files.save = str(tmp_path / ("bao-cao.pdf" if button in ("pdf_button", "period_button") else "bao-cao.xlsx"))
    getattr(page, button).click()
    wait_jobs(qtbot, page.env)
    assert len(asked) == 1 and "cancelled" in asked[0]  # the job ran, and handed the service its cancel
    assert not (tmp_path / "bao-cao.pdf").exists() and not (tmp_path / "bao-cao.xlsx").exists()
    assert document_register(page.env.ctx) == []
    assert not any(kind == "information" for kind, *_ in boxes.shown), boxes.shown  # no «Đã lưu»


def test_the_previews_save_issues_the_quarterly_off_the_gui_thread(page, qtbot, tmp_path, monkeypatch):
    import fundapp.services.documents as documents
    from fundapp.ui import pdf_preview

    threads: list[bool] = []
    issue = documents.quarterly_pdf

    def watched(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return issue(*args, **kwargs)

    monkeypatch.setattr(documents, "quarterly_pdf", watched)
    monkeypatch.setattr(pdf_preview.PdfPreview, "open", lambda dialog: None)
    page.preview_quarterly()
    wait_jobs(qtbot, page.env)
    files = Files(monkeypatch)
    files.save = str(tmp_path / "quy4.pdf")
    page.preview.save()
    wait_jobs(qtbot, page.env)
    assert threads == [False, False]  # the preview, then the issue: both jobs of the runner
    assert (tmp_path / "quy4.pdf").read_bytes()[:5] == b"%PDF-"
    assert [r.kind for r in document_register(page.env.ctx)] == ["quarterly"]


@pytest.mark.parametrize("button", ["xlsx_button", "pdf_button"])
def test_a_report_file_that_cannot_be_written_is_said_in_words(page, qtbot, boxes, tmp_path, monkeypatch, button):
    """A report saved on a full disk (or over a file open in Excel): a warning naming the file and why, never «Đã
    xảy ra lỗi không mong muốn. Dữ liệu chưa được ghi …» — XlsxWriter's FileCreateError and the PDF's OSError were
    shown as defects."""
    import errno

    from xlsxwriter.workbook import Workbook

    target = tmp_path / ("bao-cao.pdf" if button == "pdf_button" else "bao-cao.xlsx")

    def full(*_args, **_kwargs):  # as zipfile and write_bytes raise it: a full disk names no file
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "_store_workbook", full)  # XlsxWriter's writing of the file at close
    write_bytes = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", lambda path, data: full() if path.parent == tmp_path else
                        write_bytes(path, data))
    files = Files(monkeypatch)
    files.save = str(target)
    getattr(page, button).click()
    wait_jobs(qtbot, page.env)
    said = [(kind, text) for kind, _title, text in boxes.shown if kind != "question"]
    assert any(kind == "Warning" and str(target) in text and "ổ đĩa đã đầy" in text for kind, text in said), said
    assert not any("không mong muốn" in text for _kind, text in said), said


@pytest.mark.parametrize("button", ["xlsx_button", "pdf_button", "preview_button"])
def test_a_paper_of_the_quarter_on_screen_is_made_from_its_figures(page, qtbot, tmp_path, monkeypatch, button):
    """«Lưu Excel…», «Lưu PDF…» and «Xem trước» read the quarter's figures a second time though they were on screen
    (issue 17: 11.9 s for the 100,000-loan book's .xlsx, half of it that read); the page hands them to the paper."""
    from fundapp.services import reports

    assert page.reports is not None and (page.reports.year, page.reports.quarter) == (2023, 4)
    reads = []
    real = reports.quarter_reports
    monkeypatch.setattr(reports, "quarter_reports", lambda *a, **k: reads.append(a[1:3]) or real(*a, **k))
    shown = []
    monkeypatch.setattr(type(page), "_preview", lambda self, pdf, name, issue=None: shown.append(pdf[:4]))
    files = Files(monkeypatch)
    files.save = str(tmp_path / ("bao-cao.xlsx" if button == "xlsx_button" else "bao-cao.pdf"))
    getattr(page, button).click()
    wait_jobs(qtbot, page.env)
    assert reads == []
    assert shown == [b"%PDF"] if button == "preview_button" else Path(files.save).stat().st_size > 0


def test_a_paper_of_figures_older_than_the_book_shows_the_new_figures_too(page, qtbot, tmp_path, monkeypatch):
    """Another officer posted after the figures were shown (nothing announced in this window): the paper reads the
    book again, and so does the screen, so that both say the same (a new officer's trial: the file had the new
    figures, the screen the old ones)."""
    from datetime import date

    from fundapp.domain.events import Kind
    from fundapp.services import posting, reports
    from fundapp.services.queries import list_loans

    before = page.reports
    reads = []
    real = reports.quarter_reports
    monkeypatch.setattr(reports, "quarter_reports", lambda *a, **k: reads.append(a[1:3]) or real(*a, **k))
    loan = next(r for r in list_loans(page.env.ctx) if r.principal_outstanding)
    posting.post_transaction(page.env.ctx, loan.id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000)
    files = Files(monkeypatch)
    files.save = str(tmp_path / "bao-cao.xlsx")
    page.xlsx_button.click()
    wait_jobs(qtbot, page.env)
    assert Path(files.save).exists()
    assert reads == [(2023, 4)]  # the paper's figures read again (the page's own read is its module's name)
    assert page.reports is not before and (page.reports.year, page.reports.quarter) == (2023, 4)


@pytest.mark.parametrize("button", ["xlsx_button", "preview_button"])
def test_a_posting_between_the_pages_look_and_the_papers_refreshes_the_screen(page, qtbot, tmp_path, monkeypatch,
                                                                              button):
    """Another officer posts after the page would have found its figures current and before the paper looks: the
    paper reads the book again, and the screen must too (a reviewer: the page looked first, so the screen stayed
    older than the file)."""
    from datetime import date

    from fundapp.domain.events import Kind
    from fundapp.services import posting, reports
    from fundapp.services.queries import list_loans

    before = page.reports
    loan = next(r for r in list_loans(page.env.ctx) if r.principal_outstanding)
    real = reports.still_current
    posted = []

    def posting_first(ctx, figures):  # the paper's own look (the page holds its own name of the function)
        if not posted:
            posted.append(posting.post_transaction(ctx, loan.id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000))
        return real(ctx, figures)

    monkeypatch.setattr(reports, "still_current", posting_first)
    monkeypatch.setattr(type(page), "_preview", lambda self, pdf, name, issue=None: None)
    files = Files(monkeypatch)
    files.save = str(tmp_path / "bao-cao.xlsx")
    getattr(page, button).click()
    wait_jobs(qtbot, page.env)
    assert posted
    assert page.reports is not before and (page.reports.year, page.reports.quarter) == (2023, 4)


def test_a_closed_quarter_says_so_on_the_page_as_its_papers_do(sample_ctx, qtbot, qsettings, boxes):
    """The command line and the papers mark a closed quarter «đã khóa sổ»; the page showed its figures without a word
    of it (a new officer's trial)."""
    from datetime import date

    from fundapp.services.closing import close_period

    close_period(sample_ctx, date(2023, 12, 31))
    page = reports_page(qtbot, sample_ctx, qsettings, 2023, 4)
    assert "đã khóa sổ ngày 31/12/2023" in page.period.text(), page.period.text()
    open_quarter = reports_page(qtbot, sample_ctx, qsettings, 2024, 1)
    assert "khóa sổ" not in open_quarter.period.text()
