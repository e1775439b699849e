"""Issue 10.3 in the GUI: the loan page's preview takes no number; saving (or printing) issues the document —
01/SK-QHT — and a second save keeps it; a cancelled save takes none."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFileDialog

from fundapp.services import documents
from tests.docs.test_documents import text


def _save_to(monkeypatch, target):
    def fake(parent, title, suggested, *args, **kwargs):
        return (str(target), "") if target else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def test_preview_then_save_issues_once(qtbot, monkeypatch, sample_ctx, book_url, tmp_path):
    from fundapp.ui.pdf_preview import PdfPreview

    if "postgresql" in book_url:
        return  # the register's behaviour on PostgreSQL is tested in tests/unit/test_document_register.py
    ctx, on = sample_ctx, date(2023, 6, 30)
    from fundapp.ui.jobs import JobRunner

    jobs = JobRunner()
    preview = PdfPreview(documents.preview_document(ctx, "statement", "HD2022-002", on), "sao-ke.pdf",
                         issue=lambda _control: documents.issue_document(ctx, "statement", "HD2022-002", on).pdf,
                         jobs=jobs)
    qtbot.addWidget(preview)
    assert "Số:……" in text(preview.pdf)
    _save_to(monkeypatch, None)
    preview.save()  # cancelled: no number taken
    assert documents.document_register(ctx) == []
    _save_to(monkeypatch, tmp_path / "a.pdf")
    preview.save()  # issued as a job of the runner, then saved
    qtbot.waitUntil(lambda: (tmp_path / "a.pdf").exists() and not jobs.busy)
    _save_to(monkeypatch, tmp_path / "b.pdf")
    preview.save()
    assert "Số:01/SK-QHT" in text((tmp_path / "a.pdf").read_bytes())
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    assert [r.label for r in documents.document_register(ctx)] == ["01/SK-QHT"]


def test_loan_page_previews_without_a_number_and_print_and_save_issue_one(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QDialog

    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview
    from tests.gui.conftest import wait_jobs

    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == "HD2022-002")
    detail = window.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, env)
    detail.as_of.setValue(date(2024, 2, 20))
    wait_jobs(qtbot, env)
    previews, saved = [], tmp_path / "sao-ke.pdf"

    def fake_exec(dialog):
        previews.append(text(dialog.pdf))
        if len(previews) == 1:  # the first time: previewed only
            return QDialog.DialogCode.Rejected
        dialog.print_pdf()
        dialog.save()
        return QDialog.DialogCode.Accepted

    def fake_print_exec(print_dialog):
        printer = print_dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        printer.setResolution(72)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", fake_exec)
    monkeypatch.setattr(QPrintDialog, "exec", fake_print_exec)
    _save_to(monkeypatch, saved)
    detail.print_document("statement")
    wait_jobs(qtbot, env)
    assert documents.document_register(env.ctx) == []  # a preview uses up no number
    detail.print_document("statement")
    wait_jobs(qtbot, env)
    assert all("Số:……" in t for t in previews)
    assert "Số:01/SK-QHT" in text(saved.read_bytes())
    [row] = documents.document_register(env.ctx)
    assert (row.label, row.kind, row.loan_no, row.on) == ("01/SK-QHT", "statement", "HD2022-002", date(2024, 2, 20))


def test_the_preview_says_the_number_taken_and_why_a_new_one(qtbot, monkeypatch, sample_ctx, book_url, tmp_path):
    """Issued from the preview, the paper's number is said under its pages: new, kept (a reprint), or new because its
    figures changed since it was issued (the command line said the last on stderr, the window said nothing)."""
    from fundapp.domain.events import Kind
    from fundapp.services import posting
    from fundapp.services.events import loan_id_of
    from fundapp.ui.jobs import JobRunner
    from fundapp.ui.pdf_preview import PdfPreview

    if "postgresql" in book_url:
        return  # the register's behaviour on PostgreSQL is tested in tests/unit/test_document_digest.py
    ctx, on, jobs = sample_ctx, date(2024, 12, 31), JobRunner()

    def saved_note(name: str) -> str:
        preview = PdfPreview(documents.preview_document(ctx, "statement", "HD2022-008", on), "sao-ke.pdf",
                             issue=lambda _control: documents.issue_document(ctx, "statement", "HD2022-008", on),
                             jobs=jobs)
        qtbot.addWidget(preview)
        assert preview.number_note.isHidden()  # a preview takes no number and says none
        _save_to(monkeypatch, tmp_path / name)
        preview.save()
        qtbot.waitUntil(lambda: (tmp_path / name).exists() and not jobs.busy)
        return preview.number_note.text()

    assert saved_note("a.pdf") == "Đã cấp số 01/SK-QHT (sổ đăng ký tài liệu)."
    assert saved_note("b.pdf") == "In lại với số đã cấp 01/SK-QHT (sổ đăng ký tài liệu): số liệu không đổi."
    posting.post_transaction(ctx, loan_id_of(ctx, "HD2022-008"), Kind.REPAYMENT, on, 2_000_000)
    assert saved_note("c.pdf") == "Nội dung đã thay đổi từ lần cấp số trước (01/SK-QHT): cấp số mới 02/SK-QHT"
    assert "Số:02/SK-QHT" in text((tmp_path / "c.pdf").read_bytes())
