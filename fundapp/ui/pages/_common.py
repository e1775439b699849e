"""Small pieces the overview, reports, import and settings pages share: figure cards, dates, file choice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import DateTextError, future_figures_message

from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import DateEdit, error_label
from ..widgets.row_filter import RowFilterProxy
from ..widgets.table_model import Column, RowTableModel
from ..widgets.table_view import TableView

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def list_table(page: QWidget, columns: list[Column], qsettings: Any, key: str, widths: Sequence[int],
               empty_text: str) -> tuple[RowTableModel, RowFilterProxy, TableView]:
    """A list page's searchable table: the rows' model of ``columns``, the search/filter proxy over it and the view
    showing it (column widths remembered in ``qsettings`` under ``key``, ``widths`` until the officer resizes,
    ``empty_text`` while the book has no rows, "Đang tải…" until the first rows are set). Returns (model, proxy,
    view), all parented to ``page``."""
    model = RowTableModel(columns, page)
    proxy = RowFilterProxy(page)
    proxy.setSourceModel(model)
    table = TableView(qsettings, key)
    table.setModel(proxy)
    table.set_default_widths(widths)
    table.set_empty_texts(empty_text)
    table.set_loaded(False)
    return model, proxy, table


def widget_row(layout, *items):
    """Fill the row ``layout`` (a QHBoxLayout or FlowLayout) with ``items`` in order — a str as a plain label before
    the field it names, an int as a stretch of that factor, a widget as itself — and return it: the pages' bars of a
    title, a few fields and their buttons."""
    for item in items:
        if isinstance(item, str):
            layout.addWidget(QLabel(item))
        elif isinstance(item, int):
            layout.addStretch(item)
        else:
            layout.addWidget(item)
    return layout


def page_title(text: str) -> QLabel:
    """A page's title: the window's font, 1.3 times larger, bold."""
    title = QLabel(text)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    title.setFont(font)
    return title


def up_to(edit: DateEdit, last: date) -> None:
    """Offer no day after ``last`` (the book's today) in the date field ``edit``: no figures and no papers are made
    for a day not yet come (the services refuse it: ``clock.refuse_future_figures``); a later day typed is refused
    at the field in the services' words. Called again when the page refreshes, as today may have moved on since the
    page was built."""
    edit.limit_to(last, lambda day: future_figures_message(day, last))


def date_problem_label(edit: DateEdit, object_name: str) -> QLabel:
    """A red label, shown only while ``edit`` refuses its text, that says why in words (``edit.problem``): a page's
    date field says beside itself what is wrong, not only in a tooltip."""
    label = error_label(object_name)
    label.hide()

    def say(text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    edit.problem.connect(say)
    return label


def day_or_say(edit: DateEdit) -> date | None:
    """The day in ``edit``, or None once the field has said why its text is no day it takes (its ``problem``, shown
    by ``date_problem_label``) and has the focus back: an action that needs the day then does nothing."""
    try:
        return edit.value()
    except DateTextError:
        edit.read_text()  # said now, as when the field is left: the officer may have clicked without leaving it
        edit.setFocus()
        return None


class RefreshWhenShown:
    """For pages that recompute on the worker thread: a change of one of ``TOPICS`` refreshes the page now if
    it is visible, else the next time it is shown (a hidden page costs nothing)."""

    TOPICS: frozenset[str] = frozenset()
    _stale = True

    def _on_changed(self, topics: frozenset) -> None:
        if topics & self.TOPICS:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()


class FigureCard(QFrame):
    """One figure of the overview: a caption, the value in large type, an optional note."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("figureCard")
        self.setStyleSheet("#figureCard { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: palette(dark);")
        self.caption.setWordWrap(True)
        self.value = QLabel("…")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("")
        self.note.setStyleSheet("color: palette(dark);")
        self.note.setWordWrap(True)  # "Principal and interest not yet recovered" set a 264 px card at 125 %
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set(self, value: str, note: str = "") -> None:
        """Show ``value`` (already formatted) and the ``note`` under it."""
        self.value.setText(value)
        self.note.setText(note)


class ProgressRelay(QObject):
    """Carries a job's progress from the worker thread to a progress bar on the page (a queued signal)."""

    moved = Signal(int, int)


class ReadOnlyTable(QTableWidget):
    """A table of text rows that says why it is empty (``empty_text``) instead of showing a blank grid."""

    empty_text = ""

    def empty_message(self) -> str:
        """The text shown over the table when it has no rows, else "" (tests read it)."""
        return self.empty_text if self.rowCount() == 0 else ""

    def paintEvent(self, event) -> None:
        from ..widgets.table_view import paint_empty_text

        super().paintEvent(event)
        paint_empty_text(self, self.empty_message())


def read_only_table(headers: list[str], empty_text: str = "") -> ReadOnlyTable:
    """A read-only, row-selecting table with ``headers`` and the text it shows while empty."""
    table = ReadOnlyTable(0, len(headers))
    table.empty_text = empty_text
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


def fit_height(table: QTableWidget) -> None:
    """Make a short table exactly as tall as its rows, so it needs no scroll bar (and keep it so as its rows grow
    or shrink with their wrapped labels, ``wrap_long_texts``)."""
    table.setProperty("fit_height", True)
    _fit_rows_to_text(table, refit=True)


def wrap_long_texts(table: QTableWidget) -> None:
    """Texts of ``table`` too long for their column wrap onto more lines, their row growing, instead of being cut
    with «…»: at 125 % the quarter's «Số lượt cơ cấu lại thời hạn tr…» and «Nợ gốc xử lý rủi ro (xóa nợ …» could not
    be read. The rows follow the columns' widths as the window changes: the first column must stretch (its
    resizing tells the rows to fit again)."""
    table.setProperty("wrap_long_texts", True)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    later = QTimer(table)  # the stretched column's new width is read back only once its resize has been signalled
    later.setSingleShot(True)
    later.setInterval(0)
    later.timeout.connect(lambda: _fit_rows_to_text(table, refit=table.rowCount() > 0))  # a refused quarter's empty
    # tables keep their height (no jump)
    table.horizontalHeader().sectionResized.connect(lambda column, _old, _new: later.start() if column == 0 else None)


def _fit_rows_to_text(table: QTableWidget, refit: bool) -> None:
    """Each row of a ``wrap_long_texts`` table as tall as its text wrapped (never below the default row), and with
    ``refit`` a ``fit_height`` table as tall as its rows."""
    default = table.verticalHeader().defaultSectionSize()
    if table.property("wrap_long_texts"):
        # a wrapped row keeps the room a one-line row has above and below its text; Qt's hint counts the grid line
        room = default - table.fontMetrics().height() - (1 if table.showGrid() else 0)
        for r in range(table.rowCount()):
            table.setRowHeight(r, max(default, table.sizeHintForRow(r) + room))
    if refit and table.property("fit_height"):
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2)


def fill_table(table: QTableWidget, rows: list[list[str]], right_from: int | None = 1,
               bold_rows: set[int] | None = None) -> None:
    """Put text rows in ``table``; columns from ``right_from`` on (figures) are right-aligned (None: words only)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if right_from is not None and c >= right_from:
                item.setTextAlignment(RIGHT)
            if bold_rows and r in bold_rows:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)
    _fit_rows_to_text(table, refit=False)  # a fitted table is fitted again by its page (``fit_height``)




def suggested_path(folder: str | Path | None, name: str) -> str:
    """The save dialog's suggestion: ``name`` (built from the book's data) made a safe file name, in ``folder``."""
    from fundapp.services.filenames import safe_file_name

    safe = safe_file_name(name)
    return str(Path(folder) / safe) if folder else safe


def ask_save_path(parent: QWidget, title: str, name: str, file_filter: str, folder: str | Path | None = None
                  ) -> Path | None:
    """The one save dialog: suggests ``name`` made safe (no folder separators, nothing Windows refuses, not too
    long) in ``folder``; returns the file to write, or None. An existing file is overwritten only after the
    officer confirms."""
    suggested = suggested_path(folder, name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter, "",
                                            QFileDialog.Option.DontConfirmOverwrite)
    if not chosen:
        return None
    path = Path(chosen)
    if path.exists() and not confirm(parent, tr("Ghi đè tệp?"),
                                     tr("Tệp «{name}» đã có. Ghi đè lên tệp này?").format(name=path.name), default_yes=False):
        return None
    return path


def select_by_id(view, proxy, row_id: int) -> bool:
    """Make the listed row whose ``id`` is ``row_id`` the current one of ``view`` (a TableView over the
    RowFilterProxy ``proxy``); False when the filter hides it or it is not in the list."""
    for r in range(proxy.rowCount()):
        index = proxy.index(r, 0)
        if proxy.row_at(index).id == row_id:
            view.setCurrentIndex(index)
            return True
    return False
