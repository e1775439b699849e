"""Every slow job goes through one helper: a one-thread pool, progress after ~600 ms, cancel, one error presenter.

Taken from Anki's CollectionOp/QueryOp and Picard's thread helper: the job runs off the GUI
thread, its result or error is posted back to the GUI thread, and no page invents its own threading.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from fundapp.services.errors import UserCancelled

from .errors import present_error
from .i18n import tr


class JobControl:
    """Handed to the job: report progress, ask whether the officer cancelled."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self._signals.progress.emit(int(done), int(total))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise UserCancelled

    def cancel(self) -> None:
        self._cancel.set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[JobControl], Any], control: JobControl, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.control, self.signals = fn, control, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class JobRunner(QObject):
    """Runs ``fn(control)`` on the single worker thread and calls ``on_done(result)`` on the GUI thread."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one writer: no race between two jobs on the book
        self._running = 0
        self._keep: set[_Signals] = set()

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(self, fn: Callable[[JobControl], Any], on_done: Callable[[Any], None] | None = None, *,
            parent: QWidget | None = None, label: str | None = None, progress: bool = True,
            on_failed: Callable[[BaseException], None] | None = None) -> JobControl:
        signals = _Signals()
        self._keep.add(signals)
        control = JobControl(signals)
        dialog: QProgressDialog | None = None
        if progress:
            dialog = QProgressDialog(label or tr("Đang xử lý…"), tr("Hủy"), 0, 0, parent)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(600)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(control.cancel)

            def on_progress(done: int, total: int) -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(done)

            signals.progress.connect(on_progress)

        def finish() -> None:
            self._running -= 1
            self._keep.discard(signals)
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            if not self._running:
                self.idle.emit()

        def done(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            (on_failed or (lambda e: present_error(parent, e)))(exc)

        signals.done.connect(done, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._running += 1
        self.pool.start(_Runnable(fn, control, signals))
        return control
