"""What the officer is told to do with a book that will not open: the window's menu, the command line's files.

The window restores a book from its menu: ``RESTORE_IN_WINDOW`` names that menu item from the very constants the
window builds it with (``FILE_MENU``, ``RESTORE_ITEM``), so the advice and the menu cannot drift apart. The command
line has no restore command: ``restore_on_command_line`` says how to do it by hand with what is really beside the
book — the newest backup the window made in ``BACKUP_FOLDER``, or, when there is none (a book only ever used from
the command line has no such folder), the fund's own copy. ``details_logged`` names the log file the details went to.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from fundapp.domain.messages import N_, Message, menu_path, msg

FILE_MENU = N_("&Tệp")  # the window's menus (ui.main_window builds them from these)
OPEN_ITEM = N_("Mở sổ khác…")
RESTORE_ITEM = N_("Khôi phục từ bản sao lưu…")
RESTORE_IN_WINDOW = menu_path(FILE_MENU, RESTORE_ITEM)  # «Tệp → Khôi phục từ bản sao lưu…»
OPEN_IN_WINDOW = menu_path(FILE_MENU, OPEN_ITEM)

BACKUP_FOLDER = "backups"  # beside the book (services.backup.backup_folder)
MANUAL, AUTOMATIC = "sao-luu", "tu-dong"  # a backup's name: {book stem}-{kind}-{YYYYmmdd-HHMMSS}[-n].sqlite


def backups_beside(book: Path) -> list[Path]:
    """The backups of the SQLite book file ``book`` in ``BACKUP_FOLDER`` beside it, newest first (by the time in
    their names, as services.backup names them); [] when the folder is missing, unreadable or holds none."""
    pattern = re.compile(rf"{re.escape(book.stem)}-(?:{MANUAL}|{AUTOMATIC})-(\d{{8}}-\d{{6}})(?:-(\d+))?\.sqlite")
    found = []
    try:
        for path in (book.parent / BACKUP_FOLDER).iterdir():
            match = pattern.fullmatch(path.name)
            if match and path.is_file():
                found.append(((match[1], int(match[2] or 1)), path))
    except OSError:
        return []
    return [path for _key, path in sorted(found, reverse=True)]


def restore_on_command_line(book: Path) -> Message:
    """The window's restore done by hand, for the command line, worded from what is beside ``book`` now: rename the
    damaged file, copy the newest backup (named) in its place; with no backup beside it, say so and name the fund's
    own copy instead. A clause to follow «khôi phục sổ từ bản sao lưu gần nhất:»."""
    backups = backups_beside(book)
    if backups:
        return msg("đổi tên tệp «{name}» (giữ lại để đối chiếu), chép bản sao lưu mới nhất «{backup}» thành «{book}» "
                   "rồi chạy lại lệnh",
                   name=book.name, backup=str(backups[0]), book=str(book))
    folder = book.parent / BACKUP_FOLDER
    none = (msg("thư mục sao lưu «{folder}» không có bản sao lưu nào của sổ này", folder=str(folder)) if folder.is_dir()
            else msg("cạnh sổ không có thư mục sao lưu «{folder}»", folder=str(folder)))
    return msg("{none} (chỉ cửa sổ fundapp tự sao lưu sổ, các lệnh thì không); đổi tên tệp «{name}» (giữ lại để đối "
               "chiếu), chép bản sao sổ mà Quỹ tự giữ (USB, máy khác…) thành «{book}» rồi chạy lại lệnh",
               none=none, name=book.name, book=str(book))


def details_logged() -> Message:
    """«chi tiết đã ghi vào nhật ký «…/fundapp.log»»: the file the program logs to (the rotated file
    fundapp.app.setup_logging puts on the root logger); without one, the clause without a path."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler):
            return msg("chi tiết đã ghi vào nhật ký «{log}»", log=handler.baseFilename)
    return msg(N_("chi tiết đã ghi vào nhật ký"))
