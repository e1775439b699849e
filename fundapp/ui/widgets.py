"""Reusable widgets: the money field, the date field, field-error forms and the table kit.

The table kit is a model over a list of frozen rows (one column spec per column), a proxy that
filters with the diacritic-free search key and sorts in Vietnamese order, and a view that
remembers its column widths and sort order. The GUI only formats figures; it never computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import group_thousands, matches, parse_money, short_date

from .i18n import tr

VI = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the frozen row behind a table line
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw value used to sort a cell

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


# -- money and dates -------------------------------------------------------------------------------
def _group_digits(digits: str) -> str:
    """Dots every three digits from the right, keeping every digit typed (leading zeros too)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ".".join(p for p in parts if p)


class MoneyEdit(QLineEdit):
    """An amount in đồng: groups thousands as digits are typed, accepts "500 triệu" and "9,45 tỷ".

    ``value()`` is an int (raises ValueError with a Vietnamese message when the text is not an amount);
    ``valueChanged`` carries an int or None (Signal(object): đồng exceed 2^31).
    """

    valueChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(tr("ví dụ 500.000.000 hoặc 500 triệu"))
        self.textEdited.connect(self._regroup)
        self.textChanged.connect(self._announce)
        self.editingFinished.connect(self._normalise)

    def _regroup(self, text: str) -> None:
        # only plain digits are regrouped: "500 triệu" or "9,45" are being typed in words or decimals
        if not text or any(not (ch.isdigit() or ch in ". ") for ch in text):
            return
        cursor = self.cursorPosition()
        digits_left = sum(ch.isdigit() for ch in text[:cursor])
        grouped = _group_digits("".join(ch for ch in text if ch.isdigit()))
        if grouped == text:
            return
        self.setText(grouped)
        pos, seen = 0, 0
        while pos < len(grouped) and seen < digits_left:
            seen += grouped[pos].isdigit()
            pos += 1
        self.setCursorPosition(pos)

    def _normalise(self) -> None:
        try:
            value = parse_money(self.text())
        except ValueError:
            return
        text = group_thousands(value)
        if text != self.text():
            self.setText(text)

    def _announce(self, _text: str) -> None:
        try:
            value = parse_money(self.text())
        except ValueError:
            value = None
        self.valueChanged.emit(value)

    def value(self) -> int:
        return parse_money(self.text())

    def setValue(self, amount: int | None) -> None:
        self.setText("" if amount is None else group_thousands(amount))


class DateEdit(QDateEdit):
    """A date typed as dd/MM/yyyy or picked on a calendar; ``value()`` is a ``datetime.date``."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(VI)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(1990, 1, 1))
        self.setMaximumDate(QDate(2100, 12, 31))
        if value is not None:
            self.setValue(value)

    def value(self) -> date:
        return self.date().toPython()

    def setValue(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))


class ChoiceEdit(QComboBox):
    """An editable list: pick a listed value (diacritic-free completion) or type one kept exactly as signed."""

    def __init__(self, choices: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # as wide as the line edits
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[str]) -> None:
        current = self.text()
        self.blockSignals(True)
        self.clear()
        self.addItems(list(choices))
        self.setEditText(current)
        self.blockSignals(False)
        completer = self.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:  # the QLineEdit name, so forms treat both alike
        self.setEditText(text)


class FieldForm(QFormLayout):
    """A form whose fields can show an error beside them (ValidationError.field names the field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: QWidget, aliases: Sequence[str] = ()) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setWordWrap(True)
        error.setStyleSheet("color: #b00020;")
        error.hide()
        column.addWidget(error)
        self.addRow(label, box)
        for key in (name, *aliases):
            self.fields[key] = widget
            self._errors[key] = error
        return widget

    def show_error(self, name: str | None, message: str) -> bool:
        """Show ``message`` under the field ``name``; False when this form has no such field."""
        if not name or name not in self._errors:
            return False
        self._errors[name].setText(message)
        self._errors[name].show()
        self.fields[name].setFocus()
        return True

    def error_text(self, name: str) -> str:
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.hide()
            label.clear()


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
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:  # a refresh keeps the order the officer chose
            column, order = self._sort
            self.rows.sort(key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def row_at(self, source_row: int) -> Any:
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
        query, preds = self.query.strip(), list(self.filters.values())
        if not query and not preds:
            return [True] * len(rows)
        return [(not query or matches(query, getattr(r, "search", ""))) and all(p(r) for p in preds) for r in rows]

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
        if self._settings is not None and self.model() is not None:
            self._settings.setValue(self._key, self.horizontalHeader().saveState())

    def hideEvent(self, event) -> None:
        self.save_state()
        super().hideEvent(event)

    def current_row(self) -> Any:
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


class FlowLayout(QLayout):
    """A row of buttons that wraps onto the next line when the window is narrow (Qt's flow layout example), so
    a bar of actions never sets the window's minimum width; ``addStretch()`` starts the right-aligned group."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._break = -1  # index of the first item of the right-aligned group
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:
        self._break = len(self._items)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        width = sum(i.sizeHint().width() + self.spacing() for i in self._shown())
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _place(self, rect: QRect, move: bool) -> int:
        """Lay the items out left to right, wrapping; the right group keeps to the right of the last line it
        shares. Returns the height used."""
        left = [i for i in self._items[:self._break if self._break >= 0 else None] if i in self._shown()]
        right = [i for i in self._items[self._break:] if i in self._shown()] if self._break >= 0 else []
        gap, x, y, line = self.spacing(), rect.x(), rect.y(), 0
        placed: list[tuple[QLayoutItem, int, int]] = []
        for item in left + right:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + gap, 0
            placed.append((item, x, y))
            x += hint.width() + gap
            line = max(line, hint.height())
        if move:
            # the right group moves to the right edge of each line it is on
            shift_by_line: dict[int, int] = {}
            for item, ix, iy in placed:
                if item in right:
                    end = ix + item.sizeHint().width()
                    shift_by_line[iy] = min(shift_by_line.get(iy, rect.width()), rect.right() + 1 - end)
            for item, ix, iy in placed:
                dx = shift_by_line.get(iy, 0) if item in right else 0
                item.setGeometry(QRect(QPoint(ix + dx, iy), item.sizeHint()))
        return y + line - rect.y()


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
    font = QFont()
    font.setStrikeOut(True)
    return font
