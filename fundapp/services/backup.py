"""Backups of the book: on demand and on exit (keeping the last 10), and a checked restore."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from fundapp.domain.messages import N_, msg
from fundapp.ledger import backup as raw
from fundapp.ledger.advice import AUTOMATIC, BACKUP_FOLDER, MANUAL
from fundapp.ledger.booklock import holder_text
from fundapp.ledger.db import HEAD, known_revisions

from .context import Context
from .errors import BookInUse, DiskFull, UserFacingError
from .rights import forget_book_has_users
from .verify import stop_checks_aside

KEEP = 10


def _book_file(ctx: Context) -> Path:
    path = raw.sqlite_path(ctx.db.engine)
    if path is None:
        raise UserFacingError(
            N_("Sổ dùng chung trên máy chủ PostgreSQL được sao lưu bằng công cụ của máy chủ (pg_dump), không sao "
               "lưu từ phần mềm"))
    return path


def book_holders(ctx: Context) -> list[str]:
    """Which other processes have this SQLite book open, in words («canbo1 trên máy KT-02 (tiến trình 4312) từ …»);
    [] for a server book. This process's other windows on the book do not count."""
    import os
    import socket

    here = (socket.gethostname(), os.getpid())
    return [holder_text(h) for h in ctx.db.other_holders() if (h["host"], h["pid"]) != here]


def backup_folder(ctx: Context) -> Path:
    """Backups live beside the book, in a "backups" folder (``ledger.advice.BACKUP_FOLDER``, where the command line's
    advice for a damaged book looks for them)."""
    return _book_file(ctx).parent / BACKUP_FOLDER


def make_backup(ctx: Context, folder: Path | None = None, automatic: bool = False) -> Path:
    """A consistent copy of the open book with a timestamped name; automatic copies keep the last 10."""
    book = _book_file(ctx)
    folder = Path(folder) if folder else backup_folder(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    prefix = AUTOMATIC if automatic else MANUAL
    target = folder / f"{book.stem}-{prefix}-{stamp}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{book.stem}-{prefix}-{stamp}-{n}.sqlite"
    try:
        raw.copy_to(ctx.db.engine, target)
    except (OSError, sqlite3.Error) as err:
        target.unlink(missing_ok=True)
        if "full" in str(err).lower() or getattr(err, "errno", None) == 28:
            raise DiskFull(
                msg("Ổ đĩa đầy: không sao lưu được vào «{folder}»; sổ không bị thay đổi. Giải phóng dung lượng "
                    "hoặc chọn thư mục khác.",
                    folder=folder)) from None
        raise UserFacingError(
            msg("Không sao lưu được vào «{folder}»: kiểm tra thư mục và quyền ghi; sổ không bị thay đổi.",
                folder=folder)) from None
    if automatic:
        for old in sorted(folder.glob(f"{book.stem}-{AUTOMATIC}-*.sqlite"))[:-KEEP]:
            old.unlink()
    return target


def check_backup(path: Path) -> str:
    """Refuse a file that is not a sound fundapp book of this or an older version; returns its revision."""
    try:
        integrity, revision = raw.check_file(path)
    except sqlite3.DatabaseError:
        raise UserFacingError(msg("«{name}» không phải tệp sổ SQLite", name=path.name)) from None
    if integrity != "ok":
        raise UserFacingError(
            msg("Tệp «{name}» bị hỏng (kiểm tra toàn vẹn: {integrity})",
                name=path.name, integrity=integrity))
    if revision is None:
        raise UserFacingError(msg("«{name}» không phải sổ của fundapp", name=path.name))
    if revision != HEAD and revision not in known_revisions():
        raise UserFacingError(
            msg("«{name}» được tạo bởi phiên bản fundapp mới hơn: hãy cập nhật phần mềm",
                name=path.name))
    return revision


def restore_backup(ctx: Context, path: Path) -> Path:
    """Replace the book's file by a checked backup, keeping a copy of the book it replaces; returns that copy.

    The caller closes every window on the book first and opens it again after (it is upgraded then). A start-up
    check of the chain running aside is stopped first (``verify.stop_checks_aside``). Refused (BookInUse) while another process has the book open: it would write its pages back over the
    restored file.
    """
    book = _book_file(ctx)
    check_backup(Path(path))
    others = ctx.db.other_holders()
    if others:
        who = "; ".join(holder_text(h) for h in others)
        raise BookInUse(
            msg("Không khôi phục được: sổ đang được mở bởi {who}. Đóng sổ ở đó (hoặc chờ lệnh đang chạy xong) rồi "
                "khôi phục lại.",
                who=who),
            holders=others)
    kept = make_backup(ctx)  # the book being replaced
    stop_checks_aside()  # the window's start-up check reads the book from a process of its own
    ctx.db.dispose()
    for suffix in ("-wal", "-shm"):
        side = book.with_name(book.name + suffix)
        if side.exists():
            side.unlink()
    shutil.copyfile(path, book)
    forget_book_has_users(ctx)  # the restored book may have no user yet
    return kept
