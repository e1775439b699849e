"""An amount that does not read is said under its field when the officer leaves it (an officer's trial: «1,500 triệu»
typed in the repayment dialog and Tab showed nothing, and the allocation box asked for an amount already typed; the
refusal came only on Đồng ý)."""

from fundapp.ui.widgets.fields import FieldForm, MoneyEdit


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
