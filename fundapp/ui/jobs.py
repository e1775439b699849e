"""Every slow job goes through one helper: a one-thread pool, progress after ~600 ms, cancel, one error presenter.

Taken from Anki's CollectionOp/QueryOp and Picard's thread helper: the job runs off the GUI
thread, its result or error is posted back to the GUI thread, and no page invents its own threading.

Lifetimes are the delicate part: a Qt object whose last Python reference is dropped on the worker
thread is destroyed there, which crashes the process now and then. So the runner keeps every job's
callable, control and runnable in a table on the GUI thread until its result has been delivered,
and the only QObject the worker talks to (the bridge) lives as long as the runner.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from fundapp.services.errors import UserCancelled

from .errors import present_error
from .i18n import tr

log = logging.getLogger("fundapp.ui")


class _Bridge(QObject):
    """Carries results from the worker thread to the GUI thread (queued connections)."""

    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int)


class JobControl:
    """Handed to the job: report progress, ask whether the officer cancelled."""

    def __init__(self, bridge: _Bridge, job_id: int) -> None:
        self._bridge = bridge
        self._job_id = job_id
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps to the window (from the job's thread)."""
        self._bridge.progress.emit(self._job_id, int(done), int(total))

    def cancelled(self) -> bool:
        """True once the user asked to cancel."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``UserCancelled`` once the user asked to cancel (a job calls it between its steps)."""
        if self._cancel.is_set():
            raise UserCancelled

    def cancel(self) -> None:
        """Ask the job to stop at its next ``check``."""
        self._cancel.set()


class _Runnable(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[JobControl], Any], control: JobControl, bridge: _Bridge) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner releases it on the GUI thread
        self.job_id, self.fn, self.control, self.bridge = job_id, fn, control, bridge

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except BaseException as exc:  # every failure reaches the presenter
            self.bridge.failed.emit(self.job_id, exc)
        else:
            self.bridge.done.emit(self.job_id, result)


@dataclass
class _Job:
    runnable: _Runnable
    on_done: Callable[[Any], None] | None
    on_failed: Callable[[BaseException], None]
    dialog: QProgressDialog | None
    parent: QWidget | None  # the page that asked; closed meanwhile, the result has nowhere to go
    label: str = ""  # what the job does, in the officer's words ("Đang lập thông báo nợ đến hạn…")
    read_only: bool = False  # a read for the screen: closing the window may drop it without a word

    def orphaned(self) -> bool:
        return self.parent is not None and not isValid(self.parent)


class JobRunner(QObject):
    """Runs ``fn(control)`` on the single worker thread and calls ``on_done(result)`` on the GUI thread."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one writer: no race between two jobs on the book
        self._bridge = _Bridge(self)
        self._bridge.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._bridge.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._bridge.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._jobs: dict[int, _Job] = {}
        self._finished: list[_Runnable] = []  # released once the pool has surely left their run()
        self._next = 0
        self._closing = False  # set by cancel_all: the window is closing and no job starts after it

    @property
    def busy(self) -> bool:
        """True while a job runs."""
        return bool(self._jobs)

    def pending_work(self) -> list[str]:
        """The labels of the jobs still running or queued whose loss the officer would notice (writes, documents,
        imports, backups), oldest first; reads for the screen are left out. Empty when closing loses nothing."""
        return [job.label or tr("Đang xử lý…") for job in self._jobs.values() if not job.read_only]

    def cancel_all(self, msecs: int = 30_000) -> bool:
        """Ask every job to stop (a job that checks ``control.cancelled()`` stops; a write that does not is let
        finish: its transaction is never cut halfway) and wait up to ``msecs`` ms; True when the worker is idle.
        From then on ``run`` starts nothing: a finished job's result starting the next (the loan list's batches)
        would run on after the window and this runner are gone, its result lost."""
        self._closing = True
        for job in self._jobs.values():
            job.runnable.control.cancel()
        return self.pool.waitForDone(msecs)

    def run(self, fn: Callable[[JobControl], Any], on_done: Callable[[Any], None] | None = None, *,
            parent: QWidget | None = None, label: str | None = None, progress: bool = True,
            on_failed: Callable[[BaseException], None] | None = None, read_only: bool = False) -> JobControl:
        """Start ``fn(control)`` on the worker; ``on_done(result)`` or ``on_failed(exc)`` follow on the GUI thread.

        ``label`` says what the job does (the progress dialog and the question on closing the window show it);
        ``read_only`` marks a read for the screen, which closing the window may drop without asking. Once the
        window has closed (``cancel_all``) the job is not started: the control returned is cancelled.
        """
        self._next += 1
        job_id = self._next
        control = JobControl(self._bridge, job_id)
        if self._closing:  # the window is closing (cancel_all): nothing starts, nothing will report
            log.info("a job asked for while the window closes was not started: %s", label or fn)
            control.cancel()
            return control
        dialog: QProgressDialog | None = None
        if progress:
            dialog = QProgressDialog(label or tr("Đang xử lý…"), tr("Hủy"), 0, 0, parent)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(600)  # a quick job shows nothing
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(control.cancel)
        runnable = _Runnable(job_id, fn, control, self._bridge)
        self._jobs[job_id] = _Job(runnable, on_done, on_failed or (lambda e: present_error(parent, e)), dialog, parent,
                                  label or "", read_only)
        self.pool.start(runnable)
        return control

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests; shutting down). Results still arrive through the event loop."""
        return self.pool.waitForDone(msecs)

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.dialog is not None and isValid(job.dialog) \
                and not job.runnable.control.cancelled():  # after «Hủy» the dialog stays hidden (setValue shows it)
            job.dialog.setMaximum(max(total, 0))
            job.dialog.setValue(done)

    def _finish(self, job_id: int) -> _Job | None:
        job = self._jobs.pop(job_id, None)
        if self.pool.activeThreadCount() == 0:
            self._finished.clear()
        if job is not None:
            self._finished.append(job.runnable)  # its run() may still be returning on the worker
            if job.dialog is not None and isValid(job.dialog):  # gone with its parent page if that closed
                job.dialog.reset()
                job.dialog.deleteLater()
        return job

    @Slot(int, object)
    def _on_done(self, job_id: int, result: Any) -> None:
        job = self._finish(job_id)
        try:
            if job is not None and job.on_done is not None and not job.orphaned():
                job.on_done(result)
        finally:
            if not self._jobs:
                self.idle.emit()

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        job = self._finish(job_id)
        try:
            if job is not None and job.orphaned():
                log.info("a job of a closed page failed: %r", exc)
            elif job is not None:
                job.on_failed(exc)
        finally:
            if not self._jobs:
                self.idle.emit()
