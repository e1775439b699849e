"""Every list an officer reads can be sorted by a click on a column's header (a new officer's trial: the Nhật ký and
Chờ tôi duyệt tables ignored the click), and a time column sorts by the time, not by its text «dd/mm/yyyy hh:mm»."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from fundapp.services import proposals
from fundapp.services.audit import AuditRow
from tests.staff import staffed as staffed_book

from .conftest import shown_window, wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

STAFF = {"cb": ("officer",), "gd": ("director",), "ks": ("controller",)}
ICT = timezone(timedelta(hours=7))


@pytest.fixture
def staffed(sample_ctx):
    return staffed_book(sample_ctx, STAFF, "Quản Trị Viên")


def _column(view, header: str) -> int:
    model = view.model()
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)


def _texts(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_audit_page_sorts_by_a_click_on_a_header(staffed, qsettings, qtbot, boxes):
    win = shown_window(staffed["ks"], qsettings, qtbot)
    page = win.show_page("audit")
    page.start.setDate(page.start.date().addYears(-5))
    page.refresh()
    wait_jobs(qtbot, win.env)
    assert page.table.isSortingEnabled()
    who = _column(page.table, "Người thực hiện")
    page.table.sortByColumn(who, Qt.SortOrder.AscendingOrder)
    actors = _texts(page.table, who)
    assert len(set(actors)) > 1 and actors == sorted(actors, key=page.model.sort_key_text)


def test_the_pending_page_sorts_by_a_click_on_a_header(staffed, qsettings, qtbot, boxes):
    for ref in ("QĐ-CC-0101", "QĐ-CC-0102"):
        proposals.propose(staffed["cb"], "restructure", dict(loan_no="HD2024-019", on="2024-12-31", extend_months=6,
                                                             grace_periods=1, reference=ref, reason="Bão lũ"))
    win = shown_window(staffed["gd"], qsettings, qtbot)
    page = win.show_page("pending")
    page.refresh()
    wait_jobs(qtbot, win.env)
    assert page.table.isSortingEnabled() and len(page.rows) == 2
    number = _column(page.table, "Số")
    page.table.sortByColumn(number, Qt.SortOrder.DescendingOrder)
    shown = [int(t) for t in _texts(page.table, number)]
    assert shown == sorted(shown, reverse=True)
    page.table.selectRow(0)  # the preview and the buttons follow the row chosen in the sorted list
    assert page.selected().id == shown[0]


def test_a_time_column_sorts_by_the_time_not_by_its_text(qtbot):
    """«06/09/2026 09:00» comes before «05/12/2026 21:41», though its text sorts after."""
    from fundapp.ui.pages.audit import audit_columns
    from fundapp.ui.widgets.table_model import RowTableModel

    def row(at: datetime) -> AuditRow:
        return AuditRow(1, at, "cb", "import", "Nhập dữ liệu", "", "", False)

    model = RowTableModel(audit_columns())
    model.set_rows([row(datetime(2026, 12, 5, 21, 41, tzinfo=ICT)), row(datetime(2026, 9, 6, 9, 0, tzinfo=ICT))])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data()[:10] for r in range(2)] == ["06/09/2026", "05/12/2026"]
