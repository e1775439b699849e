"""The loan page's papers: statement, schedule, due notice, reconciliation, receipt and a life event's documents
(previewed without a number, numbered when printed or saved), the Word papers and the collateral coverage."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .i18n import tr
from .messages import inform


class LoanDocuments:
    """Mixed into ``LoanDetail``: uses its ``env``, ``view``, ``as_of``, ``history`` and ``coverage_box``."""

    def _coverage_box(self) -> QWidget:
        """The collateral coverage of the outstanding (issue 16, F's widget: ui.papers.CoverageBox, one small read)."""
        from .papers import CoverageBox

        return CoverageBox(self.env)

    def open_papers(self) -> None:
        """The loan's Word papers and collateral (issue 16): ui.papers.PapersDialog."""
        from .papers import PapersDialog

        if self.view is None:
            return
        tranches = [h.reference for h in self.view.history if h.kind == "disbursement" and h.active and h.reference]
        PapersDialog(self.env, self.view.loan_no, tranches, self, settled=self.view.closed_on is not None).exec()
        self.coverage_box.show_loan(self.view)  # an asset added or released there

    def print_document(self, which: str) -> None:
        """Statement, schedule or due notice: made by the documents service, previewed, printed or saved."""
        from .wizard import fund_ready

        if not fund_ready(self, self.env, lambda: self.print_document(which)):
            return
        try:
            from fundapp.services import documents
        except ImportError:
            inform(self, tr("Chưa có"), tr("Chức năng in chưa có trong phiên bản này."))
            return
        v, ctx = self.view, self.env.ctx
        self.as_of.read_text()
        if self.as_of.problem_text():  # said beside the date: a paper is never made for another day than the one typed
            inform(self, tr("Ngày chưa đúng"), self.as_of.problem_text())
            return
        as_of = self.as_of.value()
        makers = {  # kind → (the document's date, None for today; options; suggested file name)
            "statement": (as_of, {}, f"sao-ke-{v.loan_no}.pdf"),
            "schedule": (None, {}, f"lich-tra-no-{v.loan_no}.pdf"),
            "notice": (None, {"month": (as_of.year, as_of.month)}, f"thong-bao-{v.loan_no}-{as_of:%Y-%m}.pdf"),
            "reconciliation": (as_of, {}, f"doi-chieu-{v.loan_no}-{as_of:%Y-%m-%d}.pdf"),
        }
        entry = self.history.current_row()
        if which == "receipt":
            if entry is None or entry.kind != "disbursement" or not entry.active:
                inform(self, tr("Giấy nhận nợ"), tr("Chọn một lần giải ngân trong lịch sử giao dịch."))
                return
            makers["receipt"] = (None, {"entry_id": entry.id}, f"giay-nhan-no-{v.loan_no}-{entry.reference}.pdf")
        if which in ("decision", "amendment"):  # the documents of a life event, dated its day
            from fundapp.services.event_documents import DOCUMENTS_OF, FILE_NAMES

            kinds = DOCUMENTS_OF.get(entry.kind, ()) if entry is not None and entry.active else ()
            which = next((k for k in kinds if (k == "amendment") == (which == "amendment")), "")
            if not which:
                inform(self, tr("Quyết định, phụ lục"),
                       tr("Chọn một lần cơ cấu lại, miễn giảm lãi hoặc xử lý rủi ro trong lịch sử giao dịch."))
                return
            makers[which] = (None, {"entry_id": entry.id}, f"{FILE_NAMES[which]}-{v.loan_no}-{entry.reference}.pdf")
        on, options, filename = makers[which]

        def issue(_control):  # saved or printed: the document takes its number (a reprint keeps it), said under it
            return documents.issue_document(ctx, which, v.loan_no, on, **options)

        # the preview takes no number (issue 10.3)
        self.env.jobs.run(lambda _c: documents.preview_document(ctx, which, v.loan_no, on, **options),
                          lambda pdf: self.show_pdf(pdf, filename, issue), parent=self,
                          label=tr("Đang tạo tài liệu…"), read_only=True)

    def show_pdf(self, pdf: bytes, filename: str, issue=None) -> None:
        """Preview ``pdf`` (named ``filename`` when saved); ``issue(control)`` numbers it in the register when saved
        or printed, as a job of the window's runner."""
        from .pdf_preview import PdfPreview

        PdfPreview(pdf, filename, self, issue=issue, jobs=self.env.jobs if issue is not None else None).exec()

