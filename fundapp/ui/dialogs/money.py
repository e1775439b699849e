"""Disbursement and repayment dialogs (Giải ngân, Thu nợ): the service previews the split and the receipts a
posting would change; the dialog asks before it posts.
"""

from __future__ import annotations

import html
from datetime import date
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QWidget,
)

from fundapp.formatting import group_thousands, short_date, vnd
from fundapp.services.errors import UserFacingError

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import DateEdit, MoneyEdit
from .form import FormDialog, rich_label, set_rich


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
        """The write: a disbursement of the typed amount (đồng) on the typed day, after the user confirms it (with
        the receipts it would change); None when the user answers Không."""
        from fundapp.services.posting import Kind, post_transaction

        amount, on = self.money("amount", self.amount), self.day("on", self.on)
        reference, note, ctx, loan_id = self.reference.text(), self.note.text(), self.env.ctx, self.loan_id
        twin = twin_html(ctx, loan_id, Kind.DISBURSEMENT, on, amount)
        if not confirm(self, tr("Xác nhận giải ngân"),
                       tr("Giải ngân {amount} ngày {on} cho khoản vay này?").format(
                           amount=vnd(amount), on=short_date(on))
                       + changed_receipts_html(ctx, loan_id, Kind.DISBURSEMENT, on, amount) + twin,
                       default_yes=not twin):  # Enter does not post a voucher the loan already holds
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
        self.split = rich_label("split")
        self.form.addRow(tr("Phân bổ dự kiến"), self.split)
        self._set_split(tr("Nhập số tiền để xem phân bổ."))
        self.finish_layout()
        self._timer = QTimer(self, singleShot=True, interval=250)  # one preview per pause in typing
        self._timer.timeout.connect(self._ask_preview)
        self.on.dateChanged.connect(lambda *_: (self._ask_quote(), self._timer.start()))
        self.on.problem.connect(lambda text: self._date_refused() if text else None)
        self.amount.valueChanged.connect(lambda *_: self._timer.start())
        self._ask_quote()
        self.amount.setFocus()

    def _set_split(self, html: str) -> None:
        # the box keeps, from the start, the height of the longest split (every line, and a settlement's): the
        # dialog opens at the size that shows any preview whole
        set_rich(self.split, html, SPLIT_WIDTH, reserve=split_html(LONGEST_SPLIT))

    def _date_refused(self) -> None:
        # the field says why; no figure of another day stays beside it
        self.quote = self.preview = None
        self.due_now.setText("—")
        self.settlement.setText("—")
        self._set_split(tr("Sửa ngày thu để xem phân bổ."))

    def _ask_quote(self) -> None:
        from fundapp.services.posting import quote_on

        if self.on.problem_text():
            return self._date_refused()
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
            self._set_split(tr("Nhập số tiền để xem phân bổ."))
            return
        if self.on.problem_text():
            return self._date_refused()
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.on.value()
        self.env.jobs.run(lambda _c: preview_repayment(ctx, loan_id, on, amount), self._show_preview, parent=self,
                          progress=False, on_failed=self._preview_failed, read_only=True)

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview = None
        if isinstance(exc, UserFacingError):
            self._set_split(f"<span style='color:#b00020'>{exc.message}</span>")
        else:
            present_error(self, exc)

    def _show_preview(self, preview) -> None:
        self.preview = preview
        self._set_split(split_html(preview.allocation))

    def submit(self) -> None:
        """Preview the repayment's split (the service's allocation, DOMAIN.md "A repayment on day t"), ask the user
        to confirm it with the receipts it would change, then post it."""
        from fundapp.services.posting import Kind, post_transaction, preview_repayment

        amount, on = self.money("amount", self.amount), self.day("on", self.on)
        reference, note, ctx, loan_id = self.reference.text(), self.note.text(), self.env.ctx, self.loan_id

        def confirm_then_post(result) -> None:
            # the confirmation shows the split the service computed for exactly this amount and date, and the
            # receipts already issued whose split this back-dated repayment would change (issue 14)
            preview, changed, twin = result
            self._show_preview(preview)
            text = tr("Ghi nhận thu {amount} ngày {on}?").format(amount=vnd(amount), on=short_date(on))
            if confirm(self, tr("Xác nhận thu nợ"), f"{text}<br><br>{split_html(preview.allocation)}"
                       + warning_html(changed) + warning_html(twin), default_yes=not twin):
                self.run_job(lambda _c: post_transaction(ctx, loan_id, Kind.REPAYMENT, on, amount, reference, note),
                             self.close_with)

        from fundapp.services.posting import preview_transaction_receipts, twin_text

        self.run_job(lambda _c: (preview_repayment(ctx, loan_id, on, amount),
                                 preview_transaction_receipts(ctx, loan_id, Kind.REPAYMENT, on, amount),
                                 twin_text(ctx, loan_id, Kind.REPAYMENT, on, amount)),
                     confirm_then_post)


def warning_html(text: str) -> str:
    """A warning for a confirmation, in red, a line a line: the receipts a back-dated entry or a reversal would change
    (``posting.receipts_text``), a voucher typed twice (``posting.twin_text``); "" for ""."""
    if not text:
        return ""
    return "<br><br><b style='color:#b00020'>" + "<br>".join(html.escape(line) for line in text.splitlines()) + "</b>"


def changed_receipts_html(ctx, loan_id: int, kind, on: date, amount: int) -> str:
    """``warning_html`` of the receipts a disbursement or repayment on ``on`` would change ("" when none, or when
    the service refuses it anyway: the posting then says why)."""
    from fundapp.services.errors import UserFacingError
    from fundapp.services.posting import preview_transaction_receipts

    try:
        return warning_html(preview_transaction_receipts(ctx, loan_id, kind, on, amount))
    except UserFacingError:
        return ""


def twin_html(ctx, loan_id: int, kind, on: date, amount: int) -> str:
    """``warning_html`` of the loan's entries in force of ``kind`` on ``on`` for ``amount`` đồng
    (``posting.twin_text``: the same voucher typed twice), for a confirmation; "" when none, or when the service
    refuses to say (the posting then says why, as ``changed_receipts_html``)."""
    from fundapp.services.errors import UserFacingError
    from fundapp.services.posting import twin_text

    try:
        return warning_html(twin_text(ctx, loan_id, kind, on, amount))
    except UserFacingError:  # refused anyway (a right, the loan gone): the posting then says why
        return ""


SPLIT_WIDTH = 360  # the preview's width in the repayment dialog (its default width, 640, holds it)
LONGEST_SPLIT = SimpleNamespace(principal=999_999_999_999, principal_not_yet_due=999_999_999_999,
                                interest=999_999_999_999, overdue_interest=999_999_999_999,
                                late_interest=999_999_999_999, settled=True)


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
