"""English interface: the main window, its menus and every page read English; Vietnamese comes back afterwards.

And the other way round: in Vietnamese no page shows a text of the English catalogue, and Qt's own buttons
(served from fundapp/locale/vi/LC_MESSAGES/qt.mo) read Vietnamese; in English they are Qt's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from fundapp.ui import i18n
from fundapp.ui.main_window import PAGE_NAMES
from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so on show

ENGLISH_NAVIGATION = ["Overview", "Borrowers", "Applications", "Loans", "Reports", "Import", "Old book", "Settings",
                      "Waiting for me", "Log"]
VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


@contextmanager
def english_language() -> Iterator[None]:
    """English for the texts built inside; Vietnamese again afterwards, even when the block fails."""
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("vi")


@pytest.fixture
def english():
    with english_language():
        yield


@pytest.fixture
def english_window(english, request):
    """The main window over the sample book, built after the language is English."""
    return request.getfixturevalue("window")


def _interface_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget class, text) of the interface's own words: buttons, boxes, tabs, column headers, hints, actions.

    Labels and combo boxes are left out: they also show the book's data (names of places, sectors, amounts).
    """
    texts: list[tuple[str, str]] = []
    for widget in root.findChildren(QWidget):
        kind = type(widget).__name__
        texts.append((kind, widget.toolTip()))
        if isinstance(widget, QAbstractButton):
            texts.append((kind, widget.text()))
        elif isinstance(widget, QGroupBox):
            texts.append((kind, widget.title()))
        elif isinstance(widget, QLineEdit):
            texts.append((kind, widget.placeholderText()))
        elif isinstance(widget, QTabWidget):
            texts += [(kind, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model: no column headers
                columns = 0
            texts += [(kind, str(model.headerData(c, Qt.Orientation.Horizontal) or "")) for c in range(columns)]
    texts += [("QAction", action.text()) for action in root.findChildren(QAction)]
    return [(kind, text) for kind, text in texts if text]


def test_navigation_and_menus_read_english(english_window):
    win = english_window
    assert i18n.language() == "en"
    navigation = [win.nav.item(i).text() for i in range(win.nav.count())]
    assert navigation == ENGLISH_NAVIGATION
    assert {"Overview", "Borrowers", "Loans"} <= set(navigation)
    assert win.nav.item(0).toolTip() == "Overview (Ctrl+1)"
    assert [a.text() for a in win.page_actions] == ENGLISH_NAVIGATION
    assert [a.text() for a in win.menuBar().actions()] == ["&File", "&View", "&Book", "&Help"]
    assert win.windowTitle() == "book.sqlite — Cooperative Development Support Fund — Loan book"  # the book first


def _walk_every_page(win, qtbot, boxes) -> list[tuple[str, str]]:
    """Open every page and the first loan's page; the interface texts of the whole window then."""
    for name in PAGE_NAMES:
        win.show_page(name)
        wait_jobs(qtbot, win.env)
    loans = win.page("loans")
    assert loans.model.rows, "the sample book has loans"
    loans.open_row(loans.model.rows[0])
    wait_jobs(qtbot, win.env)
    assert loans.stack.currentWidget() is loans.detail and loans.detail.view is not None
    assert boxes.shown == []  # no page failed to open
    return _interface_texts(win)


def test_every_page_and_the_loan_page_show_english(english_window, qtbot, boxes):
    win = english_window
    texts = _walk_every_page(win, qtbot, boxes)
    vietnamese = sorted({(kind, text) for kind, text in texts if VIETNAMESE_LETTERS.search(text)})
    assert vietnamese == []
    assert {"&Disburse…", "Print &statement…", "Transaction history", "Loan amount"} <= {t for _, t in texts}


def test_english_language_is_undone_even_when_the_block_fails():
    with pytest.raises(RuntimeError), english_language():
        assert i18n.language() == "en" and i18n.tr("Khoản vay") == "Loans"
        raise RuntimeError("a failing test")
    assert i18n.language() == "vi" and i18n.tr("Khoản vay") == "Khoản vay"


def test_vietnamese_again_after_the_english_tests(window):
    """Runs after the English tests above: their fixture has set the language back."""
    assert i18n.language() == "vi"
    assert [window.nav.item(i).text() for i in range(window.nav.count())][:4] == [
        "Tổng quan", "Khách hàng", "Hồ sơ vay", "Khoản vay"]


def test_every_page_in_vietnamese_shows_no_english_text(window, qtbot, boxes):
    assert i18n.language() == "vi"
    english = {en.replace("&", "") for vi, en in i18n.english_pairs().items() if en.replace("&", "") != vi.replace(
        "&", "")}
    assert len(english) > 650
    texts = _walk_every_page(window, qtbot, boxes)
    assert len(texts) > 200
    assert sorted({(kind, text) for kind, text in texts if text.replace("&", "") in english}) == []
    assert {"&Giải ngân…", "Lịch sử giao dịch", "Số tiền vay"} <= {t for _, t in texts}


def _standard_button_texts() -> list[str]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
    try:
        return sorted(button.text().replace("&", "") for button in box.buttons())
    finally:
        box.deleteLater()


def test_qt_own_buttons_read_vietnamese_in_vietnamese_and_english_in_english(qapp):
    translator = i18n.install_qt_translator(QApplication.instance())
    try:
        assert _standard_button_texts() == ["Có", "Hủy", "Không", "Đồng ý"]
        with english_language():
            assert _standard_button_texts() == ["Cancel", "No", "OK", "Yes"]
    finally:
        QApplication.instance().removeTranslator(translator)
