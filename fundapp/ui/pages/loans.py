"""Khoản vay: every loan with today's figures (from the per-loan cache), searchable and filterable;
Enter or a double-click opens the loan's page."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from fundapp.services.queries import STATUS_LABELS

from ..env import UiEnv
from ..i18n import tr
from ..loan_detail import LoanDetail
from ..widgets.table_model import Column
from ..widgets.table_view import search_box
from ._common import list_table


def loan_columns() -> list[Column]:
    """The columns of the loans table (loan, borrower, status, figures in đồng from the cache, dates)."""
    return [
        Column(tr("Số hợp đồng"), lambda r: r.loan_no, fit=True),
        Column(tr("Khách hàng"), lambda r: r.borrower_name, fit=True, identifies=True),
        # the status next to the name: visible without scrolling at 125 % too
        Column(tr("Trạng thái"), lambda r: tr(r.status_label), fit=True,
               tip=lambda r: tr("Quá hạn vì còn nợ lãi quá hạn hoặc lãi chậm trả: không kỳ nào còn gốc, lãi đến hạn "
                                "chưa trả") if r.overdue_by_interest_only else tr(
                   "Đã qua ngày đến hạn cuối, gốc đã trả hết: còn lãi trong hạn của ngày đến hạn cuối, phải trả ngay")
               if r.after_term else ""),
        Column(tr("Huyện"), lambda r: r.district, fit=True),
        Column(tr("Số tiền vay"), lambda r: r.amount, "money"),
        Column(tr("Dư nợ gốc"), lambda r: r.principal_outstanding, "money"),
        Column(tr("Gốc quá hạn"), lambda r: r.principal_overdue, "money"),
        Column(tr("Ngày QH"), lambda r: r.days_past_due, "int", tr("Số ngày quá hạn")),
        Column(tr("Nhóm"), lambda r: r.debt_group, "int", tr("Nhóm nợ (Thông tư 14/2024)")),
        Column(tr("Đến hạn tiếp"), lambda r: r.next_due_on, "date", tr("Ngày đến hạn kỳ tiếp theo")),
        Column(tr("Số tiền kỳ tới"), lambda r: r.next_due_amount or None, "money"),
    ]


WIDTHS = [100, 235, 100, 120, 110, 110, 100, 60, 50, 90, 105]


class Page(QWidget):
    """The Khoản vay page: the loan list with its filters, and the loan page (``LoanDetail``) over it."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.loaded = False  # every loan read (before: none, or the first FIRST_ROWS)
        self.figures_shown = False  # the first loans are on screen (benchmarks/bench_gui_start.py waits for it)
        self.updating = False  # the cache is being brought to today in the background
        self._generation = 0  # the newest read; an older one's rows are dropped
        self.search = search_box(tr("Tìm số hợp đồng, khách hàng, xã, huyện… (không cần dấu)"))
        self.status = QComboBox()
        self.status.addItem(tr("Mọi trạng thái"), None)
        for key, label in STATUS_LABELS.items():
            self.status.addItem(tr(label), key)  # the words of the list's «Trạng thái» column
        self.status.addItem(tr("Đã cơ cấu lại"), "restructured")
        self.restructured: set[int] | None = None  # loans with a restructuring, read when the filter is chosen
        self.group = QComboBox()
        self.group.addItem(tr("Mọi nhóm nợ"), None)
        for g in range(1, 6):
            self.group.addItem(tr("Nhóm {g}").format(g=g), g)
        self.group.addItem(tr("Nợ xấu (nhóm 3–5)"), "bad")
        self.district = QComboBox()
        self.district.addItem(tr("Mọi huyện"), None)
        self.count = QLabel()
        open_button = QPushButton(tr("&Mở khoản vay"))
        open_button.setToolTip(tr("Mở trang khoản vay đang chọn (Enter)"))
        open_button.clicked.connect(lambda: self.open_row(self.table.current_row()))

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.group, 1)
        bar.addWidget(self.district, 1)
        bar.addWidget(open_button)
        self.batch_button = QPushButton(tr("Cơ cấu lại hàng loạt…"))
        self.batch_button.setToolTip(tr("Cơ cấu lại nhiều khoản vay theo một quyết định (ví dụ sau bão lũ)"))
        self.batch_button.clicked.connect(lambda: self.run_batch(self.make_batch_dialog()))
        bar.addWidget(self.batch_button)

        self.model, self.proxy, self.table = list_table(
            self, loan_columns(), env.qsettings, "loans", WIDTHS,
            tr("Sổ chưa có khoản vay nào. Khoản vay có khi ký hợp đồng ở trang Hồ sơ vay, "
               "hoặc nhập từ sổ Excel ở trang Nhập dữ liệu."))
        self.table.activatedRow.connect(self.open_row)

        listing = QWidget()
        column = QVBoxLayout(listing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)

        self.detail = LoanDetail(env)
        self.detail.back.connect(self.show_list)
        self.stack = QStackedWidget()
        self.stack.addWidget(listing)
        self.stack.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

        self.search.textChanged.connect(self._on_search)
        self.status.currentIndexChanged.connect(self._on_filters)
        self.group.currentIndexChanged.connect(self._on_filters)
        self.district.currentIndexChanged.connect(self._on_filters)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        env.changes.changed.connect(self._on_changes)

    # -- data -------------------------------------------------------------------------------------
    FIRST_ROWS = 300  # a screenful and more, read first so the list shows at once on a book of any size
    BATCH = 2000  # loans brought to today per job (~2–4 s on this machine): a loan page opened meanwhile waits for one

    def refresh(self) -> None:
        """Read the loan list in read-only jobs that never wait for a replay: on first opening the first
        ``FIRST_ROWS`` loans (shown at once), then every loan; when the cache is older than today, bring it to
        today in the background with the list showing, then read it again (issue 17)."""
        from fundapp.services.queries import list_is_current, list_loans

        ctx = self.env.ctx
        self._generation += 1
        generation = self._generation
        if not self.loaded and self.model.rowCount() == 0:
            self.env.jobs.run(lambda _c: list_loans(ctx, current=False, limit=self.FIRST_ROWS),
                              lambda rows: self._first_rows(rows, generation), parent=self, progress=False,
                              read_only=True)
        self.env.jobs.run(lambda _c: (list_loans(ctx, current=False), list_is_current(ctx)),
                          lambda got: self._all_rows(*got, generation), parent=self, progress=False,
                          label=tr("Đang tải khoản vay…"), read_only=True)

    def _first_rows(self, rows: list[Any], generation: int) -> None:
        if generation != self._generation or self.loaded:
            return
        self.model.set_rows(rows)
        self.table.set_loaded()
        self.figures_shown = True  # the officer sees the first loans; the rest follow in a moment
        self._count()

    def _all_rows(self, rows: list[Any], current: bool, generation: int) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        self.show_rows(rows)
        if not current:
            self._bring_to_today()

    def _bring_to_today(self) -> None:
        """Bring the cached figures to today in the background (a replay of every stale loan, ``BATCH`` loans per
        job so a loan page or a posting asked for meanwhile runs between two batches), the list staying usable;
        then read the list again."""
        from fundapp.services.queries import bring_list_to_today

        if self.updating:
            return
        self.updating = True
        self._count()
        ctx = self.env.ctx

        batches: list[int] = []

        def done(refreshed: int) -> None:
            batches.append(refreshed)
            if refreshed == self.BATCH:  # more to do: the next batch after the jobs queued meanwhile
                self.env.jobs.run(lambda _c: bring_list_to_today(ctx, self.BATCH), done, parent=self,
                                  progress=False, on_failed=failed, label=label)
                return
            self.updating = False
            self._count()
            if sum(batches):  # read the list again (once: nothing refreshed means nothing to read)
                self.refresh()

        def failed(exc: BaseException) -> None:
            self.updating = False
            self._count()
            from ..errors import present_error

            present_error(self, exc)

        label = tr("Đang cập nhật số liệu khoản vay đến hôm nay…")
        self.env.jobs.run(lambda _c: bring_list_to_today(ctx, self.BATCH), done, parent=self, progress=False,
                          on_failed=failed, label=label)

    def show_rows(self, rows: list[Any]) -> None:
        """Show the loan list read by ``refresh`` (the restructured filter is read again; the current loan stays
        current)."""
        current = self.table.current_row()
        self.model.set_rows(rows)
        if current is not None:
            at = next((i for i, r in enumerate(self.model.rows) if r.id == current.id), None)
            if at is not None:
                index = self.proxy.mapFromSource(self.model.index(at, 0))
                if index.isValid():
                    self.table.setCurrentIndex(index)
        if self.restructured is not None:  # the list changed: read the restructured loans again
            self.restructured = None
            self._on_filters()
        chosen = self.district.currentData()
        self.district.blockSignals(True)
        self.district.clear()
        self.district.addItem(tr("Mọi huyện"), None)
        for d in sorted({r.district for r in rows if r.district}, key=self.model.sort_key_text):
            self.district.addItem(d, d)
        self.district.setCurrentIndex(max(0, self.district.findData(chosen)))
        self.district.blockSignals(False)
        self.loaded = True
        self.figures_shown = True
        self.table.set_loaded()
        self._count()

    def _on_changes(self, topics: frozenset) -> None:
        if "loans" in topics or "book" in topics:
            self.refresh()

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        self._count()

    def _on_filters(self) -> None:
        status, group, district = self.status.currentData(), self.group.currentData(), self.district.currentData()
        if status == "restructured":
            self._filter_restructured()
        else:
            self.proxy.set_filter("status", (lambda r: r.status == status) if status else None)
        if group == "bad":
            self.proxy.set_filter("group", lambda r: r.debt_group >= 3 and r.principal_outstanding > 0)
        else:
            self.proxy.set_filter("group", (lambda r: r.debt_group == group and r.status != "closed") if group else None)
        self.proxy.set_filter("district", (lambda r: r.district == district) if district else None)
        self._count()

    def _filter_restructured(self) -> None:
        from fundapp.services.queries import restructured_loan_ids

        if self.restructured is None:
            ctx = self.env.ctx

            def got(ids: set[int]) -> None:
                self.restructured = ids
                if self.status.currentData() == "restructured":
                    self._filter_restructured()
                    self._count()

            self.env.jobs.run(lambda _c: restructured_loan_ids(ctx), got, parent=self, progress=False, read_only=True)
            return
        ids = self.restructured
        self.proxy.set_filter("status", lambda r: r.id in ids)

    def _count(self, *_args) -> None:
        text = tr("{shown} / {total} khoản vay").format(shown=self.proxy.rowCount(), total=self.model.rowCount())
        if not self.loaded and self.model.rowCount():
            text += " — " + tr("đang tải các khoản vay còn lại…")
        elif self.updating:
            text += " — " + tr("đang cập nhật số liệu đến hôm nay…")
        self.count.setText(text)

    # -- batch restructuring (issue 15) -----------------------------------------------------------
    def make_batch_dialog(self):
        """The batch restructuring dialog over the list's loans; the loans the filters show are ticked when the
        list is filtered (a district chosen…)."""
        from ..batch_dialog import BatchRestructureDialog

        shown = {self.proxy.row_at(self.proxy.index(r, 0)).id for r in range(self.proxy.rowCount())}
        checked = shown if self.proxy.rowCount() < self.model.rowCount() else set()
        return BatchRestructureDialog(self.env, self.model.rows, self.env.ctx.today(), checked, self,
                                      district=self.district.currentData())

    def run_batch(self, dialog) -> None:
        """Open ``dialog`` modally (tests drive ``make_batch_dialog``); the list refreshes on the change it
        announces."""
        dialog.exec()

    # -- the loan page ----------------------------------------------------------------------------
    def open_row(self, row: Any) -> None:
        """Open the loan of ``row`` (nothing for None)."""
        if row is not None:
            self.open_loan(row.id)

    def open_loan(self, loan_id: int) -> LoanDetail:
        """Show loan ``loan_id``'s page and return it."""
        self.detail.open(loan_id)
        self.stack.setCurrentWidget(self.detail)
        self.detail.setFocus()
        return self.detail

    def show_list(self) -> None:
        """Go back from a loan's page to the list."""
        self.stack.setCurrentIndex(0)
        self.table.setFocus()

    def save_layout(self) -> None:
        """Save the table's column widths and the loan page's layout in QSettings."""
        self.table.save_state()
        self.detail.save_layout()
