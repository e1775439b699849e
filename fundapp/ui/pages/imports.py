"""Nhập dữ liệu: take in the Excel book (a folder of three CSV files or one .xlsx): check first, then import.

Every row is checked before anything is written (``dry_run``); the problems are listed one per row;
the import button is enabled only when the check found none. The service writes all or nothing. A check
refused only for contract rates outside the usual 0,5–30 %/năm asks the officer, listing those rows; once they
confirm, the check and the import run again accepting them (issue 10.11, ``accept_unusual_rates``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from fundapp.services.errors import ImportRefused, UserCancelled, UserFacingError
from fundapp.services.imports import ImportSummary, check_and_import

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import allow
from ._common import fill_table
from .import_base import BAD_STYLE, OK_STYLE, ImportPage, nothing_written, split_problem

__all__ = ["BAD_STYLE", "OK_STYLE", "Page", "split_problem"]



class Page(ImportPage):
    """Choose the source, check it (nothing written), then import it in one transaction."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.source: Path | None = None

        self.folder_button = QPushButton(tr("Chọn thư mục CSV…"))
        self.file_button = QPushButton(tr("Chọn tệp Excel…"))
        self.check_button = QPushButton(tr("Kiểm tra lại"))
        allow(self.check_button, self.no_source())
        allow(self.import_button, self.no_source())
        self.folder_button.clicked.connect(self.choose_folder)
        self.file_button.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.check)
        source_row = self.source_row(tr("Nguồn:"), tr("Chưa chọn nguồn dữ liệu"), self.folder_button, self.file_button,
                                     self.check_button)

        self.status.setText(tr("Chọn nguồn dữ liệu để kiểm tra."))
        self.table = self.make_problems_table(tr("Tệp"), tr("Các dòng có lỗi hiện ở đây sau khi kiểm tra. Chưa kiểm tra "
                                                       "nguồn nào."))
        bottom = self.bottom_row()

        layout = self.heading(tr("Nhập dữ liệu từ sổ Excel"), tr(
            "Chọn một thư mục có ba tệp borrowers.csv, loans.csv, transactions.csv (UTF-8) hoặc một tệp Excel "
            "(.xlsx) có ba trang cùng tên. Mọi dòng được kiểm tra trước; chỉ khi không còn dòng lỗi nào mới "
            "được nhập, và nhập tất cả trong một lần: có lỗi thì không ghi gì vào sổ."), source_row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        """Nothing to read from the book: the page shows the last check of the chosen source."""

    @staticmethod
    def no_source() -> str:
        """Why checking and importing wait: no source chosen yet."""
        return tr("Chưa chọn nguồn dữ liệu: bấm «Chọn thư mục CSV…» hoặc «Chọn tệp Excel…»")

    # -- choosing ----------------------------------------------------------------------------------
    def _start_folder(self) -> str:
        return str(self.env.qsettings.value("imports/folder", str(Path.home())))

    def choose_folder(self) -> None:
        """Ask for a folder of CSV files (starting where the last source was) and check it at once."""
        folder = QFileDialog.getExistingDirectory(self, tr("Chọn thư mục có các tệp CSV"), self._start_folder())
        if folder:
            self.set_source(Path(folder))

    def choose_file(self) -> None:
        """Ask for an .xlsx/.xlsm workbook in our layout and check it at once."""
        path = self.ask_workbook(tr("Chọn tệp Excel"), self._start_folder())
        if path is not None:
            self.set_source(path)

    def set_source(self, path: Path) -> None:
        """Take ``path`` as the source and check it at once."""
        self.source = path
        self.accept_unusual_rates = False  # a new source: its rates are asked about again
        self.path.setText(str(path))
        self.env.qsettings.setValue("imports/folder", str(path if path.is_dir() else path.parent))
        allow(self.check_button, "")
        self.check()

    # -- checking ----------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        """A check or an import runs, which ``text`` says (on the status line, and why the buttons wait)."""
        self.checked = None
        allow(self.import_button, text)
        allow(self.check_button, text)
        self.progress.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _job(self, dry_run: bool):
        ctx, path, accept = self.env.ctx, self.source, self.accept_unusual_rates
        return self.import_job(lambda **kw: check_and_import(ctx, path, dry_run=dry_run, accept_unusual_rates=accept,
                                                             **kw))

    def check(self) -> None:
        """Check every row of the source without writing anything."""
        if self.source is None:
            return
        self._busy(tr("Đang kiểm tra «{name}»…").format(name=self.source.name))
        self._show_problems([])
        self.problems_state(self.table, None)
        self.env.jobs.run(self._job(True), self._checked, parent=self, label=tr("Đang kiểm tra dữ liệu…"),
                          on_failed=self._check_refused, read_only=True)

    def _check_refused(self, exc: BaseException) -> None:
        if self.confirm_unusual_rates(exc):
            self.check()
            return
        self._refused(exc)

    def _checked(self, summary: ImportSummary) -> None:
        self.checked = summary
        self.problems_state(self.table, summary.source)
        allow(self.check_button, "")
        self.progress.setValue(self.progress.maximum())
        if summary.empty:
            self.status.setStyleSheet(BAD_STYLE)
            self.status.setText(tr("Không có dòng nào mới để nhập."))
            allow(self.import_button, self.status.text())
            return
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(tr("Kiểm tra xong, không có dòng lỗi. Sẵn sàng nhập {counts}. Bấm «Nhập vào sổ».").format(
            counts=summary.counts())
            + (" " + tr("Các lãi suất ngoài khoảng thường gặp đã được xác nhận.") if self.accept_unusual_rates else ""))
        allow(self.import_button, "")

    def _refused(self, exc: BaseException) -> None:
        allow(self.check_button, "" if self.source is not None else self.no_source())
        allow(self.import_button, self.not_checked())
        self.progress.setValue(0)
        if isinstance(exc, UserCancelled):
            self.status.setText(tr("Đã hủy. Chưa ghi gì vào sổ."))
            return
        if isinstance(exc, ImportRefused):
            self._show_problems(exc.problems)
            self.status.setStyleSheet(BAD_STYLE)
            # the command line's summary (services.errors.ImportRefused), and what to do here unless the book already
            # holds every row refused (nothing to fix then)
            self.status.setText(str(exc.summary) if exc.already_imported else
                                f"{exc.summary} {tr('Sửa các dòng dưới đây trong tệp nguồn rồi bấm «Kiểm tra lại».')}")
            return
        if isinstance(exc, UserFacingError):
            self.status.setStyleSheet(BAD_STYLE)
            self.status.setText(nothing_written(exc.message))
            return
        self.status.setText(tr("Không kiểm tra được nguồn dữ liệu. Chưa ghi gì vào sổ."))
        present_error(self, exc)

    def _show_problems(self, problems: list[str]) -> None:
        self.problems = list(problems)
        fill_table(self.table, [list(split_problem(p)) for p in problems], right_from=3)
        for r in range(self.table.rowCount()):
            self.table.item(r, 1).setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.resizeRowsToContents()

    # -- importing ---------------------------------------------------------------------------------
    def run_import(self) -> None:
        """Import the checked source in one transaction (asks first)."""
        summary = self.checked
        if summary is None or self.source is None:
            return
        question = tr("Nhập {counts} từ «{name}» vào sổ?").format(counts=summary.counts(), name=self.source.name)
        if not confirm(self, tr("Nhập dữ liệu"), question, default_yes=False):
            return
        busy = tr("Đang nhập «{name}»…").format(name=self.source.name)
        self._busy(busy)
        allow(self.folder_button, busy)
        allow(self.file_button, busy)
        self.env.jobs.run(self._job(False), self._imported, parent=self, label=tr("Đang nhập dữ liệu…"),
                          on_failed=self._import_failed)

    def _imported(self, summary: ImportSummary) -> None:
        allow(self.folder_button, "")
        allow(self.file_button, "")
        done = self.imported_already(self.source.name if self.source is not None else summary.source)
        allow(self.check_button, done)  # checking the same source again would only find duplicates
        allow(self.import_button, done)
        self.show_imported(summary)

    def _import_failed(self, exc: BaseException) -> None:
        allow(self.folder_button, "")
        allow(self.file_button, "")
        if self.confirm_unusual_rates(exc):  # the source changed since its check: ask, then check it again
            self.check()
            return
        self._refused(exc)
