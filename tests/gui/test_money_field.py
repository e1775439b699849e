"""An amount that does not read is said under its field when the officer leaves it (an officer's trial: «1,500 triệu»
typed in the repayment dialog and Tab showed nothing, and the allocation box asked for an amount already typed; the
refusal came only on Đồng ý)."""

from datetime import date

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from fundapp.ui.widgets.fields import ERROR_RED, DateEdit, FieldForm, MoneyEdit


def test_leaving_an_unreadable_amount_says_why_under_the_field(qtbot):
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    form = FieldForm(host)
    edit = form.add("amount", "Số tiền", MoneyEdit())
    host.show()

    def leave(text: str) -> str:
        edit.setText(text)
        edit.editingFinished.emit()
        return form.error_text("amount")

    assert "hai cách" in leave("1,500 triệu")
    assert "dấu chấm" in leave("500,000.00")
    assert leave("1,5 triệu") == "" and edit.text() == "1.500.000"  # read: the error goes, the amount shows grouped
    assert "không phải số tiền" in leave("abc")
    assert leave("") == ""  # an empty field is not an error until the form is sent


# every field of the module that shows a refusal → (a text it refuses, a value the program then sets)
REFUSED = {MoneyEdit: ("abc", 5_000_000), DateEdit: ("x", date(2024, 12, 30))}


def test_every_field_that_shows_a_refusal_is_checked_below():
    """A new field with a ``problem`` signal must be added to ``REFUSED``: its refusal must clear as these do."""
    import fundapp.ui.widgets.fields as fields

    refusing = {c for c in vars(fields).values()
                if isinstance(c, type) and issubclass(c, QWidget) and isinstance(getattr(c, "problem", None), Signal)}
    assert refusing == set(REFUSED)


@pytest.mark.parametrize("blocked", [False, True], ids=["signals", "signals-blocked"])
@pytest.mark.parametrize("kind", list(REFUSED), ids=lambda k: k.__name__)
def test_a_value_set_by_the_program_clears_the_refusal_under_its_field(qtbot, kind, blocked):
    """An officer's trial: «abc» typed as the amount and the field left said «… không phải số tiền» under it; the
    program then set an amount (a page fills its fields with its signals blocked) and the red line stayed beside
    a good amount. A day set by the program already cleared it (``DateEdit.setValue``); an amount now does too."""
    host = QWidget()
    qtbot.addWidget(host)
    form = FieldForm(host)
    edit = form.add("field", "Trường", kind())
    host.show()
    text, value = REFUSED[kind]
    edit.setToolTip("Gợi ý của trang")
    edit.setText(text)
    edit.editingFinished.emit()
    assert form.error_text("field") != ""
    # the field itself is marked too, an amount as a day: red border, the problem as its tooltip
    assert ERROR_RED in edit.styleSheet() and edit.toolTip() == edit.problem_text() != ""
    edit.blockSignals(blocked)
    edit.setValue(value)
    edit.blockSignals(False)
    assert form.error_text("field") == ""  # the red line under the field is gone
    assert edit.problem_text() == "" and edit.value() == value
    assert edit.styleSheet() == "" and edit.toolTip() == "Gợi ý của trang"
