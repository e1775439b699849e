"""How the migration page (Nhập sổ cũ) shows one sheet of a fund's old workbook: its columns, an example of each and
the field of ours each is taken as (a chooser per column), and its first rows as the import will read them, a cell
the import refuses in red. The guessing and reading live in ``services.migration``; the page's flow (choose,
check, import) in ``pages.migration``.

A chooser lists our fields under their sheet's name (a header, not choosable) and, closed, shows «Sự kiện — Số tiền
miễn, giảm» with the sheet's short name: «Sự kiện (cơ cấu, miễn giảm, xóa nợ) — …» before every field left no room for
the field itself in a 1366 px window. The full name is each item's and the chooser's tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QStyle,
    QStyleOptionComboBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fundapp.services.migration import FIELDS, IGNORE, SHEET_LABELS, Field, ForeignSheet, SheetMapping, cell_text

from ..i18n import tr

RED = QColor("#b00020")
SHOWN_ROLE = Qt.ItemDataRole.UserRole + 1  # a chooser item's text when closed: «Sự kiện — Số tiền miễn, giảm»
CHOOSER_COLUMN = 2


def sheet_text(target: str) -> str:
    """Our sheet's name for the officer ("Khoản vay", "Sự kiện (cơ cấu, miễn giảm, xóa nợ)")."""
    return tr(SHEET_LABELS[target])


def sheet_short_text(target: str) -> str:
    """Our sheet's name where a field's name follows it: "Sự kiện" for the events, else ``sheet_text``."""
    return tr("Sự kiện") if target == "events" else sheet_text(target)


def field_text(f: Field) -> str:
    """Our field's full name for the officer (tooltips): "Sự kiện (cơ cấu, miễn giảm, xóa nợ) — Số tiền miễn, giảm"."""
    return f"{sheet_text(f.sheet)} — {tr(f.label)}"


def field_short_text(f: Field) -> str:
    """Our field's name as a chooser or a preview's header shows it: "Sự kiện — Số tiền miễn, giảm"."""
    return f"{sheet_short_text(f.sheet)} — {tr(f.label)}"


class FieldChooser(QComboBox):
    """The field a column of the old book is taken as: "(không nhập)", then our fields under their sheet's name (a
    bold header that cannot be chosen, nor reached with the arrow keys or the wheel), each listed by its own name.
    Closed, it shows ``field_short_text`` (``shown_text``); each item's tooltip, and the chooser's, the full name.
    ``currentData()`` is the field's key (``Field.key``), IGNORE for none: what the mapping stores."""

    def __init__(self, key: str = IGNORE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(tr("(không nhập)"), IGNORE)
        sheet = None
        for f in FIELDS:
            if f.sheet != sheet:
                sheet = f.sheet
                self.addItem(sheet_text(sheet))
                header = self.model().item(self.count() - 1)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                header.setForeground(self.palette().windowText())  # read as a heading, not greyed out
            self.addItem(tr(f.label), f.key)
            self.setItemData(self.count() - 1, field_short_text(f), SHOWN_ROLE)
            self.setItemData(self.count() - 1, field_text(f), Qt.ItemDataRole.ToolTipRole)
        self.currentIndexChanged.connect(self._tip)
        self.setCurrentIndex(max(0, self.findData(key)))
        self._tip()

    def shown_text(self) -> str:
        """What the closed chooser shows: "Khoản vay — Số tiền vay", or "(không nhập)"."""
        return self.currentData(SHOWN_ROLE) or self.currentText()

    def initStyleOption(self, option: QStyleOptionComboBox) -> None:
        """The closed chooser's look, its text ``shown_text`` (the sheet's short name, then the field)."""
        super().initStyleOption(option)
        option.currentText = self.shown_text()

    def _tip(self, *_args) -> None:
        self.setToolTip(self.currentData(Qt.ItemDataRole.ToolTipRole) or "")

    def width_for_all(self) -> int:
        """The chooser's width (px) that shows any field's ``shown_text`` whole, as ``sizeHint`` measures a text."""
        fm = self.fontMetrics()
        widest = max(fm.horizontalAdvance(self.itemData(i, SHOWN_ROLE) or self.itemText(i))
                     for i in range(self.count()) if self.itemData(i) is not None)  # the headers never show closed
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, QSize(widest, fm.height()),
                                             self).width()


def mapping_table() -> QTableWidget:
    """The empty table of a sheet's columns: the old book's column, an example, our field (a chooser)."""
    table = QTableWidget(0, 3)
    table.setObjectName("migration_mapping")
    table.setHorizontalHeaderLabels([tr("Cột trong sổ cũ"), tr("Ví dụ"), tr("Trường của phần mềm")])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(0, 220)
    # every field's name whole in its chooser (the grid line takes a pixel)
    table.setColumnWidth(CHOOSER_COLUMN, FieldChooser().width_for_all() + 2)
    return table


def fill_mapping(table: QTableWidget, sheet: ForeignSheet, mapping: SheetMapping,
                 chosen: Callable[[int, QComboBox], None]) -> None:
    """One row per column of ``sheet``: its header, its first values, and a chooser set to the field ``mapping``
    takes it as ("(không nhập)" for none); ``chosen(column, chooser)`` is called when the officer changes one."""
    table.setRowCount(len(sheet.headers))
    for r, name in enumerate(sheet.headers):
        header = QTableWidgetItem(name or tr("(không tên)"))
        header.setToolTip(header.text())  # the old book's own header: as long as the fund wrote it
        table.setItem(r, 0, header)
        samples = " | ".join(cell_text(v) for v in sheet.samples(r))
        example = QTableWidgetItem(samples)
        example.setToolTip(samples)
        table.setItem(r, 1, example)
        combo = FieldChooser(mapping.columns.get(r, IGNORE))
        combo.currentIndexChanged.connect(lambda _i, r=r, combo=combo: chosen(r, combo))
        table.setCellWidget(r, CHOOSER_COLUMN, combo)


def preview_table() -> QTableWidget:
    """The empty read-only table of a sheet's first rows (the sheet's own row number first)."""
    table = QTableWidget(0, 0)
    table.setObjectName("migration_preview")
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()  # the sheet's own row numbers are the first column
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def fill_preview(table: QTableWidget, sheet: ForeignSheet, mapping: SheetMapping, count: int, today: date) -> None:
    """The first ``count`` rows of ``sheet`` as the import reads them under ``mapping``: a column per field taken (in
    our fields' order), the old book's text as each cell's tooltip, a cell the import refuses in red (dates after
    ``today``, the book's, too: ``migration.preview``), money and counts right-aligned."""
    from fundapp.services.migration import BY_KEY, preview

    rows = preview(sheet, mapping, count, today)
    keys = [k for k in dict.fromkeys(k for _, cells in rows for k in cells)]
    order = {f.key: i for i, f in enumerate(FIELDS)}
    keys.sort(key=lambda k: order[k])
    table.clear()
    table.setColumnCount(len(keys) + 1)
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels([tr("Dòng"), *(field_short_text(BY_KEY[k]) for k in keys)])
    for c, key in enumerate(keys, start=1):
        table.horizontalHeaderItem(c).setToolTip(field_text(BY_KEY[key]))
    for r, (line, cells) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(str(line)))
        for c, key in enumerate(keys, start=1):
            cell = cells.get(key)
            item = QTableWidgetItem(cell.text() if cell else "")
            if cell is not None:
                item.setToolTip(tr("Trong sổ cũ: {shown}").format(shown=cell_text(cell.shown)))
                if not cell.read:
                    item.setForeground(RED)
                elif isinstance(cell.value, int):  # money and counts right-aligned, as everywhere
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
