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


def test_an_amount_that_is_no_amount_is_said_under_its_field_in_every_dialog_that_reads_one_at_saving(window, qtbot,
                                                                                                       boxes):
    """A new officer's trial: «abc» as an asset's value and «Ghi» brought up «Đã xảy ra lỗi không mong muốn… gửi tệp
    nhật ký» (the amount's refusal went to the unexpected-error box); a product's maximum was refused in Vietnamese
    whatever the language. Each is said under its field, nothing written, no box."""
    from fundapp.services import collateral
    from fundapp.ui.dialogs.product import ProductDialog
    from fundapp.ui.papers import CollateralDialog
    from tests.gui.conftest import wait_jobs

    asset = CollateralDialog(window.env, "HD2024-001", window)
    qtbot.addWidget(asset)
    asset.description.setText("Máy cày")
    asset.owner.setText("HTX")
    asset.value.setText("abc")
    asset.submit()
    wait_jobs(qtbot, window.env)
    assert "không phải số tiền" in asset.form.error_text("value") and boxes.shown == []
    assert collateral.of_loan(window.env.ctx, "HD2024-001") == []

    product = ProductDialog(window.env, window)
    qtbot.addWidget(product)
    product.code.setText("SP-X")
    product.name.setText("Thử")
    product.max_amount.setText("1,500 triệu")
    product.submit()
    wait_jobs(qtbot, window.env)
    assert "hai cách" in product.form.error_text("max_amount") and boxes.shown == []
