"""Chờ tôi duyệt (issue 14): the proposals waiting for this user — made by someone else, for a right this user holds
— with the exact preview their maker saw; confirm or refuse (with a reason). Services do every check."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import short_date_time
from fundapp.services import proposals

from ..dialogs.money import warning_html
from ..env import UiEnv
from ..errors import attempt, present_error
from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import allow
from ..widgets.table_model import Column, RowTableModel
from ..widgets.table_view import TableView
from ._common import page_title


def proposal_columns() -> list[Column]:
    """The columns of the proposals table (number, action, proposer, when, preview)."""
    return [
        Column(tr("Số"), lambda p: p.id, "int"),
        Column(tr("Việc đề xuất"), lambda p: p.action_vi[:1].upper() + p.action_vi[1:], fit=True,
               identifies=True),
        Column(tr("Khoản vay"), lambda p: p.loan_no),
        Column(tr("Người đề xuất"), lambda p: p.proposed_by),
        Column(tr("Lúc"), lambda p: short_date_time(p.proposed_at), sort_value=lambda p: p.proposed_at),
        Column(tr("Nội dung"), lambda p: p.preview.splitlines()[0] if p.preview else ""),
    ]


class Page(QWidget):
    """The waiting-for-me list; the preview of the selected proposal below it."""

    TOPICS = frozenset({"loans", "settings", "applications", "book"})

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rows: list[proposals.ProposalRow] = []
        self.model = RowTableModel(proposal_columns(), self)
        self.table = TableView(env.qsettings, "pending")  # as proposed until the officer sorts by a column
        self.table.setModel(self.model)
        self.table.set_default_widths([50, 190, 110, 120, 130, 500])
        self.table.set_empty_texts(tr("Không có đề xuất nào chờ bạn duyệt."))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show())
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("proposalPreview")
        self.confirm_button = QPushButton(tr("&Xác nhận"))
        self.refuse_button = QPushButton(tr("&Từ chối…"))
        self.confirm_button.clicked.connect(self.confirm)
        self.refuse_button.clicked.connect(self.refuse)
        self.who = QLabel("")
        bar = QHBoxLayout()
        bar.addWidget(self.who, 1)
        bar.addWidget(self.confirm_button)
        bar.addWidget(self.refuse_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel(tr("Nội dung đề xuất (đúng như người lập đã xem):")))
        box.addWidget(self.preview)
        split.addWidget(holder)
        split.setSizes([330, 250])
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(tr("Chờ tôi duyệt")))
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        env.changes.changed.connect(lambda topics: self.refresh() if topics & self.TOPICS else None)
        self._show()

    def refresh(self) -> None:
        """Reload the proposals waiting for this user."""
        try:
            self.rows = proposals.pending(self.env.ctx)
        except Exception as exc:
            present_error(self, exc)
            self.rows = []
        self.model.set_rows(self.rows)
        self.table.set_loaded(True)
        self.who.setText(f"{tr('Người dùng')}: {self.env.ctx.user} — {len(self.rows)} {tr('đề xuất chờ duyệt')}")
        if self.rows:
            self.table.selectRow(0)
        self._show()

    def selected(self) -> proposals.ProposalRow | None:
        """The selected proposal, None when none is selected."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show(self) -> None:
        p = self.selected()
        self.preview.setPlainText(p.preview if p else "")
        for button in (self.confirm_button, self.refuse_button):
            allow(button, "" if p is not None else tr("Chọn một đề nghị trong danh sách"))

    def confirm(self) -> None:
        """Confirm the selected proposal (a second person posts it); a refusal is shown in words. A reversal that
        changes receipts already issued asks first, naming them (``proposals.changed_receipts_of``), as the maker was
        told and as the command line's ``confirm`` says it."""
        p = self.selected()
        if p is None:
            return
        changed: list[str] = []
        if not attempt(self, lambda: changed.append(proposals.changed_receipts_of(self.env.ctx, p.id))):
            return
        if changed[0] and not confirm(self, tr("Xác nhận đề xuất"), tr("Xác nhận đề xuất số {id}?").format(id=p.id)
                                      + warning_html(changed[0]), default_yes=False):
            return
        if not attempt(self, lambda: proposals.confirm(self.env.ctx, p.id)):
            return
        self.env.changes.announce("loans", "settings", "applications", "book")

    def refuse(self) -> None:
        """Refuse the selected proposal with a reason; nothing is posted."""
        p = self.selected()
        if p is None:
            return
        note, ok = QInputDialog.getText(self, tr("Từ chối đề xuất"), tr("Lý do từ chối:"))
        if not ok:
            return
        if not attempt(self, lambda: proposals.refuse(self.env.ctx, p.id, note)):
            return
        self.env.changes.announce("book")
