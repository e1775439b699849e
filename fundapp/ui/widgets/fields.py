"""Input fields and the form that shows a refusal beside its field: the money field (đồng, grouped as typed),
the date field, the choice field, the spin box and ``FieldForm``; with a dialog's furniture (the red refusal label,
a push button, OK/Cancel). The GUI only formats figures; it never computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import (
    QDate,
    QLocale,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import group_thousands, parse_money
from fundapp.i18n import render

from ..i18n import tr

VI = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
ERROR_STYLE = "color: #b00020"  # the red of every refusal shown in a dialog


def error_label(object_name: str = "") -> QLabel:
    """An empty, word-wrapped red label where a dialog shows its refusal in words (``object_name`` for tests)."""
    label = QLabel("")
    if object_name:
        label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def push_button(text: str, on_click: Callable[[], object], tooltip: str = "") -> QPushButton:
    """A push button with ``text`` (its & shortcut letter) that calls ``on_click`` when clicked, with ``tooltip``."""
    button = QPushButton(text)
    button.clicked.connect(lambda _checked=False: on_click())
    if tooltip:
        button.setToolTip(tooltip)
    return button


def ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str, on_ok: Callable[[], None] | None = None) -> QDialogButtonBox:
    """The dialog's two buttons with Vietnamese texts (Qt has none of its own): OK runs ``on_ok`` (default the
    dialog's ``accept``), Cancel and Esc its ``reject``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


# -- money and dates -------------------------------------------------------------------------------
def spin_box(low: int, high: int, value: int, step: int = 1) -> QSpinBox:
    """A spin box from ``low`` to ``high`` (months, periods) showing ``value``, moving by ``step``."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setValue(value)
    return spin


_DIGITS = frozenset("0123456789")  # ASCII: str.isdigit() also takes «１», «١» and «²»
_GROUPED_CHARACTERS = _DIGITS | {".", " "}


def _group_digits(digits: str) -> str:
    """Dots every three digits from the right, keeping every digit typed (leading zeros too)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ".".join(p for p in parts if p)


class MoneyEdit(QLineEdit):
    """An amount in đồng: groups thousands as digits are typed, accepts "500 triệu" and "9,45 tỷ".

    ``value()`` is an int (raises ValueError with a Vietnamese message when the text is not an amount);
    ``valueChanged`` carries an int or None (Signal(object): đồng exceed 2^31); ``problem`` carries, when the field
    is left, why its text is not an amount in the officer's language ("" once it reads), which ``FieldForm`` shows
    under the field: an unreadable amount is said at once, not only when the form is sent.
    """

    valueChanged = Signal(object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(tr("ví dụ 500.000.000 hoặc 500 triệu"))
        self.textEdited.connect(self._regroup)
        self.textChanged.connect(self._announce)
        self.editingFinished.connect(self._normalise)

    def _regroup(self, text: str) -> None:
        # only plain digits are regrouped: "500 triệu" or "9,45" are being typed in words or decimals, and «１５０»
        # is no amount (parse_money says so): regrouped it would look like one
        if not text or any(ch not in _GROUPED_CHARACTERS for ch in text):
            return
        cursor = self.cursorPosition()
        digits_left = sum(ch in _DIGITS for ch in text[:cursor])
        grouped = _group_digits("".join(ch for ch in text if ch in _DIGITS))
        if grouped == text:
            return
        self.setText(grouped)
        pos, seen = 0, 0
        while pos < len(grouped) and seen < digits_left:
            seen += grouped[pos] in _DIGITS
            pos += 1
        self.setCursorPosition(pos)

    def _normalise(self) -> None:
        try:
            value = parse_money(self.text())
        except ValueError as err:  # parse_money's AmountError carries its Message
            self.problem.emit(render(getattr(err, "msg", str(err))) if self.text().strip() else "")
            return
        self.problem.emit("")
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
        """The amount typed, in đồng (int; "1.500.000", "1,5 triệu"… as ``parse_money`` reads them). Raises
        ``ValueError`` (from ``parse_money``) for text that is not an amount."""
        return parse_money(self.text())

    def setValue(self, amount: int | None) -> None:
        """Show ``amount`` đồng grouped by thousands; None empties the field."""
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
        """The date shown, as a ``datetime.date``."""
        return self.date().toPython()

    def setValue(self, value: date) -> None:
        """Show the ``datetime.date`` ``value``."""
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
        """Replace the listed values by ``choices``, keeping the text typed."""
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
        """The value picked or typed, exactly as shown."""
        return self.currentText()

    def setText(self, text: str) -> None:  # the QLineEdit name, so forms treat both alike
        """Show ``text`` as the value (the QLineEdit name, so forms treat both alike)."""
        self.setEditText(text)


class FieldForm(QFormLayout):
    """A form whose fields can show an error beside them (ValidationError.field names the field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: QWidget, aliases: Sequence[str] = ()) -> QWidget:
        """Add ``widget`` under ``label`` as field ``name`` (and ``aliases``, other names a refusal may give it),
        with a hidden error line under it; returns ``widget``."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = error_label(f"error_{name}")
        error.hide()
        column.addWidget(error)
        self.addRow(label, box)
        if isinstance(widget, MoneyEdit):  # an amount that does not read is said on leaving the field
            widget.problem.connect(lambda text, line=error: (line.setText(text), line.setVisible(bool(text))))
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
        """The error shown under field ``name``, "" when none. Raises ``KeyError`` for an unknown field."""
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        """Hide every field's error."""
        for label in self._errors.values():
            label.hide()
            label.clear()
