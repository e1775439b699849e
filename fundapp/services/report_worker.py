"""The quarterly .xlsx's loan list written by a worker process while the figures are made (issue 17: the report on a
100,000-loan book ≤ 10 s; in one process its figures, ~5 s, and XlsxWriter's writing, ~6 s, come one after the
other). The figures stay in this process, in its one reading transaction: the worker is sent the loan list's rows
(``documents.quarterly_xlsx.LoanListRows``) as each loan's periods are made, and the report's value without its loans
(``sheets_value``) once they all are; it writes them with the same ``QuarterlyWorkbook`` this process would.

Python's ``multiprocessing`` with the ``spawn`` start method (Windows' only one; the frozen program calls
``multiprocessing.freeze_support()`` at its start, as for the import's workers). The worker writes at the report's
path only when told to (``close``), after the last cancel was asked: a cancel or an error before that ends it with
nothing written there. A worker that cannot start or dies, or a loan list that did not come in loan number order, is
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

from fundapp.ledger.environment import whole_number

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


def worker_wanted(loans: int) -> bool:
    """Whether the quarterly .xlsx of a book of ``loans`` loans is written by a worker process: FUNDAPP_REPORT_WORKER
    (1 always, 0 never) when set, else from ``WORKER_FROM`` loans on a machine of two cores or more. Raises
    ``UserFacingError`` naming a bad value of the variable."""
    if os.environ.get(WORKER_ENV, "").strip():
        return whole_number(WORKER_ENV, 0) > 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return loans >= WORKER_FROM and cores >= 2


class WorkerLost(Exception):
    """The worker process ended without a word (killed, out of memory): the workbook is written here instead."""


class LoanListWorker:
    """A worker process writing the quarterly .xlsx at ``path``, begun with the loan list's ``head`` (what the sheet
    prints above its rows, known before the figures). ``loan`` is ``book_period_reports``' ``on_loan``; ``finish``
    writes the file; ``close`` (always, in a ``finally``) ends the worker and removes its temporary files."""

    def __init__(self, path: Path, head: LoanListHead) -> None:
        from fundapp.documents.quarterly_xlsx import LoanListRows

        self.head = head
        self.scratch = tempfile.mkdtemp(prefix="fundapp-xlsx-")
        context = get_context("spawn")
        self.inbox = context.Queue(AHEAD)
        self.outbox = context.Queue()
        self.process = context.Process(target=_work, args=(str(path), self.scratch, head, self.inbox, self.outbox),
                                       name="fundapp-xlsx", daemon=True)
        self.process.start()
        self._row = LoanListRows()
        self._batch: list[tuple] = []
        self._last = ""
        self.sent = 0
        self.usable = True  # False once the worker is lost or a row came out of order: written here instead

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
        while self.usable:
            try:
                self.inbox.put(message, timeout=1)
                return
            except queue.Full:
                if not self.process.is_alive():
                    log.warning("quarterly .xlsx: the worker process ended (exit %s)", self.process.exitcode)
                    self.usable = False

    def finish(self, data: QuarterlyReportData, step: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> None:
        """Have the worker write the workbook of ``data`` (the finished report, whose head must be the one begun
        with) and wait for it. ``step(rows written, rows)`` is told as the worker reports; an exception it raises, or
        ``cancelled()`` true (``UserCancelled``), stops before anything is written at the path. Raises what the
        worker raised (e.g. XlsxWriter's ``FileCreateError`` for a file it cannot write), and ``WorkerLost`` when it
        ended without a word or cannot be used (nothing written: write the workbook here)."""
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
            try:
                message = self.outbox.get(timeout=WAIT)
            except queue.Empty:
                if cancelled is not None and cancelled():
                    raise UserCancelled from None
                if not self.process.is_alive():
                    log.warning("quarterly .xlsx: the worker process ended (exit %s)", self.process.exitcode)
                    raise WorkerLost from None
                continue
            kind = message[0]
            if kind == "written":
                if step is not None:
                    step(message[1], total)
            elif kind == "ready":  # every sheet made, nothing written at the path yet: the last moment to stop
                if cancelled is not None and cancelled():
                    raise UserCancelled
                if step is not None:
                    step(total, total)
                self.inbox.put(("close",))
            elif kind == "done":
                return
            else:  # "error"
                raise message[1]

    def close(self) -> None:
        """End the worker (at once: it writes at the path only once told ``close`` by ``finish``) and remove its
        temporary files."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        for q in (self.inbox, self.outbox):
            q.cancel_join_thread()  # a message the ended worker never took must not hold this process at its exit
            q.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _work(path: str, scratch: str, head: LoanListHead, inbox, outbox) -> None:
    """The worker process: the loan list's rows as they come, then the other sheets; the file at ``path`` once told
    ``close``. Tells ("written", rows) every ``STEP_ROWS`` rows, ("ready",) once only the writing at the path is
    left, ("done",) after it, or ("error", the exception)."""
    import pickle

    from fundapp.documents.quarterly_xlsx import STEP_ROWS, QuarterlyWorkbook

    book = None
    try:
        book = QuarterlyWorkbook(path, scratch, head)
        told = 0
        while True:
            message = inbox.get()
            if message[0] == "rows":
                book.add(message[1])
                if book.count - told >= STEP_ROWS:
                    told = book.count
                    outbox.put(("written", told))
            else:  # "finish"
                book.finish(message[1], before_close=lambda: _told_to_close(inbox, outbox))
                outbox.put(("done",))
                return
    except BaseException as err:  # the reporting process raises it, or writes the workbook itself
        if book is not None:
            book.abort()
        try:
            pickle.dumps(err)
        except Exception:  # an exception that does not cross processes is named instead
            err = RuntimeError(repr(err))
        outbox.put(("error", err))


def _told_to_close(inbox, outbox) -> None:
    outbox.put(("ready",))
    inbox.get()  # ("close",): the worker is ended instead when the officer cancels
