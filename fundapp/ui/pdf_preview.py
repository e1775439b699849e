"""A PDF made by the documents service: previewed with QtPdf, printed through QPrintDialog, or saved.

A preview carries no document number; given ``issue`` (the documents service's ``issue_document``), saving or
printing first issues the document — it takes its number, or keeps the one it was issued with — and what is
saved or printed is that numbered PDF (issue 10.3). Cancelling the save or print dialog takes no number. The issue
runs as a job of the window's runner (``jobs``), never on the GUI thread: the quarterly report's on a large book
reads every loan (issue 17), with progress and «Hủy»; cancelled, nothing is saved or printed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from .i18n import tr
from .widgets.fields import allow

if TYPE_CHECKING:
    from fundapp.services.document_register import IssuedDocument, RegisterRow

    from .jobs import JobControl, JobRunner


class PdfPreview(QDialog):
    """A PDF shown page by page before it is saved or printed; ``issue(control)`` numbers it in the register first,
    as a job of ``jobs`` (required with ``issue``; ``control`` the job's progress and cancel), and returns the
    numbered PDF's bytes or the ``IssuedDocument`` (then the number is said under the pages)."""

    def __init__(self, pdf: bytes, filename: str, parent: QWidget | None = None,
                 issue: Callable[[JobControl], bytes | IssuedDocument] | None = None,
                 jobs: JobRunner | None = None) -> None:
        super().__init__(parent)
        if issue is not None and jobs is None:
            raise ValueError("a PdfPreview that issues its document needs the window's job runner")
        self.pdf, self.filename = pdf, filename
        self.issue, self.issued, self.jobs = issue, issue is None, jobs
        self.setWindowTitle(filename)
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        self.document = None
        try:
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView
        except ImportError:  # QtPdf is in PySide6-Addons: without it the file can still be saved
            layout.addWidget(QLabel(tr("Không xem trước được (thiếu QtPdf); hãy lưu tệp PDF.")))
        else:
            self._bytes = QByteArray(pdf)
            self._buffer = QBuffer(self._bytes, self)  # QPdfDocument reads from it for as long as it lives
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self._buffer)
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            layout.addWidget(view, 1)
        # once issued: the number taken, and why a new one when the paper was issued before with other figures
        self.number_note = QLabel("", self)
        self.number_note.setWordWrap(True)
        self.number_note.hide()
        layout.addWidget(self.number_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(tr("&In…"))
        self.save_button = QPushButton(tr("&Lưu PDF…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save)
        allow(self.print_button, "" if self.document is not None else tr("Không in được từ đây (thiếu QtPdf); hãy lưu tệp PDF rồi in"))
        layout.addWidget(buttons)

    def save(self) -> None:
        """Save the PDF (issued first when it is to be numbered) where the user chooses."""
        from .pages._common import ask_save_path

        path = ask_save_path(self, tr("Lưu PDF"), self.filename, tr("Tệp PDF (*.pdf)"))
        if path is not None:
            from fundapp.services.document_register import save

            self._issue(lambda: save(path, self.pdf))

    def _issue(self, then: Callable[[], object]) -> None:
        """Call ``then`` once ``self.pdf`` is the issued, numbered PDF: at once when it is, else after the issue job
        has swapped it in. A refusal (or a defect) is shown by the runner, a cancel shows nothing; either way
        ``then`` is not called: nothing is saved or printed."""
        if self.issued:
            then()
            return
        asked: list[JobControl] = []

        def issued(result: bytes | IssuedDocument) -> None:
            if asked and asked[0].cancelled():  # «Hủy» once the number was taken: kept for the next save
                return
            if isinstance(result, bytes):
                self._show_issued(result)
            else:
                self._show_issued(result.pdf)
                self._tell_number(result.register)
            then()

        assert self.jobs is not None and self.issue is not None
        asked.append(self.jobs.run(self.issue, issued, parent=self, label=tr("Đang cấp số và lập tài liệu…")))

    def _tell_number(self, register: RegisterRow) -> None:
        """Say under the pages the number the paper was issued with: kept (a reprint), new, or new because its
        figures changed since it was last issued (``RegisterRow.change_note``). The command line said the last on
        stderr; the window said nothing, and an officer reprinting a statement could not tell why its number had
        moved on (an officer's trial)."""
        if register.change_note is not None:
            text = str(register.change_note)
        elif register.reprint:
            text = tr("In lại với số đã cấp {number} (sổ đăng ký tài liệu): số liệu không đổi.").format(
                number=register.label)
        else:
            text = tr("Đã cấp số {number} (sổ đăng ký tài liệu).").format(number=register.label)
        self.number_note.setText(text)
        self.number_note.show()

    def _show_issued(self, pdf: bytes) -> None:
        """Swap the preview for the issued, numbered ``pdf`` (once)."""
        self.pdf, self.issued = pdf, True
        if self.document is not None:  # the screen and the printer show the numbered document from now on
            self._bytes = QByteArray(self.pdf)
            self._buffer = QBuffer(self._bytes, self)
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(self._buffer)

    def print_pdf(self) -> None:
        """Print the PDF (issued first when it is to be numbered) on a printer the user chooses."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self._issue(lambda: self._print(printer))

    def _print(self, printer) -> None:
        """Print the (issued) PDF's pages on ``printer``, each page an image at the printer's resolution."""
        painter = QPainter(printer)
        try:
            dpi = printer.resolution()
            for i in range(self.document.pageCount()):
                if i:
                    printer.newPage()
                points = self.document.pagePointSize(i)  # 1/72 inch
                image = self.document.render(i, QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72)))
                painter.drawImage(0, 0, image)  # the painter starts at the printable area
        finally:
            painter.end()
