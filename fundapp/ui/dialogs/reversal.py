"""The reversal dialog (Hủy bút toán): a posted entry is never edited or deleted, it is reversed with a reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

from fundapp.formatting import vnd
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
        self.set_intro(tr("Hủy bút toán {ref} ngày {on}: {amount}. Mọi số liệu sau ngày này được tính lại.").format(
            ref=entry.reference or f"#{entry.id}", on=entry.on.strftime("%d/%m/%Y"), amount=vnd(entry.amount)))
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
