"""Issue 16, the reviewer's GUI findings: in English the loan, loans, overview and reports pages show no Vietnamese
word of the interface in any visible text (labels too, not only buttons and headers) — only the book's own data
(names, places, purposes, notes) stays as entered; in Vietnamese no English sentence of the catalogue. The rate's
unit comes from the catalogue ("7,2 %/năm" / "7,2 %/year"); the papers stay Vietnamese whatever the language.
Screenshots in /tmp/fundapp-shots/loan-page-*.png."""

from __future__ import annotations

import csv
import re
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QGroupBox, QLabel, QTableView, QTabWidget, QWidget

from fundapp.formatting import rate, rate_message
from fundapp.ui import i18n
from tests.golden import SAMPLE
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import open_loan
from tests.gui.test_english import VIETNAMESE_LETTERS, english_language

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
SHOTS = Path("/tmp/fundapp-shots")
MONEY = re.compile(r"(?<=\d) đ\b")


@pytest.fixture
def english_window(request):
    """The main window over the sample book, built after the language is English (Vietnamese again after)."""
    with english_language():
        yield request.getfixturevalue("window")


def _book_data(folder: Path) -> list[str]:
    """Every cell of the imported files (names, places, purposes, sectors…), longest first: data, not interface."""
    cells = set()
    for path in folder.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            cells |= {c.strip() for row in csv.reader(f) for c in row if c.strip()}
    cells.add(f"Nhập từ {folder.name}")  # the import's note on each entry, stored in the book as written then
    return sorted(cells, key=len, reverse=True)


def _visible_texts(root: QWidget, rows: int = 8) -> list[str]:
    """The texts a user sees: labels, buttons, box titles, tabs, column headers and the first ``rows`` rows of
    every visible table."""
    texts = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m, top = w.model(), QModelIndex()
            try:
                columns = m.columnCount(top)
            except TypeError:  # a list widget's model: one column
                columns = 1
            if isinstance(w, QTableView):
                texts += [str(m.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
            texts += [str(m.index(r, c).data() or "") for r in range(min(rows, m.rowCount(top)))
                      for c in range(columns)]
    return [t for t in texts if t]


def _without_data(text: str, data: list[str]) -> str:
    text = MONEY.sub("", text)  # "840.000.000 đ": the đồng's sign after an amount, as ₫ would be
    for value in data:
        text = text.replace(value, " ")
    return text


def _pages(win, qtbot, loan_no: str):
    """(name, texts) of the overview, reports, loans list and the loan page of ``loan_no``."""
    shown = []
    for name in ("overview", "reports", "loans"):
        win.show_page(name)
        wait_jobs(qtbot, win.env)
        shown.append((name, _visible_texts(win)))
        SHOTS.mkdir(exist_ok=True)
        win.grab().save(str(SHOTS / f"loan-page-{i18n.language()}-{name}.png"))
    open_loan(win, qtbot, loan_no)
    shown.append(("loan", _visible_texts(win)))
    win.grab().save(str(SHOTS / f"loan-page-{i18n.language()}-{loan_no}.png"))
    return shown


def test_the_english_pages_show_no_vietnamese_word_but_the_book_s_data(english_window, qtbot, boxes):
    win = english_window
    data = _book_data(SAMPLE)
    found = []
    for page, texts in _pages(win, qtbot, "HD2024-019"):
        found += [(page, t) for t in texts if VIETNAMESE_LETTERS.search(_without_data(t, data))]
    assert "\n".join(map(repr, found)) == ""
    detail = win.page("loans").detail
    assert detail.terms_labels["rate"].text() == "7,2 %/year"
    assert detail.terms_labels["overdue"].text() == "1,5 × in-term interest / 10 %/year"
    assert detail.terms_labels["term"].text() == "48 months, repaid monthly (48 installments)"
    assert boxes.shown == []


def test_the_vietnamese_pages_show_no_english_sentence(window, qtbot, boxes):
    english = {en.replace("&", "") for vi, en in i18n.english_pairs().items()
               if en.replace("&", "") != vi.replace("&", "") and " " in en}
    found = []
    for page, texts in _pages(window, qtbot, "HD2024-019"):
        found += [(page, t) for t in texts if t.replace("&", "") in english]
    assert found == []
    detail = window.page("loans").detail
    assert detail.terms_labels["rate"].text() == "7,2 %/năm"
    assert detail.terms_labels["term"].text() == "48 tháng, trả hằng tháng (48 kỳ)"


def test_the_rate_unit_comes_from_the_catalogue_and_papers_stay_vietnamese():
    assert rate(Decimal("7.2")) == "7,2 %/năm" and rate(Decimal("0.5"), "month") == "0,5 %/tháng"
    with english_language():
        assert str(rate_message(Decimal("7.2"))) == "7,2 %/year"
        assert str(rate_message(Decimal("0.5"), "month")) == "0,5 %/month"
        assert rate(Decimal("7.2")) == "7,2 %/năm"  # papers are Vietnamese in any language
    assert str(rate_message(Decimal("7.2"))) == "7,2 %/năm"


def test_the_papers_terms_are_vietnamese_in_english_mode(sample_ctx):
    """The contract's values (services.paper_values) and the PDF papers' terms (documents.sections) are the same
    Vietnamese text in English mode."""
    from fundapp.documents.sections import terms_text
    from fundapp.services.loans import loan_page
    from fundapp.services.paper_values import loan_context
    from fundapp.services.queries import list_loans

    loan = next(r for r in list_loans(sample_ctx) if r.loan_no == "HD2024-019")
    terms = loan_page(sample_ctx, loan.id, sample_ctx.today())[0].terms
    vietnamese = loan_context(sample_ctx, "contract", "HD2024-019"), terms_text(terms)
    with english_language():
        english = loan_context(sample_ctx, "contract", "HD2024-019"), terms_text(terms)
    assert english == vietnamese
    assert (vietnamese[0]["rate"], vietnamese[0]["late_interest_rate"]) == ("7,2 %/năm", "10 %/năm")
    assert dict(vietnamese[1])["Lãi suất:"].startswith("7,2 %/năm; ")


def _cut_headers(root: QWidget) -> list[tuple[str, int, int]]:
    """(header, width it needs, width it has) of every visible table column whose header text is cut."""
    cut = []
    for view in root.findChildren(QTableView):
        if not view.isVisibleTo(root) or view.model() is None:
            continue
        header = view.horizontalHeader()
        for c in range(header.count()):
            if header.isSectionHidden(c) or not header.isVisible():
                continue
            need, has = header.sectionSizeFromContents(c).width(), header.sectionSize(c)
            if need > has + 1:
                cut.append((str(view.model().headerData(c, Qt.Orientation.Horizontal)), need, has))
    return cut


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_table_header_is_cut_at_1366x768(language, request, qtbot):
    """The history's "Overdue interest", "Late-payment interest" were cut ("verdue interest", "ayment interest"):
    every column of the loan page's history and schedule and of the loans and reports pages shows its header whole."""
    with english_language() if language == "en" else nullcontext():
        win = request.getfixturevalue("window")
        assert win.size().width() == 1366
        cut = []
        for name in ("loans", "reports"):
            win.show_page(name)
            wait_jobs(qtbot, win.env)
            cut += [(name, *c) for c in _cut_headers(win)]
        detail = open_loan(win, qtbot, "HD2024-019")
        for tab in range(detail.tabs.count()):
            detail.tabs.setCurrentIndex(tab)
            qtbot.wait(10)
            cut += [(f"loan tab {tab}", *c) for c in _cut_headers(win)]
        SHOTS.mkdir(exist_ok=True)
        detail.tabs.setCurrentIndex(0)
        win.grab().save(str(SHOTS / f"loan-page-headers-{language}.png"))
    assert cut == []
