"""The borrowers page's search matches the representative (người đại diện, in the search key since migration 0009):
a row it finds shows the representative in a column of its own, whole at 1366×768, sortable in Vietnamese order.
Ten columns are more than a 1366 px window holds: the members' count starts hidden, one right click on the header
away, and stays as the officer leaves it. Screenshot in /tmp/fundapp-shots/borrowers-representative.png."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from fundapp.formatting import fold
from fundapp.services.borrowers import list_borrowers, save_borrower
from fundapp.ui.widgets.table_view import TableView
from tests.gui.conftest import shown_window, wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so on show
SHOTS = Path("/tmp/fundapp-shots")
REPRESENTATIVES = {"KH0002": "Trần Thị Bích Ngọc", "KH0005": "Đỗ Văn Dũng", "KH0009": "Ân Thị Mai",
                   "KH0013": "An Văn Bình", "KH0017": "Dương Thị Lan"}


@pytest.fixture
def page(sample_ctx, qsettings, qtbot, boxes):
    """The borrowers page of the sample book, five borrowers with a representative, in a 1366×768 window."""
    for b in list_borrowers(sample_ctx):
        if b.code in REPRESENTATIVES:
            fields = {k: v for k, v in asdict(b).items() if k not in ("id", "search", "version")}
            save_borrower(sample_ctx, {**fields, "representative": REPRESENTATIVES[b.code]}, b.id, b.version)
    win = shown_window(sample_ctx, qsettings, qtbot)
    borrowers = win.show_page("borrowers")
    wait_jobs(qtbot, win.env)
    return borrowers


def _column(page, header: str) -> int:
    return next(c for c in range(page.model.columnCount())
                if page.model.headerData(c, Qt.Orientation.Horizontal) == header)


def _seen(page, row: int) -> dict[str, str]:
    """Header → text of each cell of the shown row ``row`` that the officer reads whole: its column shown, inside
    the table's visible width, wide enough for the text."""
    view, width = page.table, page.table.viewport().width()
    seen = {}
    for c in range(page.proxy.columnCount()):
        left, wide = view.columnViewportPosition(c), view.columnWidth(c)
        text = str(page.proxy.index(row, c).data() or "")
        if not view.isColumnHidden(c) and 0 <= left and left + wide <= width \
                and view.fontMetrics().horizontalAdvance(text) + 12 <= wide:
            seen[str(page.model.headerData(c, Qt.Orientation.Horizontal))] = text
    return seen


def test_a_borrower_found_by_its_representative_shows_the_representative(page, qtbot):
    assert page.table.horizontalScrollBar().maximum() == 0  # every shown column inside the 1366 px window
    qtbot.keyClicks(page.search, "bich ngoc")
    assert page.proxy.rowCount() == 1
    seen = _seen(page, 0)
    assert seen["Mã KH"] == "KH0002" and seen["Người đại diện"] == "Trần Thị Bích Ngọc"
    assert all(word in fold(" ".join(seen.values())) for word in ("bich", "ngoc"))  # what matched is on screen
    assert seen["Dư nợ"] == "241.666.670"  # the outstanding still whole beside it
    SHOTS.mkdir(exist_ok=True)
    page.window().grab().save(str(SHOTS / "borrowers-representative.png"))


def test_a_click_on_the_representative_header_sorts_in_vietnamese_order(page, qtbot):
    header, column = page.table.horizontalHeader(), _column(page, "Người đại diện")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2))
    shown = [page.proxy.index(r, column).data() for r in range(page.proxy.rowCount())]
    # a < â, d < đ (Python's sorted() would put Ân and Đỗ after Trần)
    assert [s for s in shown if s] == ["An Văn Bình", "Ân Thị Mai", "Dương Thị Lan", "Đỗ Văn Dũng",
                                       "Trần Thị Bích Ngọc"]


def test_the_members_count_is_one_right_click_away_and_stays_as_left(page, qsettings):
    view, members = page.table, _column(page, "Thành viên")
    assert view.isColumnHidden(members)
    entries = {a.text(): a for a in view.column_menu().actions() if a.isCheckable()}
    assert list(entries) == [str(page.model.headerData(c, Qt.Orientation.Horizontal))
                             for c in range(page.model.columnCount())]
    assert not entries["Thành viên"].isChecked() and entries["Người đại diện"].isChecked()
    entries["Thành viên"].trigger()
    assert not view.isColumnHidden(members) and view.columnWidth(members) >= 60
    view.column_menu().actions()[_column(page, "Người đại diện")].trigger()  # the representative can go too
    assert view.isColumnHidden(_column(page, "Người đại diện"))
    view.save_state()
    again = TableView(qsettings, "borrower_list")
    again.setModel(page.proxy)
    assert not again.isColumnHidden(members) and again.isColumnHidden(_column(page, "Người đại diện"))


def test_in_english_every_shown_column_is_whole_at_1366_px(sample_ctx, qsettings, qtbot, boxes):
    """The English headers are longer than the Vietnamese («Principal outstanding» against «Dư nợ gốc»): the nine
    columns shown still fit a 1366×768 window, no header cut, the outstanding whole at the right edge, its header's
    tooltip saying it is the principal of the borrower's loans."""
    from tests.gui.test_english import english_language

    with english_language():
        win = shown_window(sample_ctx, qsettings, qtbot)
        page = win.show_page("borrowers")
        wait_jobs(qtbot, win.env)
        view, header = page.table, page.table.horizontalHeader()
        shown = [str(page.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(header.count())
                 if not header.isSectionHidden(c)]
        assert view.horizontalScrollBar().maximum() == 0, "the table scrolls sideways"
        assert [c for c in range(header.count()) if not header.isSectionHidden(c)
                and header.sectionSize(c) < header.sectionSizeFromContents(c).width()] == []  # no header cut
        row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == "KH0002")
        seen = _seen(page, row)
        assert list(seen) == shown  # every column shown is whole inside the window
        assert seen[shown[-1]] == "241.666.670"
        tip = page.model.headerData(len(page.model.columns) - 1, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole)
        assert tip and "rincipal" in tip
        SHOTS.mkdir(exist_ok=True)
        win.grab().save(str(SHOTS / "borrowers-en-1366.png"))
