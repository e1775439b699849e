"""The main window: a navigation list, the pages (loaded on first show), the book in the status bar.

It only hosts pages: each page module ``fundapp.ui.pages.<name>`` defines ``Page(env, parent)``
with ``refresh()``, imported by ``page_class_of`` when first shown. The window knows nothing of loans or money (Electrum's main window is the
example to avoid).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import fundapp
from fundapp.app import book_description, log_folder
from fundapp.ledger.advice import FILE_MENU, OPEN_ITEM, RESTORE_ITEM

from .env import UiEnv
from .errors import present_error
from .i18n import tr
from .messages import confirm

log = logging.getLogger("fundapp.ui")

# (module name in fundapp.ui.pages, title); the order is the navigation's and Ctrl+1…Ctrl+7's
PAGES: tuple[tuple[str, str], ...] = (
    ("overview", "Tổng quan"),
    ("borrowers", "Khách hàng"),
    ("applications", "Hồ sơ vay"),
    ("loans", "Khoản vay"),
    ("reports", "Báo cáo"),
    ("imports", "Nhập dữ liệu"),
    ("migration", "Nhập sổ cũ"),  # issue 15: a workbook not in our layout
    ("settings", "Cài đặt"),
    ("pending", "Chờ tôi duyệt"),  # issue 14: proposals waiting for this user
    ("audit", "Nhật ký"),  # issue 14: who did what, when
)
PAGE_NAMES = tuple(name for name, _ in PAGES)


def page_class_of(name: str) -> type[QWidget]:
    """The ``Page`` class of the page ``name`` (a key of ``PAGES``), imported when the page is first shown so the
    window's start stays light (issue 17); one plain import per page, never a module named by a string (issue 13).
    Raises ImportError when this build lacks the page, KeyError for a name not in ``PAGES``."""
    if name == "overview":
        from .pages.overview import Page
    elif name == "borrowers":
        from .pages.borrowers import Page
    elif name == "applications":
        from .pages.applications import Page
    elif name == "loans":
        from .pages.loans import Page
    elif name == "reports":
        from .pages.reports import Page
    elif name == "imports":
        from .pages.imports import Page
    elif name == "migration":
        from .pages.migration import Page
    elif name == "settings":
        from .pages.settings import Page
    elif name == "pending":
        from .pages.pending import Page
    elif name == "audit":
        from .pages.audit import Page
    else:
        raise KeyError(name)
    return Page


def book_name(description: str) -> str:
    """The book as a title names it: a SQLite file's name ("quy-htx.sqlite"), or a server book's database and
    server ("quyhtx trên 192.168.1.10:5432"), never the password. ``description`` is ``book_description(ctx)``."""
    if "://" not in description:
        return Path(description).name or description
    from urllib.parse import urlsplit

    parts = urlsplit(description)
    server = parts.hostname or ""
    if parts.port:
        server = f"{server}:{parts.port}"
    database = parts.path.lstrip("/")
    return tr("{database} trên {server}").format(database=database, server=server) if server else database


def window_title(description: str) -> str:
    """The window's title: the book first (the taskbar shows the start), then the application."""
    return f"{book_name(description)} — {tr('Quỹ hỗ trợ phát triển hợp tác xã — Sổ cho vay')}"


class Placeholder(QWidget):
    """Shown where a page module is not there yet."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>{text}</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout.addWidget(label)

    def refresh(self) -> None:
        """Nothing to refresh."""
        pass


class MainWindow(QMainWindow):
    """The main window: the navigation, the pages (built when first shown), the menus and the status line."""

    book_requested = Signal(str)  # the officer chose another book (or a restored one): the app reopens

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setWindowTitle(window_title(book_description(env.ctx)))
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setUniformItemSizes(True)
        self.nav.setSpacing(2)
        for i, (name, title) in enumerate(PAGES):
            item = QListWidgetItem(tr(title))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{tr(title)} (Ctrl+{i + 1})")
            self.nav.addItem(item)
        self.nav.setMinimumWidth(130)
        self.nav.setMaximumWidth(260)

        self.stack = QStackedWidget()
        self._slots: dict[str, QWidget] = {}
        for name, _title in PAGES:
            slot = QWidget()  # an empty holder: the page is built the first time it is shown
            slot.setLayout(QVBoxLayout())
            slot.layout().setContentsMargins(0, 0, 0, 0)
            self._slots[name] = slot
            self.stack.addWidget(slot)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([150, 1216])
        self.setCentralWidget(self.splitter)

        self.book_label = QLabel(f"{tr('Sổ đang dùng')}: {book_description(env.ctx)}")
        self.statusBar().addPermanentWidget(self.book_label)
        from . import record_status  # issue 14: who is logged in, the hash chain checked in the background

        record_status.attach(self)

        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav)
        self._restore()

    # -- menus ------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        from . import book_actions

        # the menu's words are the constants the advice for a damaged book names (ledger.advice: «Tệp → …»)
        menu_file = self.menuBar().addMenu(tr(FILE_MENU))
        self._add_actions(menu_file, (
            (tr(OPEN_ITEM), QKeySequence.StandardKey.Open,
             lambda: book_actions.open_other(self, self.book_requested.emit)),
            (tr("Sao lưu sổ…"), QKeySequence("Ctrl+B"), lambda: book_actions.backup_now(self, self.env)),
            (tr(RESTORE_ITEM), None,
             lambda: book_actions.restore(self, self.env, self.book_requested.emit)),
        ))
        menu_file.addSeparator()
        quit_action = QAction(tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        menu_file.addAction(quit_action)

        menu_view = self.menuBar().addMenu(tr("&Xem"))
        self.page_actions: list[QAction] = []
        for i, (name, title) in enumerate(PAGES):
            action = QAction(tr(title), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, n=name: self.show_page(n))
            menu_view.addAction(action)
            self.page_actions.append(action)

        self._add_actions(self.menuBar().addMenu(tr("&Sổ")), (
            (tr("Khóa sổ…"), None, self.show_closing),
            (tr("Kiểm tra tính toàn vẹn của sổ"), None, self.check_chain),
            (tr("Người dùng…"), None, self.show_users),
            (tr("Hai người duyệt…"), None, self.show_maker_checker),
        ))

        menu_help = self.menuBar().addMenu(tr("Trợ &giúp"))
        about = QAction(tr("Giới thiệu"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        menu_help.addAction(about)

    def _add_actions(self, menu, items) -> None:
        """Add to ``menu`` one action per (text, shortcut or None, slot) of ``items``, in order."""
        for text, shortcut, slot in items:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)

    def about_text(self) -> str:
        """The Giới thiệu box's text: version, licence and the components shipped with theirs."""
        return (f"<h3>fundapp {fundapp.__version__}</h3>"
                f"<p>{tr('Sổ cho vay của Quỹ hỗ trợ phát triển hợp tác xã')}</p>"
                f"<p>{tr('Giấy phép')}: MIT — {tr('các thành phần đi kèm và giấy phép của chúng')}: "
                f"THIRD-PARTY-NOTICES.md</p>"
                f"<p>{tr('Sổ đang dùng')}: {book_description(self.env.ctx)}</p>"
                f"<p>{tr('Nhật ký')}: {log_folder()}</p>")

    def check_chain(self) -> None:
        """Walk the book's hash chain now and say the result (issue 14)."""
        from .record_status import check_chain

        check_chain(self, announce=True)

    def show_users(self) -> None:
        """The users of the book: add, roles, disable (issue 14)."""
        from .users_dialog import UsersDialog

        UsersDialog(self.env.ctx, self).exec()

    def show_maker_checker(self) -> None:
        """Maker-checker switched on or off per action (issue 14)."""
        from .maker_checker_dialog import MakerCheckerDialog

        MakerCheckerDialog(self.env.ctx, self).exec()

    def show_closing(self) -> None:
        """The close-period dialog (issue 14)."""
        from .closing_dialog import ClosingDialog

        ClosingDialog(self.env.ctx, self).exec()
        self.env.changes.announce("loans", "book")

    def show_about(self) -> None:
        """Show the Giới thiệu box."""
        QMessageBox.about(self, tr("Giới thiệu"), self.about_text())

    # -- pages ------------------------------------------------------------------------------------
    def show_page(self, name: str) -> QWidget:
        """Show the page ``name`` (building it on first show) and return it."""
        row = PAGE_NAMES.index(name)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # → _on_nav
        else:
            self._on_nav(row)
        return self.pages[name]

    def page(self, name: str) -> QWidget:
        """The page ``name`` (a key of ``PAGES``), built and shown when it does not exist yet."""
        return self.pages.get(name) or self.show_page(name)

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        name, title = PAGES[row]
        if name not in self.pages:
            self.pages[name] = self._build_page(name, title)
            self._slots[name].layout().addWidget(self.pages[name])
        self.stack.setCurrentWidget(self._slots[name])
        self.env.qsettings.setValue("window/page", name)

    def _build_page(self, name: str, title: str) -> QWidget:
        try:
            page_class = page_class_of(name)
        except ImportError:  # a build that leaves a page out (its module or one it needs is missing)
            log.exception("page %s is not in this build", name)
            return Placeholder(tr(title), tr("Trang này chưa có trong phiên bản này."))
        try:
            page = page_class(self.env, self)
            page.setObjectName("page")
            page.refresh()
        except Exception as exc:  # a broken page must not take the window down with it
            log.exception("page %s failed to open", name)
            present_error(self, exc)
            return Placeholder(tr(title), tr("Không mở được trang này."))
        return page

    # -- layout remembered ------------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.env.qsettings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        last = s.value("window/page", "overview")
        self.show_page(last if last in PAGE_NAMES else "overview")

    def save_layout(self) -> None:
        """Save the window's geometry and state and every page's layout in QSettings."""
        s = self.env.qsettings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        for page in self.pages.values():
            save = getattr(page, "save_layout", None)
            if callable(save):
                save()
        s.sync()

    def close_question(self) -> str | None:
        """The question to ask before closing, or None when no job would be lost (reads for the screen are not)."""
        work = self.env.jobs.pending_work()
        if not work:
            return None
        doing = work[0].rstrip("…. ")
        return tr("{doing} — đóng cửa sổ sẽ hủy công việc. Đóng?").format(doing=doing)

    def closeEvent(self, event: QCloseEvent) -> None:
        question = self.close_question()
        if question is not None:
            if not confirm(self, tr("Đang có công việc chưa xong"), question, default_yes=False):
                event.ignore()  # the window and its job go on
                return
            log.info("window closed during a job: %s", question)
        self.env.jobs.cancel_all()  # a job that can stop stops; a write in progress finishes its transaction
        self.save_layout()
        if self.property("auto_backup"):
            from .book_actions import automatic_backup

            automatic_backup(self.env)
        super().closeEvent(event)
