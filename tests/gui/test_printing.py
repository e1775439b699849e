"""Printing from the loan page: the statement is made by the documents service, previewed with QtPdf,
printed through Qt's print dialog (to a PDF printer here) and saved."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFileDialog

from fundapp.formatting import vnd
from fundapp.services.loans import loan_view
from tests.gui.conftest import wait_jobs


def _text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_statement_preview_print_and_save(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview

    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == "HD2022-002")
    page = window.show_page("loans")
    detail = page.open_loan(loan.id)
    wait_jobs(qtbot, env)
    detail.as_of.setValue(date(2024, 2, 20))
    wait_jobs(qtbot, env)

    shown = []
    printed = tmp_path / "printed.pdf"

    def fake_exec(dialog):
        shown.append(dialog)
        assert dialog.document is not None and dialog.document.pageCount() >= 2  # QtPdf read the statement
        dialog.print_pdf()
        dialog.save()
        return QDialog.DialogCode.Accepted

    def fake_print_exec(print_dialog):
        printer = print_dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # the "system printer" here is a PDF file
        printer.setOutputFileName(str(printed))
        printer.setResolution(150)  # fast enough for a test
        return QDialog.DialogCode.Accepted

    saved = tmp_path / "sao-ke.pdf"
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", fake_exec)
    monkeypatch.setattr(QPrintDialog, "exec", fake_print_exec)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    detail.print_document("statement")
    wait_jobs(qtbot, env)
    assert len(shown) == 1
    text = _text(saved)
    view = loan_view(env.ctx, "HD2022-002", date(2024, 2, 20))
    assert "SAO KÊ KHOẢN VAY" in text and view.borrower_name in text
    for figure in (view.balances.principal_outstanding, view.balances.overdue_interest_accrued, view.quote.settlement):
        assert vnd(figure) in text
    assert printed.exists() and printed.stat().st_size > 10_000  # the pages went through QPrinter


def test_receipt_of_the_selected_tranche_and_reconciliation(window, qtbot, monkeypatch):
    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview

    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == "HD2022-002")
    detail = window.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, env)
    made = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda dialog: made.append(dialog.pdf) or 1)
    detail.history.selectRow(0)  # the disbursement of 27/07/2022
    assert detail.receipt_action.isEnabled()
    detail.receipt_action.trigger()
    wait_jobs(qtbot, env)
    detail.reconciliation_action.trigger()
    wait_jobs(qtbot, env)
    assert len(made) == 2

    import io

    from pypdf import PdfReader

    texts = [" ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
             for pdf in made]
    assert "GIẤY NHẬN NỢ" in texts[0] and "480.000.000" in texts[0]
    assert "BIÊN BẢN ĐỐI CHIẾU CÔNG NỢ" in texts[1]
