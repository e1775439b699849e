"""Every table model passes qtmodeltester; 10,000 loans open and filter fast; PySide6 survives many calls."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel

from fundapp.formatting import search_key
from fundapp.services.queries import LoanListRow, list_loans
from fundapp.ui.pages.loans import loan_columns
from fundapp.ui.widgets.fields import MoneyEdit
from fundapp.ui.widgets.row_filter import RowFilterProxy
from fundapp.ui.widgets.table_model import Column, RowTableModel
from fundapp.ui.widgets.table_view import TableView
from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

NAMES = ["Hợp tác xã nấm Ba Nang", "Tổ hợp tác keo Ba Lòng", "Liên hiệp hợp tác xã tôm Tân Thành",
         "Hợp tác xã Đakrông", "Hợp tác xã ăn quả Ân Phú", "Hợp tác xã an toàn"]


def fake_loans(n: int) -> list[LoanListRow]:
    rnd = random.Random(7)
    rows = []
    for i in range(n):
        name = f"{rnd.choice(NAMES)} {i}"
        district = rnd.choice(["Huyện Đakrông", "Huyện Gio Linh", "Huyện Hải Lăng"])
        rows.append(LoanListRow(
            i + 1, f"HD{2020 + i % 5}-{i:05d}", f"KH{i:05d}", name, "htx", district, "Xã A", "nông nghiệp",
            rnd.randrange(1, 30) * 50_000_000, "6.6", "year", 36, 0, rnd.randrange(0, 3_000_000_000),
            rnd.randrange(0, 10) * 10_000_000, 0, rnd.randrange(0, 400), rnd.randrange(1, 6),
            date(2025, 1, 1) + timedelta(days=i % 90), rnd.randrange(0, 90_000_000), rnd.choice(["active", "overdue"]),
            None, None, search_key(name, district) + f" hd{2020 + i % 5}-{i:05d}"))
    return rows


def test_models_pass_qtmodeltester(window, qtbot, qtmodeltester):
    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    qtmodeltester.check(loans.model)
    loans.proxy.set_query("hop tac xa")
    qtmodeltester.check(loans.proxy)
    detail = loans.open_loan(loans.model.rows[0].id)
    wait_jobs(qtbot, window.env)
    qtmodeltester.check(detail.history_model)
    qtmodeltester.check(detail.schedule_model)
    borrowers = window.show_page("borrowers")
    wait_jobs(qtbot, window.env)
    qtmodeltester.check(borrowers.model)
    qtmodeltester.check(borrowers.proxy)
    apps = window.show_page("applications")
    wait_jobs(qtbot, window.env)
    qtmodeltester.check(apps.model)


def test_table_kit_sorts_in_vietnamese_and_numbers(qtbot, qtmodeltester, tmp_path):
    rows = fake_loans(60)
    model = RowTableModel(loan_columns())
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    qtmodeltester.check(proxy)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)  # borrower name
    names = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    first_letters = [n.split()[0] for n in names]
    assert first_letters.index("Hợp") < first_letters.index("Liên") < first_letters.index("Tổ")
    proxy.sort(5, Qt.SortOrder.DescendingOrder)  # outstanding, numerically
    values = [proxy.index(r, 5).data(Qt.ItemDataRole.UserRole + 2) for r in range(proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    # Vietnamese order: a < ă < â, d < đ
    words = RowTableModel([Column("t", lambda r: r)])
    words.set_rows(["đ", "e", "d", "â", "ă", "a"])
    words.sort(0)
    assert words.rows == ["a", "ă", "â", "d", "đ", "e"]
    # the view remembers widths and sort
    settings = QSettings(str(tmp_path / "t.ini"), QSettings.Format.IniFormat)
    view = TableView(settings, "t")
    view.setModel(proxy)
    view.setColumnWidth(1, 333)
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    view.save_state()
    again = TableView(settings, "t")
    again.setModel(proxy)
    assert again.columnWidth(1) == 333 and again.horizontalHeader().sortIndicatorSection() == 2


def test_ten_thousand_loans_open_and_filter_fast(qtbot, tmp_path):
    rows = fake_loans(10_000)
    view = TableView(QSettings(str(tmp_path / "t.ini"), QSettings.Format.IniFormat), "loans")
    model, proxy = RowTableModel(loan_columns()), RowFilterProxy()
    proxy.setSourceModel(model)
    view.setModel(proxy)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    start = time.perf_counter()
    model.set_rows(rows)
    view.repaint()
    opened = time.perf_counter() - start
    typed, worst = "hop tac xa dak", 0.0
    for i in range(1, len(typed) + 1):
        start = time.perf_counter()
        proxy.set_query(typed[:i])
        view.repaint()
        worst = max(worst, time.perf_counter() - start)
    assert 0 < proxy.rowCount() < 10_000
    start = time.perf_counter()
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    view.repaint()
    sorted_in = time.perf_counter() - start
    print(f"\n10,000 loans: open {opened * 1000:.0f} ms, worst keystroke {worst * 1000:.0f} ms, "
          f"sort by name {sorted_in * 1000:.0f} ms")
    assert opened < 0.5 and worst < 0.1


def test_money_edit_groups_as_typed_and_keeps_big_amounts(qtbot):
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    seen = []
    edit.valueChanged.connect(seen.append)
    qtbot.keyClicks(edit, "9450000000")
    assert edit.text() == "9.450.000.000" and edit.value() == 9_450_000_000 and seen[-1] == 9_450_000_000
    edit.setCursorPosition(1)  # after the 9: typing a digit there keeps every other digit
    qtbot.keyClicks(edit, "1")
    assert edit.text() == "91.450.000.000"
    edit.setText("9,45 tỷ")
    assert edit.value() == 9_450_000_000
    edit.setText("500 triệu")
    edit.editingFinished.emit()
    assert edit.text() == "500.000.000"


class _Emitter(QObject):
    fired = Signal(object)


def test_pyside_survives_many_void_calls_and_emits(qtbot):
    """PySide6 6.12.0 aborts CPython 3.11 after a few thousand such calls (NOTES.md): keep this test."""
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))
    emitter, got = _Emitter(), []
    emitter.fired.connect(got.append)
    for _ in range(20_000):
        emitter.fired.emit(True)
    assert label.text() == "19999" and len(got) == 20_000


def test_loan_list_matches_service(window, qtbot):
    page = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    assert {r.id: r.principal_outstanding for r in page.model.rows} == \
        {r.id: r.principal_outstanding for r in list_loans(window.env.ctx)}
    page.group.setCurrentIndex(page.group.findData("bad"))
    assert page.proxy.rowCount() > 0
    assert all(page.proxy.row_at(page.proxy.index(r, 0)).debt_group >= 3 for r in range(page.proxy.rowCount()))
