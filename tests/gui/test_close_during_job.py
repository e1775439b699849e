"""Closing the window while a job runs asks first (issue 10 item 6): No keeps the window and the job,
Yes cancels the job cleanly (nothing half-written); a read for the screen is dropped without a question."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from fundapp.services.errors import UserCancelled
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_closing_during_batch_notices_asks_then_cancels(window, qtbot, boxes, monkeypatch, tmp_path):
    import fundapp.services.documents as documents

    started, stopped = threading.Event(), []

    def slow_notices(ctx, year, month, path, progress=None, cancelled=None, told=None):
        started.set()
        for _ in range(2000):  # ~20 s unless cancelled
            if cancelled():
                stopped.append("cancelled")
                raise UserCancelled
            threading.Event().wait(0.01)
        path.write_bytes(b"%PDF")
        return 3

    monkeypatch.setattr(documents, "write_notices", slow_notices)
    files = Files(monkeypatch)
    target = tmp_path / "thong-bao.pdf"
    files.save = str(target)
    reports = window.show_page("reports")
    wait_jobs(qtbot, window.env)

    reports.save_notices()
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert window.env.jobs.pending_work() == ["Đang lập thông báo nợ đến hạn…"]

    boxes.answer = QMessageBox.StandardButton.No
    window.close()
    assert boxes.shown[-1][2] == "Đang lập thông báo nợ đến hạn — đóng cửa sổ sẽ hủy công việc. Đóng?"
    assert window.isVisible() and window.env.jobs.busy and not stopped  # the window and the job go on

    boxes.answer = QMessageBox.StandardButton.Yes
    asked = len(boxes.shown)
    window.close()
    assert not window.isVisible()
    assert stopped == ["cancelled"] and not target.exists()  # cancelled cleanly: no file half-written
    wait_jobs(qtbot, window.env)
    assert len(boxes.shown) == asked + 1  # the question only: a cancellation is not reported as an error


def test_closing_during_a_read_asks_nothing(window, qtbot, boxes):
    window.show_page("loans").refresh()  # a read for the screen
    assert window.env.jobs.pending_work() == []
    assert window.close_question() is None
    window.close()
    assert not window.isVisible() and boxes.shown == []
