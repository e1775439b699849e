"""Starting the GUI: QApplication, the translator, the book, the main window.

Nothing heavy is imported here: reportlab and openpyxl load when a document is made.
"""

from __future__ import annotations

import argparse
import logging
import sys

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from fundapp.app import open_book
from fundapp.services.portfolio import Context

from .env import Changes, UiEnv
from .i18n import install_qt_translator, set_language, tr
from .jobs import JobRunner
from .main_window import MainWindow

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


def main(argv: list[str] | None = None) -> int:
    """Run the GUI; returns the exit code."""
    argv = list(sys.argv if argv is None else argv)
    args, qt_args = _parse(argv[1:])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = QApplication.instance() or QApplication([argv[0] if argv else "fundapp", *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    try:
        ctx = open_book(args.db, user=args.user)
        # start-up, before any window: the chosen language decides every text built after it
        from fundapp.services.settings import load_settings

        set_language(load_settings(ctx).language)
    except Exception as exc:
        QMessageBox.critical(None, tr("Không mở được sổ"), f"{tr('Không mở được sổ')}: {exc}")
        return 1
    window = create_window(ctx, QSettings())
    window.show()
    return app.exec()
