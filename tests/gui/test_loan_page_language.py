"""Issue 16, the reviewer's GUI findings: in English the loan, loans, overview and reports pages show no Vietnamese
word of the interface in any visible text (labels too, not only buttons and headers) — only the book's own data
(names, places, purposes, notes) stays as entered; in Vietnamese no English sentence of the catalogue. The rate's
unit comes from the catalogue ("7,2 %/năm" / "7,2 %/year"); the papers stay Vietnamese whatever the language.
Screenshots in /tmp/fundapp-shots/loan-page-*.png."""

from __future__ import annotations

import csv
import re
from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTableView,
    QTabWidget,
    QWidget,
)

from fundapp.formatting import rate, rate_message
from fundapp.ui import i18n
from tests.golden import GOLDEN, SAMPLE
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


def _english_sentences() -> set[str]:
    """The English catalogue's texts of more than one word that differ from their Vietnamese."""
    return {en.replace("&", "") for vi, en in i18n.english_pairs().items()
            if en.replace("&", "") != vi.replace("&", "") and " " in en}


def test_the_vietnamese_pages_show_no_english_sentence(window, qtbot, boxes):
    english = _english_sentences()
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


@pytest.fixture
def events_window(book_url, qsettings, qtbot, boxes):
    """The main window over sample-fund-events (read on 31/12/2025), HD2024-035 and HD2022-025 with a pledged
    plot of land each (added through the collateral service)."""
    from fundapp.app import open_book
    from fundapp.services import collateral
    from fundapp.services.imports import check_and_import
    from tests.gui.conftest import shown_window

    ctx = open_book(book_url, user="tester", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    for loan_no in ("HD2024-035", "HD2022-025"):
        collateral.add(ctx, dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5", owner="HTX",
                                 value=1_500_000_000, valued_on=date(2023, 3, 1)), loan_no=loan_no)
    win = shown_window(ctx, qsettings, qtbot)
    yield win
    wait_jobs(qtbot, win.env)
    ctx.db.dispose()


def _boxes_not_whole(detail) -> list[tuple[str, str]]:
    """(box title, why) of every shown box of the loan page that needs more than it has or lies partly outside
    what the window shows; and the same for each wrapped label inside."""
    bad = []
    for box in detail.findChildren(QGroupBox):
        if not box.isVisibleTo(detail):
            continue
        need = box.heightForWidth(box.width()) if box.hasHeightForWidth() else box.sizeHint().height()
        if need > box.height() + 1:
            bad.append((box.title(), f"needs {need} px of height, has {box.height()}"))
        shown = box.visibleRegion().boundingRect()
        if shown != box.rect():
            bad.append((box.title(), f"shows {shown.height()} of {box.height()} px"))
        for label in box.findChildren(QLabel):
            if label.isVisibleTo(box) and label.wordWrap() and label.text():
                if label.heightForWidth(label.width()) > label.height() + 1:
                    bad.append((box.title(), f"«{label.text()[:30]}…» needs {label.heightForWidth(label.width())} "
                                             f"px, has {label.height()}"))
    return bad


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_box_of_the_loan_page_shows_whole_at_1366x768(language, request, qtbot):
    """The reviewer's page: HD2024-035 on 31/12/2024 (restructured twice, under watch: three lines, the third cut in
    half) and its collateral box (hidden below a 50 px pane until one scrolled); HD2022-025 written off. Every box
    whole without scrolling, the history still showing rows below."""
    with english_language() if language == "en" else nullcontext():
        win = request.getfixturevalue("events_window")
        assert (win.width(), win.height()) == (1366, 768)
        for loan_no, as_of in (("HD2024-035", date(2024, 12, 31)), ("HD2022-025", date(2025, 12, 31))):
            detail = open_loan(win, qtbot, loan_no)
            detail.as_of.setValue(as_of)
            wait_jobs(qtbot, win.env)
            try:  # the boxes take their texts' height in the layout requests that follow the answer
                qtbot.waitUntil(lambda d=detail: not _boxes_not_whole(d), timeout=3000)
            except Exception:
                pass  # asserted below, with the reasons
            SHOTS.mkdir(exist_ok=True)
            win.grab().save(str(SHOTS / f"loan-page-boxes-{language}-{loan_no}.png"))
            assert detail.events_box.isVisible() and detail.coverage_box.isVisible()
            assert detail.events_box.text.text().count("<br>") >= 1
            assert "152,72 %" in detail.coverage_box.figure.text() or loan_no != "HD2024-035"
            assert _boxes_not_whole(detail) == [], loan_no
            texts = _visible_texts(win)
            if language == "en":  # the events box, the history's kinds and notes: English but the book's data
                data = _book_data(GOLDEN / "sample-fund-events")
                assert [t for t in texts if VIETNAMESE_LETTERS.search(_without_data(t, data))] == [], loan_no
            else:
                assert [t for t in texts if t.replace("&", "") in _english_sentences()] == [], loan_no
            if language == "en":  # one asset, two restructurings: singular and plural from the catalogue
                assert detail.coverage_box.detail.text().startswith("1 asset pledged, value 1.500.000.000 đ;")
                if loan_no == "HD2024-035":
                    assert detail.events_box.text.text().startswith("Restructured 2 times.<br>")
            assert detail.history.height() >= 100 and detail.history.isVisible()
            scroll = detail.findChild(QScrollArea)
            assert scroll.verticalScrollBar().maximum() == 0  # the whole page in the window: nothing to scroll to
        win.resize(1093, 614)  # 1366×768 at 125 %: the page scrolls, and no box is squeezed
        qtbot.wait(50)
        win.grab().save(str(SHOTS / f"loan-page-boxes-{language}-125pct.png"))
        # whole, and in view unless the page scrolls
        assert [why for why in _boxes_not_whole(detail)
                if "needs" in why[1] or not scroll.verticalScrollBar().maximum()] == []


def test_the_settings_product_table_reads_english(english_window, qtbot, sample_ctx):
    """The products' rate and months in English: "7,2 %/year", "1 month" (not "%/năm", "1 months")."""
    from fundapp.domain.terms import LoanTerms
    from fundapp.services.products import save_product

    save_product(sample_ctx, "SX12", "Cho vay sản xuất", LoanTerms(amount=1, rate=Decimal("7.2"), term_months=12))
    page = english_window.show_page("settings")
    wait_jobs(qtbot, english_window.env)
    qtbot.waitUntil(lambda: page.product_table.rowCount() == 1)
    assert [page.product_table.item(0, c).text() for c in (2, 3, 4)] == ["7,2 %/year", "12 months", "1 month"]
