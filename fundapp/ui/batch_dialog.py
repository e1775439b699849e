"""Cơ cấu lại hàng loạt: many loans restructured under one decision after a disaster (issue 15).

The officer narrows the loans by ward or district (a flood hits a ward), ticks all or some, enters the decision
(number, date, extension months, grace periods, reason) and asks for the preview: one table, per loan, the
outstanding, the deferred interest, the debt group before → after and the new last due date, or why the engine
refuses it. The refused loans can be dropped from the selection in one click. Posting is one service call
(``services.events.restructure_batch``) through the job runner, with progress and cancel before the write: all
loans or none. No figure is computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fundapp.domain.event_words import restructure_words
from fundapp.domain.figures import principal_total
from fundapp.formatting import fold, group_thousands, short_date, vnd
from fundapp.services.errors import UserCancelled, UserFacingError, ValidationError

from .dialogs.form import FormDialog
from .env import UiEnv
from .errors import present_error
from .i18n import tr
from .messages import confirm, inform
from .widgets.fields import DateEdit, allow, spin_box
from .widgets.table_view import search_box

RED = QColor("#b00020")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COL_NO, COL_NAME, COL_WARD, COL_DISTRICT, COL_OUT, COL_DEFERRED, COL_GROUP, COL_DUE, COL_RESULT = range(9)


def _headers() -> list[str]:
    return [tr("Số hợp đồng"), tr("Khách hàng"), tr("Xã/phường"), tr("Huyện"), tr("Dư nợ gốc"),
            tr("Lãi chuyển kỳ sau"), tr("Nhóm nợ"), tr("Hạn trả cuối"), tr("Kết quả xem trước")]


class BatchRestructureDialog(FormDialog):
    """Select loans, one decision, one preview table, all or nothing. ``rows``: the loan list's rows
    (``state_cache.LoanListRow``); those with principal outstanding and not written off are offered. ``checked``: loan
    ids ticked at the start (the loans page passes the loans its filters show)."""

    def __init__(self, env: UiEnv, rows: list[Any], on: date, checked: set[int] | None = None,
                 parent: QWidget | None = None, district: str | None = None) -> None:
        super().__init__(env, tr("Cơ cấu lại thời hạn trả nợ hàng loạt (một quyết định cho nhiều khoản vay)"), parent)
        self.setMinimumWidth(1100)
        self.resize(1320, 700)  # fits a 1366×768 screen
        self.rows = [r for r in rows if (r.principal_outstanding or 0) > 0 and r.status != "written_off"]
        self.lines: dict[int, Any] = {}  # loan id → the preview's BatchLine
        self.previewed_key: tuple | None = None  # the selection and decision the preview was made for
        self.posted: list[Any] = []
        self.set_intro(tr("Chọn các khoản vay bị thiệt hại (lọc theo xã/phường, huyện), ghi quyết định, bấm «Xem "
                          "trước». Khi ghi, tất cả các khoản vay được cơ cấu lại trong một lần; nếu có khoản bị từ "
                          "chối thì không ghi khoản nào."))
        # the selection ---------------------------------------------------------------------------------------
        self.ward = QComboBox()
        self.district = QComboBox()
        for combo, label, values in ((self.ward, tr("Mọi xã/phường"), {r.ward for r in self.rows if r.ward}),
                                     (self.district, tr("Mọi huyện"), {r.district for r in self.rows if r.district})):
            combo.addItem(label, None)
            for value in sorted(values, key=fold):
                combo.addItem(value, value)
        self.search = search_box(tr("Tìm số hợp đồng, khách hàng…"))
        self.all_button = QPushButton(tr("Chọn tất cả"))
        self.none_button = QPushButton(tr("Bỏ chọn tất cả"))
        self.drop_button = QPushButton(tr("Bỏ các khoản bị từ chối"))
        allow(self.drop_button, tr("Chưa có khoản vay nào bị từ chối trong lần xem trước"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Xã/phường:")))
        bar.addWidget(self.ward, 2)
        bar.addWidget(QLabel(tr("Huyện:")))
        bar.addWidget(self.district, 2)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.all_button)
        bar.addWidget(self.none_button)
        bar.addWidget(self.drop_button)
        self.layout_.insertLayout(1, bar)
        self.table = QTableWidget(len(self.rows), len(_headers()))
        self.table.setObjectName("batch_loans")
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(250)
        self._fill(checked or set())
        header = self.table.horizontalHeader()
        self.table.setWordWrap(True)
        for column, width in ((COL_NO, 110), (COL_NAME, 215), (COL_WARD, 115), (COL_DISTRICT, 125), (COL_OUT, 110),
                              (COL_DEFERRED, 115), (COL_GROUP, 70), (COL_DUE, 170)):
            # never narrower than its header: «Principal outstanding» was cut to «incipal outstandir» in 110 px
            self.table.setColumnWidth(column, max(width, header.sectionSizeFromContents(column).width()))
        header.setSectionResizeMode(COL_RESULT, QHeaderView.ResizeMode.Stretch)
        self.layout_.insertWidget(2, self.table, 1)
        self.count = QLabel()
        self.layout_.insertWidget(3, self.count)
        # the decision ----------------------------------------------------------------------------------------
        self.on = self.form.add("on", tr("Ngày cơ cấu lại"), DateEdit(on), aliases=("date", "kind"))
        self.reference = self.form.add("reference", tr("Số quyết định"), QLineEdit())
        self.reference.setPlaceholderText(tr("ví dụ QĐ-CC-0019; mỗi khoản vay ghi «QĐ-CC-0019/số hợp đồng»"))
        self.extend = self.form.add("extend_months", tr("Số tháng gia hạn"), spin_box(0, 600, 6))
        self.grace = self.form.add("grace_periods", tr("Số kỳ ân hạn gốc (từ kỳ đầu sau ngày cơ cấu)"), spin_box(0, 120, 0))
        self.reason = self.form.add("reason", tr("Lý do"), QLineEdit())
        self.reason.setPlaceholderText(tr("ví dụ: thiệt hại do bão lũ tháng 10/2024"))
        self.form.add("loans", "", QLabel())  # a refusal about the selection shows here
        self.preview_button = QPushButton(tr("Xem trước"))
        self.preview_button.setToolTip(tr("Tính cho từng khoản vay đã chọn, chưa ghi gì vào sổ"))
        self.buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button.setText(tr("Cơ cấu lại các khoản đã chọn"))
        self.finish_layout()
        # signals ---------------------------------------------------------------------------------------------
        self.ward.currentIndexChanged.connect(self._filter)
        self.district.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self._filter)
        self.all_button.clicked.connect(lambda: self._check_visible(True))
        self.none_button.clicked.connect(lambda: self._check_visible(False))
        self.drop_button.clicked.connect(self.drop_refused)
        self.preview_button.clicked.connect(self.ask_preview)
        for button in (self.all_button, self.none_button, self.drop_button, self.preview_button):
            button.setAutoDefault(False)  # Enter posts (the dialog's default button), never a side button
        self.table.itemChanged.connect(lambda *_: self._count())
        self._stale = QTimer(self, singleShot=True, interval=0)
        self._stale.timeout.connect(self._count)
        for w in (self.extend, self.grace):
            w.valueChanged.connect(lambda *_: self._stale.start())
        self.reference.textChanged.connect(lambda *_: self._stale.start())
        self.on.dateChanged.connect(lambda *_: self._stale.start())
        self.on.problem.connect(lambda *_: self._stale.start())
        if district:
            self.district.setCurrentIndex(max(0, self.district.findData(district)))
        self._filter()

    # -- the table ------------------------------------------------------------------------------------------
    def _fill(self, checked: set[int]) -> None:
        self.table.blockSignals(True)
        for r, row in enumerate(self.rows):
            first = QTableWidgetItem(row.loan_no)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if row.id in checked else Qt.CheckState.Unchecked)
            first.setData(Qt.ItemDataRole.UserRole, row.id)
            self.table.setItem(r, COL_NO, first)
            for column, text in ((COL_NAME, row.borrower_name), (COL_WARD, row.ward), (COL_DISTRICT, row.district),
                                 (COL_OUT, group_thousands(row.principal_outstanding or 0)),
                                 (COL_DEFERRED, ""), (COL_GROUP, str(row.debt_group or "")), (COL_DUE, ""),
                                 (COL_RESULT, "")):
                item = QTableWidgetItem(text)
                if column in (COL_NAME, COL_WARD, COL_DISTRICT):  # wrapped on two lines; a longer one whole on hover
                    item.setToolTip(text)
                if column in (COL_OUT, COL_DEFERRED, COL_GROUP):
                    item.setTextAlignment(RIGHT)
                self.table.setItem(r, column, item)
        self.table.blockSignals(False)

    def _filter(self, *_args) -> None:
        ward, district, query = self.ward.currentData(), self.district.currentData(), fold(self.search.text())
        for r, row in enumerate(self.rows):
            hidden = bool((ward and row.ward != ward) or (district and row.district != district)
                          or (query and not all(w in row.search for w in query.split())))
            self.table.setRowHidden(r, hidden)
        self._count()

    def _check_visible(self, on: bool) -> None:
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            if not self.table.isRowHidden(r):
                self.table.item(r, COL_NO).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self._count()

    def selected_ids(self) -> list[int]:
        """The loans ticked and shown (the filters narrow the selection too), in the table's order."""
        return [self.rows[r].id for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r) and self.table.item(r, COL_NO).checkState() == Qt.CheckState.Checked]

    def _key(self) -> tuple:
        # a date that does not read is keyed by its text: never another day than the one typed
        on = self.on.text() if self.on.problem_text() else self.on.value()
        # the decision number too: the preview refuses a loan already restructured under it, as the posting does
        return (tuple(self.selected_ids()), on, self.extend.value(), self.grace.value(), self.reference.text().strip())

    def _count(self) -> None:
        ids = set(self.selected_ids())
        total = principal_total(r.principal_outstanding for r in self.rows if r.id in ids)
        text = tr("Đã chọn {n} khoản vay, dư nợ gốc {amount}.").format(n=len(ids), amount=vnd(total))
        if self.previewed_key is not None and self.previewed_key == self._key():
            refused = [line for i, line in self.lines.items() if i in ids and line.refused]
            if refused:
                text += " " + tr("{n} khoản vay bị từ chối (tô đỏ): bỏ các khoản này khỏi danh sách hoặc sửa quyết "
                                 "định.").format(n=len(refused))
            else:
                text += " " + tr("Xem trước xong: cơ cấu lại được tất cả.")
        elif self.lines:
            text += " " + tr("Lựa chọn hoặc quyết định đã thay đổi: bấm «Xem trước» lại.")
        self.count.setText(text)
        allow(self.drop_button, "" if any(line.refused and i in ids for i, line in self.lines.items()) else
              tr("Chưa có khoản vay nào bị từ chối trong lần xem trước"))

    # -- the preview ----------------------------------------------------------------------------------------
    def ask_preview(self) -> None:
        """Preview the ticked loans through the job runner (progress, cancel); nothing written."""
        from fundapp.services.batch_restructure import preview_batch

        self.form.clear_errors()
        if self.form.refuse_unread_dates():
            return
        ids = self.selected_ids()
        if not ids:
            self.form.show_error("loans", tr("Chưa chọn khoản vay nào"))
            return
        ctx, key = self.env.ctx, self._key()
        _, on, e, g, decision = key

        def job(control):
            return preview_batch(ctx, ids, on, e, g, progress=control.progress, cancelled=control.cancelled,
                                 decision=decision or None)

        def done(lines: list[Any]) -> None:
            self.show_preview(lines, key)

        self.env.jobs.run(job, done, parent=self, label=tr("Đang xem trước {n} khoản vay…").format(n=len(ids)),
                          on_failed=self._preview_failed, read_only=True)

    def _preview_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserCancelled):
            return
        self.show_refusal(exc)

    def show_preview(self, lines: list[Any], key: tuple) -> None:
        """Put the preview's figures (or refusals, in red) on the loans' rows."""
        self.lines.update({line.loan_id: line for line in lines})
        self.previewed_key = key
        row_of = {row.id: r for r, row in enumerate(self.rows)}
        self.table.blockSignals(True)
        for line in lines:
            r = row_of[line.loan_id]
            if line.refused:
                values = ("", "", "", line.refusal)
            else:
                values = (group_thousands(line.deferred_interest), f"{line.group_before} → {line.group_after}",
                          f"{short_date(line.last_due_before)} → {short_date(line.last_due_after)}",
                          tr("Cơ cấu lại được"))
            for column, text in zip((COL_DEFERRED, COL_GROUP, COL_DUE, COL_RESULT), values, strict=True):
                item = self.table.item(r, column)
                item.setText(text)
                item.setToolTip(text)
                item.setForeground(RED if line.refused else self.palette().text().color())
            self.table.item(r, COL_NO).setForeground(RED if line.refused else self.palette().text().color())
            if not line.refused:
                self.table.item(r, COL_OUT).setText(group_thousands(line.principal_outstanding))
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._count()

    def drop_refused(self) -> None:
        """Untick the loans the preview refused (the officer restructures the others)."""
        self.table.blockSignals(True)
        for r, row in enumerate(self.rows):
            line = self.lines.get(row.id)
            if line is not None and line.refused:
                self.table.item(r, COL_NO).setCheckState(Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        if self.previewed_key is not None:
            self.previewed_key = self._key()  # the others were previewed with the same decision
        self._count()

    # -- posting --------------------------------------------------------------------------------------------
    def submit(self) -> None:
        """Refuse without a fresh preview free of refusals; ask; then post all in one job (cancel before the
        write)."""
        from fundapp.services.events import restructure_batch

        ids = self.selected_ids()
        if not ids:
            raise ValidationError(tr("Chưa chọn khoản vay nào"), field="loans")
        reason, reference = self.reason.text(), self.reference.text()
        if not reference.strip():
            raise ValidationError(tr("Phải ghi số quyết định (ví dụ QĐ-CC-0019)"), field="reference")
        if not reason.strip():
            raise ValidationError(tr("Phải ghi lý do (ví dụ: thiệt hại do bão lũ)"), field="reason")
        if self.previewed_key != self._key():
            raise ValidationError(tr("Bấm «Xem trước» để xem từng khoản vay trước khi ghi"), field="loans")
        refused = [self.lines[i] for i in ids if self.lines[i].refused]
        if refused:
            raise ValidationError(tr("{n} khoản vay bị từ chối: bấm «Bỏ các khoản bị từ chối» hoặc sửa quyết định"
                                     ).format(n=len(refused)), field="loans")
        _, on, e, g, _decision = self._key()
        total = principal_total(self.lines[i].principal_outstanding for i in ids)
        question = tr("Cơ cấu lại {n} khoản vay (dư nợ gốc {amount}) ngày {on} theo quyết định {ref}: {terms}?").format(
            n=len(ids), amount=vnd(total), on=short_date(on), ref=reference.strip(), terms=restructure_words(e, g))
        if not confirm(self, tr("Xác nhận cơ cấu lại hàng loạt"), question + "<br><br>" + tr(
                "Sau khi ghi, chỉ có thể hủy bằng bút toán hủy (đảo)."), default_yes=False):
            return
        ctx = self.env.ctx
        self._busy = True
        self.ok_button.setEnabled(False)
        self.env.jobs.run(lambda control: restructure_batch(ctx, ids, on, e, g, reference, reason,
                                                            progress=control.progress, cancelled=control.cancelled),
                          self._posted, parent=self, on_failed=self._post_failed,
                          label=tr("Đang cơ cấu lại {n} khoản vay…").format(n=len(ids)))

    def _posted(self, posted: list[Any]) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.posted = posted
        self.env.changes.announce("loans")
        inform(self, tr("Đã cơ cấu lại"), tr("Đã cơ cấu lại {n} khoản vay theo quyết định {ref}.").format(
            n=len(posted), ref=self.reference.text().strip()))
        self.close_with(posted)

    def _post_failed(self, exc: BaseException) -> None:
        from fundapp.services.batch_restructure import BatchRefused

        self._busy = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, UserCancelled):
            self.count.setText(tr("Đã hủy. Chưa ghi gì vào sổ."))
            return
        if isinstance(exc, BatchRefused):  # the book changed since the preview: preview again to mark them
            self.ask_preview()
            present_error(self, exc)
            return
        if isinstance(exc, UserFacingError) and self.form.show_error(exc.field, exc.message):
            return
        present_error(self, exc)
