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

    def job(self):
        """The write: ``reverse_entry`` with the reason typed, after the user confirms (DOMAIN.md "Corrections").
        Raises ``ValidationError`` when no reason is typed."""
        from fundapp.services.posting import reverse_entry

        reason, ctx, entry_id = self.reason.text().strip(), self.env.ctx, self.entry.id
        if not reason:
            raise ValidationError(tr("Phải ghi lý do hủy (đảo) bút toán"), field="reason")
        if not confirm(self, tr("Xác nhận hủy bút toán"),
                       tr("Hủy bút toán này? Thao tác này không thể hoàn tác."), default_yes=False):
            return None
        return lambda _c: reverse_entry(ctx, entry_id, reason)
