"""Hai người duyệt (issue 14): the administrator switches maker-checker on or off per action (small funds);
each switch is audited by the service. Other roles see the switches read-only."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from fundapp.services import proposals
from fundapp.services.context import Context
from fundapp.services.rights import ACTIONS, allowed

from .errors import present_error
from .i18n import tr
from .login import right_tooltip


class MakerCheckerDialog(QDialog):
    """Sổ → Kiểm soát hai người…: which actions need a second person's confirmation (maker-checker)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Hai người duyệt"))
        note = QLabel(tr("Các việc được đánh dấu phải do một người lập đề xuất và một người khác có quyền xác nhận. "
                         "Bỏ đánh dấu khi Quỹ chỉ có một người giữ quyền đó. Mỗi lần thay đổi được ghi nhật ký."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        self.boxes: dict[str, QCheckBox] = {}
        states = proposals.maker_checker_settings(ctx)
        may = allowed(ctx, "settings")
        for action, (label, _propose, _confirm) in ACTIONS.items():
            box = QCheckBox(label[:1].upper() + label[1:])  # the fund's own Vietnamese names (services.rights)
            box.setChecked(states[action])
            box.setEnabled(may)
            if not may:
                box.setToolTip(right_tooltip("settings"))
            self.boxes[action] = box
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.states = states

    def save(self) -> None:
        """Save the actions ticked; a refusal (no right) is shown in words."""
        try:
            for action, box in self.boxes.items():
                if box.isEnabled() and box.isChecked() != self.states[action]:
                    proposals.set_maker_checker(self.ctx, action, box.isChecked())
        except Exception as exc:
            present_error(self, exc)
            return
        self.accept()
