"""File menu actions on the book itself: back up, restore from a backup, open another book."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from fundapp.services.errors import UserFacingError

from .errors import present_error
from .i18n import tr
from .messages import confirm, inform

log = logging.getLogger("fundapp.ui")


def backup_now(parent: QWidget, env) -> None:
    """File → Backup: a consistent copy while the book is open, with a timestamped name."""
    from fundapp.services.backup import backup_folder, make_backup

    try:
        start = str(backup_folder(env.ctx))
    except UserFacingError as err:
        present_error(parent, err)
        return
    folder = QFileDialog.getExistingDirectory(parent, tr("Chọn thư mục lưu bản sao"), start)
    if not folder:
        return
    env.jobs.run(lambda control: make_backup(env.ctx, Path(folder)),
                 lambda path: inform(parent, tr("Sao lưu sổ"), f"{tr('Đã sao lưu sổ vào')}\n{path}"),
                 parent=parent, label=tr("Đang sao lưu sổ…"))


def restore(parent: QWidget, env, reopen) -> None:
    """File → Restore: pick a backup, check it, confirm, keep a copy of the current book, replace, reopen."""
    from fundapp.services.backup import backup_folder, restore_backup

    try:
        start = str(backup_folder(env.ctx))
    except UserFacingError as err:
        present_error(parent, err)
        return
    path = _pick_book_file(parent, tr("Chọn bản sao lưu"), start, tr("Sổ fundapp (*.sqlite)"))
    if path is None:
        return
    if not confirm(parent, tr("Khôi phục sổ"),
                   tr("Sổ đang dùng sẽ được thay bằng bản sao lưu đã chọn. Một bản sao của sổ hiện tại được giữ lại "
                      "trong thư mục sao lưu. Tiếp tục?"), default_yes=False):
        return
    env.jobs.wait()
    try:
        kept = restore_backup(env.ctx, Path(path))
    except Exception as exc:  # the presenter tells the officer; the book file is untouched before the copy
        present_error(parent, exc)
        return
    log.info("book restored from %s; replaced book kept at %s", path, kept)
    inform(parent, tr("Khôi phục sổ"), f"{tr('Đã khôi phục. Sổ cũ được giữ tại')}\n{kept}")
    reopen(env.ctx.db.url)


def open_other(parent: QWidget, reopen) -> None:
    """File → Open another book: a SQLite file (a server book is chosen in Settings or at first start)."""
    path = _pick_book_file(parent, tr("Mở tệp sổ"), "", tr("Sổ fundapp (*.sqlite);;Mọi tệp (*)"))
    if path is not None:
        reopen(str(path))


def _pick_book_file(parent: QWidget, title: str, start: str, file_filter: str) -> Path | None:
    """A file the officer picks that is a sound fundapp book (integrity, version); None if cancelled or refused."""
    from fundapp.services.backup import check_backup

    path, _ = QFileDialog.getOpenFileName(parent, title, start, file_filter)
    if not path:
        return None
    try:
        check_backup(Path(path))
    except UserFacingError as err:
        present_error(parent, err)
        return None
    return Path(path)


def automatic_backup(env) -> None:
    """On exit: a copy in the book's backups folder, keeping the last 10 (SQLite books only)."""
    from fundapp.services.backup import make_backup

    if env.ctx.db.dialect != "sqlite":
        return
    try:
        env.jobs.wait()
        make_backup(env.ctx, automatic=True)
    except Exception:  # a failed backup must not stop the officer from closing
        log.exception("automatic backup failed")
