"""Khách hàng: the borrowers, searchable without diacritics and filterable; a borrower's loans below."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fundapp.domain.borrowers import BORROWER_KIND_LABELS

from ..dialogs.borrower import BorrowerDialog
from ..env import UiEnv
from ..i18n import tr
from ..widgets.fields import allow
from ..widgets.flow import ListAndDetails
from ..widgets.table_model import Column, RowTableModel
from ..widgets.table_view import TableView, search_box
from ._common import list_table, select_by_id
from .loans import WIDTHS as LOAN_WIDTHS
from .loans import loan_columns


def borrower_columns(outstanding: dict[str, int]) -> list[Column]:
    """The columns of the borrowers table; ``outstanding`` is each borrower's principal outstanding (đồng) summed
    by the service."""
    return [
        Column(tr("Mã KH"), lambda b: b.code),
        Column(tr("Tên khách hàng"), lambda b: b.name, fit=True, identifies=True),
        # the search matches the representative too (services.borrowers.clean_borrower): a row found by it shows it;
        # a fixed width, so a long one never pushes the outstanding out of a 1366 px window
        Column(tr("Người đại diện"), lambda b: b.representative, tips=True),
        Column(tr("Loại hình"), lambda b: tr(b.kind_label), fit=True),
        # the fund's own words, of any length, in fixed widths: a longer one («tiểu thủ công nghiệp») whole on hover
        Column(tr("Xã/phường"), lambda b: b.ward, tips=True),
        Column(tr("Huyện"), lambda b: b.district, tips=True),
        Column(tr("Ngành nghề"), lambda b: b.sector, tips=True),
        # ten columns do not fit a 1366 px window: the members' count waits in the header's right-click menu
        Column(tr("Thành viên"), lambda b: b.members, "int", hidden_by_default=True),
        Column(tr("Điện thoại"), lambda b: b.phone),
        # the per-loan figures of list_loans, added up per borrower for the list only; headed «Dư nợ» (a borrower's
        # dư nợ is its principal, as in Decree 45's limits): the English «Principal outstanding» was 78 px wider than
        # «Dư nợ gốc» and pushed the table past a 1366 px window; the tooltip names it whole
        Column(tr("Dư nợ"), lambda b: outstanding.get(b.code, 0), "money",
               tr("Tổng dư nợ gốc các khoản vay của khách hàng")),
    ]


class Page(QWidget):
    """The Khách hàng page: the borrowers with their outstanding, and the selected borrower's loans."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.outstanding: dict[str, int] = {}
        self.loans: list[Any] = []
        self.loaded = False
        self._select_after: int | None = None  # a borrower just saved: selected once the list is back

        self.search = search_box(tr("Tìm tên, mã, xã, huyện… (không cần dấu)"))
        self.kind = QComboBox()
        self.kind.addItem(tr("Mọi loại hình"), None)
        for key, label in BORROWER_KIND_LABELS.items():
            self.kind.addItem(tr(label), key)
        self.district = QComboBox()
        self.ward = QComboBox()
        self.sector = QComboBox()
        for combo, everything in ((self.district, "Mọi huyện"), (self.ward, "Mọi xã"), (self.sector, "Mọi ngành")):
            combo.addItem(tr(everything), None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.add_button = QPushButton(tr("&Thêm khách hàng…"))
        self.edit_button = QPushButton(tr("&Sửa…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.add)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        # each filter as wide as its longest choice (AdjustToContents), the search taking what is left: sharing the bar
        # by stretch cut «Thành phố Đông Hà» to «Thành phố Đông» and «tiểu thủ công nghiệp» at 1366 px
        for w in (self.kind, self.district, self.ward, self.sector):
            bar.addWidget(w)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)

        # a new key: the widths saved under "borrowers" were the nine columns' before the representative's
        self.model, self.proxy, self.table = list_table(
            self, borrower_columns(self.outstanding), env.qsettings, "borrower_list",
            [65, 240, 140, 130, 120, 130, 110, 75, 90, 105],
            tr("Sổ chưa có khách hàng nào. Bấm «Thêm khách hàng…» (Ctrl+N), hoặc nhập từ sổ "
               "Excel ở trang Nhập dữ liệu."))
        self.table.activatedRow.connect(lambda _row: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_loans())

        self.loans_title = QLabel(tr("Khoản vay của khách hàng"))
        self.loans_model = RowTableModel(loan_columns(), self)
        self.loans_table = TableView(env.qsettings, "borrower_loans")
        self.loans_table.setModel(self.loans_model)
        self.loans_table.set_default_widths(LOAN_WIDTHS)
        self.loans_table.activatedRow.connect(self.open_loan)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.loans_title)
        lower_layout.addWidget(self.loans_table)

        self.splitter = ListAndDetails(env.qsettings, "borrowers", self.table, lower, (450, 200))
        self.count = QLabel()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count)

        self.search.textChanged.connect(self._on_filters)
        for combo in (self.kind, self.district, self.ward, self.sector):
            combo.currentIndexChanged.connect(self._on_filters)
        env.changes.changed.connect(self._on_changes)
        self._enable()

    # -- data -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the borrowers, the loans and the outstanding per borrower in a read-only job."""
        from fundapp.services.borrowers import list_borrowers
        from fundapp.services.queries import list_loans, outstanding_by_borrower

        ctx = self.env.ctx
        def job(_c):
            loans = list_loans(ctx)
            return list_borrowers(ctx), loans, outstanding_by_borrower(loans)

        self.env.jobs.run(job, self.show_rows, parent=self, label=tr("Đang tải khách hàng…"), read_only=True)

    def show_rows(self, result: tuple[list, list, dict[str, int]]) -> None:
        """Show the borrowers, loans and outstanding (đồng, summed by the service) read by ``refresh``."""
        borrowers, loans, outstanding = result
        self.loans = loans
        self.outstanding.clear()
        self.outstanding.update(outstanding)  # summed by the service: the GUI adds up no money
        current = self.table.current_row()
        self.model.set_rows(borrowers)
        for combo, attr, everything in ((self.district, "district", tr("Mọi huyện")), (self.ward, "ward", tr("Mọi xã")),
                                        (self.sector, "sector", tr("Mọi ngành"))):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value in sorted({getattr(b, attr) for b in borrowers if getattr(b, attr)},
                                key=self.model.sort_key_text):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self.loaded = True
        self.table.set_loaded()
        self._on_filters()
        target = self._select_after or (current.id if current is not None else None)
        self._select_after = None
        if target is not None:
            self.select(target)
        self._show_loans()

    def _on_changes(self, topics: frozenset) -> None:
        if topics & {"borrowers", "loans", "book"}:
            self.refresh()

    def _on_filters(self, *_args) -> None:
        self.proxy.set_query(self.search.text())
        for name, combo in (("kind", self.kind), ("district", self.district), ("ward", self.ward),
                            ("sector", self.sector)):
            value = combo.currentData()
            self.proxy.set_filter(name, (lambda b, n=name, v=value: getattr(b, n) == v) if value else None)
        self.count.setText(tr("{shown} / {total} khách hàng").format(shown=self.proxy.rowCount(),
                                                                      total=self.model.rowCount()))

    def select(self, borrower_id: int) -> None:
        """Select borrower ``borrower_id`` when it is listed."""
        select_by_id(self.table, self.proxy, borrower_id)

    def _show_loans(self) -> None:
        b = self.table.current_row()
        rows = [loan for loan in self.loans if b is not None and loan.borrower_code == b.code]
        self.loans_model.set_rows(rows)
        self.loans_table.set_empty_texts(tr("Khách hàng này chưa có khoản vay nào.") if b else
                                         tr("Chọn một khách hàng ở bảng trên để xem các khoản vay của khách hàng."))
        self.loans_title.setText(tr("Khoản vay của {name}").format(name=b.name) if b else
                                 tr("Khoản vay của khách hàng (chọn một khách hàng)"))
        self._enable()

    def _enable(self) -> None:
        allow(self.edit_button, "" if self.table.current_row() is not None else tr("Chọn một khách hàng trong danh sách"))

    # -- actions ----------------------------------------------------------------------------------
    def make_dialog(self, row: Any = None) -> BorrowerDialog:
        """The borrower dialog: a new borrower, or ``row`` to edit."""
        return BorrowerDialog(self.env, BORROWER_KIND_LABELS, row, self)

    def _run(self, dialog: BorrowerDialog) -> None:
        if dialog.exec() and dialog.result_value is not None:
            self.after_save(dialog.result_value)

    def after_save(self, saved: Any) -> None:
        """Announce the change and select the borrower ``saved``."""
        self.env.changes.announce("borrowers")
        self._select_after = saved.id

    def add(self) -> None:
        """Add a borrower through its dialog."""
        self._run(self.make_dialog())

    def edit(self) -> None:
        """Edit the selected borrower through its dialog (nothing when none is selected)."""
        row = self.table.current_row()
        if row is not None:
            self._run(self.make_dialog(row))

    def open_loan(self, loan: Any) -> None:
        """Open ``loan`` (a loan list row) on the loans page."""
        window = self.window()
        if loan is not None and hasattr(window, "show_page"):
            window.show_page("loans").open_loan(loan.id)

    def save_layout(self) -> None:
        """Save the splitter and both tables' column widths in QSettings."""
        self.splitter.save()
        self.table.save_state()
        self.loans_table.save_state()
