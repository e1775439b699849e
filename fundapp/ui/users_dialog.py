"""Người dùng (issue 14): the administrator adds users (roles, password typed twice), gives roles, disables or
enables them — never deletes. Every check is the service's (services.users); others see the list only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fundapp.services import users
from fundapp.services.context import Context
from fundapp.services.errors import ValidationError
from fundapp.services.rights import ROLES, allowed

from .errors import present_error
from .i18n import tr
from .login import right_tooltip
from .pages._common import fill_table, read_only_table
from .widgets.fields import error_label, push_button


class UsersDialog(QDialog):
    """The users of the book (name, full name, roles, state) and the administrator's add, grant and lock buttons;
    every check is the service's, a refusal shows in red under the form."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Người dùng"))
        self.table = read_only_table(
            [tr("Tên đăng nhập"), tr("Họ tên"), tr("Vai trò"), tr("Trạng thái")],
            tr("Sổ chưa có người dùng nào nên chưa cần đăng nhập. Người dùng đầu tiên thêm ở dưới là quản trị; từ đó "
               "mở sổ phải đăng nhập."))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda *_: self._pick())
        self.name, self.full_name = QLineEdit(), QLineEdit()
        self.password, self.again = QLineEdit(), QLineEdit()
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.roles: dict[str, QCheckBox] = {code: QCheckBox(label) for code, label in ROLES.items()}
        grid = QGridLayout()
        for i, box in enumerate(self.roles.values()):
            grid.addWidget(box, i // 3, i % 3)
        form = QFormLayout()
        form.addRow(tr("Tên đăng nhập"), self.name)
        form.addRow(tr("Họ tên"), self.full_name)
        form.addRow(tr("Vai trò"), grid)
        form.addRow(tr("Mật khẩu (người mới)"), self.password)
        form.addRow(tr("Nhập lại mật khẩu"), self.again)
        self.add_button = push_button(tr("&Thêm người dùng"), self.add)
        self.grant_button = push_button(tr("&Đặt vai trò"), self.grant)
        self.disable_button = push_button(tr("&Khóa / mở khóa"), self.toggle)
        self.message = error_label()
        bar = QHBoxLayout()
        for b in (self.add_button, self.grant_button, self.disable_button):
            bar.addWidget(b)
            if not allowed(ctx, "users"):
                b.setEnabled(False)
                b.setToolTip(right_tooltip("users"))
        bar.addStretch(1)
        done = QPushButton(tr("Đóng"))
        done.clicked.connect(self.accept)
        bar.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        self.resize(760, 560)
        self.rows: list[users.UserRow] = []
        self.refresh()

    def refresh(self) -> None:
        """Reload the users list from the book."""
        self.rows = users.list_users(self.ctx)
        fill_table(self.table, [[u.name, u.full_name, u.roles_vi, tr("Đã khóa") if u.disabled else tr("Đang dùng")]
                                for u in self.rows], right_from=None)
        self.table.resizeColumnsToContents()

    def _pick(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            u = self.rows[row]
            self.name.setText(u.name)
            self.full_name.setText(u.full_name)
            for code, box in self.roles.items():
                box.setChecked(code in u.roles)

    def _chosen(self) -> list[str]:
        return [code for code, box in self.roles.items() if box.isChecked()]

    def _do(self, fn) -> None:
        self.message.setText("")
        try:
            fn()
        except ValidationError as err:
            self.message.setText(err.message)
            return
        except Exception as exc:
            present_error(self, exc)
            return
        self.password.clear()
        self.again.clear()
        self.refresh()

    def add(self) -> None:
        """Add the user typed (name, full name, roles ticked, the password typed twice and equal)."""
        def run() -> None:
            if self.password.text() != self.again.text():
                raise ValidationError(tr("Hai lần nhập mật khẩu không giống nhau"), field="password")
            users.add_user(self.ctx, self.name.text(), self._chosen(), self.password.text(), self.full_name.text())

        self._do(run)

    def grant(self) -> None:
        """Give the user named the roles ticked (replacing their roles)."""
        self._do(lambda: users.grant(self.ctx, self.name.text(), self._chosen()))

    def toggle(self) -> None:
        """Lock the user named, or unlock one already locked (users are never deleted)."""
        current = next((u for u in self.rows if u.name == self.name.text().strip()), None)
        self._do(lambda: users.disable_user(self.ctx, self.name.text(), not (current and current.disabled)))
