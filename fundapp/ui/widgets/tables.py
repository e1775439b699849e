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
    QAbstractProxyModel,
    QAbstractTableModel,
    QCollator,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
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
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """``data()`` of the cell at model row ``row``, column ``column`` (a proxy reads it without an index)."""
        # data() runs ~7 times per visible cell: serve only the roles used, return early for the rest
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[column].display(self.rows[row])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[column].alignment
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            if self.row_style is None:
                return None
            font, colour = self.row_style(self.rows[row])
            return font if role == Qt.ItemDataRole.FontRole else colour
        if role == Qt.ItemDataRole.ToolTipRole:
            spec = self.columns[column]
            return spec.display(self.rows[row]) or None if spec.fit else None
        if role == ROW_ROLE:
            return self.rows[row]
        if role == SORT_ROLE:
            return self.columns[column].value(self.rows[row])
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


class RowFilterProxy(QAbstractProxyModel):
    """The rows of a ``RowTableModel`` whose ``search`` key holds every word of the query (diacritic- and
    case-insensitive) and that pass every named column filter; sorting is the source model's key sort
    (Vietnamese collation).

    The shown rows are a plain list of source rows recomputed in one Python pass when the query, a filter or the
    source changes, and the view is told by one reset: no call per row and no signal per removed range, so a
    keystroke over 100,000 loans costs one pass over their precomputed keys (issue 17: ≤ 100 ms). A sort keeps the
    current and selected rows (persistent indexes follow their rows)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""
        self.filters: dict[str, Callable[[Any], bool]] = {}
        self._shown: list[int] = []  # source row of each proxy row
        self._keys: list[str] | None = None  # each source row's search key, read once per source list
        self._filtered_by: tuple | None = None  # (folded query, filters, source list id, rows) of ``_shown``
        self._at: dict[int, int] | None = None  # proxy row of each shown source row, built when first asked
        self._moving: list[tuple[QPersistentModelIndex, Any, int]] = []

    # -- the source -------------------------------------------------------------------------------
    def setSourceModel(self, model) -> None:
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._links(old):
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._keys = self._filtered_by = None
        self._shown, self._at = self._compute(), None
        self.endResetModel()
        for signal, slot in self._links(model):
            signal.connect(slot)

    def _links(self, model):
        return ((model.modelAboutToBeReset, self.beginResetModel), (model.modelReset, self._source_reset),
                (model.layoutAboutToBeChanged, self._before_layout), (model.layoutChanged, self._after_layout),
                (model.dataChanged, self._source_changed), (model.rowsInserted, self._source_changed),
                (model.rowsRemoved, self._source_changed))

    def _source_reset(self) -> None:
        self._keys = self._filtered_by = None
        self._shown, self._at = self._compute(), None
        self.endResetModel()

    def _source_changed(self, *_args) -> None:
        # rows changed in place, or were inserted or removed: show the new list (a row may pass the filters now)
        self.beginResetModel()
        self._source_reset()

    def _before_layout(self, *_args) -> None:
        self.layoutAboutToBeChanged.emit()
        rows = self._rows()
        self._moving = [(p, rows[self._shown[p.row()]], p.column()) for p in self.persistentIndexList()
                        if p.isValid() and p.row() < len(self._shown)]

    def _after_layout(self, *_args) -> None:
        self._keys = self._filtered_by = None  # the rows moved
        self._shown, self._at = self._compute(), None
        at = self._proxy_rows()
        rows = self._rows()
        where = {id(r): i for i, r in enumerate(rows)} if self._moving else {}
        old, new = [], []
        for persistent, row, column in self._moving:
            old.append(QModelIndex(persistent))
            proxy_row = at.get(where.get(id(row), -1))
            new.append(self.index(proxy_row, column) if proxy_row is not None else QModelIndex())
        self._moving = []
        if old:
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _rows(self) -> list[Any]:
        return getattr(self.sourceModel(), "rows", None) or []

    def _proxy_rows(self) -> dict[int, int]:
        if self._at is None:
            self._at = {source_row: i for i, source_row in enumerate(self._shown)}
        return self._at

    # -- filtering --------------------------------------------------------------------------------
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
        shown = self._compute()
        if shown == self._shown:
            return
        self.beginResetModel()
        self._shown, self._at = shown, None
        self.endResetModel()

    def _compute(self) -> list[int]:
        # one pass in Python: the query folded once, each row's precomputed key read once; a query that only grows
        # (a keystroke at its end) looks only at the rows already shown, which are all it can keep
        rows = self._rows()
        folded, preds = fold(self.query), list(self.filters.values())
        words = folded.split()
        last = self._filtered_by
        narrowing = (last is not None and bool(last[0]) and folded.startswith(last[0])
                     and last[1:] == (tuple(preds), id(rows), len(rows)))
        self._filtered_by = (folded, tuple(preds), id(rows), len(rows))
        if not words and not preds:
            return list(range(len(rows)))
        if self._keys is None or len(self._keys) != len(rows):
            self._keys = [getattr(r, "search", "") for r in rows]
        keys = self._keys
        shown = self._shown if narrowing else range(len(rows))
        if preds and not narrowing:
            shown = [i for i in shown if all(p(rows[i]) for p in preds)]
        for word in words:
            shown = [i for i in shown if word in keys[i]]
        return list(shown)

    # -- the proxy's shape ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._shown) and self.columnCount() > 0

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._shown) and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index=None):  # Qt: parent() is the QObject's, parent(index) the model's
        if index is None:
            return QObject.parent(self)
        return QModelIndex()

    def sibling(self, row: int, column: int, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        return self.index(row, column)

    def mapToSource(self, proxy_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not proxy_index.isValid() or proxy_index.row() >= len(self._shown):
            return QModelIndex()
        return model.index(self._shown[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_rows().get(source_index.row())
        return QModelIndex() if row is None else self.createIndex(row, source_index.column())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model = self.sourceModel()
        if model is None or not index.isValid() or index.row() >= len(self._shown):
            return None
        if isinstance(model, RowTableModel):  # straight to the row: no source index made per cell
            return model.cell(self._shown[index.row()], index.column(), role)
        return model.data(model.index(self._shown[index.row()], index.column()), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._shown) else None
        return model.headerData(section, orientation, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)  # the source's layout signals carry the shown rows and the selection along

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
        source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
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
