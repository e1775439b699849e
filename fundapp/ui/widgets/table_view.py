"""The table kit's view: a read-only row-selecting table that remembers its column widths, hidden columns and sort
order, fits its key columns and says why it is empty; with the search box."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from ..i18n import tr
from .table_model import ROW_ROLE, Column, RowTableModel


class TableView(QTableView):
    """A read-only row-selecting table that remembers its column widths, hidden columns and sort order (QSettings);
    a right click on the header shows or hides a column."""

    activatedRow = Signal(object)  # the frozen row under Enter or a double-click

    def __init__(self, settings: QSettings | None, key: str, parent: QWidget | None = None, *,
                 sortable: bool = True) -> None:
        super().__init__(parent)
        self._settings, self._key, self._sortable = settings, f"tables/{key}", sortable
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table: every action stays reachable by keyboard
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fixed heights: no per-row measuring
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self.save_state)
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setToolTip(tr("Bấm chuột phải vào tiêu đề để ẩn hoặc hiện cột."))
        header.customContextMenuRequested.connect(self._show_column_menu)
        self.doubleClicked.connect(self._activate)

    def set_empty_texts(self, empty: str, filtered: str = "", loading: str = "") -> None:
        """What the table says over its blank area when it has no rows: ``empty`` (why the book has none and what to
        do), ``filtered`` (rows exist but the search or a filter hides them), ``loading`` (before the first rows)."""
        self._empty_texts = (empty, filtered or tr("Không có dòng nào khớp với tìm kiếm hoặc bộ lọc."),
                             loading or tr("Đang tải…"))
        self.viewport().update()

    def set_loaded(self, loaded: bool = True) -> None:
        """The rows shown are the book's (not yet loaded: the table says "Đang tải…")."""
        self._loaded = loaded
        self.viewport().update()

    def empty_message(self) -> str:
        """The text shown over an empty table, or "" when it has rows (tests read it)."""
        model = self.model()
        if model is None or model.rowCount() > 0:
            return ""
        empty, filtered, loading = getattr(self, "_empty_texts", (tr("Chưa có dữ liệu."), "", ""))
        if not getattr(self, "_loaded", True):
            return loading
        source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else None
        if source is not None and source.rowCount() > 0:
            return filtered
        return empty

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        paint_empty_text(self, self.empty_message())

    def setModel(self, model) -> None:
        super().setModel(model)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.viewport().update)
        source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
        source.modelReset.connect(self.fit_columns)  # new rows, not a filter's keystroke
        # no sort until the officer asks (or QSettings remembers one): the service's order is meaningful
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if not self.restore_state():
            self._hide_by_default()
        self.setSortingEnabled(self._sortable)

    def _rows_model(self) -> RowTableModel | None:
        """The ``RowTableModel`` shown (through its proxy, if any); None for a model of another kind."""
        model = self.model()
        source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
        return source if isinstance(source, RowTableModel) else None

    def column_specs(self) -> list[Column]:
        """The ``Column`` of each column of the model shown (through its proxy), [] for a model of another kind."""
        source = self._rows_model()
        return list(source.columns) if source is not None else []

    def _hide_by_default(self) -> None:
        # a page with more columns than a 1366 px window shows keeps its least used ones in the header's menu
        for c, spec in enumerate(self.column_specs()):
            self.setColumnHidden(c, spec.hidden_by_default)

    def set_default_widths(self, widths: Sequence[int]) -> None:
        """Widths used until the officer resizes a column (then remembered), each at least its header's text (an
        English header is often longer than the Vietnamese one the width was chosen for); key columns
        (``Column.fit``) then grow to their longest text whenever rows arrive."""
        self._default_widths = list(widths)  # what «Hiện lại các cột mặc định» sets again
        if self._settings is not None and self._settings.contains(self._key):
            return
        self._fit = True
        header = self.horizontalHeader()
        for i, w in enumerate(widths):
            self.setColumnWidth(i, max(w, header.sectionSizeFromContents(i).width()))

    def identifying_columns(self) -> set[int]:
        """The columns that say which row a line is, never hidden: the first (code, contract or entry number, date)
        and those marked ``Column.identifies`` (the borrower's name…)."""
        return {0} | {c for c, spec in enumerate(self.column_specs()) if spec.identifies}

    def column_menu(self) -> QMenu:
        """The header's right-click menu: one checkable entry per column, in the order shown, checked when the
        column shows (an identifying column's entry checked and greyed: it cannot be hidden), then «Hiện lại các
        cột mặc định» (``restore_defaults``)."""
        menu = QMenu(self)
        header, model, keep = self.horizontalHeader(), self.model(), self.identifying_columns()
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column not in keep)
            action.toggled.connect(lambda on, c=column: self.show_column(c, on))
        menu.addSeparator()
        menu.addAction(tr("Hiện lại các cột mặc định"), self.restore_defaults)
        return menu

    def restore_defaults(self) -> None:
        """The page's own columns again: the default ones shown, in their order, at their default widths (key columns
        fitted to their text), and the first start's order (no sort: the rows as the service reads them); what
        QSettings kept for this table is forgotten."""
        if self._settings is not None:
            self._settings.remove(self._key)
        header = self.horizontalHeader()
        if self._sortable and header.sortIndicatorSection() >= 0:
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the arrow goes and the model gives its order back
        for column in range(header.count()):
            header.moveSection(header.visualIndex(column), column)
        self._hide_by_default()
        self.set_default_widths(getattr(self, "_default_widths", []))
        self.fit_columns()

    def _show_column_menu(self, pos) -> None:
        menu = self.column_menu()
        menu.exec(self.horizontalHeader().viewport().mapToGlobal(pos))
        menu.deleteLater()

    def show_column(self, column: int, shown: bool = True) -> None:
        """Show (or hide) ``column``; remembered with the widths. An identifying column stays shown."""
        if not shown and column in self.identifying_columns():
            return
        self.setColumnHidden(column, not shown)
        if shown and self.columnWidth(column) == 0:  # hidden before any width was set
            self.resizeColumnToContents(column)
        if shown:  # its width may be a Vietnamese header's, saved before English was chosen
            self.widen_to_headers([column])
            self.fit_columns([column], always=True)
        self._save_timer.start()

    FIT_MAX = 420  # px: a longer name is elided, and its cell's tooltip shows it whole

    def fit_columns(self, columns: Iterable[int] | None = None, *, always: bool = False) -> None:
        """Widen each key column (``Column.fit``) of ``columns`` (None: all) to its longest text (up to FIT_MAX px),
        never narrower than set: whenever rows arrive while the widths are the page's own, the first time they arrive
        after the saved widths were restored (saved for other rows, maybe in another language), or ``always``."""
        source = self._rows_model()
        wanted = always or getattr(self, "_fit", False) or getattr(self, "_fit_restored", False)
        if not wanted or source is None or not source.rows:
            return
        if columns is None:
            self._fit_restored = False  # the officer's widths from then on
        fm, header = self.fontMetrics(), self.horizontalHeader()
        rows = source.rows[:5000]  # enough to find the long names; a page of 100,000 rows stays fast
        chosen = range(len(source.columns)) if columns is None else columns
        for c in chosen:
            column = source.columns[c]
            if not column.fit or header.isSectionHidden(c):
                continue
            widest = max(fm.horizontalAdvance(column.display(r)) for r in rows) + 16
            widest = max(widest, header.sectionSizeFromContents(c).width())
            if self.columnWidth(c) < widest:
                self.setColumnWidth(c, min(widest, self.FIT_MAX))

    def widen_to_headers(self, columns: Iterable[int] | None = None) -> None:
        """Make each shown column of ``columns`` (None: all) at least as wide as its header's text: widths saved
        while the headers were Vietnamese would cut an English one («Principal outst…»)."""
        header = self.horizontalHeader()
        stretch = header.stretchLastSection()
        # the last column's own width, not what it stretches to: it falls back to it once a shown column needs room
        header.setStretchLastSection(False)
        for c in range(header.count()) if columns is None else columns:
            wide = header.sectionSizeFromContents(c).width()
            if not header.isSectionHidden(c) and header.sectionSize(c) < wide:
                header.resizeSection(c, wide)
        header.setStretchLastSection(stretch)

    def restore_state(self) -> bool:
        """Restore what QSettings keeps of this table (the header's state): the columns' widths and order, which
        columns the officer hid or showed from the header's menu, and the sort order; False when nothing was saved or
        it no longer fits the columns."""
        if self._settings is None:
            return False
        state = self._settings.value(self._key)
        if not state or not self.horizontalHeader().restoreState(state):
            return False
        header = self.horizontalHeader()
        for column in self.identifying_columns():  # hidden before they could not be: no way back otherwise
            header.showSection(column)
        self.widen_to_headers()
        self._fit_restored = True  # key columns fit the rows once they arrive
        if self._sortable and header.sortIndicatorSection() >= 0:
            self.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def save_state(self) -> None:
        """Save the header's state in QSettings: the columns' widths and order, the hidden columns and the sort order
        (nothing without settings or a model)."""
        if self._settings is not None and self.model() is not None:
            self._settings.setValue(self._key, self.horizontalHeader().saveState())

    def hideEvent(self, event) -> None:
        self.save_state()
        super().hideEvent(event)

    def current_row(self) -> Any:
        """The frozen row of the current line, None when no line is current."""
        index = self.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activatedRow.emit(index.data(ROW_ROLE))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)


def paint_empty_text(view: QAbstractItemView, text: str) -> None:
    """Write ``text`` (why a view has no rows) over the view's blank area, wrapped, in the placeholder colour."""
    if not text:
        return
    from PySide6.QtGui import QPainter

    painter = QPainter(view.viewport())
    painter.setPen(view.palette().color(view.palette().ColorRole.PlaceholderText))
    area = view.viewport().rect().adjusted(24, 16, -24, -8)
    painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                     text)
    painter.end()


def search_box(placeholder: str, parent: QWidget | None = None) -> QLineEdit:
    """A search field (clear button, Ctrl+F focus is set by the page)."""
    box = QLineEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    return box
