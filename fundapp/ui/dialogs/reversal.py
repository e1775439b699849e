"""The reversal dialog (Hủy bút toán): a posted entry is never edited or deleted, it is reversed with a reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

from fundapp.domain.event_words import described
from fundapp.formatting import short_date
from fundapp.services.errors import ValidationError

from ..env import UiEnv
from ..i18n import tr
from ..messages import confirm
from .form import FormDialog


class ReverseDialog(FormDialog):
    """Reverse a posted entry (hủy bút toán): a reason is required; it cannot be undone."""

    def __init__(self, env: UiEnv, entry: Any, parent: QWidget | None = None) -> None:
        super().__init__(env, tr("Hủy bút toán"), parent)
        self.entry = entry
        # named by its reference, with what it moved: a write-off's or restructuring's stored amount is 0
        what = described(getattr(entry, "kind", ""), entry.amount, getattr(entry, "result", None))
        self.set_intro(tr("Hủy bút toán {ref} ngày {on} — {what}. Mọi số liệu sau ngày này được tính lại.").format(
            ref=entry.reference, on=short_date(entry.on), what=str(what)))
        self.reason = self.form.add("reason", tr("Lý do hủy"), QLineEdit())
        self.finish_layout()
        self.reason.setFocus()

    def _reason(self) -> str:
        """The reason typed; ``ValidationError`` beside the field when none is."""
        reason = self.reason.text().strip()
        if not reason:
            raise ValidationError(tr("Phải ghi lý do hủy (đảo) bút toán"), field="reason")
        return reason

    def submit(self) -> None:
        """Read which receipts already issued the reversal would change (``posting.preview_reversal_receipts``, on
        the worker), show them in the confirmation, then reverse (``job``): a reversal changed a later receipt's
        split without a word where a back-dated repayment says it (an officer's trial). Raises ``ValidationError``
        when no reason is typed."""
        from fundapp.services.posting import preview_reversal_receipts

        self._reason()
        ctx, entry_id = self.env.ctx, self.entry.id

        def confirm_then_reverse(changed: str) -> None:
            fn = self.job(changed)
            if fn is not None:
                self.run_job(fn, self.close_with)

        self.run_job(lambda _c: preview_reversal_receipts(ctx, entry_id), confirm_then_reverse)

    def job(self, changed: str = ""):
        """The write: ``reverse_entry`` with the reason typed, after the user confirms (DOMAIN.md "Corrections"), the
        confirmation naming ``changed`` (``posting.receipts_text``: the receipts already issued whose split the
        reversal changes; "" none). Raises ``ValidationError`` when no reason is typed."""
        from fundapp.services.posting import reverse_entry

        from .money import warning_html

        reason, ctx, entry_id = self._reason(), self.env.ctx, self.entry.id
        if not confirm(self, tr("Xác nhận hủy bút toán"),
                       tr("Hủy bút toán này? Thao tác này không thể hoàn tác.") + warning_html(changed),
                       default_yes=False):
            return None
        return lambda _c: reverse_entry(ctx, entry_id, reason)
