"""The one pair of message boxes of the ui: ``confirm`` (Có/Không) and ``inform`` (Đồng ý).

Both are Qt's static boxes, so the Vietnamese button texts come from the qt catalogue (Có/Không/Đồng ý).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, text: str, *, default_yes: bool = True) -> bool:
    """Ask Có/Không with ``title`` over ``text`` (plain or rich text); True when the user answers Có.

    Enter answers the default: Có when ``default_yes``, Không otherwise (a question whose Yes overwrites or
    writes to the book, e.g. overwriting a file, defaults to Không). Raises nothing.
    """
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, yes | no, yes if default_yes else no) == yes


def inform(parent: QWidget | None, title: str, text: str, *, level: str = "information") -> None:
    """Show ``text`` under ``title`` with one Đồng ý button and wait until it is closed; ``level`` "information",
    "warning" (the book's chain does not match) or "critical" (a book that cannot be opened) sets the icon. A
    refusal of a service's goes through ``errors.present_error`` instead. Raises nothing."""
    getattr(QMessageBox, level)(parent, title, text)
