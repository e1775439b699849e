"""The table kit: a model over a list of frozen rows (one ``Column`` spec per column), a proxy that filters with the
diacritic-free search key and sorts in Vietnamese order, and a view that remembers its column widths and sort
order; with the search box, the empty-table text and the struck-out font of reversed rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from fundapp.formatting import fold, group_thousands, short_date

from ..i18n import tr
from .fields import VI

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the frozen row behind a table line


SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw value used to sort a cell


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


_CENTER = int(Qt.AlignmentFlag.AlignCenter)


# -- the table kit ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column: its header, how to read the value from a row, and how to show it.

    ``kind``: text, money (grouped đồng, right), int (right), date (dd/MM/yyyy), center (short codes).
    """

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"
    tooltip: str = ""
    fit: bool = False  # a key column (name, status): as wide as its longest text, the whole text in a tooltip

    def display(self, row: Any) -> str:
        """The cell's text for ``row``: money grouped by thousands (đồng), dates dd/mm/yyyy, "" for None."""
        v = self.value(row)
        if v is None:
            return ""
        if self.kind == "money":
            return group_thousands(v)
        if self.kind == "date":
            return short_date(v)
        return str(v)

    @property
    def alignment(self) -> int:
        """Qt alignment flags of the column: money and counts right, dates centred, text left."""
        return _RIGHT if self.kind in ("money", "int") else _CENTER if self.kind in ("date", "center") else _LEFT


class RowTableModel(QAbstractTableModel):
    """A read-only table over a list of frozen rows; ``row_style(row)`` may return (font, colour) hints."""

    def __init__(self, columns: Sequence[Column], parent=None,
                 row_style: Callable[[Any], tuple[QFont | None, QColor | None]] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.row_style = row_style
        self._collator = QCollator(VI)
        self._collator.setNumericMode(True)  # "HTX 2" before "HTX 10"
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` (frozen rows), keeping the sort the officer chose."""
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:  # a refresh keeps the order the officer chose
            column, order = self._sort
            self.rows.sort(key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def row_at(self, source_row: int) -> Any:
        """The frozen row at model row ``source_row``. Raises ``IndexError`` outside the table."""
        return self.rows[source_row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # data() runs ~7 times per visible cell: serve only the roles used, return early for the rest
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()].display(self.rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[index.column()].alignment
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            if self.row_style is None:
                return None
            font, colour = self.row_style(self.rows[index.row()])
            return font if role == Qt.ItemDataRole.FontRole else colour
        if role == Qt.ItemDataRole.ToolTipRole:
            column = self.columns[index.column()]
            return column.display(self.rows[index.row()]) or None if column.fit else None
        if role == ROW_ROLE:
            return self.rows[index.row()]
        if role == SORT_ROLE:
            return self.columns[index.column()].value(self.rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[section].alignment
        return None

    def sort_key(self, column: int) -> Callable[[Any], Any]:
        """Vietnamese collation for text, numbers for money, counts and dates (None last)."""
        spec = self.columns[column]
        if spec.kind in ("money", "int"):
            return lambda row: (spec.value(row) is None, spec.value(row) or 0)
        if spec.kind == "date":
            return lambda row: (spec.value(row) is None, spec.value(row) or date.min)
        collator = self._collator
        return lambda row: collator.sortKey(str(spec.value(row) or ""))

    def sort_key_text(self, text: str) -> Any:
        """Vietnamese collation key for a plain text (filter lists, combo boxes)."""
        return self._collator.sortKey(text)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        old = self.persistentIndexList()
        before = [(self.rows[p.row()], p.column()) for p in old]
        # one key per row, then Python's stable sort: a 10,000-row sort costs ~20 ms, not a lessThan per pair
        self.rows.sort(key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        positions = {id(r): i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(old, [self.index(positions[id(r)], c) for r, c in before])
        self.layoutChanged.emit()


class RowFilterProxy(QSortFilterProxyModel):
    """Filters rows whose ``search`` key matches the query (diacritic- and case-insensitive) and the
    column filters; sorting is done by the source model's key sort (Vietnamese collation)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""
        self.filters: dict[str, Callable[[Any], bool]] = {}
        self._accepted: list[bool] | None = None
        self._accepted_for: object = None

    def set_query(self, text: str) -> None:
        """Filter by ``text`` (diacritic-free, every word must match); the same text again does nothing."""
        if text == self.query:
            return
        self.query = text
        self._refilter()

    def set_filter(self, name: str, predicate: Callable[[Any], bool] | None) -> None:
        """A named column filter (e.g. status == "overdue"); None removes it."""
        if predicate is None:
            self.filters.pop(name, None)
        else:
            self.filters[name] = predicate
        self._refilter()

    def _refilter(self) -> None:
        self._accepted_for = None
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _compute(self, rows: list[Any]) -> list[bool]:
        # one pass in Python per keystroke; filterAcceptsRow then only reads a list
        words, preds = fold(self.query).split(), list(self.filters.values())
        if not words and not preds:
            return [True] * len(rows)
        if not preds:  # a keystroke: the query folded once, each row's precomputed key read once
            return [all(w in key for w in words) for key in (getattr(r, "search", "") for r in rows)]
        return [all(w in getattr(r, "search", "") for w in words) and all(p(r) for p in preds) for r in rows]

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        rows = getattr(model, "rows", None)
        if rows is None:
            return True
        if self._accepted_for is not rows or self._accepted is None or len(self._accepted) != len(rows):
            self._accepted, self._accepted_for = self._compute(rows), rows
        return self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            model.sort(column, order)
            self._accepted_for = None  # the rows moved: the filter's list follows them
            self.invalidate()
        else:
            super().sort(column, order)

    def row_at(self, index: QModelIndex) -> Any:
        """The frozen row behind proxy ``index``, None for an invalid index."""
        return index.data(ROW_ROLE) if index.isValid() else None


class TableView(QTableView):
    """A read-only row-selecting table that remembers its column widths and sort order (QSettings)."""

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
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else None
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
        model.modelReset.connect(self.fit_columns)
        # no sort until the officer asks (or QSettings remembers one): the service's order is meaningful
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.restore_state()
        self.setSortingEnabled(self._sortable)

    def set_default_widths(self, widths: Sequence[int]) -> None:
        """Widths used until the officer resizes a column (then remembered); key columns (``Column.fit``) then
        grow to their longest text whenever rows arrive."""
        if self._settings is not None and self._settings.contains(self._key):
            return
        self._fit = True
        for i, w in enumerate(widths):
            self.setColumnWidth(i, w)

    FIT_MAX = 420  # px: a longer name is elided, and its cell's tooltip shows it whole

    def fit_columns(self) -> None:
        """Widen each key column (``Column.fit``) to its longest text (up to FIT_MAX px), never narrower than set."""
        model = self.model()
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        if not getattr(self, "_fit", False) or not isinstance(source, RowTableModel) or not source.rows:
            return
        fm, header = self.fontMetrics(), self.horizontalHeader()
        rows = source.rows[:5000]  # enough to find the long names; a page of 100,000 rows stays fast
        for c, column in enumerate(source.columns):
            if not column.fit:
                continue
            widest = max(fm.horizontalAdvance(column.display(r)) for r in rows) + 16
            widest = max(widest, header.sectionSizeFromContents(c).width())
            if self.columnWidth(c) < widest:
                self.setColumnWidth(c, min(widest, self.FIT_MAX))

    def restore_state(self) -> bool:
        """Restore the column widths and sort order saved in QSettings; False when none were saved or they no longer
        fit the columns."""
        if self._settings is None:
            return False
        state = self._settings.value(self._key)
        if not state or not self.horizontalHeader().restoreState(state):
            return False
        header = self.horizontalHeader()
        if self._sortable and header.sortIndicatorSection() >= 0:
            self.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def save_state(self) -> None:
        """Save the column widths and sort order in QSettings (nothing without settings or a model)."""
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


def struck_font() -> QFont:
    """A struck-out font: the rows of reversed entries (DOMAIN.md "Corrections")."""
    font = QFont()
    font.setStrikeOut(True)
    return font
