"""Nhật ký (issue 14): who did what, when, on which loan — filtered by person, text, loan and days, exported to
.xlsx (text cells as strings). Reading it needs the right «xem nhật ký thao tác» (director, controller, admin)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import DateTextError, short_date, short_date_time
from fundapp.i18n import render
from fundapp.services import audit
from fundapp.services.rights import allowed

from ..env import UiEnv
from ..errors import attempt
from ..i18n import tr
from ..jobs import JobControl
from ..login import right_tooltip
from ..messages import inform
from ..widgets.fields import DateEdit
from ..widgets.table_model import Column, RowTableModel
from ..widgets.table_view import TableView, search_box
from ._common import RefreshWhenShown, ask_save_path, date_problem_label, page_title


def audit_columns() -> list[Column]:
    """The columns of the audit log table (time, actor, action, detail)."""
    return [
        Column(tr("Thời điểm"), lambda r: short_date_time(r.at, seconds=True), sort_value=lambda r: r.at),
        Column(tr("Người thực hiện"), lambda r: r.actor),
        Column(tr("Thao tác"), lambda r: r.label, fit=True, identifies=True),
        Column(tr("Khoản vay"), lambda r: r.loan_no),
        Column(tr("Nội dung"), lambda r: r.detail, tips=True),  # a long record whole on hover
    ]


class Page(RefreshWhenShown, QWidget):
    """The Nhật ký page: the audit log, filtered by text, actor, loan and dates, and saved to a file; read again each
    time it is shown (every action leaves a record, and not every dialog announces what it wrote: an asset added
    from the papers dialog was missing until «Lọc»), and when a write is announced while it is shown."""

    TOPICS = frozenset({"borrowers", "applications", "loans", "settings", "book"})

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rows: list[audit.AuditRow] = []
        self._rows_span: tuple[date, date] | None = None  # the first and last day the rows shown were read for
        today = max(date.today(), env.ctx.today())  # audit records carry the real time of the action
        self.text = search_box(tr("Tìm trong thao tác, nội dung…"))
        self.actor = QComboBox()
        self.actor.addItem(tr("Mọi người"), "")
        self.loan = QLineEdit()
        self.loan.setPlaceholderText(tr("Số hợp đồng"))
        # the one date field: a day typed is read as typed or refused in words, never turned into another day
        self.start = DateEdit(today - timedelta(days=90))
        self.end = DateEdit(today)
        self.apply_button = QPushButton(tr("&Lọc"))
        self.export_button = QPushButton(tr("Xuất &Excel…"))
        self.apply_button.clicked.connect(self.refresh)
        self.text.returnPressed.connect(self.refresh)
        self.loan.returnPressed.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        bar = QHBoxLayout()
        bar.addWidget(self.text, 3)
        bar.addWidget(self.actor, 1)
        bar.addWidget(self.loan, 1)
        bar.addWidget(QLabel(tr("Từ")))
        bar.addWidget(self.start)
        bar.addWidget(QLabel(tr("đến")))
        bar.addWidget(self.end)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.export_button)
        # what is wrong with a day typed, under the filters (not only in the field's tooltip)
        self.start_problem = date_problem_label(self.start, "error_start")
        self.end_problem = date_problem_label(self.end, "error_end")
        problems = QHBoxLayout()
        problems.addStretch(1)
        problems.addWidget(self.start_problem)
        problems.addWidget(self.end_problem)
        self.model = RowTableModel(audit_columns(), self)
        self.table = TableView(env.qsettings, "audit")  # newest first until the officer sorts by a column
        self.table.setModel(self.model)
        self.table.set_default_widths([150, 120, 190, 110, 600])
        self.table.set_empty_texts(tr("Không có thao tác nào trong khoảng đã chọn."))
        self.table.set_loaded(False)
        self.count = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(tr("Nhật ký thao tác")))
        layout.addLayout(bar)
        layout.addLayout(problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.may_read = allowed(env.ctx, "audit")
        if not self.may_read:
            for w in (self.apply_button, self.export_button, self.text, self.actor, self.loan):
                w.setEnabled(False)
                w.setToolTip(right_tooltip("audit"))
            self.table.set_empty_texts(right_tooltip("audit"))
        env.changes.changed.connect(self._on_changed)  # an officer back on the page saw the records of before

    def hideEvent(self, event) -> None:
        """The next showing reads the journal again (``RefreshWhenShown``: a stale page is read when shown)."""
        self._stale = True
        super().hideEvent(event)

    def filters(self) -> dict:
        """The filters as typed (text, actor, loan number, first and last day) for the service."""
        return dict(text=self.text.text(), actor=self.actor.currentData() or "", loan_no=self.loan.text(),
                    start=self.start.value(), end=self.end.value())

    def refresh(self) -> None:
        """Reload the journal with the filters (on the worker thread)."""
        self._stale = False
        if not self.may_read:
            self.table.set_loaded(True)
            return
        try:
            filters = self.filters()
        except DateTextError as err:  # «31/02/2024»: said where the count goes, the rows shown are kept
            for edit in (self.start, self.end):
                edit.read_text()  # and beside the field, as when it is left
            text = render(err.msg)  # in the officer's language
            if self._rows_span is not None:  # the rows kept are of other days than the fields show: which
                first, last = self._rows_span
                text += " " + tr("Danh sách đang hiển thị: {n} thao tác từ {start} đến {end}.").format(
                    n=len(self.rows), start=short_date(first), end=short_date(last))
            self.count.setText(text)
            self.count.setStyleSheet("color: #b00020")
            return
        self.count.setStyleSheet("")
        ctx = self.env.ctx
        span = (filters["start"], filters["end"])

        def job(_control: JobControl):
            return audit.audit_log(ctx, **filters), audit.audit_actors(ctx)

        self.env.jobs.run(job, lambda result: self._show(result, span, filters), parent=self,
                          label=tr("Đang đọc nhật ký…"), read_only=True)

    @staticmethod
    def _why_none(filters: dict) -> str:
        """Why no record is shown, by the filters that found none (``filters()``'): days the wrong way round, else
        the days and each filter given («Không có thao tác nào trong khoảng đã chọn.» was said for a loan number
        mistyped too)."""
        start, end = filters["start"], filters["end"]
        if start > end:
            return tr("Ngày «Từ» {start} sau ngày «đến» {end}: không có ngày nào ở giữa. Đổi lại hai ngày rồi bấm "
                      "«Lọc».").format(start=short_date(start), end=short_date(end))
        given = []
        if filters["loan_no"].strip():
            given.append(tr("khoản vay «{loan}»").format(loan=filters["loan_no"].strip()))
        if filters["actor"]:
            given.append(tr("người thực hiện «{name}»").format(name=filters["actor"]))
        if filters["text"].strip():
            given.append(tr("nội dung có «{text}»").format(text=filters["text"].strip()))
        if not given:
            return tr("Không có thao tác nào từ {start} đến {end}.").format(start=short_date(start),
                                                                          end=short_date(end))
        return tr("Không có thao tác nào từ {start} đến {end} của {filters}: kiểm tra lại bộ lọc.").format(
            start=short_date(start), end=short_date(end), filters=", ".join(given))

    def _show(self, result, span: tuple[date, date] | None = None, filters: dict | None = None) -> None:
        self.rows, actors = result
        self._rows_span = span
        if filters is not None:
            self.table.set_empty_texts(self._why_none(filters))
        chosen = self.actor.currentData() or ""
        self.actor.blockSignals(True)
        self.actor.clear()
        self.actor.addItem(tr("Mọi người"), "")
        for name in actors:
            self.actor.addItem(name, name)
        self.actor.setCurrentIndex(max(0, self.actor.findData(chosen)))
        self.actor.blockSignals(False)
        self.model.set_rows(self.rows)
        self.table.set_loaded(True)
        self.count.setText(tr("{n} thao tác").format(n=len(self.rows)))

    def export(self) -> None:
        """Save the rows shown to an .xlsx."""
        folder = str(self.env.qsettings.value("reports/folder", str(Path.home())))
        path = ask_save_path(self, tr("Xuất nhật ký ra Excel"), f"nhat-ky-{self.env.ctx.today():%Y%m%d}.xlsx",
                             "Excel (*.xlsx)", folder)
        if path is None:
            return
        if not attempt(self, lambda: audit.export_audit(self.env.ctx, self.rows, path)):
            return
        inform(self, tr("Đã lưu"), tr("Đã lưu: {files}").format(files=str(path)))
