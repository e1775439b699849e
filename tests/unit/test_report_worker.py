"""The quarterly .xlsx written by a worker process while the figures are made (issue 17, ``services.report_worker``):
the same workbook as written in one process — every cell, width, sheet and its order, print titles and filter — for
quarters with and without life events, ended and not; a cancel leaves a file already at the path byte for byte and no
temporary file; a lost worker, or a loan list out of order, leaves the workbook to this process; a path it cannot
write is refused as in this process.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fundapp.services import report_documents, report_worker
from fundapp.services.errors import UserCancelled, UserFacingError
from tests.golden import GOLDEN


@pytest.fixture(scope="module")
def events_book(tmp_path_factory):
    """sample-fund-events imported into a SQLite book (its path)."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import

    path = tmp_path_factory.mktemp("events") / "book.sqlite"
    ctx = open_book(str(path), user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    ctx.db.dispose()
    return path


def _open(path: Path, today: date):
    from fundapp.app import open_book

    return open_book(str(path), user="cán bộ A", today=today)


def _workbook(path: Path) -> dict:
    """Everything an officer sees of a workbook: sheets in order, every cell, column widths, print titles, filter,
    frozen panes, merged cells, the sheet shown first."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {
        "sheets": wb.sheetnames,
        "active": wb.active.title,
        **{ws.title: {
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
            "formats": {c.coordinate: c.number_format for row in ws.iter_rows() for c in row if c.value is not None},
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "titles": ws.print_title_rows, "filter": ws.auto_filter.ref, "frozen": ws.freeze_panes,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        } for ws in wb.worksheets},
    }


def _no_writing_here(monkeypatch) -> None:
    """The workbook must come from the worker: writing it in this process fails the test."""
    def refuse(step=None):
        raise AssertionError("written in this process, not by the worker")

    monkeypatch.setattr(report_documents, "_quarterly_xlsx", refuse)


@pytest.mark.parametrize(("today", "year", "quarter", "events"), [
    (date(2025, 12, 31), 2023, 2, True),  # restructuring, relief and write-off in the quarter: the events sheet
    (date(2025, 12, 31), 2024, 1, False),  # no life event: no events sheet
    (date(2024, 8, 15), 2024, 3, True),  # not ended: "Quý chưa kết thúc — số liệu đến hết ngày 15/08/2024"
])
def test_the_worker_writes_the_workbook_this_process_writes(events_book, tmp_path, monkeypatch, today, year,
                                                            quarter, events):
    ctx = _open(events_book, today)
    try:
        monkeypatch.setenv(report_worker.WORKER_ENV, "0")
        here = report_documents.write_quarterly(ctx, year, quarter, xlsx=tmp_path / "here.xlsx")
        monkeypatch.setenv(report_worker.WORKER_ENV, "1")
        with monkeypatch.context() as m:
            _no_writing_here(m)
            steps: list[tuple[int, int]] = []
            worker = report_documents.write_quarterly(ctx, year, quarter, xlsx=tmp_path / "worker.xlsx",
                                                      progress=lambda done, total: steps.append((done, total)))
    finally:
        ctx.db.dispose()
    want, got = _workbook(here[0]), _workbook(worker[0])
    assert got == want
    assert want["sheets"][0] == "Tổng hợp" and want["sheets"][-1] == "Danh sách khoản vay"
    assert want["active"] == "Tổng hợp"
    loans = want["Danh sách khoản vay"]
    assert loans["filter"].startswith("A5:S") and loans["titles"] == "$5:$5"
    assert sum(1 for v in loans["cells"].values() if isinstance(v, int)) > 50
    assert ("Cơ cấu-miễn giảm-xử lý rủi ro" in want["sheets"]) == events
    if today == date(2024, 8, 15):
        assert "Quý chưa kết thúc — số liệu đến hết ngày 15/08/2024" in loans["cells"]["A3"]
    assert steps[-1][0] == steps[-1][1]  # the bar ends full


def test_a_closed_quarter_is_written_by_the_worker_with_its_mark(events_book, tmp_path, monkeypatch):
    """The loan list's head is made before the figures (the worker begins the sheet with it): a closed quarter's
    «Đã khóa sổ …» is in it, as in this process's workbook."""
    from fundapp.services import closing

    copy = tmp_path / "closed.sqlite"
    copy.write_bytes(events_book.read_bytes())
    ctx = _open(copy, date(2025, 12, 31))
    try:
        closing.close_period(ctx, date(2024, 6, 30))
        monkeypatch.setenv(report_worker.WORKER_ENV, "0")
        here = report_documents.write_quarterly(ctx, 2024, 2, xlsx=tmp_path / "here.xlsx")
        monkeypatch.setenv(report_worker.WORKER_ENV, "1")
        _no_writing_here(monkeypatch)
        worker = report_documents.write_quarterly(ctx, 2024, 2, xlsx=tmp_path / "worker.xlsx")
    finally:
        ctx.db.dispose()
    want = _workbook(here[0])
    assert _workbook(worker[0]) == want
    assert want["Danh sách khoản vay"]["cells"]["A3"].startswith("Từ ngày 01/04/2024 đến ngày 30/06/2024 — Đã khóa sổ")


def _written_here(ctx, tmp_path: Path, monkeypatch) -> dict:
    """The workbook of quarter 2/2023 written in this process (``_workbook``); the worker is on from now on."""
    monkeypatch.setenv(report_worker.WORKER_ENV, "0")
    want = _workbook(report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "here.xlsx")[0])
    monkeypatch.setenv(report_worker.WORKER_ENV, "1")
    return want


def _scratch_folders(root: Path) -> list[Path]:
    return sorted(root.glob("fundapp-xlsx-*"))


class _Said:
    """The worker's pipe to this process, telling ``seen`` each message it brings."""

    def __init__(self, said, seen) -> None:
        self.said, self.seen = said, seen

    def poll(self, timeout):
        return self.said.poll(timeout)

    def recv(self):
        message = self.said.recv()
        self.seen(message)
        return message

    def close(self):
        self.said.close()


@pytest.mark.parametrize("when", ["figures", "sheets", "ready", "close"])
def test_a_cancel_leaves_the_file_at_the_path_as_it_was(events_book, tmp_path, monkeypatch, when):
    """«Hủy» while the figures are made, while the worker writes the sheets, or when it says only the file is left
    to write: UserCancelled, the file the officer had agreed to replace byte for byte, the worker ended and its
    temporary folder gone. Once the worker is told to write the file, a cancel comes too late (a file half written
    would replace the officer's): the report is written whole, the same as this process writes it."""
    import tempfile

    ctx = _open(events_book, date(2025, 12, 31))
    try:
        want = _written_here(ctx, tmp_path, monkeypatch)
    finally:
        ctx.db.dispose()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "q.xlsx"
    target.write_bytes(b"the report saved last week")
    state = {"cancel": when == "figures", "workers": []}
    finish, put = report_worker.LoanListWorker.finish, report_worker.LoanListWorker._put

    def spied_finish(self, *args, **kwargs):
        state["workers"].append(self)
        if when == "sheets":
            state["cancel"] = True
        elif when == "ready":
            self._said = _Said(self._said, lambda m: state.update(cancel=state["cancel"] or m == ("ready",)))
        return finish(self, *args, **kwargs)

    def spied_put(self, message):
        put(self, message)
        if when == "close" and message == ("close",):
            state["cancel"] = True

    monkeypatch.setattr(report_worker.LoanListWorker, "finish", spied_finish)
    monkeypatch.setattr(report_worker.LoanListWorker, "_put", spied_put)
    ctx = _open(events_book, date(2025, 12, 31))
    try:
        if when == "close":
            report_documents.write_quarterly(ctx, 2023, 2, xlsx=target, cancelled=lambda: state["cancel"])
        else:
            with pytest.raises(UserCancelled):
                report_documents.write_quarterly(ctx, 2023, 2, xlsx=target, cancelled=lambda: state["cancel"])
    finally:
        ctx.db.dispose()
    if when == "close":
        assert state["cancel"] and _workbook(target) == want
    else:
        assert target.read_bytes() == b"the report saved last week"
    assert len(state["workers"]) == (0 if when == "figures" else 1)
    assert all(not worker.process.is_alive() for worker in state["workers"])
    assert _scratch_folders(scratch) == []


def test_a_head_changed_during_the_figures_leaves_the_workbook_to_this_process(events_book, tmp_path, monkeypatch):
    """The loan list's head is made before the figures; one that is not the finished report's (the quarter closed
    meanwhile, say) is not written: the workbook is written here, with the report's own head."""
    from dataclasses import replace

    ctx = _open(events_book, date(2025, 12, 31))
    try:
        want = _written_here(ctx, tmp_path, monkeypatch)
        begin = report_worker.LoanListWorker.__init__
        workers = []

        def stale(self, path, head):
            begin(self, path, replace(head, subtitle=head.subtitle + " — Đã khóa sổ"))
            workers.append(self)

        monkeypatch.setattr(report_worker.LoanListWorker, "__init__", stale)
        got = _workbook(report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "stale.xlsx")[0])
    finally:
        ctx.db.dispose()
    assert workers and not workers[0].usable
    assert got == want


def test_a_lost_worker_leaves_the_workbook_to_this_process(events_book, tmp_path, monkeypatch):
    """The worker killed (out of memory, say) while the figures are made: the workbook is written here, the same."""
    ctx = _open(events_book, date(2025, 12, 31))
    try:
        want = _written_here(ctx, tmp_path, monkeypatch)
        feed = report_worker.LoanListWorker.loan
        lost = []

        def kill_then_feed(self, loan, periods):
            if not lost:
                self.process.kill()
                self.process.join()
                lost.append(self.process.exitcode)
            feed(self, loan, periods)  # the rows go to a pipe the dead worker no longer reads

        monkeypatch.setattr(report_worker.LoanListWorker, "loan", kill_then_feed)
        got = report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "lost.xlsx")
    finally:
        ctx.db.dispose()
    assert lost and lost[0] != 0
    assert _workbook(got[0]) == want


def test_a_loan_list_out_of_order_is_not_sent(tmp_path):
    """The worker writes rows as they come: a loan whose number comes before the last one's stops the feed (the
    workbook is then written here, by loan number)."""
    from fundapp.documents.quarterly_xlsx import LoanListHead
    from fundapp.domain.engine import Balances
    from fundapp.domain.reporting import LoanInput, LoanPeriod
    from fundapp.services.book_loader import NO_TERMS, BookLoan

    worker = report_worker.LoanListWorker(tmp_path / "q.xlsx", LoanListHead("Quỹ", "BÁO CÁO", "Từ ngày …"))
    try:
        for number in ("HD-002", "HD-001"):
            loan = LoanInput(number, NO_TERMS, (), "Huyện A", "Xã B", "htx", "trồng trọt", "KH1")
            period = LoanPeriod(loan, 1, 1, 1_000_000, 0, Balances(date(2024, 6, 30), 1_000_000, 0, 0, 0, 0, 0, 0, 1))
            worker.loan(BookLoan(1, loan, "HTX A", "", None, "", "", ""), [period])
        assert not worker.usable
        assert worker.sent == 0
    finally:
        worker.close()
    assert not (tmp_path / "q.xlsx").exists()


def test_a_path_the_worker_cannot_write_is_refused_as_here(events_book, tmp_path, monkeypatch):
    """A folder where the file should be: the worker's error is the one this process raises, and nothing is left."""
    folder = tmp_path / "q.xlsx"
    folder.mkdir()
    errors = []
    ctx = _open(events_book, date(2025, 12, 31))
    try:
        for mode in ("0", "1"):
            monkeypatch.setenv(report_worker.WORKER_ENV, mode)
            with pytest.raises(Exception) as caught:
                report_documents.write_quarterly(ctx, 2023, 2, xlsx=folder)
            errors.append((type(caught.value), str(caught.value)))
    finally:
        ctx.db.dispose()
    assert errors[0] == errors[1]
    assert folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize("value", ["có", "2", "-1"])
def test_the_worker_variable_is_0_or_1(monkeypatch, value):
    """A bad value is refused naming it, what it takes and what unset means (a trial read «mặc định 0»: unset is
    «tự động», from 5,000 loans)."""
    monkeypatch.setenv(report_worker.WORKER_ENV, value)
    with pytest.raises(UserFacingError) as caught:
        report_worker.worker_wanted(100_000)
    text = caught.value.vi
    assert f"{report_worker.WORKER_ENV}={value}" in text and "0 (không bao giờ) hoặc 1 (luôn luôn)" in text
    assert "tự động (từ 5.000 khoản vay)" in text and "mặc định 0" not in text
    monkeypatch.setenv(report_worker.WORKER_ENV, "0")
    assert not report_worker.worker_wanted(100_000)
    monkeypatch.setenv(report_worker.WORKER_ENV, "1")
    assert report_worker.worker_wanted(10)


def test_an_error_in_a_finaliser_of_the_worker_is_not_printed(tmp_path):
    """A new officer's trial (issue 17): on a full disk, XlsxWriter's zip file, closed again by the garbage collector
    in the worker process, printed «Exception ignored in ZipFile.__del__» and a traceback before the reporting
    process's Vietnamese message. The worker prints none: here a finaliser that raises while the worker runs."""
    import subprocess
    import sys

    script = (
        "import multiprocessing, sys\n"
        "import fundapp.services.report_worker as w\n"
        "class Zip:\n"
        "    def __del__(self):\n"
        "        raise OSError(28, 'No space left on device')\n"
        "class Book:\n"
        "    def __init__(self, *args):\n"
        "        z = Zip()\n"
        "        del z\n"
        "        raise OSError(28, 'No space left on device')\n"
        "import fundapp.documents.quarterly_xlsx as q\n"
        "q.QuarterlyWorkbook = Book\n"
        "rows_in, rows_out = multiprocessing.Pipe(False)\n"
        "said_in, said_out = multiprocessing.Pipe(False)\n"
        "w._work(sys.argv[1], sys.argv[2], None, rows_in, said_out)\n"
        "print(said_in.recv()[0])\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "q.xlsx"), str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", cwd=str(Path(__file__).parents[2]))
    assert done.stdout.strip() == "error", (done.stdout, done.stderr)
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_paper_of_the_figures_on_screen_does_not_read_them_again(events_book, tmp_path, monkeypatch):
    """The Báo cáo page's «Lưu Excel…», «Lưu PDF…» and preview read the quarter's figures a second time, though they
    were on screen (issue 17: 11.9 s for the 100,000-loan book's .xlsx, 5.7 s of them the figures again). Given the
    figures and nothing written since, the paper is made from them — the same workbook, by the worker and here — and
    a write in between has them read again."""
    import shutil

    from fundapp.domain.events import Kind
    from fundapp.services import posting, reports
    from fundapp.services.queries import list_loans

    book = tmp_path / "book.sqlite"  # a posting below: the module's book stays as it was
    shutil.copyfile(events_book, book)
    ctx = _open(book, date(2025, 12, 31))
    try:
        figures = reports.quarter_reports(ctx, 2023, 2)
        reads: list[tuple[int, int]] = []
        real = reports.quarter_reports

        def counted(ctx, year, quarter, *args, **kwargs):
            reads.append((year, quarter))
            return real(ctx, year, quarter, *args, **kwargs)

        monkeypatch.setattr(reports, "quarter_reports", counted)
        made = {}
        for worker in ("0", "1"):  # the first takes the report's number (an audit record): the second reads no more
            monkeypatch.setenv(report_worker.WORKER_ENV, worker)
            with monkeypatch.context() as m:
                if worker == "1":
                    _no_writing_here(m)
                made[worker] = report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / f"w{worker}.xlsx",
                                                                figures=figures)[0]
        assert report_documents.quarterly_pdf(ctx, 2023, 2, figures=figures).startswith(b"%PDF")
        assert reads == []
        monkeypatch.setenv(report_worker.WORKER_ENV, "0")
        read_again = report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "read.xlsx")[0]
        assert reads == [(2023, 2)]
        assert _workbook(made["0"]) == _workbook(made["1"]) == _workbook(read_again)
        reads.clear()
        # a stop asked while the worker is told the loans: nothing written, the stop said
        monkeypatch.setenv(report_worker.WORKER_ENV, "1")
        asked = iter([False, True])
        with pytest.raises(UserCancelled):
            report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "stopped.xlsx", figures=figures,
                                             cancelled=lambda: next(asked, True))
        assert not (tmp_path / "stopped.xlsx").exists() and reads == []
        monkeypatch.setenv(report_worker.WORKER_ENV, "0")
        # another quarter's figures are not taken for this one
        report_documents.write_quarterly(ctx, 2023, 3, xlsx=tmp_path / "q3.xlsx", figures=figures)
        assert reads == [(2023, 3)]
        # the same figures another day (the book's today moved on): read again when their days are no longer those
        from dataclasses import replace

        from fundapp.services.settings import load_settings, save_settings

        unfinished = reports.quarter_reports(_open(book, date(2025, 11, 15)), 2025, 4)
        assert not reports.still_current(_open(book, date(2025, 11, 16)), unfinished)
        assert reports.still_current(_open(book, date(2025, 11, 15)), unfinished)
        # a setting the figures rest on changed since: read again
        other = _open(book, date(2025, 12, 31))
        save_settings(other, replace(load_settings(other), watch_days=120))
        assert not reports.still_current(ctx, figures)
        save_settings(other, replace(load_settings(other), watch_days=90))
        figures = reports.quarter_reports(ctx, 2023, 2)
        reads.clear()
        # a posting since: the figures are read again
        loan = next(r for r in list_loans(ctx) if r.principal_outstanding)
        posting.post_transaction(ctx, loan.id, Kind.REPAYMENT, date(2025, 12, 31), 1_000_000)
        report_documents.write_quarterly(ctx, 2023, 2, xlsx=tmp_path / "after.xlsx", figures=figures)
        assert reads == [(2023, 2)]
    finally:
        ctx.db.dispose()
