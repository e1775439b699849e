"""The table kit's model: a read-only table over a list of frozen rows, one ``Column`` spec per column (how to read,
show, align and sort a value; Vietnamese collation), and the struck-out font of reversed rows."""

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
    Qt,
)
from PySide6.QtGui import QColor, QFont

from fundapp.formatting import group_thousands, short_date

from .fields import VI

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the frozen row behind a table line
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw value used to sort a cell

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


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
    tips: bool = False  # a column of fixed width whose longer texts are elided: the whole text in a tooltip
    identifies: bool = False  # says which row a line is (the borrower's name…): never hidden, like the first column
    hidden_by_default: bool = False  # shown once the officer asks for it from the header menu (then remembered)
    tip: Callable[[Any], str] | None = None  # a row's tooltip saying more than its text ("": none, or the text's)
    sort_value: Callable[[Any], Any] | None = None  # what the column sorts by when its text does not (a time shown
    # «05/12/2026 21:41» sorts by the time, not by the day of the month first)

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
        self._given: list[Any] = []  # the rows in the service's order: what sort(-1) shows again
        self.row_style = row_style
        self._collator = QCollator(VI)
        self._collator.setNumericMode(True)  # "HTX 2" before "HTX 10"
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` (frozen rows), keeping the sort the officer chose."""
        self.beginResetModel()
        self._given = list(rows)
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
            if spec.tip is not None and (said := spec.tip(self.rows[row])):
                return said
            return spec.display(self.rows[row]) or None if spec.fit or spec.tips else None
        if role == ROW_ROLE:
            return self.rows[row]
        if role == SORT_ROLE:
            spec = self.columns[column]
            return (spec.sort_value or spec.value)(self.rows[row])
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
        if spec.sort_value is not None:
            by = spec.sort_value
            return lambda row: (by(row) is None, by(row))
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
        """Sort the rows by ``column``; -1 gives them back in the service's order (no sort), as Qt's proxies do."""
        if not -1 <= column < len(self.columns) or (column == -1 and self._sort is None):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = None if column == -1 else (column, order)
        old = self.persistentIndexList()
        before = [(self.rows[p.row()], p.column()) for p in old]
        if column == -1:
            self.rows[:] = self._given
        else:  # one key per row, then Python's stable sort: a 10,000-row sort costs ~20 ms, not a lessThan per pair
            self.rows.sort(key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        positions = {id(r): i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(old, [self.index(positions[id(r)], c) for r, c in before])
        self.layoutChanged.emit()


def struck_font() -> QFont:
    """A struck-out font: the rows of reversed entries (DOMAIN.md "Corrections")."""
    font = QFont()
    font.setStrikeOut(True)
    return font
