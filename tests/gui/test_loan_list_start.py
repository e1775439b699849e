"""The loans page never waits for a replay (issue 17: nothing that grows with history blocks the list): with a
cache older than today the list shows the cached figures at once and is brought to today in the background."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest

from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_list_shows_while_the_cache_is_brought_to_today(sample_ctx, qsettings, qtbot, boxes, monkeypatch):
    from fundapp.services import loan_states
    from fundapp.services.queries import list_loans
    from fundapp.ui.app import create_window

    before = {r.loan_no: r.days_past_due for r in list_loans(sample_ctx)}  # the cache at 31/12/2024
    later = dataclasses.replace(sample_ctx, today=lambda: date(2025, 3, 31))
    started, release = threading.Event(), threading.Event()
    real = loan_states.refresh_states

    def slow(s, loan_ids, as_of):  # a replay of every loan that takes as long as the test wants
        started.set()
        release.wait(30)
        return real(s, loan_ids, as_of)

    from fundapp.services import queries

    monkeypatch.setattr(loan_states, "refresh_states", slow)
    monkeypatch.setattr(queries, "refresh_states", slow, raising=False)  # the page's batches call it from there
    qsettings.setValue("window/page", "loans")
    win = create_window(later, qsettings)
    qtbot.addWidget(win)
    win.show()
    page = win.page("loans")
    try:
        qtbot.waitUntil(lambda: page.loaded and started.is_set(), timeout=10_000)
        shown = {r.loan_no: r.days_past_due for r in page.model.rows}
        assert shown == before and len(shown) == 40  # the cached figures, on screen during the replay
        assert "đang cập nhật" in page.count.text()
    finally:
        release.set()
    wait_jobs(qtbot, win.env)
    now = {r.loan_no: r.days_past_due for r in page.model.rows}
    assert now == {r.loan_no: r.days_past_due for r in list_loans(later)}
    assert now["HD2022-002"] > before["HD2022-002"] > 0  # still overdue, 90 days more
    assert "đang cập nhật" not in page.count.text()


def test_a_stale_cache_is_brought_to_today_in_batches(sample_ctx, qsettings, qtbot, boxes, monkeypatch):
    """40 stale loans in batches of 16: three jobs (16, 16, 8), each its own short unit of work, and the list then
    equals the service's list of today."""
    from fundapp.services import queries
    from fundapp.services.queries import list_loans
    from fundapp.ui.pages.loans import Page

    later = dataclasses.replace(sample_ctx, today=lambda: date(2025, 3, 31))
    sizes = []
    real = queries.bring_list_to_today

    def counted(ctx, limit=None):
        n = real(ctx, limit)
        sizes.append(n)
        return n

    monkeypatch.setattr(queries, "bring_list_to_today", counted)
    monkeypatch.setattr(Page, "BATCH", 16)
    qsettings.setValue("window/page", "loans")
    from fundapp.ui.app import create_window

    win = create_window(later, qsettings)
    qtbot.addWidget(win)
    win.show()
    page = win.page("loans")
    qtbot.waitUntil(lambda: page.loaded and not page.updating and not win.env.jobs.busy, timeout=20_000)
    wait_jobs(qtbot, win.env)
    assert sizes == [16, 16, 8]
    assert [(r.loan_no, r.days_past_due, r.principal_outstanding) for r in page.model.rows] == \
        [(r.loan_no, r.days_past_due, r.principal_outstanding) for r in list_loans(later, current=False)]
    assert queries.list_is_current(later)


def test_a_loan_overdue_by_interest_alone_says_why_in_its_status(window, qtbot):
    """A new officer's trial: restructured on 31/12/2024, HD2024-019 read «Quá hạn» beside 0 days past due and 0 đồng
    overdue principal, and no screen said why: its overdue and late-payment interest (181.993 đ) is still owed. The
    status says so on hover; a loan with an installment past due keeps the status's own words."""
    from PySide6.QtCore import Qt

    from fundapp.services import events

    loan_id = events.loan_id_of(window.env.ctx, "HD2024-019")
    events.restructure(window.env.ctx, loan_id, date(2024, 12, 31), 12, 1, "QĐ-CC-9", "Bão")
    window.env.changes.announce("loans")
    page = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    model = page.model
    status = next(c for c, spec in enumerate(model.columns) if spec.header == "Trạng thái")
    tips = {r.loan_no: model.cell(n, status, Qt.ItemDataRole.ToolTipRole) for n, r in enumerate(model.rows)
            if r.status == "overdue"}
    assert tips.pop("HD2024-019").startswith("Quá hạn vì còn nợ lãi quá hạn hoặc lãi chậm trả")
    assert tips and set(tips.values()) == {"Quá hạn"}  # the others: an installment past due, as the row shows
