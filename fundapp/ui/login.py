"""Đăng nhập (issue 14): the login dialog shown at start-up when the book has users, and the guard that shows each
role only its actions: a button whose right the user lacks stays disabled, its tooltip naming the right."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fundapp.services.context import Context
from fundapp.services.errors import UserFacingError
from fundapp.services.rights import RIGHTS, ROLE_RIGHTS, ROLES, allowed, book_has_users

from .i18n import english_pairs, tr
from .widgets.fields import error_label, ok_cancel


class LoginDialog(QDialog):
    """Name and password; ``ctx`` becomes the logged-in context when accepted. A refusal shows the service's one
    message (never which of the two was wrong) under the fields and keeps the dialog open."""

    def __init__(self, ctx: Context, book: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Đăng nhập"))
        self.setObjectName("loginDialog")
        self.name = QLineEdit()
        self.name.setObjectName("loginName")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = error_label("loginMessage")
        head = QLabel(tr("Sổ này có người dùng: hãy đăng nhập để làm việc.")
                      + (f"\n{tr('Sổ')}: {book}" if book else ""))
        head.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Tên đăng nhập"), self.name)
        form.addRow(tr("Mật khẩu"), self.password)
        buttons = ok_cancel(self, tr("Đăng nhập"), tr("Thoát"), self.try_login)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        if ctx.user:  # --user NAME, or the computer's user name: usually the officer's login
            self.name.setText(ctx.user)
            self.password.setFocus()

    def try_login(self) -> None:
        """Log in with the name and password typed: accept with the logged-in context, or show the refusal in red and clear the password."""
        from fundapp.services.users import login

        try:
            self.ctx = login(self.ctx, self.name.text(), self.password.text())
        except UserFacingError as err:
            self.message.setText(err.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


def log_in(ctx: Context, book: str = "", parent: QWidget | None = None) -> Context | None:
    """``ctx`` unchanged on a book without users; else the context of the user who logged in, or None when the
    officer gave up (the book is then not opened)."""
    if not book_has_users(ctx):
        return ctx
    dialog = LoginDialog(ctx, book, parent)
    return dialog.ctx if dialog.exec() == QDialog.DialogCode.Accepted else None


def right_tooltip(right: str) -> str:
    """"Cần quyền «…» (vai trò: …)": why a button is disabled."""
    holders = ", ".join(ROLES[r] for r, rights in ROLE_RIGHTS.items() if right in rights)  # the fund's own names
    return f"{tr('Cần quyền')} «{RIGHTS[right]}» ({tr('vai trò')}: {holders})"


# the buttons of the pages (their text without "&") → the right they need
BUTTON_RIGHTS: dict[str, str] = {
    "Thêm khách hàng…": "borrowers",
    "Tiếp nhận hồ sơ…": "applications",
    "Thẩm định…": "appraise",
    "Phê duyệt…": "approve",
    "Từ chối…": "approve",
    "Ký hợp đồng…": "sign",
    "Giải ngân…": "post",
    "Thu nợ…": "post",
    "Hủy bút toán…": "reverse",
    "Sửa điều kiện vay…": "sign",
    "Cơ cấu, miễn giảm, xóa nợ": "propose",
    "Nhập vào sổ": "import",
    "Thêm sản phẩm…": "settings",
    "Lưu cài đặt": "settings",
}


class RightsGuard(QObject):
    """An application-wide event filter: a button of ``BUTTON_RIGHTS`` whose right ``ctx``'s user lacks is kept
    disabled (the page's own logic may enable it again: it is disabled back) with a tooltip naming the right.
    On a book without users nothing is disabled."""

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        EN = english_pairs()  # the English twins of the buttons, when the interface is in English

        self._texts = {text: right for text, right in BUTTON_RIGHTS.items()}
        for vi, right in BUTTON_RIGHTS.items():
            for key, en in EN.items():
                if key.replace("&", "") == vi:
                    self._texts[en.replace("&", "")] = right
        self._allowed = {right: allowed(ctx, right) for right in set(BUTTON_RIGHTS.values())}

    def right_of(self, button: QAbstractButton) -> str | None:
        """The right (``services.rights`` action) a button needs, by its text without the "&"; None for a button no right guards."""
        return self._texts.get(button.text().replace("&", ""))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.EnabledChange, QEvent.Type.Polish) and isinstance(
                obj, QAbstractButton):
            right = self.right_of(obj)
            if right is not None and not self._allowed.get(right, True):
                if obj.isEnabled():
                    obj.setEnabled(False)
                tip = right_tooltip(right)
                if obj.toolTip() != tip:
                    obj.setToolTip(tip)
                obj.setProperty("missing_right", right)
        return False


def install_guard(window: QWidget, ctx: Context) -> RightsGuard | None:
    """Install the guard for ``ctx``'s user over the whole application (None on a book without users)."""
    from PySide6.QtWidgets import QApplication

    if ctx.roles is None:
        return None
    guard = RightsGuard(ctx, window)
    QApplication.instance().installEventFilter(guard)
    window.destroyed.connect(lambda *_: _remove(guard))
    for button in window.findChildren(QAbstractButton):
        guard.eventFilter(button, QEvent(QEvent.Type.EnabledChange))
    return guard


def _remove(guard: RightsGuard) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        try:
            app.removeEventFilter(guard)
        except RuntimeError:
            pass


