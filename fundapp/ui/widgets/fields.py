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
from PySide6.QtGui import QAction, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
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

from fundapp.domain.messages import Message
from fundapp.formatting import (
    DateTextError,
    group_thousands,
    month_year,
    parse_day,
    parse_money,
    parse_month,
    short_date,
    too_early_message,
    too_late_message,
)
from fundapp.i18n import render
from fundapp.services.import_cells import EARLIEST

from ..i18n import tr

VI = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
ERROR_RED = "#b00020"  # the red of every refusal shown in a dialog
ERROR_STYLE = f"color: {ERROR_RED}"


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


def allow(widget: QWidget | QAction, why_not: str) -> None:
    """Enable ``widget`` (a button, an action) when ``why_not`` is "", else disable it with ``why_not`` (the reason,
    in the officer's language) as its tooltip: a disabled action always says why. Enabled again, it shows the
    tooltip it had before the first call. A button whose right the user lacks keeps the rights guard's tooltip
    (``login.RightsGuard``)."""
    if widget.property("missing_right") is not None:  # the rights guard keeps it disabled, naming the right
        return
    usual = widget.property("usual_tooltip")
    if usual is None:
        usual = widget.toolTip() if isinstance(widget, QWidget) else ""
        widget.setProperty("usual_tooltip", usual)
    widget.setEnabled(not why_not)
    widget.setToolTip(why_not or usual)


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
def _say_even_if_blocked(widget: QWidget, say: Callable[[], None]) -> None:
    """Run ``say`` (an emission of ``widget``'s ``problem``) with ``widget``'s signals let through, then block them
    again if they were: a page blocks a field's signals so that no figures are computed again when it sets a value,
    not to leave on screen a refusal of the text that value replaced."""
    blocked = widget.blockSignals(False)
    try:
        say()
    finally:
        widget.blockSignals(blocked)


class _Refusing:
    """What a field that refuses its text (``MoneyEdit``, ``DateEdit``: a QLineEdit with a ``problem`` signal) does
    with a refusal, beside ``FieldForm``'s line under it: a red border and the problem as its tooltip, the page's
    tooltip back once the text reads. An amount refused had no border where a day refused had one. The field sets
    ``_problem`` and ``_hint`` to "" before its first refusal."""

    def problem_text(self) -> str:
        """What is wrong with the text, in the officer's language, as ``problem`` last said it ("" when it reads)."""
        return self._problem

    def setToolTip(self, text: str) -> None:
        """The field's tooltip (shown while the text reads; a problem is shown instead while there is one)."""
        self._hint = text
        QLineEdit.setToolTip(self, self._problem or text)

    def _say(self, problem: str) -> None:
        self._problem = problem
        QLineEdit.setToolTip(self, problem or self._hint)
        self.setStyleSheet(f"border: 1px solid {ERROR_RED}" if problem else "")
        self.problem.emit(problem)


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


class MoneyEdit(_Refusing, QLineEdit):
    """An amount in đồng: groups thousands as digits are typed, accepts "500 triệu" and "9,45 tỷ".

    ``value()`` is an int (raises ValueError with a Vietnamese message when the text is not an amount);
    ``valueChanged`` carries an int or None (Signal(object): đồng exceed 2^31); ``problem`` carries, when the field
    is left, why its text is not an amount in the officer's language ("" once it reads), which ``FieldForm`` shows
    under the field: an unreadable amount is said at once, not only when the form is sent. An amount set by the
    program (``setValue``) clears that refusal, even while the field's signals are blocked, as ``DateEdit`` does.
    """

    valueChanged = Signal(object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(tr("ví dụ 500.000.000 hoặc 500 triệu"))
        self._problem = ""  # the refusal ``problem`` last said, "" when none
        self._hint = ""  # the tooltip the page gave; a problem is shown instead while there is one
        self.textEdited.connect(self._regroup)
        self.textChanged.connect(self._announce)
        self.editingFinished.connect(self._normalise)

    def _regroup(self, text: str) -> None:
        # only plain digits are regrouped: "500 triệu" or "9,45" are being typed in words or decimals, and «１５０»
        # is no amount (parse_money says so): regrouped it would look like one. Nor while the text ends in a space
        # or a dot: "5 " is the start of "5 tỷ", whose space a regrouping dropped (the refusal then quoted «5tỷ»)
        if not text or any(ch not in _GROUPED_CHARACTERS for ch in text) or text[-1] not in _DIGITS:
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
            self._say(render(getattr(err, "msg", str(err))) if self.text().strip() else "")
            return
        self._say("")
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
        """Show ``amount`` đồng grouped by thousands; None empties the field. A refusal of the text it replaces is
        cleared (``problem`` says "") even while the field's signals are blocked."""
        self.setText("" if amount is None else group_thousands(amount))
        if self._problem:
            _say_even_if_blocked(self, lambda: self._say(""))


class DateEdit(_Refusing, QLineEdit):
    """A day typed as dd/mm/yyyy (also «3/2/2024» or «03022024») or picked on a calendar (the button at its right
    end, or Alt+↓); ``value()`` is a ``datetime.date``; ``setDisplayFormat("MM/yyyy")`` makes it a month.

    The text is never replaced by another date: a day the calendar lacks («31/02/2024»), text that is no date, or a
    day outside ``setMinimumDate``/``setMaximumDate`` (``limit_to`` says why in words) keeps the officer's text and
    ``problem`` carries, when the field is left, what is wrong in the officer's language ("" once it reads), which
    ``FieldForm`` shows under the field; ``value()`` then raises ``DateTextError``. ``dateChanged`` carries each new
    day that reads and is allowed (a QDate, as QDateEdit's did), and the day again once a refusal clears, even the
    day it last carried: whoever cleared its figures on the refusal shows them again.
    """

    dateChanged = Signal(QDate)
    problem = Signal(str)

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._month_only = False
        # the first day a book holds, the services' own floor (clock.refuse_early): the field offered 1990 where every
        # service refused a day before 01/01/2000
        self._earliest, self._latest = EARLIEST, date(2100, 12, 31)
        self._late_reason: Callable[[date], Message] | None = None
        self._early_reason: Callable[[date], Message] | None = None
        self._shown: date | None = None  # the last day that read, which dateChanged announced
        self._problem = ""
        self._hint = ""  # the tooltip the page gave; a problem is shown instead while there is one
        self.setMaxLength(40)
        picker = self.addAction(_calendar_icon(self), QLineEdit.ActionPosition.TrailingPosition)
        picker.triggered.connect(self.show_calendar)
        self.editingFinished.connect(self.read_text)
        if value is not None:
            self.setValue(value)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 48)
        self.setMaximumWidth(self.minimumWidth() + 40)  # a date's width, not the row's; its refusal takes the row

    # the QDateEdit calls the pages make -------------------------------------------------------------------------
    def setDisplayFormat(self, fmt: str) -> None:
        """``"MM/yyyy"`` makes the field a month (``value()`` its first day); ``"dd/MM/yyyy"`` a day (the default)."""
        self._month_only = fmt == "MM/yyyy"
        if self._shown is not None:
            self.setValue(self._shown)

    def setCalendarPopup(self, _on: bool) -> None:
        """Kept for QDateEdit's callers: the calendar button is always there."""

    def setMinimumDate(self, day: QDate) -> None:
        """Refuse a day before ``day`` (a QDate)."""
        self._earliest = day.toPython()

    def setMaximumDate(self, day: QDate) -> None:
        """Refuse a day after ``day`` (a QDate)."""
        self._latest = day.toPython()

    def maximumDate(self) -> QDate:
        """The latest day allowed."""
        return QDate(self._latest.year, self._latest.month, self._latest.day)

    def limit_to(self, latest: date, reason: Callable[[date], Message], earliest: date | None = None) -> None:
        """Refuse a day after ``latest`` (the book's today, for an entry), and one before ``earliest`` when given (the
        notices' month gone by), saying ``reason(day typed)``; the calendar offers no day outside them. A day already
        shown outside them is said at once."""
        self._latest, self._late_reason = latest, reason
        if earliest is not None:
            self._earliest, self._early_reason = earliest, reason
        if self.text().strip():
            self.read_text()

    def date(self) -> QDate:
        """The day shown as a QDate (QDateEdit's name); raises ``DateTextError`` as ``value()`` does."""
        day = self.value()
        return QDate(day.year, day.month, day.day)

    def setDate(self, day: QDate) -> None:
        """Show the QDate ``day`` (QDateEdit's name)."""
        self.setValue(day.toPython())

    # the field's own -------------------------------------------------------------------------------------------
    def value(self) -> date:
        """The day shown, as a ``datetime.date`` (a month field: its first day). Raises ``DateTextError`` (a
        ValueError whose ``msg`` says, in words, what is wrong) when the text is no such day or one not allowed."""
        day = parse_month(self.text()) if self._month_only else parse_day(self.text())
        if day < self._earliest:
            early = self._early_reason
            raise DateTextError(early(day) if early is not None else too_early_message(day, self._earliest))
        if day > self._latest:
            late = self._late_reason
            raise DateTextError(late(day) if late is not None else too_late_message(day, self._latest))
        return day

    def setValue(self, value: date) -> None:
        """Show the ``datetime.date`` ``value`` (dd/mm/yyyy, or mm/yyyy for a month) and announce it. A refusal that
        this clears (or brings) is said by ``problem`` even while the field's signals are blocked: a page blocks
        them so that no figures are computed again, not to leave a refusal of the text replaced on screen."""
        before = self._problem
        self.setText(month_year(value) if self._month_only else short_date(value))
        self.read_text()
        if self._problem != before and self.signalsBlocked():
            _say_even_if_blocked(self, lambda: self.problem.emit(self._problem))

    def read_text(self) -> None:
        """Read the text as it is now (done when the field is left): a day that reads is shown dd/mm/yyyy and announced; otherwise the text stays as typed and
        ``problem`` says why."""
        try:
            day = self.value()
        except DateTextError as err:
            self._say(render(err.msg))
            return
        text = month_year(day) if self._month_only else short_date(day)
        if text != self.text():
            self.setText(text)
        refused = bool(self._problem)
        self._say("")
        if day != self._shown or refused:  # a refusal cleared: the same day again, so its figures come back
            self._shown = day
            self.dateChanged.emit(QDate(day.year, day.month, day.day))

    def keyPressEvent(self, event) -> None:
        """Alt+↓ or F4 opens the calendar, as in QDateEdit."""
        if (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier) \
                or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        """Pop a calendar under the field, on the day shown (today's limit the last day offered); a click picks."""
        calendar = QCalendarWidget()
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setLocale(VI)
        calendar.setGridVisible(True)
        calendar.setMinimumDate(QDate(self._earliest.year, self._earliest.month, self._earliest.day))
        calendar.setMaximumDate(self.maximumDate())
        try:
            calendar.setSelectedDate(self.date())
        except DateTextError:
            if self._shown is not None:
                calendar.setSelectedDate(QDate(self._shown.year, self._shown.month, self._shown.day))

        def picked(day: QDate) -> None:
            calendar.close()
            self.setValue(day.toPython())
            self.setFocus()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()
        self._calendar = calendar  # kept for tests


def _calendar_icon(widget: QWidget) -> QIcon:
    """A small drawn calendar (no icon files ship with fundapp): a frame, its top bar and a grid of days."""
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = widget.palette().color(QPalette.ColorRole.Text)
    painter.setPen(colour)
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(1, 2, 14, 3, colour)
    for x in (4, 7, 10):
        for y in (8, 11):
            painter.fillRect(x, y, 2, 2, colour)
    painter.end()
    return QIcon(pixmap)


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
        self.labels: dict[str, str] = {}  # field name → its label as shown
        self._errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: QWidget, aliases: Sequence[str] = ()) -> QWidget:
        """Add ``widget`` under ``label`` as field ``name`` (and ``aliases``, other names a refusal may give it),
        with a hidden error line under it; returns ``widget``."""
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the refusal as wide as the row
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = error_label(f"error_{name}")
        error.hide()
        column.addWidget(error)
        self.addRow(label, box)
        if isinstance(widget, MoneyEdit | DateEdit):  # an amount or a day that does not read is said on leaving it
            widget.problem.connect(lambda text, line=error: (line.setText(text), line.setVisible(bool(text))))
        for key in (name, *aliases):
            self.fields[key] = widget
            self._errors[key] = error
        self.labels[name] = label
        return widget

    def date_fields(self) -> dict[str, DateEdit]:
        """The form's date fields by name (aliases left out)."""
        return {name: w for name, w in self.fields.items() if isinstance(w, DateEdit) and name in self.labels}

    def refuse_unread_dates(self, focus: bool = True) -> bool:
        """Show, under each date field whose text is no allowed day, why (``focus``: and go to it); True when there
        was one (the form must not go on: no day is ever taken in place of the one typed)."""
        refused = False
        for name, edit in self.date_fields().items():
            edit.read_text()  # the text as it is now, even if the field was not left
            if edit.problem_text():
                refused = self.show_error(name, edit.problem_text(), focus) or True
        return refused

    def refuse_unread_amounts(self, focus: bool = True) -> bool:
        """Show, under each amount field whose text is not empty and no amount, why (``focus``: and go to it); True
        when there was one. «abc» as an asset's value reached the dialog as an unexpected error."""
        refused = False
        for name, edit in self.fields.items():
            if not isinstance(edit, MoneyEdit) or name not in self.labels or not edit.text().strip():
                continue
            try:
                edit.value()
            except ValueError as err:  # parse_money's AmountError carries its Message
                refused = self.show_error(name, render(getattr(err, "msg", str(err))), focus and not refused) or True
        return refused

    def show_error(self, name: str | None, message: str, focus: bool = True) -> bool:
        """Show ``message`` under the field ``name`` (``focus``: and go to the field); False when this form has no
        such field."""
        if not name or name not in self._errors:
            return False
        self._errors[name].setText(message)
        self._errors[name].show()
        if focus:
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
