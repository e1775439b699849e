"""How the migration page (Nhập sổ cũ) shows one sheet of a fund's old workbook: its columns, an example of each and
the field of ours each is taken as (a chooser per column), and its first rows as the import will read them, a cell
the import refuses in red. The guessing and reading live in ``services.migration``; the page's flow (choose,
check, import) in ``pages.migration``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem

from fundapp.services.migration import FIELDS, IGNORE, SHEET_LABELS, Field, ForeignSheet, SheetMapping, cell_text

from ..i18n import tr

RED = QColor("#b00020")


def sheet_text(target: str) -> str:
    """Our sheet's name for the officer ("Khoản vay")."""
    return tr(SHEET_LABELS[target])


def field_text(f: Field) -> str:
    """Our field's name for the officer: "Khoản vay — Số tiền vay"."""
    return f"{sheet_text(f.sheet)} — {tr(f.label)}"


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
    table.setColumnWidth(2, 330)
    return table


def fill_mapping(table: QTableWidget, sheet: ForeignSheet, mapping: SheetMapping,
                 chosen: Callable[[int, QComboBox], None]) -> None:
    """One row per column of ``sheet``: its header, its first values, and a chooser set to the field ``mapping``
    takes it as ("(không nhập)" for none); ``chosen(column, chooser)`` is called when the officer changes one."""
    table.setRowCount(len(sheet.headers))
    for r, name in enumerate(sheet.headers):
        table.setItem(r, 0, QTableWidgetItem(name or tr("(không tên)")))
        samples = " | ".join(cell_text(v) for v in sheet.samples(r))
        example = QTableWidgetItem(samples)
        example.setToolTip(samples)
        table.setItem(r, 1, example)
        combo = QComboBox()
        combo.addItem(tr("(không nhập)"), IGNORE)
        for f in FIELDS:
            combo.addItem(field_text(f), f.key)
        combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(r, IGNORE))))
        combo.currentIndexChanged.connect(lambda _i, r=r, combo=combo: chosen(r, combo))
        table.setCellWidget(r, 2, combo)


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
    table.setHorizontalHeaderLabels([tr("Dòng"), *(field_text(BY_KEY[k]) for k in keys)])
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
