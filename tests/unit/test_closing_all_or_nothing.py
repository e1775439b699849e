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
