"""The quarterly .xlsx's loan list written by a worker process while the figures are made (issue 17: the report on a
100,000-loan book ≤ 10 s; in one process its figures, ~5 s, and XlsxWriter's writing, ~6 s, come one after the
other). The figures stay in this process, in its one reading transaction: the worker is sent the loan list's rows
(``documents.quarterly_xlsx.LoanListRows``) as each loan's periods are made, and the report's value without its loans
(``sheets_value``) once they all are; it writes them with the same ``QuarterlyWorkbook`` this process would.

Python's ``multiprocessing`` with the ``spawn`` start method (Windows' only one; the frozen program calls
``multiprocessing.freeze_support()`` at its start, as for the import's workers). The worker writes its own file
beside the report's (``document_register.beside``), only when told to (``close``), after the last cancel was asked;
that file replaces the report's only once written whole (``document_register.replacing``): a cancel, an error or
Ctrl-C leaves the officer's file as it was. A worker that cannot start or dies, or a loan list that did not come in loan number order, is
not an error: the workbook is written in this process from the figures, as without a worker.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from fundapp.domain.messages import N_, msg
from fundapp.formatting import group_thousands
from fundapp.ledger.environment import environment_value

from .errors import UserCancelled

if TYPE_CHECKING:
    from fundapp.documents.quarterly_model import QuarterlyReportData
    from fundapp.documents.quarterly_xlsx import LoanListHead
    from fundapp.domain.reporting import LoanPeriod

    from .book_loader import BookLoan

log = logging.getLogger("fundapp.reports")

# FUNDAPP_REPORT_WORKER=1 writes every quarterly .xlsx with a worker, =0 never; unset, a book of WORKER_FROM loans
# or more on a machine of two cores or more (starting one costs about half a second)
WORKER_ENV, WORKER_FROM = "FUNDAPP_REPORT_WORKER", 5_000
BATCH = 1000  # loan list rows per message
AHEAD = 64  # messages in flight at most: the rows waiting for the worker stay a few MB (constant memory)
WAIT = 0.1  # seconds between two looks at the cancel and at the worker while waiting for it
STALLED = 60.0  # seconds a worker alive may take no row before it is given up (the workbook then written here)
CLOSING = 600.0  # seconds a worker writing at the path is waited for by ``close`` before it is ended


def worker_wanted(loans: int) -> bool:
    """Whether the quarterly .xlsx of a book of ``loans`` loans is written by a worker process: FUNDAPP_REPORT_WORKER
    (1 always, 0 never) when set, else from ``WORKER_FROM`` loans on a machine of two cores or more. Raises
    ``UserFacingError`` naming a bad value of the variable."""
    forced = environment_value(WORKER_ENV, _zero_or_one, N_("0 (không bao giờ) hoặc 1 (luôn luôn)"), "0",
                               msg("tự động (từ {loans} khoản vay)", loans=group_thousands(WORKER_FROM)))
    if forced is not None:
        return forced
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return loans >= WORKER_FROM and cores >= 2


def _zero_or_one(text: str) -> bool:
    """FUNDAPP_REPORT_WORKER's value: "0" → False, "1" → True; ``ValueError`` otherwise."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


class WorkerLost(Exception):
    """The worker process ended without a word (killed, out of memory) or stopped taking rows: the workbook is
    written here instead."""


class LoanListWorker:
    """A worker process writing the quarterly .xlsx at ``path``, begun with the loan list's ``head`` (what the sheet
    prints above its rows, known before the figures). ``loan`` is ``book_period_reports``' ``on_loan``; ``finish``
    writes the file; ``close`` (always, in a ``finally``) ends the worker and removes its temporary files.

    Two one-way pipes, each end held by one process only (this one closes the worker's ends once it has started), so
    that either side sees the other's end at once: a send to a dead worker fails, a dead worker's pipe reads as
    ended. The rows are sent by a thread of this process from a queue of ``AHEAD`` batches at most, so the figures
    do not wait for the worker. Raises ``OSError``/``RuntimeError`` and the like when no process can start (nothing
    is left behind)."""

    def __init__(self, path: Path, head: LoanListHead) -> None:
        import threading

        from fundapp.documents.quarterly_xlsx import LoanListRows

        from .document_register import beside

        self.head = head
        self.part = beside(Path(path))  # the worker's file, moved to where ``finish`` is told once written
        self.scratch = tempfile.mkdtemp(prefix="fundapp-xlsx-")
        self.process = None
        ends = []
        try:
            context = get_context("spawn")
            rows_in, rows_out = context.Pipe(duplex=False)  # (receiving end, sending end)
            ends += [rows_in, rows_out]
            said_in, said_out = context.Pipe(duplex=False)
            ends += [said_in, said_out]
            self.process = context.Process(target=_work, args=(str(self.part), self.scratch, head, rows_in, said_out),
                                           name="fundapp-xlsx", daemon=True)
            self.process.start()
        except BaseException:
            for end in ends:
                end.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        rows_in.close()  # the worker's ends: held by it alone from now on
        said_out.close()
        self._rows, self._said = rows_out, said_in
        self._outgoing: queue.Queue = queue.Queue(AHEAD)
        self._sender = threading.Thread(target=self._send_all, name="fundapp-xlsx-sender", daemon=True)
        self._sender.start()
        self._row = LoanListRows()
        self._batch: list[tuple] = []
        self._last = ""
        self.sent = 0
        self.usable = True  # False once the worker is lost or a row came out of order: written here instead
        self._closing = False

    def _send_all(self) -> None:
        """The sender thread: each queued message to the worker, until None; on a broken pipe (the worker gone) the
        rest is dropped."""
        while True:
            message = self._outgoing.get()
            if message is None:
                return
            try:
                self._rows.send(message)
            except (OSError, ValueError):  # the worker ended (a broken pipe), or the pipe was closed by ``close``
                self.usable = False
                while self._outgoing.get() is not None:  # whatever is still queued goes
                    pass
                return

    def loan(self, loan: BookLoan, periods: list[LoanPeriod]) -> None:
        """The loan's row of the list (its first period: the quarter), queued for the worker when it is listed."""
        if not self.usable:
            return
        row = self._row(periods[0], loan.borrower_name)
        if row is None:
            return
        if row[0] < self._last:  # the loan list is by loan number; the book's read gives them so (loan_rows)
            log.warning("quarterly .xlsx: loan %s came after %s; written without the worker", row[0], self._last)
            self.usable = False
            return
        self._last = row[0]
        self._batch.append(row)
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        if self._batch and self.usable:
            self._put(("rows", self._batch))
            self.sent += len(self._batch)
        self._batch = []

    def _put(self, message: tuple) -> None:
        waited = 0.0
        while self.usable:
            try:
                self._outgoing.put(message, timeout=WAIT)
                return
            except queue.Full:
                waited += WAIT
                if not self.process.is_alive() or waited > STALLED:
                    log.warning("quarterly .xlsx: the worker took no rows for %.0f s (exit %s); written without it",
                                waited, self.process.exitcode)
                    self.usable = False

    def finish(self, data: QuarterlyReportData, path: Path | str, step: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> None:
        """Have the worker write the workbook of ``data`` (the finished report, whose head must be the one begun
        with), wait for it and move its file to ``path`` (``_write_report``'s file beside the report's). ``step(rows written, rows)`` is told as the worker reports; an exception it raises, or
        ``cancelled()`` true (``UserCancelled``), stops before the worker writes its file — until it is told to,
        after which it is waited for and the report is written. Raises
        what the worker raised (e.g. XlsxWriter's ``FileCreateError`` for a file it cannot write), and ``WorkerLost``
        when it ended without a word or cannot be used (nothing written at the path: write the workbook here)."""
        from fundapp.documents.quarterly_xlsx import loan_list_head, sheets_value

        if self.usable and loan_list_head(data) != self.head:
            log.warning("quarterly .xlsx: the report's head changed during the figures; written without the worker")
            self.usable = False
        self._send()
        self._put(("finish", sheets_value(data)))
        if not self.usable:
            raise WorkerLost
        total = self.sent
        while True:
            if not self._closing and cancelled is not None and cancelled():
                raise UserCancelled
            try:
                if not self._said.poll(WAIT):
                    if not self.process.is_alive() and not self._said.poll(0):
                        raise WorkerLost
                    continue
                message = self._said.recv()
            except (EOFError, OSError):  # the worker ended without a word
                log.warning("quarterly .xlsx: the worker process ended (exit %s)", self.process.exitcode)
                raise WorkerLost from None
            kind = message[0]
            if kind == "written":
                if step is not None and not self._closing:
                    step(message[1], total)
            elif kind == "ready":  # every sheet made, nothing written at the path yet: the last moment to stop
                if cancelled is not None and cancelled():
                    raise UserCancelled
                if step is not None:
                    step(total, total)
                self._closing = True  # from now on the worker writes at the path: it is waited for
                self._put(("close",))
            elif kind == "done":
                os.replace(self.part, path)
                return
            else:  # "error"
                raise message[1]

    def close(self) -> None:
        """End the worker (at once unless it is writing at the path: it writes there only once told ``close`` by
        ``finish``, and is then waited for), its sender thread, and remove its temporary files."""
        if self._closing:
            self.process.join(CLOSING)
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.usable = False
        self._rows.close()  # a send in flight fails: the sender thread drops the rest and ends
        try:
            self._outgoing.put(None, timeout=5)  # room is made by the sender, which drains the queue once a send fails
        except queue.Full:
            log.warning("quarterly .xlsx: the sender thread did not end")
        self._sender.join(5)
        self._said.close()
        self.part.unlink(missing_ok=True)  # a file the worker began and did not hand over
        shutil.rmtree(self.scratch, ignore_errors=True)


def _unraisable_dropped(_unraisable) -> None:
    """``sys.unraisablehook`` of the worker process: nothing printed."""


def _work(path: str, scratch: str, head: LoanListHead, rows, said) -> None:
    """The worker process: the loan list's rows as they come (from ``rows``), then the other sheets; the file at
    ``path`` once told ``close``. Tells ``said`` ("written", rows) every ``STEP_ROWS`` rows, ("ready",) once only the
    writing at the path is left, ("done",) after it, or ("error", the exception). Ends when this process's end of
    ``rows`` closes (the reporting process gone) before ``close``."""
    import pickle
    import sys

    from fundapp.documents.quarterly_xlsx import STEP_ROWS, QuarterlyWorkbook

    # an error where nothing can catch it (XlsxWriter's zip file closed again by the garbage collector after a full
    # disk) printed «Exception ignored in …» and a traceback on the officer's terminal: the reporting process says
    # what went wrong, in words (``fundapp.app.log_unraisable`` there); this process has no log file
    sys.unraisablehook = _unraisable_dropped
    book = None
    try:
        book = QuarterlyWorkbook(path, scratch, head)
        told = 0
        while True:
            message = rows.recv()
            if message[0] == "rows":
                book.add(message[1])
                if book.count - told >= STEP_ROWS:
                    told = book.count
                    said.send(("written", told))
            else:  # "finish"
                book.finish(message[1], before_close=lambda: _told_to_close(rows, said))
                said.send(("done",))
                return
    except BaseException as err:  # the reporting process raises it, or writes the workbook itself
        if book is not None:
            book.abort()
        try:
            pickle.dumps(err)
        except Exception:  # an exception that does not cross processes is named instead
            err = RuntimeError(repr(err))
        try:
            said.send(("error", err))
        except OSError:  # the reporting process is gone
            pass


def _told_to_close(rows, said) -> None:
    said.send(("ready",))
    if rows.recv() != ("close",):  # the worker is ended instead when the officer cancels
        raise RuntimeError("the worker was not told to close")
