"""Closing a period (khóa sổ) writes the closing and the period's stored reports in one transaction: a server
stopped while the reports were computed left the period closed — postings refused — without the stored figures
its reports print as «đã khóa sổ» (a shared book's trial)."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.services import closing
from fundapp.services.errors import BookUnavailable

THROUGH = date(2024, 6, 30)


def test_a_closing_whose_reports_fail_is_not_written(sample_ctx, monkeypatch):
    def lost(ctx, through):
        raise BookUnavailable("Không kết nối được tới máy chủ sổ")

    monkeypatch.setattr(closing, "period_figures", lost)
    with pytest.raises(BookUnavailable):
        closing.close_period(sample_ctx, THROUGH)
    assert closing.closed_through(sample_ctx) is None and closing.closing_history(sample_ctx) == []
    monkeypatch.undo()
    closing.close_period(sample_ctx, THROUGH)
    assert [(r.kind, r.through) for r in closing.stored_reports(sample_ctx)] == [("balances", THROUGH),
                                                                              ("quarterly", THROUGH)]


def test_a_closing_made_meanwhile_is_seen_once_the_loans_are_locked(sample_ctx, monkeypatch):
    """Two administrators closing the same day at once: the second waited for the loans' lock while the first
    committed, then closed again what the first had just closed (its check had read the book before the lock) and
    both were told «Đã khóa sổ»."""
    from fundapp.app import open_book
    from fundapp.ledger import lending_store
    from fundapp.services.errors import ValidationError

    if sample_ctx.db.dialect == "sqlite":
        pytest.skip("a SQLite unit holds the book's write lock from its BEGIN: no closing can land meanwhile")
    other = open_book(sample_ctx.db.url, user="qt2", today=date(2024, 12, 31))
    lock = lending_store.lock_loans

    def after_the_other_closed(s, ids):
        monkeypatch.setattr(lending_store, "lock_loans", lock)
        closing.close_period(other, THROUGH)  # committed while this closing is about to take the loans' lock
        return lock(s, ids)

    monkeypatch.setattr(lending_store, "lock_loans", after_the_other_closed)
    try:
        with pytest.raises(ValidationError, match="Sổ đã khóa đến hết ngày 30/06/2024"):
            closing.close_period(sample_ctx, THROUGH)
    finally:
        other.db.dispose()
    assert [(r.action, r.through, r.by) for r in closing.closing_history(sample_ctx)] == [("close", THROUGH, "qt2")]


def test_a_reopening_made_meanwhile_is_seen(sample_ctx, monkeypatch):
    """Two directors reopening the same closed period at once: the second, having read the book before the first
    committed, reopened it again and was told it had."""
    from fundapp.app import open_book
    from fundapp.ledger import lending_store
    from fundapp.services.errors import ValidationError

    if sample_ctx.db.dialect == "sqlite":
        pytest.skip("a SQLite unit holds the book's write lock from its BEGIN: no reopening can land meanwhile")
    closing.close_period(sample_ctx, THROUGH)
    other = open_book(sample_ctx.db.url, user="gd2", today=date(2024, 12, 31))
    lock = lending_store.lock_loans
    calls = []

    def after_the_other_reopened(s, ids):
        calls.append(True)
        monkeypatch.setattr(lending_store, "lock_loans", lock)
        closing.reopen_period(other, THROUGH, "Ghi bổ sung")
        return lock(s, ids)

    monkeypatch.setattr(lending_store, "lock_loans", after_the_other_reopened)
    try:
        with pytest.raises(ValidationError, match="Ngày 30/06/2024 chưa khóa sổ"):
            closing.reopen_period(sample_ctx, THROUGH, "Ghi bổ sung")
    finally:
        other.db.dispose()
    assert calls and [(r.action, r.by) for r in closing.closing_history(sample_ctx)] == [("close", "tester"),
                                                                                       ("reopen", "gd2")]
