"""Starting the GUI: QApplication, the translator, the book, the main window.

Nothing heavy is imported here: reportlab and openpyxl load when a document is made.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from fundapp.app import book_where, open_book
from fundapp.services.context import Context

from .env import Changes, UiEnv
from .i18n import install_qt_translator, set_language, tr
from .jobs import JobRunner
from .main_window import MainWindow
from .messages import confirm, inform

ORGANIZATION = "fundapp"
APPLICATION = "fundapp"


def create_window(ctx: Context, qsettings: QSettings) -> MainWindow:
    """The main window over the book ``ctx`` (tests pass their own QSettings)."""
    app = QApplication.instance()
    if app is not None and not app.property("fundapp_translator"):
        install_qt_translator(app)  # Qt's own buttons read Đồng ý/Hủy/Có/Không
        app.setProperty("fundapp_translator", True)
    env = UiEnv(ctx=ctx, jobs=JobRunner(), changes=Changes(), qsettings=qsettings)
    window = MainWindow(env)
    env.jobs.setParent(window)
    env.changes.setParent(window)
    return window


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="fundapp-gui", description=tr("Sổ cho vay của Quỹ hỗ trợ phát triển hợp tác xã"))
    parser.add_argument("--db", help=tr("tệp sổ SQLite hoặc URL (postgresql+psycopg://…)"))
    parser.add_argument("--user", help=tr("tên cán bộ ghi sổ"))
    return parser.parse_known_args(argv)  # the rest is Qt's (-style, -platform …)


def choose_book(args_db: str | None, qsettings: QSettings) -> str | None:
    """The book to open: --db, FUNDAPP_DB, the last one used, the default file, or the first-run wizard."""
    from .wizard import FirstRunWizard, default_book

    for candidate in (args_db, os.environ.get("FUNDAPP_DB"), qsettings.value("book/last", "")):
        if candidate:
            return str(candidate)
    if default_book().exists():
        return str(default_book())
    wizard = FirstRunWizard()
    return wizard.book if wizard.exec() == QDialog.DialogCode.Accepted else None


def _install_excepthook() -> None:
    """An unexpected exception: logged with its traceback and shown once, never a silent failure."""
    from .errors import present_error

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        logging.getLogger("fundapp").error("unhandled exception", exc_info=(exc_type, exc, tb))
        present_error(QApplication.activeWindow(), exc.with_traceback(tb))

    sys.excepthook = hook


class _Session:
    """Keeps the open window; reopens on another book when the officer asks (File menu, restore)."""

    def __init__(self, qsettings: QSettings, user: str | None) -> None:
        self.qsettings, self.user, self.window = qsettings, user, None

    @staticmethod
    def ask_fund_name(ctx: Context, book: str) -> bool:
        """A book without the fund's name (``--db new.sqlite``): the first-run wizard's fund page before the window,
        so the first document prints the fund's own name and province. True when the book holds them afterwards."""
        from fundapp.app import book_description
        from fundapp.services.settings import fund_named

        from .wizard import FundNameDialog

        if fund_named(ctx):
            return True
        return FundNameDialog(ctx, book_description(ctx)).exec() == QDialog.DialogCode.Accepted  # no password

    def open(self, book: str, take_over: bool = False) -> bool:
        """Open ``book`` (a path or a URL) in a new window. A server password comes from the credential store or
        is asked for; a lock of another computer is offered to be taken over; a refusal is shown in Vietnamese
        (never the password, never library text) and the detail logged."""
        from fundapp.services.credentials import PasswordNeeded, complete_url, remember_password, with_password
        from fundapp.services.errors import BookInUse, UserFacingError

        try:
            url = complete_url(book, ask=True)
        except PasswordNeeded as need:
            from PySide6.QtWidgets import QInputDialog, QLineEdit

            password, ok = QInputDialog.getText(None, tr("Mật khẩu máy chủ"), f"{need.message}",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return False
            url = with_password(need.url, password)
        try:
            ctx = open_book(url, user=self.user, take_over=take_over)
            from fundapp.services.settings import load_settings

            set_language(load_settings(ctx).language)  # before any window: every text is built after it
        except BookInUse as exc:
            # Enter answers Không: taking over a book another computer still writes to loses its work
            return confirm(None, tr("Sổ đang được dùng"), f"{exc.message}\n\n"
                           + tr("Tiếp quản sổ (chỉ khi máy kia đã tắt hoặc bị treo)?"), default_yes=False) \
                and self.open(url, take_over=True)
        except Exception as exc:
            where = book_where(url)
            logging.getLogger("fundapp").exception("cannot open %s", where)
            text = exc.message if isinstance(exc, UserFacingError) else tr(
                "Đã xảy ra lỗi không mong muốn. Dữ liệu chưa được ghi. Chi tiết đã được ghi vào nhật ký; "
                "hãy gửi tệp nhật ký cho bộ phận hỗ trợ.")
            inform(None, tr("Không mở được sổ"), f"{tr('Không mở được sổ')} {where}:\n{text}", level="critical")
            return False
        book = remember_password(url)  # settings, titles and logs hold the URL without its password
        from fundapp.services.backup import book_holders

        holders = book_holders(ctx)  # SQLite: other processes that have this book open (they may write meanwhile)
        if holders:
            inform(None, tr("Sổ đang được mở ở nơi khác"), tr("Sổ này cũng đang được mở bởi:") + "\n" + "\n".join(holders))
        from .login import log_in

        logged = log_in(ctx, book_where(url))  # a book with users: the login dialog (issue 14)
        if logged is None:
            ctx.db.dispose()
            return False
        ctx = logged
        named = self.ask_fund_name(ctx, book)
        old, self.window = self.window, create_window(ctx, self.qsettings)
        self.window.env.fund_named = named
        self.window.setProperty("auto_backup", True)
        self.window.book_requested.connect(self.open)
        self.qsettings.setValue("book/last", book)
        self.window.show()
        if old is not None:
            old.close()
            old.env.ctx.db.dispose()
        return True


def main(argv: list[str] | None = None) -> int:
    """Run the GUI; returns the exit code."""
    from fundapp.app import log_unraisable, setup_logging

    argv = list(sys.argv if argv is None else argv)
    args, qt_args = _parse(argv[1:])
    log_file = setup_logging()
    app = QApplication.instance() or QApplication([argv[0] if argv else "fundapp", *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    install_qt_translator(app)
    app.setProperty("fundapp_translator", True)
    _install_excepthook()
    log_unraisable()
    logging.getLogger("fundapp").info("fundapp starting; log in %s", log_file)
    qsettings = QSettings()
    book = choose_book(args.db, qsettings)
    if book is None:
        return 0
    session = _Session(qsettings, args.user)
    if not session.open(book):
        qsettings.remove("book/last")  # next start asks again
        return 1
    if os.environ.get("FUNDAPP_EXIT_WHEN_READY"):  # benchmarks/bench_gui_start.py: quit once usable
        _quit_when_ready(app, session.window, os.environ["FUNDAPP_EXIT_WHEN_READY"] == "all")
    return app.exec()


def _quit_when_ready(app: QApplication, window, everything: bool) -> None:
    """Quit when the first page shows its figures (a page may say so early), or when every job is done."""
    def check() -> None:
        page = window.stack.currentWidget().findChild(QWidget, "page") or window.stack.currentWidget()
        shown = getattr(page, "figures_shown", False) and not everything
        if window.isVisible() and (shown or not window.env.jobs.busy):
            import time

            # seconds since the benchmark started the process; exit work (backup on exit) is not start-up
            print(f"ready {time.time() - float(os.environ.get('FUNDAPP_BENCH_T0', '0')):.3f}", flush=True)
            os._exit(0)
        else:
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)
