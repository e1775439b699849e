"""Layouts: ``FlowLayout`` wraps its widgets onto the next line when the window is narrow; ``scroll_area``
lets a page or panel taller than the window scroll instead of being cut; ``ListAndDetails`` puts a list over its
details and remembers where the officer left the divider.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QPoint,
    QRect,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtWidgets import (
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSplitter,
    QWidget,
)


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


def scroll_area(body: QWidget) -> QScrollArea:
    """A frameless scroll area that resizes ``body`` to its width and scrolls it vertically (at 125 % a page is
    taller than a 1366×768 window: it scrolls, nothing is cut)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(body)
    return scroll


class ListAndDetails(QSplitter):
    """A vertical splitter: ``top`` (a list, three parts of the height) over ``bottom`` (its details, one part),
    the divider restored from ``qsettings`` key ``<key>/splitter`` or else at ``sizes`` pixels; ``save()`` keeps it."""

    def __init__(self, qsettings: QSettings, key: str, top: QWidget, bottom: QWidget,
                 sizes: tuple[int, int]) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self._qsettings, self._key = qsettings, f"{key}/splitter"
        self.addWidget(top)
        self.addWidget(bottom)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 1)
        state = qsettings.value(self._key)
        if state:
            self.restoreState(state)
        else:
            self.setSizes(list(sizes))

    def save(self) -> None:
        """Keep the divider's place in the QSettings for the next start."""
        self._qsettings.setValue(self._key, self.saveState())
