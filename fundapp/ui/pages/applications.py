"""Hồ sơ vay: the application workflow. received → appraised → approved | rejected → contracted.

Each step is a form with its required fields; only the next valid step's button is enabled, and
the service refuses a skipped step anyway.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fundapp.formatting import search_key, short_date, vnd
from fundapp.services.applications import STATUS_LABELS

from ..dialogs.application_steps import ApproveDialog, ReceiveDialog, SignDialog, TextStepDialog
from ..dialogs.form import FormDialog
from ..env import UiEnv
from ..i18n import tr
from ..widgets.fields import allow
from ..widgets.flow import ListAndDetails
from ..widgets.table_model import Column
from ..widgets.table_view import search_box
from ._common import list_table, select_by_id

# the step each status allows next (the service is the judge; this only enables buttons)
NEXT_STEPS = {
    "received": {"appraise", "reject"},
    "appraised": {"approve", "reject"},
    "approved": {"sign"},
    "rejected": set(),
    "contracted": set(),
}


class _Keyed:
    """An application row with a diacritic-free search key for the filter."""

    __slots__ = ("row", "search")

    def __init__(self, row: Any) -> None:
        self.row = row
        self.search = search_key(row.borrower_name, row.borrower_code, row.purpose, row.sector, f"#{row.id}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def application_columns() -> list[Column]:
    """The columns of the applications table (number, dates, borrower, amounts in đồng, status)."""
    return [
        Column(tr("Số"), lambda a: a.id, "int"),
        Column(tr("Ngày nhận"), lambda a: a.received_on, "date"),
        Column(tr("Mã KH"), lambda a: a.borrower_code),
        Column(tr("Khách hàng"), lambda a: a.borrower_name, fit=True, identifies=True),
        Column(tr("Mục đích"), lambda a: a.purpose),
        Column(tr("Đề nghị vay"), lambda a: a.requested_amount, "money"),
        Column(tr("Phê duyệt"), lambda a: a.approved_amount, "money"),
        Column(tr("Trạng thái"), lambda a: tr(a.status_label), fit=True),
        Column(tr("Cán bộ tiếp nhận"), lambda a: a.received_by),
    ]


class Page(QWidget):
    """The Hồ sơ vay page: the applications with their status and the buttons of the workflow's next steps."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.borrowers: list[Any] = []
        self.products: list[Any] = []
        self.next_loan_no = ""  # the service's suggestion, read with the list
        self.loaded = False
        self._select_after: int | None = None

        self.search = search_box(tr("Tìm khách hàng, mục đích, số hồ sơ… (không cần dấu)"))
        self.status = QComboBox()
        self.status.addItem(tr("Mọi trạng thái"), None)
        for key, label in STATUS_LABELS.items():
            self.status.addItem(tr(label), key)
        self.buttons = {
            "receive": QPushButton(tr("&Tiếp nhận hồ sơ…")),
            "appraise": QPushButton(tr("T&hẩm định…")),
            "approve": QPushButton(tr("&Phê duyệt…")),
            "reject": QPushButton(tr("Từ &chối…")),
            "sign": QPushButton(tr("&Ký hợp đồng…")),
        }
        for step, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, s=step: self.do(s))
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, lambda: self.do("receive"))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        for button in self.buttons.values():
            bar.addWidget(button)
        from ..papers import ApplicationPapersButton  # issue 16: appraisal report, decision, collateral

        self.papers_button = ApplicationPapersButton(env, self.current, self)
        bar.addWidget(self.papers_button)

        self.model, self.proxy, self.table = list_table(
            self, application_columns(), env.qsettings, "applications", [50, 90, 70, 260, 240, 120, 120, 120, 110],
            tr("Chưa có hồ sơ vay nào. Bấm «Tiếp nhận hồ sơ…» (Ctrl+N) để nhận hồ sơ đầu tiên."))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())

        self.details = QLabel()
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMargin(6)
        self.splitter = ListAndDetails(env.qsettings, "applications", self.table, self.details, (430, 220))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.search.textChanged.connect(self.proxy.set_query)
        self.status.currentIndexChanged.connect(self._on_status)
        env.changes.changed.connect(self._on_changes)
        self._selected()

    # -- data -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the applications, borrowers, products and the next loan number in a read-only job."""
        from fundapp.services.applications import list_applications, next_loan_no
        from fundapp.services.borrowers import list_borrowers
        from fundapp.services.products import list_products

        ctx, year = self.env.ctx, self.env.ctx.today().year
        self.env.jobs.run(lambda _c: (list_applications(ctx), list_borrowers(ctx), list_products(ctx),
                                      next_loan_no(ctx, year)),
                          self.show_rows, parent=self, label=tr("Đang tải hồ sơ vay…"), read_only=True)

    def show_rows(self, result: tuple[list, list, list, str]) -> None:
        """Show the applications read by ``refresh`` and keep (or restore) the selection."""
        applications, self.borrowers, self.products, self.next_loan_no = result
        current = self.current()
        self.model.set_rows([_Keyed(a) for a in applications])
        target = self._select_after or (current.id if current is not None else None)
        self._select_after = None
        if target is not None:
            self.select(target)
        self.loaded = True
        self.table.set_loaded()
        self._selected()

    def _on_changes(self, topics: frozenset) -> None:
        if topics & {"applications", "borrowers", "book"}:
            self.refresh()

    def _on_status(self) -> None:
        status = self.status.currentData()
        self.proxy.set_filter("status", (lambda a: a.status == status) if status else None)

    def current(self) -> Any:
        """The selected application row, None when none is selected."""
        keyed = self.table.current_row()
        return keyed.row if keyed is not None else None

    def select(self, application_id: int) -> None:
        """Select application ``application_id`` when it is listed."""
        select_by_id(self.table, self.proxy, application_id)

    def enabled_steps(self) -> set[str]:
        """The workflow steps allowed for the selected application (receiving a new one always is)."""
        a = self.current()
        steps = set(NEXT_STEPS.get(a.status, set())) if a is not None else set()
        return steps | {"receive"}

    def _selected(self) -> None:
        steps = self.enabled_steps()
        a = self.current()
        why_not = (tr("Chọn một hồ sơ trong danh sách") if a is None else
                   tr("Hồ sơ #{id} đang ở bước «{status}»: chưa làm được việc này").format(id=a.id, status=tr(a.status_label)))
        for step, button in self.buttons.items():
            allow(button, "" if step in steps else why_not)
        self.details.setText(self._details_html(a) if a is not None else tr("Chọn một hồ sơ để xem chi tiết."))

    def _details_html(self, a: Any) -> str:
        lines = [
            (tr("Khách hàng"), f"{a.borrower_code} — {a.borrower_name}"),
            (tr("Mục đích / ngành"), f"{a.purpose} / {a.sector or '—'}"),
            (tr("Đề nghị vay"), vnd(a.requested_amount)),
            (tr("Tổng vốn phương án / vốn tự có"), f"{vnd(a.plan_total)} / {vnd(a.own_capital)}"),
            (tr("Tiếp nhận"), f"{short_date(a.received_on)} — {a.received_by}"),
        ]
        if a.appraised_by:
            lines.append((tr("Thẩm định"), f"{a.appraisal_notes} — {a.appraised_by}"))
        if a.status == "rejected":
            lines.append((tr("Lý do từ chối"), f"{a.rejection_reason} — {a.decided_by}"))
        if a.approved_amount is not None:
            lines.append((tr("Phê duyệt"), f"{vnd(a.approved_amount)} — {a.decided_by}"))
        if a.limit_override_reason:
            lines.append((tr("Duyệt vượt giới hạn"), a.limit_override_reason))
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in lines)
        return f"<p><b>{tr('Hồ sơ')} #{a.id}: {tr(a.status_label)}</b></p><table>{rows}</table>"

    # -- steps ------------------------------------------------------------------------------------
    def make_dialog(self, step: str) -> FormDialog:
        """The dialog of workflow ``step`` (receive, appraise, reject, approve, sign) for the selected application."""
        from fundapp.services.applications import appraise_application, reject_application

        ctx, a, today = self.env.ctx, self.current(), self.env.ctx.today()
        if step == "receive":
            return ReceiveDialog(self.env, self.borrowers, self.products, today, self)
        head = tr("Hồ sơ #{id} — {name}: đề nghị vay {amount}.").format(
            id=a.id, name=a.borrower_name, amount=vnd(a.requested_amount))
        if step == "appraise":
            if ctx.roles is None:  # a book without users records no appraisal date (as before issue 14)
                return TextStepDialog(self.env, tr("Thẩm định hồ sơ vay"), head, "appraisal_notes",
                                      tr("Ý kiến thẩm định"), lambda notes: appraise_application(ctx, a.id, notes),
                                      multiline=True, parent=self)
            return TextStepDialog(self.env, tr("Thẩm định hồ sơ vay"), head, "appraisal_notes", tr("Ý kiến thẩm định"),
                                  lambda notes, on: appraise_application(ctx, a.id, notes, appraised_on=on),
                                  multiline=True, parent=self, date_field=("appraised_on", tr("Ngày thẩm định")))
        if step == "reject":
            return TextStepDialog(self.env, tr("Từ chối hồ sơ vay"), head, "rejection_reason", tr("Lý do từ chối"),
                                  lambda reason: reject_application(ctx, a.id, reason), parent=self,
                                  confirm_text=tr("Từ chối hồ sơ #{id}? Hồ sơ đã từ chối không xét tiếp được.").format(
                                      id=a.id))
        if step == "approve":
            return ApproveDialog(self.env, a, self.products, self)
        return SignDialog(self.env, a, self.suggest_loan_no(today.year), today, self)

    def suggest_loan_no(self, year: int) -> str:
        """The next free contract number of the year (read with the list: HD2026-005 after HD2026-004); the officer
        may change it (the service refuses a duplicate)."""
        return self.next_loan_no if self.next_loan_no.startswith(f"HD{year}-") else f"HD{year}-"

    def do(self, step: str) -> None:
        """Run workflow ``step`` through its dialog when it is allowed; announce the change when it is done."""
        if step not in self.enabled_steps():
            return
        dialog = self.make_dialog(step)
        if dialog.exec() and dialog.result_value is not None:
            self.after_step(step, dialog.result_value)

    def after_step(self, step: str, result: Any) -> None:
        """Select the application ``result`` names and announce the change (loans and borrowers too after a signature)."""
        self._select_after = result.id if hasattr(result, "id") else (self.current().id if self.current() else None)
        topics = {"applications"} | ({"loans", "borrowers"} if step == "sign" else set())
        self.env.changes.announce(*topics)

    def save_layout(self) -> None:
        """Save the splitter and the table's column widths in QSettings."""
        self.splitter.save()
        self.table.save_state()
