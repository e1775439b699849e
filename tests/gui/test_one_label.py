"""One figure, one label, on screen and on paper (issue 13.4/13.8), read back from both: the loan page's history and
the printed statement name each entry the same; the loan page's balances box and the statement's balances table
word each figure the same; the reports page's quarterly tables, the quarterly PDF's rows and the .xlsx's headers word
each figure and debt group the same. Before, the statement said «Trả nợ» where the page said «Thu nợ», the page
«Cơ cấu lại nợ» where the quarterly printed «Cơ cấu lại thời hạn trả nợ», «Gốc quá hạn» where the statement printed
«nợ gốc quá hạn», and the reports page «Số lần giải ngân», «Nợ quá hạn gốc» where both report files printed «Số lượt
giải ngân», «Nợ gốc quá hạn»."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from fundapp.documents.model import HistoryLine
from fundapp.documents.report_labels import BREAKDOWN_COLUMNS, SUMMARY_LINES
from fundapp.documents.reports_pdf import PDF_HEADINGS
from fundapp.documents.sections import history_table
from fundapp.domain.events import ENTRY_KIND_LABELS
from fundapp.domain.labels import DEBT_GROUP_NAMES, QUOTE_LABELS
from fundapp.ui import loan_history
from fundapp.ui.loan_detail import BALANCES
from tests.golden import GOLDEN
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import open_loan
from tests.gui.test_pages_reports import page  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def pdf_lines(pdf: bytes, mode: str = "-layout") -> list[str]:
    """The PDF's text as poppler reads it (``-layout``: as laid out on the page, runs of spaces kept; ``-raw``: in
    the order it is drawn), one line a string."""
    out = subprocess.run(["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8").splitlines()


def squashed(text: str) -> str:
    return " ".join(text.split())


class _Row:
    """A history row as the loan page's model reads it (``services.loans.EntryRow``'s fields the kind column uses)."""

    def __init__(self, kind: str) -> None:
        self.kind, self.id, self.reversed_by, self.reverses = kind, 1, None, None


@pytest.mark.parametrize("kind", [k for k in ENTRY_KIND_LABELS if k not in ("reversal", "recovery")])
def test_every_entry_kind_is_one_label_in_the_history_column_and_the_statement_cell(kind):
    screen = loan_history._history_columns()[1].value(_Row(kind))
    table = history_table([HistoryLine(date(2024, 3, 1), kind, "X-1", 1_000_000)])
    paper = table._cellvalues[1][2]  # the statement's «Diễn giải» cell of the one row (row 0: the header)
    assert screen == paper == ENTRY_KIND_LABELS[kind]


def test_a_recovery_is_named_alike_on_the_page_and_on_the_statement():
    table = history_table([HistoryLine(date(2024, 12, 31), "recovery", "PT-9", 10_000_000, 10_000_000)])
    assert table._cellvalues[1][2] == ENTRY_KIND_LABELS["recovery"] == "Thu hồi nợ đã xử lý rủi ro"


@pytest.fixture
def events_window(book_url, qsettings, qtbot, boxes):
    """The main window over sample-fund-events, read on 31/12/2025 (restructurings, reliefs, write-offs and
    recoveries)."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from tests.gui.conftest import shown_window

    ctx = open_book(book_url, user="tester", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    win = shown_window(ctx, qsettings, qtbot)
    yield win
    wait_jobs(qtbot, win.env)
    ctx.db.dispose()


def test_the_loan_page_and_its_statement_name_every_entry_and_figure_alike(events_window, qtbot):
    """Three loans of the events book (a write-off with two recoveries, one of them reversed; a relief; two
    restructurings): each history row of the page reads, on the statement's line of the same date and reference, the
    same label; each caption of the page's balances box is printed on the statement."""
    from fundapp.services import documents, posting

    ctx = events_window.env.ctx
    compared: set[str] = set()
    for loan_no in ("HD2022-029", "HD2023-008", "HD2022-023"):
        detail = open_loan(events_window, qtbot, loan_no)
        if loan_no == "HD2022-029":  # a reversed recovery: struck on the page, «(Đã hủy)» on the statement
            row = next(r for r in detail.history_model.rows if r.reference == "PT-00216")
            posting.reverse_entry(ctx, row.id, "Ghi nhầm")
            detail = open_loan(events_window, qtbot, loan_no)
        model = detail.history_model
        shown = [(model.index(i, 0).data(), model.index(i, 2).data(), model.index(i, 1).data(), model.rows[i].active)
                 for i in range(model.rowCount())]
        pdf = documents.preview_document(ctx, "statement", loan_no, on=date(2025, 12, 31))
        raw = squashed(" ".join(pdf_lines(pdf, "-raw")))  # in drawing order: a cell's lines stay together
        history = raw[raw.index("LỊCH SỬ GIAO DỊCH"):]
        for on, reference, label, active in shown:
            # the history's row comes first (the events section below repeats a life event's date and reference)
            printed = re.search(rf"{re.escape(on)} {re.escape(reference)} (.*)", history)
            if label == ENTRY_KIND_LABELS["reversal"]:  # the statement prints the reversed entry «(Đã hủy)» instead
                assert printed is None, printed
                continue
            assert printed and re.match(rf"{re.escape(label)}( |$)", printed.group(1)), (label, printed)
            compared.add(label)
            if active and label in (ENTRY_KIND_LABELS["restructure"], ENTRY_KIND_LABELS["write_off"],
                                    ENTRY_KIND_LABELS["recovery"]):
                # the events section's line of the same entry in force starts with the same label, words put after it
                # (a reversed recovery is named as one in the history, PT-00216, and has no line there)
                event = re.search(rf"{re.escape(on)} {re.escape(reference)} (.*)", history[printed.start(1):])
                assert event and re.match(rf"{re.escape(label)}[ :]", event.group(1)), (label, event)
        text = squashed(" ".join(pdf_lines(pdf))).casefold()
        # a written-off or settled loan's statement asks for nothing: no payable table, no settlement line (it says
        # why); the page still shows the quote's 0 đ
        nothing_payable = any(f"khoản vay {w} ngày" in text for w in ("đã xử lý rủi ro (xóa nợ bằng dự phòng)",
                                                                       "đã tất toán"))
        for name, caption, _tip in BALANCES:
            if nothing_payable and name in QUOTE_LABELS:
                assert caption.casefold() not in text, caption
                continue
            assert caption.casefold() in text, caption
    assert compared == {ENTRY_KIND_LABELS[k] for k in ("disbursement", "repayment", "restructure", "interest_relief",
                                                       "write_off", "recovery")}


def test_the_reports_page_the_quarterly_pdf_and_xlsx_word_each_figure_alike(page, sample_ctx, tmp_path):  # noqa: F811
    reports_page = page  # the reports page on 2023 Q4 of the sample book (test_pages_reports' fixture)
    from fundapp.services.report_documents import quarterly_pdf, write_quarterly

    summary = reports_page.summary
    screen = {summary.item(r, 0).text(): summary.item(r, 1).text() for r in range(summary.rowCount())}
    groups = [reports_page.groups.item(r, 0).text() for r in range(reports_page.groups.rowCount() - 1)]

    pdf = squashed(" ".join(pdf_lines(quarterly_pdf(sample_ctx, 2023, 4))))
    write_quarterly(sample_ctx, 2023, 4, xlsx=tmp_path / "q.xlsx")
    book = load_workbook(tmp_path / "q.xlsx")
    xlsx_rows = {row[1].value: row[3].value for row in book["Tổng hợp"].iter_rows(min_row=6) if row[1].value}
    headers = [c.value for c in book["Theo huyện-xã"][5]]
    xlsx_groups = {(row[0].value, row[1].value) for row in book["Nhóm nợ"].iter_rows(min_row=6)}
    pdf_headings = [" ".join(h.split()) for h in PDF_HEADINGS]  # the PDF's breakdown headings, lines joined

    # the PDF's 19 summary lines, in its order: the quarter's life events, the two ratios and lãi treo too (R3)
    assert list(screen) == [row.name for row in SUMMARY_LINES]
    assert len(screen) == 19
    breakdown = {column.heading for column in BREAKDOWN_COLUMNS}
    for label, figure in screen.items():
        assert f"{label} " in pdf, label  # the PDF's summary line (its unit or figure follows)
        if label in breakdown:  # the breakdowns' column headings, word for word
            assert label in headers and label in pdf_headings, label
        # words around: «Thu lãi (…)», «Nợ đã xử lý theo dõi ngoại bảng cuối kỳ»
        printed = [x for x in xlsx_rows if x == label or x.startswith(f"{label} ")]
        assert len(printed) == 1, (label, printed)
        value = xlsx_rows[printed[0]]
        if figure.endswith(" %"):  # a ratio: the .xlsx holds the percentage as a number
            assert f"{value:.2f}".replace(".", ",") + " %" == figure, label
        else:
            assert f"{value:,}".replace(",", ".") == figure, label  # and it is the same figure

    for g, label in zip(DEBT_GROUP_NAMES, groups, strict=True):
        assert label == f"Nhóm {g}: {DEBT_GROUP_NAMES[g][:1].lower()}{DEBT_GROUP_NAMES[g][1:]}"
        assert f" {g} {DEBT_GROUP_NAMES[g]} " in pdf, label  # the PDF's table of debt groups: number, name
        assert (int(g), DEBT_GROUP_NAMES[g]) in xlsx_groups, label  # the .xlsx's «Nhóm nợ» sheet: number, name


def test_the_loan_lists_status_filter_offers_the_words_of_its_status_column(window, qtbot):
    """The loans page's «Trạng thái» filter names each status as the column shows it (it said «Đã xóa nợ (ngoại
    bảng)» for the loans the column calls «Đã xử lý rủi ro»)."""
    from fundapp.services.queries import STATUS_LABELS

    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    offered = {loans.status.itemData(i): loans.status.itemText(i) for i in range(loans.status.count())}
    row = next(r for r in loans.model.rows if r.status in STATUS_LABELS)
    column = next(i for i, c in enumerate(loans.model.columns) if c.header == "Trạng thái")
    assert loans.model.index(loans.model.rows.index(row), column).data() == offered[row.status]
    assert {k: offered[k] for k in STATUS_LABELS} == STATUS_LABELS


def test_a_recoverys_interest_is_not_shown_as_in_term_interest_on_the_page(events_window, qtbot):
    """Recovered interest is written-off interest of every kind: the history's note says it («thu hồi gốc …, lãi …»),
    the interest columns stay empty; PT-00216's 30.139.000 đ stood under «Lãi trong hạn» (an officer's trial)."""
    detail = open_loan(events_window, qtbot, "HD2022-029")
    model = detail.history_model
    i = next(i for i, r in enumerate(model.rows) if r.reference == "PT-00216")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    shown = {h: model.index(i, c).data() for c, h in enumerate(headers)}
    assert shown["Gốc"] not in (None, "") and all(shown[h] in (None, "") for h in ("Lãi trong hạn", "Lãi quá hạn",
                                                                                "Lãi chậm trả")), shown
    assert "lãi 30.139.000" in shown["Ghi chú"], shown
