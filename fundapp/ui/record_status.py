"""The book of record in the main window (issue 14): who is logged in (status bar), the rights guard over the
pages' buttons, and the hash chain checked in the background shortly after start (a warning when broken)."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow
from shiboken6 import isValid

from fundapp.services.rights import role_label

from .i18n import tr
from .login import install_guard
from .messages import inform

log = logging.getLogger("fundapp.ui")
START_DELAY_MS = 2000  # after the first page has its figures: the start-up stays as fast as before


def attach(window: QMainWindow) -> None:
    """Add the user label and the chain label to ``window``'s status bar, install the rights guard, and schedule
    the background check of the chain."""
    ctx = window.env.ctx
    window.user_label = QLabel("")
    window.user_label.setObjectName("userLabel")
    if ctx.roles is not None:
        window.user_label.setText(f"{tr('Người dùng')}: {ctx.user} ({role_label(sorted(ctx.roles))})")
    window.chain_label = QLabel("")
    window.chain_label.setObjectName("chainLabel")
    window.statusBar().addPermanentWidget(window.user_label)
    window.statusBar().addPermanentWidget(window.chain_label)
    window.rights_guard = install_guard(window, ctx)
    QTimer.singleShot(START_DELAY_MS, window, lambda: _start_check(window))


def _start_check(window: QMainWindow) -> None:
    """The start-up check, once the window is shown and its first jobs are done (else a little later)."""
    if not isValid(window) or not window.isVisible():
        return
    if window.env.jobs.busy:
        QTimer.singleShot(START_DELAY_MS, window, lambda: _start_check(window))
        return
    check_chain(window, background=True)


class _Bridge(QObject):
    """Carries the start-up check's result to the GUI thread. One for the application, never deleted, so a window
    closed during the check simply never hears of it (no Qt object dies on the checking thread)."""

    done = Signal(object, object)  # (callback, result)


_bridge: _Bridge | None = None


def _gui_bridge() -> _Bridge:
    global _bridge
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.done.connect(lambda callback, result: callback(result))
    return _bridge


def check_chain(window: QMainWindow, announce: bool = False, background: bool = False) -> None:
    """Walk the chain on the worker thread (``services.verify.verify_book``); a broken chain or a closed period's
    report that no longer re-runs the same is shown as a warning (and always with ``announce``). ``background``
    (the start-up check): on a thread of its own, outside the window's job queue — closing the window neither waits
    for it nor asks about it (a read)."""
    from fundapp.services.verify import verify_book, verify_book_aside

    ctx = window.env.ctx

    def done(check) -> None:
        if not isValid(window):  # the window closed meanwhile
            return
        window.chain_check = check
        if check.ok:
            window.chain_label.setText(tr("Sổ toàn vẹn ({n} bản ghi)").format(n=check.count))
            window.chain_label.setStyleSheet("")
            if announce:
                inform(window, tr("Kiểm tra sổ"), tr("Sổ toàn vẹn: chuỗi {n} bản ghi khớp.").format(n=check.count))
            return
        window.chain_label.setText(tr("CẢNH BÁO: sổ bị sửa ngoài phần mềm"))
        window.chain_label.setStyleSheet("color: #b00020; font-weight: bold")
        lines = [check.broken] if check.broken else []
        inform(window, tr("Sổ bị sửa ngoài phần mềm"), tr("Kiểm tra chuỗi băm của sổ phát hiện bản ghi không khớp:")
               + "\n" + "\n".join([*lines, *check.reports]), level="warning")

    if background:
        bridge = _gui_bridge()

        def run() -> None:
            try:
                result = verify_book_aside(ctx)  # a long chain: in a process of its own, on the other core
            except Exception:
                log.info("background chain check stopped", exc_info=True)
                return
            bridge.done.emit(done, result)

        threading.Thread(target=run, name="fundapp-chain-check", daemon=True).start()
        return
    window.env.jobs.run(lambda _control: verify_book(ctx), done, parent=window, progress=announce,
                        label=tr("Đang kiểm tra sổ…"), read_only=True)
