"""Nhập sổ cũ: the migration assistant (issue 15) — a fund's own workbook, not in our layout, taken in.

The officer picks an .xlsx; the page lists its sheets (each with the header row found under any title), guesses
for each column which of our fields it holds (or uses the mapping remembered for a sheet with the same header
names, in QSettings), lets the officer change any of them, and previews the first rows as they will be read.
«Kiểm tra» checks every row through the import's own checks, nothing written, listing each bad row with its
sheet and row; «Nhập vào sổ» imports all or nothing with progress. «Lưu mẫu sổ chuẩn…» writes an empty workbook
in our layout. The reading and mapping live in ``services.migration``, how a sheet and its mapping are shown in
``migration_mapping``; nothing is checked or computed here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fundapp.services.errors import ImportRefused, UserCancelled, UserFacingError, ValidationError
from fundapp.services.migration import TARGETS, ForeignSheet, ForeignWorkbook, SheetMapping

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..messages import confirm, inform
from ..widgets.fields import allow
from ._common import ask_save_path, fill_table
from .import_base import BAD_STYLE, OK_STYLE, ImportPage, nothing_written, split_problem
from .migration_mapping import FieldChooser, fill_mapping, fill_preview, mapping_table, preview_table, sheet_text

PREVIEW_ROWS = 5
SETTINGS_KEY = "migration/mapping/{signature}"
NOT_IMPORTED = "-"  # the sheet-level choice "this sheet is not imported"


class Page(ImportPage):
    """Pick a workbook, map its columns, preview, check, import."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.workbook: ForeignWorkbook | None = None
        self.mappings: dict[str, SheetMapping] = {}
        self.remembered: set[str] = set()  # sheets whose mapping came from QSettings
        self._filling = False

        self.file_button = QPushButton(tr("Chọn tệp Excel…"))
        self.file_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton(tr("Lưu mẫu sổ chuẩn…"))
        self.template_button.setToolTip(tr("Tệp Excel trống theo mẫu của phần mềm (borrowers, loans, transactions, "
                                           "events, openings), kèm trang hướng dẫn từng cột"))
        self.template_button.clicked.connect(self.save_template)
        source_row = self.source_row(tr("Tệp:"), tr("Chưa chọn tệp Excel"), self.file_button, self.template_button)

        # sheets | mapping of the chosen sheet
        self.sheets = QListWidget()
        self.sheets.setObjectName("migration_sheets")
        self.sheets.setMinimumWidth(220)
        self.sheets.setWordWrap(True)  # «Sự kiện → Sự kiện (cơ cấu, miễn giảm, xóa nợ) (18 dòng)» whole, on two lines
        self.sheets.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sheets.currentRowChanged.connect(self._show_sheet)
        self.target = QComboBox()
        self.target.addItem(tr("Không nhập trang này"), NOT_IMPORTED)
        for target in TARGETS:
            self.target.addItem(sheet_text(target), target)
        self.target.activated.connect(self._target_chosen)
        self.sheet_info = QLabel()
        self.sheet_info.setWordWrap(True)
        self.mapping = mapping_table()
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel(tr("Trang này chứa:")))
        target_row.addWidget(self.target, 1)
        right_column.addLayout(target_row)
        right_column.addWidget(self.sheet_info)
        right_column.addWidget(self.mapping, 1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.sheets)
        top.addWidget(right)
        top.setStretchFactor(1, 1)
        top.setSizes([230, 900])

        # preview | problems
        self.preview = preview_table()
        self.problems_table = self.make_problems_table(tr("Trang"), tr("Các dòng có lỗi hiện ở đây sau khi kiểm tra."))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, tr("Xem trước các dòng đầu"))
        self.tabs.addTab(self.problems_table, tr("Dòng có lỗi"))
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.tabs)
        body.setSizes([300, 220])

        self.status.setText(tr("Chọn tệp Excel của sổ cũ."))
        self.check_button = QPushButton(tr("Kiểm tra"))
        allow(self.check_button, self.no_workbook())
        allow(self.import_button, self.no_workbook())
        self.check_button.clicked.connect(self.check)
        bottom = self.bottom_row(self.check_button)

        layout = self.heading(tr("Nhập sổ cũ (sổ Excel không theo mẫu của phần mềm)"), tr(
            "Chọn tệp Excel của Quỹ. Với mỗi trang tính, phần mềm tìm dòng tiêu đề và đoán mỗi cột ứng với trường "
            "nào; sửa lại nếu cần (cách ghép cột được nhớ cho lần sau). Xem trước vài dòng đầu như sẽ được đọc, bấm "
            "«Kiểm tra»; chỉ khi không còn dòng lỗi mới nhập được, và nhập tất cả trong một lần."), source_row)
        layout.addWidget(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        """Nothing to read from the book: the page shows the chosen workbook."""

    @staticmethod
    def no_workbook() -> str:
        """Why checking and importing wait: no workbook read yet."""
        return tr("Chưa chọn tệp Excel của sổ cũ: bấm «Chọn tệp Excel…»")

    # -- choosing the workbook ------------------------------------------------------------------------
    def _folder(self) -> str:
        return str(self.env.qsettings.value("migration/folder", str(Path.home())))

    def choose_file(self) -> None:
        """Ask for the old book's workbook (starting in the last folder) and read it (``set_source``)."""
        path = self.ask_workbook(tr("Chọn tệp Excel của sổ cũ"), self._folder())
        if path is not None:
            self.set_source(path)

    def set_source(self, path: Path) -> None:
        """Read ``path``'s sheets on the worker, then map them (remembered mapping or guess)."""
        from fundapp.services.migration import read_workbook

        self.path.setText(str(path))
        self.env.qsettings.setValue("migration/folder", str(path.parent))
        self.set_status(tr("Đang đọc «{name}»…").format(name=path.name))
        self.checked = None  # the workbook read before is no longer the one named above
        self.accept_unusual_rates = False  # a new workbook: its rates are asked about again
        allow(self.check_button, self.status.text())
        allow(self.import_button, self.status.text())
        self.env.jobs.run(lambda _c: read_workbook(path), self.show_workbook, parent=self,
                          label=tr("Đang đọc tệp Excel…"), on_failed=self._read_failed, read_only=True)

    def _read_failed(self, exc: BaseException) -> None:
        # the workbook read before is not the one named above: nothing of it stays on the page (its sheets, their
        # mapping, preview and bad lines), nor offers a check
        self.workbook, self.mappings, self.remembered = None, {}, set()
        self.sheets.blockSignals(True)
        self.sheets.clear()
        self.sheets.blockSignals(False)
        self.sheet_info.setText("")
        self.target.setCurrentIndex(0)
        for table in (self.mapping, self.preview):
            table.setRowCount(0)
        self._show_problems([])
        self.problems_state(self.problems_table, None)
        self._failed(exc)

    def show_workbook(self, workbook: ForeignWorkbook) -> None:
        """Map every sheet (remembered by its header names, else guessed) and show the first."""
        from fundapp.services.migration import guess_mapping

        self.workbook = workbook
        self.mappings, self.remembered = {}, set()
        for sheet in workbook.sheets:
            saved = self.env.qsettings.value(SETTINGS_KEY.format(signature=sheet.signature))
            if saved:
                self.mappings[sheet.title] = SheetMapping.from_json(str(saved), sheet)
                self.remembered.add(sheet.title)
            else:
                self.mappings[sheet.title] = guess_mapping(sheet)
        self.sheets.blockSignals(True)
        self.sheets.clear()
        for sheet in workbook.sheets:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, sheet.title)
            self.sheets.addItem(item)
        self.sheets.blockSignals(False)
        self._label_sheets()
        self.sheets.setCurrentRow(0)
        allow(self.check_button, "")
        self._invalidate()
        unread = ", ".join(f"«{t}»" for t in workbook.unread)
        text = tr("Đã đọc {n} trang tính của «{name}». Kiểm tra cách ghép cột của từng trang rồi bấm «Kiểm tra»."
                  ).format(n=len(workbook.sheets), name=workbook.path.name)
        if unread:
            text += " " + tr("Bỏ qua trang không có dòng tiêu đề: {sheets}.").format(sheets=unread)
        self.set_status(text)

    def _label_sheets(self) -> None:
        for row in range(self.sheets.count()):
            item = self.sheets.item(row)
            sheet = self.workbook.sheet(item.data(Qt.ItemDataRole.UserRole))
            targets = self.mappings[sheet.title].targets()
            what = ", ".join(sheet_text(t) for t in targets) if targets else tr("không nhập")
            item.setText(tr("{sheet} → {what} ({n} dòng)").format(sheet=sheet.title, what=what, n=len(sheet.rows)))
            item.setToolTip(item.text())

    # -- one sheet's mapping ----------------------------------------------------------------------------
    def current_sheet(self) -> ForeignSheet | None:
        """The sheet chosen in the list, or None before a workbook is read."""
        item = self.sheets.currentItem()
        if self.workbook is None or item is None:
            return None
        return self.workbook.sheet(item.data(Qt.ItemDataRole.UserRole))

    def _show_sheet(self, *_args) -> None:
        sheet = self.current_sheet()
        if sheet is None:
            return
        mapping = self.mappings[sheet.title]
        targets = mapping.targets()
        self.target.setCurrentIndex(max(0, self.target.findData(targets[0] if targets else NOT_IMPORTED)))
        lines = "–".join(str(n) for n in sheet.header_lines)
        info = tr("Dòng tiêu đề: {lines}; {n} dòng dữ liệu.").format(lines=lines, n=len(sheet.rows))
        if sheet.skipped:
            info += " " + tr("Bỏ qua dòng tổng cộng: {rows}.").format(rows=", ".join(map(str, sheet.skipped)))
        if sheet.title in self.remembered:
            info += " " + tr("Dùng cách ghép cột đã lưu lần trước cho trang có cùng tiêu đề.")
        self.sheet_info.setText(info)
        self._filling = True
        fill_mapping(self.mapping, sheet, mapping, self._column_chosen)
        self._filling = False
        self._show_preview()

    def combo_of(self, column: int) -> FieldChooser:
        """The field chooser of the current sheet's ``column`` (tests choose through it)."""
        return self.mapping.cellWidget(column, 2)

    def _column_chosen(self, column: int, combo: QComboBox) -> None:
        if self._filling:
            return
        sheet = self.current_sheet()
        if sheet is None:
            return
        self.mappings[sheet.title].columns[column] = combo.currentData()
        self._changed()

    def _target_chosen(self, *_args) -> None:
        """The officer says what the sheet holds: its columns are guessed again among that sheet's fields."""
        from fundapp.services.migration import guess_mapping

        sheet = self.current_sheet()
        if sheet is None:
            return
        target = self.target.currentData()
        self.mappings[sheet.title] = SheetMapping() if target == NOT_IMPORTED else guess_mapping(sheet, target)
        self.remembered.discard(sheet.title)
        self._show_sheet()
        self._changed()

    def _changed(self) -> None:
        self._label_sheets()
        self._invalidate()
        self._show_preview()

    def _show_preview(self) -> None:
        """The first rows of the current sheet as they will be read (``fill_preview``), shown."""
        sheet = self.current_sheet()
        if sheet is None:
            return
        fill_preview(self.preview, sheet, self.mappings[sheet.title], PREVIEW_ROWS, self.env.ctx.today())
        self.tabs.setCurrentWidget(self.preview)

    # -- checking and importing ---------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self.checked = None
        allow(self.import_button, self.not_checked())
        self.progress.setValue(0)

    def _remember(self) -> None:
        for sheet in self.workbook.sheets if self.workbook else ():
            self.env.qsettings.setValue(SETTINGS_KEY.format(signature=sheet.signature),
                                        self.mappings[sheet.title].to_json(sheet))

    def _job(self, dry_run: bool):
        from fundapp.services.migration import import_workbook

        ctx, workbook = self.env.ctx, self.workbook
        mappings = {k: SheetMapping(dict(v.columns), dict(v.constants)) for k, v in self.mappings.items()}
        accept = self.accept_unusual_rates
        return self.import_job(lambda **kw: import_workbook(ctx, workbook, mappings, dry_run=dry_run,
                                                            accept_unusual_rates=accept, **kw))

    def check(self) -> None:
        """Check every row of every mapped sheet through the import's checks; nothing written."""
        if self.workbook is None:
            return
        self._remember()
        self._invalidate()
        self._show_problems([])
        self.problems_state(self.problems_table, None)
        self.set_status(tr("Đang kiểm tra «{name}»…").format(name=self.workbook.path.name))
        allow(self.check_button, self.status.text())
        allow(self.import_button, self.status.text())
        self.env.jobs.run(self._job(True), self._checked, parent=self, label=tr("Đang kiểm tra dữ liệu…"),
                          on_failed=self._failed, read_only=True)

    def _checked(self, summary: Any) -> None:
        self.problems_state(self.problems_table, summary.source)
        allow(self.check_button, "")
        self.progress.setValue(self.progress.maximum())
        if summary.empty:
            self.set_status(tr("Không có dòng nào mới để nhập."), BAD_STYLE)
            allow(self.import_button, self.status.text())
            return
        self.checked = summary
        self.set_status(tr("Kiểm tra xong, không có dòng lỗi. Sẵn sàng nhập {counts}. Bấm «Nhập vào sổ».").format(
            counts=summary.counts()), OK_STYLE)
        allow(self.import_button, "")

    def run_import(self) -> None:
        """Import the checked workbook in one transaction (asks first)."""
        summary = self.checked
        if summary is None or self.workbook is None:
            return
        question = tr("Nhập {counts} từ «{name}» vào sổ?").format(counts=summary.counts(), name=self.workbook.path.name)
        if not confirm(self, tr("Nhập sổ cũ"), question, default_yes=False):
            return
        self._remember()
        self.set_status(tr("Đang nhập «{name}»…").format(name=self.workbook.path.name))
        for button in (self.import_button, self.check_button, self.file_button):
            allow(button, self.status.text())
        self.env.jobs.run(self._job(False), self._imported, parent=self, label=tr("Đang nhập dữ liệu…"),
                          on_failed=self._failed)

    def _imported(self, summary: Any) -> None:
        self.checked = None
        allow(self.file_button, "")
        done = self.imported_already(self.workbook.path.name if self.workbook is not None else summary.source)
        allow(self.check_button, done)  # checking the same workbook again would only find duplicates
        allow(self.import_button, done)
        self.show_imported(summary)

    def _failed(self, exc: BaseException) -> None:
        allow(self.file_button, "")
        allow(self.check_button, "" if self.workbook is not None else self.no_workbook())
        allow(self.import_button, self.not_checked() if self.workbook is not None else self.no_workbook())
        self.progress.setValue(0)
        if isinstance(exc, UserCancelled):
            self.set_status(tr("Đã hủy. Chưa ghi gì vào sổ."))
            return
        if self.confirm_unusual_rates(exc):
            self.check()
            return
        if isinstance(exc, ImportRefused):
            self._show_problems(exc.problems)
            self.set_status(tr("{n} dòng có lỗi. Chưa ghi gì vào sổ. Sửa các dòng này trong tệp (hoặc cách ghép cột) "
                                "rồi bấm «Kiểm tra».").format(n=len(exc.problems)), BAD_STYLE)
            return
        if isinstance(exc, ValidationError):  # the mapping lacks a field: each line names the sheet
            self._show_problems(exc.message.splitlines())
            self.set_status(tr("Cách ghép cột chưa đủ: xem danh sách dưới đây. Chưa ghi gì vào sổ."), BAD_STYLE)
            return
        if isinstance(exc, UserFacingError):
            self.set_status(nothing_written(exc.message), BAD_STYLE)
            return
        self.set_status(tr("Không đọc được tệp. Chưa ghi gì vào sổ."), BAD_STYLE)
        present_error(self, exc)

    def _show_problems(self, problems: list[str]) -> None:
        self.problems = list(problems)
        rows = []
        titles = [sheet.title for sheet in self.workbook.sheets] if self.workbook is not None else []
        for p in problems:
            source, line, reason = split_problem(p)
            sheet = source.split("[", 1)[1].rstrip("]") if "[" in source else source
            if not sheet:  # a mapping's problem names its sheet first in its words («Trang «Giao dịch»: …»)
                first = re.search(r"«([^»]*)»", reason)
                sheet = first.group(1) if first and first.group(1) in titles else ""
            rows.append([sheet, line, reason])
        fill_table(self.problems_table, rows, right_from=3)
        self.problems_table.resizeRowsToContents()
        if problems:
            self.tabs.setCurrentWidget(self.problems_table)


    # -- the template ------------------------------------------------------------------------------------
    def save_template(self) -> None:
        """Save an empty workbook in our layout where the officer chooses."""
        path = ask_save_path(self, tr("Lưu mẫu sổ chuẩn"), "mau-so-cho-vay.xlsx", tr("Tệp Excel (*.xlsx)"),
                             self._folder())
        if path is not None:
            self.write_template(path)

    def write_template(self, path: Path) -> None:
        """Write the template to ``path`` on the worker and say where it went."""
        from fundapp.services.migration import write_template

        self.env.jobs.run(lambda _c: write_template(path), lambda p: inform(
            self, tr("Đã lưu mẫu"), tr("Đã lưu mẫu sổ chuẩn vào «{path}». Điền dữ liệu rồi nhập ở trang Nhập dữ "
                                       "liệu.").format(path=p)), parent=self, label=tr("Đang lưu mẫu…"))
