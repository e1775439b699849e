"""The one error presenter: a user's mistake is shown as is; anything else is logged and shown once; a box already
open with the same text is not opened again."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from fundapp.services.errors import UserCancelled, UserFacingError

from .i18n import tr

log = logging.getLogger("fundapp.ui")
_SHOWN: set[str] = set()  # the texts of the error boxes open now


def _shown_once(box: QMessageBox) -> None:
    """Show ``box`` and wait for the officer (``exec``), unless a box with the same text is open already: then only
    log it. Each page's background job that fails while the first box waits (a server stopped: every page refreshing
    at once) stacked one more identical box, about ten to close one by one (a shared book's trial)."""
    text = box.text()
    if text in _SHOWN:
        log.info("the same error again while its box is open: %s", text)
        box.deleteLater()
        return
    _SHOWN.add(text)
    try:
        box.exec()
    finally:
        _SHOWN.discard(text)


def present_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the officer: UserFacingError as a warning, an ``OSError`` (a file that cannot be written or
    read) as a warning naming the file and why (``services.errors.os_error_text``), UserCancelled not at all, others
    as a defect."""
    if isinstance(exc, UserCancelled):
        return
    from fundapp.services.rights import ProposalMade

    if isinstance(exc, ProposalMade):  # maker-checker (issue 14): recorded for another user to confirm, not refused
        log.info("proposed: %s", exc.en)
        QMessageBox(QMessageBox.Icon.Information, tr("Đã lập đề xuất"), exc.message, QMessageBox.StandardButton.Ok,
                    parent).exec()
        return
    if isinstance(exc, UserFacingError):
        log.info("refused: %s", exc.en)
        _shown_once(QMessageBox(QMessageBox.Icon.Warning, tr("Không thể thực hiện"), exc.message,  # officer's language
                                QMessageBox.StandardButton.Ok, parent))
        return
    if isinstance(exc, OSError):  # a file the officer chose cannot be written (open in Excel, a full disk): said so
        from fundapp.services.errors import os_error_text

        log.warning("file error: %r", exc)
        _shown_once(QMessageBox(QMessageBox.Icon.Warning, tr("Không thể thực hiện"), os_error_text(exc),
                                QMessageBox.StandardButton.Ok, parent))
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)  # the log's formatter masks passwords
    # No library text on screen (issue 10.5): "(sqlite3.DatabaseError) …" and tracebacks go to the log only.
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("Đã xảy ra lỗi không mong muốn"),
        tr("Đã xảy ra lỗi không mong muốn. Dữ liệu chưa được ghi. Chi tiết đã được ghi vào nhật ký; "
           "hãy gửi tệp nhật ký cho bộ phận hỗ trợ."),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    _shown_once(box)


def attempt(parent: QWidget | None, action: Callable[[], object]) -> bool:
    """Run ``action()``: True when it succeeded; on any exception False, after ``present_error`` showed it (a
    refusal in words, a defect logged). The one try/except of a button that calls a service."""
    try:
        action()
    except Exception as exc:
        present_error(parent, exc)
        return False
    return True
