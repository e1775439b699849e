"""Form dialogs: each collects what one service call needs, runs it through the job runner and
shows a refusal beside the field it names. Enter confirms, Esc cancels.

The dialogs never compute a figure: quotes, previews and limit checks come from the services.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fundapp.domain.collation import vi_sorted
from fundapp.formatting import group_thousands, vnd
from fundapp.services.errors import UserFacingError, ValidationError

from .env import UiEnv
from .errors import present_error
from .i18n import tr
from .widgets import ChoiceEdit, DateEdit, FieldForm, MoneyEdit


def confirm(parent: QWidget | None, title: str, text: str, *, default_yes: bool = True) -> bool:
    """Ask Có/Không; Enter answers the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


class FormDialog(QDialog):
    """A dialog with a field form and Đồng ý/Hủy; ``submit()`` starts the job, the dialog closes when it succeeds."""

    def __init__(self, env: UiEnv, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.layout_.addWidget(self.intro)
        self.form = FieldForm()
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._busy = False
        self.setMinimumWidth(640)

    def finish_layout(self) -> None:
        """Called by subclasses once their fields are in: the buttons go last."""
        self.layout_.addWidget(self.buttons)

    def set_intro(self, html: str) -> None:
        self.intro.setText(html)
        self.intro.show()

    # subclasses return the job to run (a callable taking the JobControl), after checking their fields
    def job(self) -> Callable[[Any], Any] | None:
        raise NotImplementedError

    def submit(self) -> None:
        """Check the fields and start the write; a dialog needing a service answer first overrides this."""
        fn = self.job()
        if fn is not None:
            self.run_job(fn, self.close_with)

    def accept(self) -> None:
        if self._busy:
            return
        self.form.clear_errors()
        try:
            self.submit()
        except ValidationError as err:
            self.show_refusal(err)

    def run_job(self, fn: Callable[[Any], Any], then: Callable[[Any], None]) -> None:
        """Run ``fn`` on the worker; ``then(result)`` on success, the refusal beside its field otherwise."""
        self._busy = True
        self.ok_button.setEnabled(False)

        def done(result: Any) -> None:
            self._busy = False
            self.ok_button.setEnabled(True)
            try:
                then(result)
            except ValidationError as err:
                self.show_refusal(err)

        self.env.jobs.run(fn, done, parent=self, on_failed=self._failed, label=tr("Đang ghi…"))

    def close_with(self, result: Any) -> None:
        self.result_value = result
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.show_refusal(exc)

    def show_refusal(self, exc: BaseException) -> None:
        """Beside the field the refusal names, else in a message box. A proposal recorded instead (maker-checker,
        issue 14) is said and closes the dialog: another user confirms it on «Chờ tôi duyệt»."""
        from fundapp.services.rights import ProposalMade

        if isinstance(exc, ProposalMade):
            present_error(self, exc)
            QDialog.accept(self)  # closes without submitting again (our accept() submits)
            return
        if isinstance(exc, UserFacingError) and self.form.show_error(exc.field, exc.message):
            return
        present_error(self, exc)

    def money(self, field: str, edit: MoneyEdit, required: bool = True) -> int:
        """The amount in ``edit``; a ValidationError naming ``field`` if it is not an amount."""
        if not edit.text().strip() and not required:
            return 0
        try:
            return edit.value()
        except ValueError as err:
            raise ValidationError(str(err), str(err), field) from None


# -- borrowers ---------------------------------------------------------------------------------------
BORROWER_FIELDS = (
    ("code", "Mã khách hàng"),
    ("name", "Tên khách hàng"),
    ("kind", "Loại hình"),
    ("tax_code", "Mã số thuế"),
    ("representative", "Người đại diện"),
    ("phone", "Điện thoại"),
    ("province", "Tỉnh"),
    ("district", "Huyện (trước 1/7/2025)"),
    ("ward", "Xã/phường (từ 1/7/2025)"),
    ("address", "Địa chỉ"),
    ("sector", "Ngành nghề"),
    ("members", "Số thành viên"),
    ("related_group", "Nhóm người có liên quan"),
)


class BorrowerDialog(FormDialog):
    """Add or edit a borrower (a stale edit on a shared book is refused by the service)."""

    def __init__(self, env: UiEnv, kinds: dict[str, str], row: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Sửa khách hàng") if row else tr("Thêm khách hàng"), parent)
        self.row = row
        self.edits: dict[str, QWidget] = {}
        from fundapp.services.places import provinces_first
        from fundapp.services.settings import load_settings

        own = load_settings(env.ctx).province  # the fund's province: first in the list, the default
        for name, label in BORROWER_FIELDS:
            if name == "kind":
                combo = QComboBox()
                for key, text in kinds.items():
                    combo.addItem(tr(text), key)
                widget: QWidget = combo
            elif name in ("province", "ward"):
                widget = ChoiceEdit(provinces_first(own) if name == "province" else ())
            else:
                widget = QLineEdit()
            widget.setObjectName(name)
            self.edits[name] = self.form.add(name, tr(label), widget)
        self.edits["province"].currentTextChanged.connect(self._province_changed)
        self.edits["ward"].activated.connect(self._ward_picked)
        if row is not None:
            for name, _label in BORROWER_FIELDS:
                value = getattr(row, name)
                if name == "kind":
                    self.edits[name].setCurrentIndex(max(0, self.edits[name].findData(value)))
                else:
                    self.edits[name].setText("" if value is None else str(value))
        else:
            self.edits["province"].setText(own)
        self._province_changed(self.edits["province"].text())
        self.finish_layout()

    def _province_changed(self, province: str) -> None:
        """The ward list of the province (post-1/7/2025 units, shipped as data)."""
        from fundapp.services.places import wards

        self._wards = {w.name: w for w in wards(province)}
        self.edits["ward"].set_choices(vi_sorted(self._wards))

    def _ward_picked(self, _index: int) -> None:
        """A picked ward suggests its pre-reform district; a district already typed is kept as signed."""
        ward = self._wards.get(self.edits["ward"].text())
        if ward is not None and not self.edits["district"].text().strip():
            self.edits["district"].setText(ward.legacy_district)

    def data(self) -> dict:
        out = {}
        for name, widget in self.edits.items():
            out[name] = widget.currentData() if name == "kind" else widget.text()
        return out

    def job(self):
        from fundapp.services.lending import save_borrower

        data, ctx = self.data(), self.env.ctx
        row_id = self.row.id if self.row else None
        version = self.row.version if self.row else None
        return lambda _c: save_borrower(ctx, data, row_id, version)


# -- loans: disbursement, repayment, reversal ---------------------------------------------------------
class DisburseDialog(FormDialog):
    """Disburse a tranche (giải ngân)."""

    def __init__(self, env: UiEnv, loan_id: int, loan_no: str, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Giải ngân — khoản vay {no}").format(no=loan_no), parent)
        self.loan_id = loan_id
        self.on = self.form.add("on", tr("Ngày giải ngân"), DateEdit(on))
        self.amount = self.form.add("amount", tr("Số tiền giải ngân (đồng)"), MoneyEdit())
        self.reference = self.form.add("reference", tr("Số chứng từ"), QLineEdit())
        self.reference.setPlaceholderText(tr("để trống: tự đánh số GN-năm-số"))
        self.note = self.form.add("note", tr("Ghi chú"), QLineEdit())
        self.finish_layout()
        self.amount.setFocus()

    def job(self):
        from fundapp.services.posting import Kind, post_transaction

        amount, on = self.money("amount", self.amount), self.on.value()
        reference, note, ctx, loan_id = self.reference.text(), self.note.text(), self.env.ctx, self.loan_id
        if not confirm(self, tr("Xác nhận giải ngân"),
                       tr("Giải ngân {amount} ngày {on} cho khoản vay này?").format(
                           amount=vnd(amount), on=on.strftime("%d/%m/%Y"))
                       + changed_receipts_html(ctx, loan_id, Kind.DISBURSEMENT, on, amount)):
            return None
        return lambda _c: post_transaction(ctx, loan_id, Kind.DISBURSEMENT, on, amount, reference, note)


class RepaymentDialog(FormDialog):
    """Record a repayment (thu nợ): shows what is due today and the settlement amount, previews the split."""

    def __init__(self, env: UiEnv, loan_id: int, loan_no: str, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Thu nợ — khoản vay {no}").format(no=loan_no), parent)
        self.loan_id = loan_id
        self.quote: Any = None
        self.preview: Any = None
        self.on = self.form.add("on", tr("Ngày thu"), DateEdit(on))
        self.due_now = QLabel("…")
        self.due_now.setObjectName("due_now")
        self.settlement = QLabel("…")
        self.settlement.setObjectName("settlement")
        self.form.addRow(tr("Số tiền đến hạn phải trả trong ngày"), self.due_now)
        self.form.addRow(tr("Số tiền tất toán trong ngày"), self.settlement)
        self.amount = self.form.add("amount", tr("Số tiền thu (đồng)"), MoneyEdit())
        self.reference = self.form.add("reference", tr("Số chứng từ"), QLineEdit())
        self.reference.setPlaceholderText(tr("để trống: tự đánh số PT-năm-số"))
        self.note = self.form.add("note", tr("Ghi chú"), QLineEdit())
        self.split = QLabel(tr("Nhập số tiền để xem phân bổ."))
        self.split.setObjectName("split")
        self.split.setWordWrap(True)
        self.split.setMinimumHeight(self.fontMetrics().height() * 6)
        self.split.setTextFormat(Qt.TextFormat.RichText)
        self.form.addRow(tr("Phân bổ dự kiến"), self.split)
        self.finish_layout()
        self._timer = QTimer(self, singleShot=True, interval=250)  # one preview per pause in typing
        self._timer.timeout.connect(self._ask_preview)
        self.on.dateChanged.connect(lambda *_: (self._ask_quote(), self._timer.start()))
        self.amount.valueChanged.connect(lambda *_: self._timer.start())
        self._ask_quote()
        self.amount.setFocus()

    def _ask_quote(self) -> None:
        from fundapp.services.posting import quote_on

        ctx, loan_id, on = self.env.ctx, self.loan_id, self.on.value()
        self.env.jobs.run(lambda _c: quote_on(ctx, loan_id, on), self._show_quote, parent=self, progress=False,
                          on_failed=lambda exc: self.show_refusal(exc), read_only=True)

    def _show_quote(self, quote) -> None:
        self.quote = quote
        self.due_now.setText(vnd(quote.due_now))
        self.settlement.setText(vnd(quote.settlement))

    def _ask_preview(self) -> None:
        from fundapp.services.posting import preview_repayment

        try:
            amount = self.amount.value()
        except ValueError:
            self.preview = None
            self.split.setText(tr("Nhập số tiền để xem phân bổ."))
            return
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.on.value()
        self.env.jobs.run(lambda _c: preview_repayment(ctx, loan_id, on, amount), self._show_preview, parent=self,
                          progress=False, on_failed=self._preview_failed, read_only=True)

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview = None
        if isinstance(exc, UserFacingError):
            self.split.setText(f"<span style='color:#b00020'>{exc.message}</span>")
        else:
            present_error(self, exc)

    def _show_preview(self, preview) -> None:
        self.preview = preview
        self.split.setText(split_html(preview.allocation))

    def submit(self) -> None:
        from fundapp.services.posting import Kind, post_transaction, preview_repayment

        amount, on = self.money("amount", self.amount), self.on.value()
        reference, note, ctx, loan_id = self.reference.text(), self.note.text(), self.env.ctx, self.loan_id

        def confirm_then_post(result) -> None:
            # the confirmation shows the split the service computed for exactly this amount and date, and the
            # receipts already issued whose split this back-dated repayment would change (issue 14)
            preview, changed = result
            self._show_preview(preview)
            text = tr("Ghi nhận thu {amount} ngày {on}?").format(amount=vnd(amount), on=on.strftime("%d/%m/%Y"))
            if confirm(self, tr("Xác nhận thu nợ"), f"{text}<br><br>{split_html(preview.allocation)}"
                       + _warning_html(changed)):
                self.run_job(lambda _c: post_transaction(ctx, loan_id, Kind.REPAYMENT, on, amount, reference, note),
                             self.close_with)

        from fundapp.services.posting import preview_transaction_receipts

        self.run_job(lambda _c: (preview_repayment(ctx, loan_id, on, amount),
                                 preview_transaction_receipts(ctx, loan_id, Kind.REPAYMENT, on, amount)),
                     confirm_then_post)


def _warning_html(text: str) -> str:
    """The receipts a back-dated entry would change (``posting.receipts_text``), for a confirmation."""
    if not text:
        return ""
    return "<br><br><b style='color:#b00020'>" + "<br>".join(html.escape(line) for line in text.splitlines()) + "</b>"


def changed_receipts_html(ctx, loan_id: int, kind, on: date, amount: int) -> str:
    """``_warning_html`` of the receipts a disbursement or repayment on ``on`` would change ("" when none, or when
    the service refuses it anyway: the posting then says why)."""
    from fundapp.services.errors import UserFacingError
    from fundapp.services.posting import preview_transaction_receipts

    try:
        return _warning_html(preview_transaction_receipts(ctx, loan_id, kind, on, amount))
    except UserFacingError:
        return ""


def split_html(a) -> str:
    """A repayment's split as the service computed it."""
    lines = [
        (tr("Gốc"), a.principal),
        (tr("trong đó trả trước gốc chưa đến hạn"), a.principal_not_yet_due),
        (tr("Lãi trong hạn"), a.interest),
        (tr("Lãi quá hạn"), a.overdue_interest),
        (tr("Lãi chậm trả"), a.late_interest),
    ]
    rows = "".join(f"<tr><td>{label}</td><td align='right'>&nbsp;&nbsp;{group_thousands(v)} đ</td></tr>"
                   for label, v in lines)
    settled = f"<p><b>{tr('Khoản vay được tất toán.')}</b></p>" if a.settled else ""
    return f"<table>{rows}</table>{settled}"


class ReverseDialog(FormDialog):
    """Reverse a posted entry (hủy bút toán): a reason is required; it cannot be undone."""

    def __init__(self, env: UiEnv, entry: Any, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Hủy bút toán"), parent)
        self.entry = entry
        self.set_intro(tr("Hủy bút toán {ref} ngày {on}: {amount}. Mọi số liệu sau ngày này được tính lại.").format(
            ref=entry.reference or f"#{entry.id}", on=entry.on.strftime("%d/%m/%Y"), amount=vnd(entry.amount)))
        self.reason = self.form.add("reason", tr("Lý do hủy"), QLineEdit())
        self.finish_layout()
        self.reason.setFocus()

    def job(self):
        from fundapp.services.posting import reverse_entry

        reason, ctx, entry_id = self.reason.text().strip(), self.env.ctx, self.entry.id
        if not reason:
            raise ValidationError(tr("Phải ghi lý do hủy (đảo) bút toán"), "a reason is required", "reason")
        if not confirm(self, tr("Xác nhận hủy bút toán"),
                       tr("Hủy bút toán này? Thao tác này không thể hoàn tác."), default_yes=False):
            return None
        return lambda _c: reverse_entry(ctx, entry_id, reason)


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
        index = self.borrower.findText(self.borrower.currentText())
        return self.borrower.itemData(index) if index >= 0 else None

    def job(self):
        from fundapp.services.lending import receive_application

        borrower_id = self.borrower_id()
        if borrower_id is None:
            raise ValidationError(tr("Chọn khách hàng"), "borrower required", "borrower")
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
        from fundapp.services.lending import sign_contract

        ctx, app_id, no, on = self.env.ctx, self.application.id, self.loan_no.text(), self.contract_date.value()
        if no.strip() and not confirm(self, tr("Xác nhận ký hợp đồng"), tr(
                "Ký hợp đồng số {no} ngày {on}? Khoản vay được lập trong sổ và không xóa được.").format(
                no=no.strip(), on=on.strftime("%d/%m/%Y"))):
            return None
        return lambda _c: sign_contract(ctx, app_id, no, on)


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
        self.term = owner.term = form.add("term_months", tr("Thời hạn vay (tháng)"), _spin(1, 360, term))
        self.frequency = owner.frequency = QComboBox()
        for months in (1, 3, 6, 12):
            self.frequency.addItem(tr("{n} tháng").format(n=months), months)
        self.frequency.setCurrentIndex(self.frequency.findData(frequency))
        form.add("frequency_months", tr("Kỳ hạn trả nợ"), self.frequency)
        self.method = owner.method = QComboBox()
        for key, label in METHODS:
            self.method.addItem(tr(label), key)
        form.add("method", tr("Phương thức trả nợ"), self.method)
        self.grace = owner.grace = form.add("grace_periods", tr("Số kỳ ân hạn gốc"), _spin(0, 120, 0))
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
        """The terms as typed (decimal commas accepted), for ``lending.make_terms`` with an amount added."""
        return dict(rate=self.rate.text().strip().replace(",", "."), rate_unit=self.rate_unit.currentData(),
                    term_months=self.term.value(), frequency_months=self.frequency.currentData(),
                    method=self.method.currentData(), grace_periods=self.grace.value(),
                    overdue_factor=self.overdue_factor.text().strip().replace(",", "."),
                    late_interest_rate=self.late_rate.text().strip().replace(",", "."))


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
        from fundapp.services.lending import make_terms, update_loan_terms

        terms = make_terms(amount=self.money("amount", self.amount), **self.terms.values())
        ctx, loan_id, version = self.env.ctx, self.view.id, self.view.version
        return lambda _c: update_loan_terms(ctx, loan_id, terms, version)


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
        self.override.setEnabled(False)
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
        from fundapp.services.lending import check_limits

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
        self.limits_label.setText(f"<table>{table}</table>{verdict}")
        # a rich-text label does not grow by itself: reserve the height its text needs at this width
        self.limits_label.setMinimumHeight(self.limits_label.heightForWidth(max(self.limits_label.width(), 420)))
        self.override.setEnabled(not limits.ok)

    def terms_values(self) -> dict:
        return dict(amount=self.money("amount", self.amount), **self.terms.values())

    def submit(self) -> None:
        from fundapp.services.lending import approve_application, check_limits, make_terms

        terms = make_terms(**self.terms_values())
        ctx, app_id, reason = self.env.ctx, self.application.id, self.override.text().strip()
        on = self.approved_on.value() if self.approved_on is not None else None

        def decide(limits) -> None:
            self._show_limits(limits)  # the figures for exactly this amount
            if not limits.ok:
                if not reason:
                    raise ValidationError(tr("Vượt giới hạn cho vay: giám đốc phải ghi lý do duyệt vượt"),
                                          "override reason required", "override_reason")
                if not confirm(self, tr("Duyệt vượt giới hạn"),
                               tr("Phê duyệt vượt giới hạn cho vay với lý do «{reason}»? Lý do được ghi vào nhật ký.")
                               .format(reason=reason), default_yes=False):
                    return
            why = reason if not limits.ok else ""
            self.run_job(lambda _c: approve_application(ctx, app_id, terms, why, approved_on=on), self.close_with)

        self.run_job(lambda _c: check_limits(ctx, app_id, terms.amount), decide)


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def figures_grid(pairs: list[tuple[str, str, str]], columns: int = 2) -> tuple[QGridLayout, dict[str, QLabel]]:
    """Label/value pairs in a grid; values are selectable labels named ``name`` (tests read them)."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    labels: dict[str, QLabel] = {}
    for i, (name, caption, tooltip) in enumerate(pairs):
        r, c = divmod(i, columns)
        cap = QLabel(caption)
        cap.setToolTip(tooltip)
        value = QLabel("")
        value.setObjectName(name)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = value.font()
        font.setBold(True)
        value.setFont(font)
        grid.addWidget(cap, r, c * 2)
        grid.addWidget(value, r, c * 2 + 1)
        labels[name] = value
    return grid, labels
