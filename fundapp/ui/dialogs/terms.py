"""Loan terms fields (rate, term, method, grace, overdue factor) and the dialog that edits an application's terms.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QWidget,
)

from ..env import UiEnv
from ..i18n import tr
from ..widgets.fields import FieldForm, MoneyEdit, spin_box
from .form import FormDialog

METHODS = (("equal_principal", "Gốc đều, lãi theo dư nợ giảm dần"), ("annuity", "Gốc và lãi chia đều (niên kim)"),
           ("bullet", "Gốc trả cuối kỳ, lãi trả định kỳ"))


class TermsFields:
    """The loan-terms fields of a form — rate and its unit, term, frequency, method, grace periods, overdue factor,
    late-payment rate — put on ``owner`` as attributes (``owner.rate``, ``owner.term``…) so each form reads alike.
    Used when approving an application, editing a loan's terms, and defining a loan product."""

    def __init__(self, owner: Any, form: FieldForm, term: int = 12, frequency: int = 1) -> None:
        self.rate = owner.rate = form.add("rate", tr("Lãi suất (%)"), QLineEdit())
        self.rate.setPlaceholderText(tr("ví dụ 7,2"))
        self.rate_unit = owner.rate_unit = QComboBox()
        self.rate_unit.addItem(tr("%/năm"), "year")
        self.rate_unit.addItem(tr("%/tháng"), "month")
        form.add("rate_unit", tr("Đơn vị lãi suất"), self.rate_unit)
        self.term = owner.term = form.add("term_months", tr("Thời hạn vay (tháng)"), spin_box(1, 360, term))
        self.frequency = owner.frequency = QComboBox()
        for months in (1, 3, 6, 12):
            self.frequency.addItem(tr("{n} tháng").format(n=months), months)
        self.frequency.setCurrentIndex(self.frequency.findData(frequency))
        form.add("frequency_months", tr("Kỳ hạn trả nợ"), self.frequency)
        self.method = owner.method = QComboBox()
        for key, label in METHODS:
            self.method.addItem(tr(label), key)
        form.add("method", tr("Phương thức trả nợ"), self.method)
        self.grace = owner.grace = form.add("grace_periods", tr("Số kỳ ân hạn gốc"), spin_box(0, 120, 0))
        self.overdue_factor = owner.overdue_factor = form.add("overdue_factor", tr("Hệ số lãi quá hạn"),
                                                              QLineEdit("1.5"))
        self.late_rate = owner.late_rate = form.add("late_interest_rate", tr("Lãi chậm trả (%/năm)"), QLineEdit("10"))

    def fill(self, source: Any) -> None:
        """Take the terms of a loan product or a loan (anything with the LoanTerms attribute names)."""
        self.rate.setText(decimal_text(source.rate))
        self.rate_unit.setCurrentIndex(max(0, self.rate_unit.findData(str(source.rate_unit))))
        self.term.setValue(source.term_months)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(source.frequency_months)))
        self.method.setCurrentIndex(max(0, self.method.findData(str(source.method))))
        self.grace.setValue(source.grace_periods)
        self.overdue_factor.setText(decimal_text(source.overdue_factor))
        self.late_rate.setText(decimal_text(source.late_interest_rate))

    def values(self) -> dict:
        """The terms as typed, for ``loan_terms.make_terms`` with an amount added: the rates as text, which the terms
        read with a decimal comma or dot and refuse quoting as typed (``domain.terms``)."""
        return dict(rate=self.rate.text(), rate_unit=self.rate_unit.currentData(),
                    term_months=self.term.value(), frequency_months=self.frequency.currentData(),
                    method=self.method.currentData(), grace_periods=self.grace.value(),
                    overdue_factor=self.overdue_factor.text(), late_interest_rate=self.late_rate.text())


def decimal_text(value: Any) -> str:
    """A stored rate as an officer types it: 7.20 → "7,2"."""
    from fundapp.formatting import decimal_vi

    return decimal_vi(value)


class EditTermsDialog(FormDialog):
    """Change a loan's terms before its first disbursement (the service refuses afterwards)."""

    def __init__(self, env: UiEnv, view: Any, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Sửa điều kiện vay — khoản vay {no}").format(no=view.loan_no), parent)
        self.view = view
        self.set_intro(tr("Điều kiện vay chỉ sửa được khi chưa giải ngân lần nào."))
        self.amount = self.form.add("amount", tr("Số tiền vay (đồng)"), MoneyEdit())
        self.amount.setValue(view.terms.amount)
        self.terms = TermsFields(self, self.form)
        self.terms.fill(view.terms)
        self.finish_layout()

    def job(self):
        """The write: ``update_loan_terms`` with the typed amount (đồng) and terms and the loan's version (an edit
        over a newer one is refused). Raises ``TermsError``/``ValidationError`` for terms that make no loan."""
        from fundapp.services.loan_terms import make_terms, update_loan_terms

        terms = make_terms(amount=self.money("amount", self.amount), **self.terms.values())
        ctx, loan_id, version = self.env.ctx, self.view.id, self.view.version
        return lambda _c: update_loan_terms(ctx, loan_id, terms, version)
