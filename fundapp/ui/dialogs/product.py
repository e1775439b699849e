"""Thêm sản phẩm vay: the new loan product form (code, name, default terms, largest amount) of the settings page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from fundapp.services.errors import ValidationError
from fundapp.services.loan_terms import make_terms
from fundapp.services.products import ProductRow, save_product

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..jobs import JobControl
from ..widgets.fields import FieldForm, MoneyEdit
from .terms import TermsFields


class ProductDialog(QDialog):
    """A new loan product: code, name and default terms; errors shown beside their fields."""

    saved = Signal(object)

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setWindowTitle(tr("Thêm sản phẩm vay"))
        self.form = FieldForm()
        self.code = self.form.add("code", tr("Mã sản phẩm"), QLineEdit())
        self.name = self.form.add("name", tr("Tên sản phẩm"), QLineEdit())
        self.terms = TermsFields(self, self.form, term=36, frequency=3)
        self.max_amount = self.form.add("max_amount", tr("Cho vay tối đa (đồng, để trống nếu không giới hạn)"),
                                        MoneyEdit(), aliases=("amount",))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def submit(self) -> None:
        """Save the product in a job (its terms checked on its largest amount, or 100.000.000 đ): emit ``saved``
        with its row and close, or show the refusal beside its field."""
        self.form.clear_errors()
        if self.form.refuse_unread_amounts():  # in the officer's language (str() of the error is Vietnamese)
            return
        max_amount = self.max_amount.value() if self.max_amount.text().strip() else None
        values = self.terms.values()
        code, name, ctx = self.code.text(), self.name.text(), self.env.ctx

        def job(control: JobControl) -> ProductRow:
            # the terms are checked on a typical amount: a product stores no amount of its own
            terms = make_terms(amount=max_amount or 100_000_000, **values)
            return save_product(ctx, code, name, terms, max_amount)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            if not (isinstance(exc, ValidationError) and self.form.show_error(exc.field, exc.message)):
                present_error(self, exc)

        def done(row: ProductRow) -> None:
            self.saved.emit(row)
            self.accept()

        self.save_button.setEnabled(False)
        self.env.jobs.run(job, done, parent=self, label=tr("Đang lưu sản phẩm…"), on_failed=failed)
