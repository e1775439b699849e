"""The loan list's filter (issue 17: a keystroke over 100,000 loans ≤ 100 ms) shows exactly the rows whose search
key holds every word typed, whether the query grows, shrinks or is replaced, across sorts, with the current loan
kept current by a sort."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fundapp.formatting import matches
from fundapp.ui.pages.loans import loan_columns
from fundapp.ui.widgets.row_filter import RowFilterProxy
from fundapp.ui.widgets.table_model import RowTableModel
from fundapp.ui.widgets.table_view import TableView
from tests.gui.test_models_and_speed import fake_loans

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def shown(proxy) -> list[str]:
    return [proxy.row_at(proxy.index(r, 0)).loan_no for r in range(proxy.rowCount())]


def test_every_query_shows_exactly_the_matching_rows(qtbot, qtmodeltester):
    rows = fake_loans(3000)
    model, proxy = RowTableModel(loan_columns()), RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    for query in ("t", "ta", "tan", "tân th", "tan thanh", "tan", "", "Đakrông", "hop tac xa dak", "ba", "  ba lòng "):
        expected = [r.loan_no for r in model.rows if matches(query, r.search)]
        proxy.set_query(query)
        assert shown(proxy) == expected, query
        if query == "tan":
            proxy.sort(5, Qt.SortOrder.DescendingOrder)  # the rows move under the same query
            assert shown(proxy) == [r.loan_no for r in model.rows if matches(query, r.search)]
    proxy.set_query("hop tac")
    proxy.set_filter("overdue", lambda r: r.status == "overdue")
    assert shown(proxy) == [r.loan_no for r in model.rows if matches("hop tac", r.search) and r.status == "overdue"]
    proxy.set_query("hop tac xa")
    assert shown(proxy) == [r.loan_no for r in model.rows if matches("hop tac xa", r.search) and r.status == "overdue"]
    qtmodeltester.check(proxy)


def test_a_sort_keeps_the_current_loan_current(qtbot):
    model, proxy = RowTableModel(loan_columns()), RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(fake_loans(500))
    view = TableView(None, "t")
    qtbot.addWidget(view)
    view.setModel(proxy)
    proxy.set_query("hop tac xa")
    view.setCurrentIndex(proxy.index(7, 0))
    before = view.current_row()
    view.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    assert view.current_row() == before
    assert shown(proxy) == [r.loan_no for r in model.rows if matches("hop tac xa", r.search)]
    values = [proxy.index(r, 5).data(Qt.ItemDataRole.UserRole + 2) for r in range(proxy.rowCount())]
    assert values == sorted(values)
