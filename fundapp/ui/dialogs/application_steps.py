"""The steps of a loan application (Tiếp nhận, thẩm định/ý kiến, ký hợp đồng, phê duyệt) as dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from fundapp.formatting import short_date, vnd
from fundapp.services.errors import ValidationError

from ..env import UiEnv
from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import DateEdit, MoneyEdit, allow
from .form import FormDialog, set_rich
from .terms import TermsFields


# -- applications -----------------------------------------------------------------------------------
class ReceiveDialog(FormDialog):
    """Receive an application (tiếp nhận hồ sơ): borrower, amount, purpose, sector, plan, own capital, product."""

    def __init__(self, env: UiEnv, borrowers: list, products: list, today: date, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Tiếp nhận hồ sơ vay"), parent)
        self.borrower = QComboBox()
        self.borrower.setEditable(True)  # type part of a name: the completer finds it
        self.borrower.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.borrower.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.borrower.completer().setCompletionMode(self.borrower.completer().CompletionMode.PopupCompletion)
        self.borrower.addItem("", None)
        for b in borrowers:
            self.borrower.addItem(f"{b.code} — {b.name}", b.id)
        self.borrower.setCurrentIndex(0)
        self.form.add("borrower", tr("Khách hàng"), self.borrower)
        self.amount = self.form.add("requested_amount", tr("Số tiền đề nghị vay (đồng)"), MoneyEdit())
        self.purpose = self.form.add("purpose", tr("Mục đích vay"), QLineEdit())
        self.sector = self.form.add("sector", tr("Ngành nghề"), QLineEdit())
        self.plan_total = self.form.add("plan_total", tr("Tổng vốn phương án (đồng)"), MoneyEdit())
        self.own_capital = self.form.add("own_capital", tr("Vốn tự có (đồng)"), MoneyEdit())
        self.product = QComboBox()
        self.product.addItem(tr("(không chọn)"), None)
        for p in products:
            self.product.addItem(f"{p.code} — {p.name}", p.id)
        self.form.add("product", tr("Sản phẩm vay"), self.product)
        self.received_on = self.form.add("received_on", tr("Ngày tiếp nhận"), DateEdit(today))
        self.finish_layout()

    def borrower_id(self) -> int | None:
        """The id of the borrower picked (or typed exactly as listed), None when the text matches no borrower."""
        index = self.borrower.findText(self.borrower.currentText())
        return self.borrower.itemData(index) if index >= 0 else None

    def job(self):
        """The write: ``receive_application`` with the typed amount (đồng), purpose, sector, plan and date.
        Raises ``ValidationError`` (shown beside its field) when no borrower is picked."""
        from fundapp.services.applications import receive_application

        borrower_id = self.borrower_id()
        if borrower_id is None:
            raise ValidationError(tr("Chọn khách hàng"), field="borrower")
        amount = self.money("requested_amount", self.amount)
        plan, own = self.money("plan_total", self.plan_total, False), self.money("own_capital", self.own_capital, False)
        purpose, sector, product = self.purpose.text(), self.sector.text(), self.product.currentData()
        ctx, on = self.env.ctx, self.received_on.value()
        return lambda _c: receive_application(ctx, borrower_id, amount, purpose, sector, plan, own, product, on)


class TextStepDialog(FormDialog):
    """A step that needs one text: appraisal notes or a rejection reason."""

    def __init__(self, env: UiEnv, title: str, intro: str, field: str, label: str,
                 run: Callable[..., Any], multiline: bool = False, parent: QWidget | None = None,
                 confirm_text: str = "", date_field: tuple[str, str] | None = None) -> None:
        super().__init__(env, title, parent)
        self.set_intro(intro)
        self.field, self.run, self.confirm_text = field, run, confirm_text
        # (field, label) of the step's date, entered by the officer (issue 14): run(text, date)
        self.on = self.form.add(date_field[0], date_field[1], DateEdit(env.ctx.today())) if date_field else None
        if multiline:
            self.text = QPlainTextEdit()
            self.text.setTabChangesFocus(True)  # Tab reaches the buttons; Enter still confirms from there
            self.text.setMinimumHeight(110)
        else:
            self.text = QLineEdit()
        self.form.add(field, label, self.text)
        self.finish_layout()
        self.text.setFocus()

    def value(self) -> str:
        """The text typed (one line or several, as the step asks)."""
        return self.text.toPlainText() if isinstance(self.text, QPlainTextEdit) else self.text.text()

    def job(self):
        """The step's write; a step that cannot be undone (``confirm_text``) asks first, "Không" by default."""
        value, run = self.value(), self.run
        if self.confirm_text and value.strip() and not confirm(self, self.windowTitle(), self.confirm_text,
                                                               default_yes=False):
            return None
        if self.on is not None:
            on = self.on.value()
            return lambda _c: run(value, on)
        return lambda _c: run(value)


class SignDialog(FormDialog):
    """Sign the contract (ký hợp đồng): the loan number and the contract date."""

    def __init__(self, env: UiEnv, application: Any, suggested_no: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Ký hợp đồng tín dụng"), parent)
        self.application = application
        self.set_intro(tr("Hồ sơ #{id} — {name}: phê duyệt {amount}.").format(
            id=application.id, name=application.borrower_name, amount=vnd(application.approved_amount or 0)))
        self.loan_no = self.form.add("loan_no", tr("Số hợp đồng"), QLineEdit(suggested_no))
        self.contract_date = self.form.add("contract_date", tr("Ngày ký hợp đồng"), DateEdit(today))
        self.finish_layout()
        self.loan_no.setFocus()
        self.loan_no.selectAll()

    def job(self):
        """The write: ``sign_contract`` with the loan number and date, after the user confirms that a loan is
        created in the book (None, nothing written, when the user answers Không)."""
        from fundapp.services.applications import sign_contract

        ctx, app_id, no, on = self.env.ctx, self.application.id, self.loan_no.text(), self.contract_date.value()
        if no.strip() and not confirm(self, tr("Xác nhận ký hợp đồng"), tr(
                "Ký hợp đồng số {no} ngày {on}? Khoản vay được lập trong sổ và không xóa được.").format(
                no=no.strip(), on=short_date(on))):
            return None
        return lambda _c: sign_contract(ctx, app_id, no, on)


class ApproveDialog(FormDialog):
    """Approve (phê duyệt) with terms prefilled from a product; shows Decree 45's limit check.

    A breach needs the director's override reason, confirmed before the approval is written.
    """

    def __init__(self, env: UiEnv, application: Any, products: list, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Phê duyệt hồ sơ vay"), parent)
        self.setMinimumWidth(760)
        self.application, self.products = application, {p.id: p for p in products}
        self.limits: Any = None
        self.set_intro(tr("Hồ sơ #{id} — {name}: đề nghị vay {amount}, mục đích «{purpose}».").format(
            id=application.id, name=application.borrower_name, amount=vnd(application.requested_amount),
            purpose=application.purpose))
        self.product = QComboBox()
        self.product.addItem(tr("(nhập điều kiện vay)"), None)
        for p in products:
            self.product.addItem(f"{p.code} — {p.name}", p.id)
        self.form.add("product", tr("Theo sản phẩm vay"), self.product)
        self.amount = self.form.add("amount", tr("Số tiền phê duyệt (đồng)"), MoneyEdit())
        self.amount.setValue(application.requested_amount)
        self.terms = TermsFields(self, self.form)
        self.limits_label = QLabel("…")
        self.limits_label.setObjectName("limits")
        self.limits_label.setWordWrap(True)
        self.limits_label.setTextFormat(Qt.TextFormat.RichText)
        self.form.addRow(tr("Giới hạn cho vay (NĐ 45/2021)"), self.limits_label)
        self.override = self.form.add("override_reason", tr("Lý do giám đốc duyệt vượt giới hạn"), QLineEdit())
        allow(self.override, tr("Chỉ ghi khi số tiền vượt giới hạn cho vay"))
        # issue 14: on a book with users the approval's date is entered (a book without users records none, as before)
        self.approved_on = (self.form.add("approved_on", tr("Ngày phê duyệt"), DateEdit(env.ctx.today()))
                            if env.ctx.roles is not None else None)
        self.finish_layout()
        self.product.currentIndexChanged.connect(self._prefill)
        if application.product_id in self.products:
            self.product.setCurrentIndex(self.product.findData(application.product_id))
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self._check)
        self.amount.valueChanged.connect(lambda *_: self._timer.start())
        self._check()
        self.amount.setFocus()

    def _prefill(self) -> None:
        p = self.products.get(self.product.currentData())
        if p is not None:
            self.terms.fill(p)

    def _check(self) -> None:
        from fundapp.services.applications import check_limits

        try:
            amount = self.amount.value()
        except ValueError:
            return
        ctx, app_id = self.env.ctx, self.application.id
        self.env.jobs.run(lambda _c: check_limits(ctx, app_id, amount), self._show_limits, parent=self, progress=False, read_only=True)

    def _show_limits(self, limits) -> None:
        self.limits = limits
        rows = [
            (tr("Vốn điều lệ thực có"), vnd(limits.charter_capital)),
            (tr("Dư nợ khách hàng sau khi vay / giới hạn"),
             f"{vnd(limits.customer_after)} / {vnd(limits.customer_limit)}"),
            (tr("Dư nợ nhóm liên quan sau khi vay / giới hạn"), f"{vnd(limits.group_after)} / {vnd(limits.group_limit)}"),
            (tr("Vốn tự có / tối thiểu"), f"{vnd(limits.own_capital)} / {vnd(limits.own_capital_min)}"),
        ]
        table = "".join(f"<tr><td>{a}</td><td align='right'>&nbsp;{b}</td></tr>" for a, b in rows)
        if limits.ok:
            verdict = f"<p style='color:#1b7f3b'><b>{tr('Trong giới hạn.')}</b></p>"
        else:
            items = "".join(f"<li>{b}</li>" for b in limits.breaches)
            verdict = (f"<p style='color:#b00020'><b>{tr('Vượt giới hạn:')}</b></p><ul>{items}</ul>"
                       f"<p>{tr('Chỉ giám đốc được duyệt vượt, ghi rõ lý do.')}</p>")
        set_rich(self.limits_label, f"<table>{table}</table>{verdict}", 420)  # the height it needs at its width
        allow(self.override, "" if not limits.ok else tr("Chỉ ghi khi số tiền vượt giới hạn cho vay"))

    def terms_values(self) -> dict:
        """The typed amount (đồng) and terms as ``make_terms`` takes them. Raises ``ValidationError`` for an
        unreadable amount."""
        return dict(amount=self.money("amount", self.amount), **self.terms.values())

    def submit(self) -> None:
        """Check Decree 45's limits first (``check_limits``); when one is breached ask the director to approve over
        the limit with the reason typed, then approve. A refusal is shown beside its field."""
        from fundapp.services.applications import approve_application, check_limits
        from fundapp.services.loan_terms import make_terms

        terms = make_terms(**self.terms_values())
        ctx, app_id, reason = self.env.ctx, self.application.id, self.override.text().strip()
        on = self.approved_on.value() if self.approved_on is not None else None

        def decide(limits) -> None:
            self._show_limits(limits)  # the figures for exactly this amount
            if not limits.ok:
                if not reason:
                    raise ValidationError(tr("Vượt giới hạn cho vay: giám đốc phải ghi lý do duyệt vượt"),
                                          field="override_reason")
                if not confirm(self, tr("Duyệt vượt giới hạn"),
                               tr("Phê duyệt vượt giới hạn cho vay với lý do «{reason}»? Lý do được ghi vào nhật ký.")
                               .format(reason=reason), default_yes=False):
                    return
            why = reason if not limits.ok else ""
            self.run_job(lambda _c: approve_application(ctx, app_id, terms, why, approved_on=on), self.close_with)

        self.run_job(lambda _c: check_limits(ctx, app_id, terms.amount), decide)
