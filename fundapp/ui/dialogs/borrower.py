"""The borrower form (Thêm/Sửa người vay): the fields of a borrower and their checks by the service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QWidget,
)

from fundapp.domain.collation import vi_sorted

from ..env import UiEnv
from ..i18n import tr
from ..widgets.fields import ChoiceEdit
from .form import FormDialog

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
        """The write: ``save_borrower`` with the fields typed (a new borrower, or an edit carrying its version)."""
        from fundapp.services.borrowers import save_borrower

        data, ctx = self.data(), self.env.ctx
        row_id = self.row.id if self.row else None
        version = self.row.version if self.row else None
        return lambda _c: save_borrower(ctx, data, row_id, version)
