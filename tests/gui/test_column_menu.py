"""A table's header menu (right click) shows and hides columns, never the ones that say which row a line is (the
first column, the borrower's name…), and «Hiện lại các cột mặc định» brings the page's own columns back: the
default ones shown at their default widths, also after the program is started again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from fundapp.ui.widgets.table_view import TableView
from tests.gui.conftest import shown_window, wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so on show
RESET = "Hiện lại các cột mặc định"
SHOTS = Path("/tmp/fundapp-shots")


def _borrowers(win, qtbot):
    page = win.show_page("borrowers")
    wait_jobs(qtbot, win.env)
    return page


def _menu(view: TableView) -> dict:
    """The header menu's entries by their text (the separator left out)."""
    return {a.text(): a for a in view.column_menu().actions() if a.text()}


def _shown(view: TableView) -> list[str]:
    """The headers of the columns shown, left to right."""
    header, model = view.horizontalHeader(), view.model()
    return [str(model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal)) for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))]


def _widths(view: TableView) -> dict[str, int]:
    """The width of each column shown but the last, which fills what the window leaves (a vertical scroll bar or
    not)."""
    header, model = view.horizontalHeader(), view.model()
    last = max(header.visualIndex(c) for c in range(header.count()) if not header.isSectionHidden(c))
    return {str(model.headerData(c, Qt.Orientation.Horizontal)): header.sectionSize(c) for c in range(header.count())
            if not header.isSectionHidden(c) and header.visualIndex(c) != last}


def _restarted(qsettings: QSettings) -> QSettings:
    """The same settings file read again, as the program reads it when started anew."""
    qsettings.sync()
    return QSettings(qsettings.fileName(), QSettings.Format.IniFormat)


def test_the_code_and_the_name_stay_whatever_the_officer_hides(window, qtbot, qsettings):
    view = _borrowers(window, qtbot).table
    entries = _menu(view)
    for key in ("Mã KH", "Tên khách hàng"):
        assert entries[key].isChecked() and not entries[key].isEnabled()
    while hide := [a for a in _menu(view).values() if a.isCheckable() and a.isEnabled() and a.isChecked()]:
        hide[0].trigger()  # the officer unticks every column the menu lets go
    assert _shown(view) == ["Mã KH", "Tên khách hàng"]
    view.show_column(0, False)
    assert _shown(view) == ["Mã KH", "Tên khách hàng"]
    view.save_state()
    again = TableView(_restarted(qsettings), "borrower_list")
    again.setModel(view.model())
    assert _shown(again) == ["Mã KH", "Tên khách hàng"]


def test_a_table_saved_without_its_code_and_name_shows_them_again(window, qtbot, qsettings):
    """A choice remembered before these columns were kept (both hidden) does not leave the officer without them."""
    view = _borrowers(window, qtbot).table
    header = view.horizontalHeader()
    for column in (0, 1):
        header.hideSection(column)  # what the menu let an officer do before
    view.save_state()
    again = TableView(_restarted(qsettings), "borrower_list")
    again.setModel(view.model())
    assert _shown(again)[:2] == ["Mã KH", "Tên khách hàng"]


def test_the_default_columns_come_back_and_stay_after_a_restart(sample_ctx, qsettings, qtbot, boxes):
    win = shown_window(sample_ctx, qsettings, qtbot)
    view = _borrowers(win, qtbot).table
    default_shown, default_widths = _shown(view), _widths(view)
    assert "Thành viên" not in default_shown and "Người đại diện" in default_shown
    entries = _menu(view)
    entries["Thành viên"].trigger()
    entries["Người đại diện"].trigger()
    view.horizontalHeader().moveSection(5, 2)  # the district dragged next to the name
    view.setColumnWidth(1, 400)
    view.save_state()
    assert _shown(view) != default_shown
    _menu(view)[RESET].trigger()
    assert _shown(view) == default_shown and _widths(view) == default_widths
    win.close()  # the program ends: the table saves what it shows
    again = shown_window(sample_ctx, _restarted(qsettings), qtbot)
    view = _borrowers(again, qtbot).table
    assert _shown(view) == default_shown and _widths(view) == default_widths


def _elided_headers(view: TableView) -> list[str]:
    """The headers shown narrower than their text (Qt then elides them: «Principal outst…»)."""
    header, model = view.horizontalHeader(), view.model()
    return [f"{model.headerData(c, Qt.Orientation.Horizontal)} {header.sectionSize(c)} px"
            for c in range(header.count()) if not header.isSectionHidden(c)
            and header.sectionSize(c) < header.sectionSizeFromContents(c).width()]


def test_in_english_widths_saved_in_vietnamese_cut_no_header(sample_ctx, qsettings, qtbot, boxes):
    """An officer who worked in Vietnamese switches to English: the widths saved for the Vietnamese headers come
    back, yet every header shown reads whole at 1366×768, also once the members' count is shown, and the Type
    column fits its longest text as it does on a first start."""
    from tests.gui.test_english import english_language

    vietnamese = shown_window(sample_ctx, qsettings, qtbot)
    _borrowers(vietnamese, qtbot)
    vietnamese.close()  # a day in Vietnamese: the borrowers' widths saved
    assert qsettings.contains("tables/borrower_list")
    with english_language():
        win = shown_window(sample_ctx, _restarted(qsettings), qtbot)
        page = _borrowers(win, qtbot)
        view = page.table
        assert _elided_headers(view) == []
        _menu(view)["Members"].trigger()
        qtbot.wait(20)
        assert _elided_headers(view) == []
        kind = _shown(view).index("Type")
        widest = max(view.fontMetrics().horizontalAdvance(str(page.proxy.index(r, kind).data()))
                     for r in range(page.proxy.rowCount()))
        assert view.columnWidth(kind) >= widest + 12
        SHOTS.mkdir(exist_ok=True)
        win.grab().save(str(SHOTS / "borrowers-en-members.png"))
        _menu(view)["Show the default columns"].trigger()
        assert _elided_headers(view) == []


def _codes(page) -> list[str]:
    """The borrowers' codes, top to bottom as shown."""
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def test_the_default_columns_bring_back_the_default_order(sample_ctx, qsettings, qtbot, boxes):
    """«Hiện lại các cột mặc định» gives the table its first start's order too: no sort arrow, the rows in the order
    the service reads them, also after the program is started again."""
    win = shown_window(sample_ctx, qsettings, qtbot)
    page = _borrowers(win, qtbot)
    view, header = page.table, page.table.horizontalHeader()
    default_order = _codes(page)
    assert header.sortIndicatorSection() == -1 and len(default_order) > 2
    name = _shown(view).index("Tên khách hàng")
    for _ in range(2):  # the officer sorts by name, then by name from Z to A
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(name) + 10, header.height() // 2))
    assert header.sortIndicatorSection() == name and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _codes(page) != default_order
    view.save_state()
    _menu(view)[RESET].trigger()
    assert header.sortIndicatorSection() == -1 and _codes(page) == default_order
    win.env.changes.announce("borrowers")  # the list read again keeps the book's order
    wait_jobs(qtbot, win.env)
    assert _codes(page) == default_order
    SHOTS.mkdir(exist_ok=True)
    win.grab().save(str(SHOTS / "borrowers-default-order.png"))
    win.close()
    again = shown_window(sample_ctx, _restarted(qsettings), qtbot)
    page = _borrowers(again, qtbot)
    assert page.table.horizontalHeader().sortIndicatorSection() == -1 and _codes(page) == default_order
