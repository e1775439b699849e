"""A SQLite book file before anything is written into it: what it is, whether it is sound, and its creation.

``inspect_file`` refuses a folder, an unreadable or foreign file, a half-created, corrupt or newer book
with a Vietnamese ``BookUnavailable``; ``quick_check`` is the same soundness check run later, in the
background, on a large book; ``create_atomically`` builds a new book in a temporary file and moves it
into place, so a crash never leaves half a book.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path

from fundapp.domain.messages import N_, Message, by_front, msg

from .advice import RESTORE_IN_WINDOW, details_logged, restore_on_command_line
from .booklock import pid_alive
from .engine import make_engine
from .errors import BookUnavailable
from .peek import read_only
from .upgrade import HEAD, known_revisions, newer_book, upgrade

SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_AT_OPEN = 64 * 1024 * 1024  # bytes: ~0.2 s of quick_check; above it the check runs in the background
log = logging.getLogger("fundapp.ledger")


def quick_check(path: Path) -> str | None:
    """``PRAGMA quick_check`` of the SQLite file at ``path`` on its own read-only connection.

    Returns None when sound, else the corruption message in Vietnamese (what to do included); never raises
    for a damaged file. Slow on a large book (every page is read): run it off the GUI thread.
    """
    try:
        conn = read_only(path)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        check = str(err)
    if check == "ok":
        return None
    log.warning("book %s fails quick_check: %s", path, check)
    return corrupt_book(path, check).message

def inspect_file(path: Path) -> str | None:
    """Check an existing SQLite book file without writing to it; returns its revision (None: an empty SQLite file).

    Raises BookUnavailable (Vietnamese, with what to do) for a folder, an unreadable file, a file that is not
    SQLite, another program's SQLite file, a book left half-created, a corrupt one, or one of a newer version.
    """
    name = path.name
    if path.is_dir():
        raise BookUnavailable(
            msg("«{path}» là một thư mục, không phải tệp sổ: chọn tệp sổ (.sqlite) bên trong nó",
                path=path))
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as err:
        raise BookUnavailable(
            msg("Không đọc được tệp sổ «{name}» ({reason}): kiểm tra quyền truy cập tệp",
                name=name, reason=os_reason(err))) from None
    if not head.startswith(SQLITE_MAGIC):
        raise BookUnavailable(by_front(
            msg("«{name}» không phải tệp sổ fundapp (không phải tệp SQLite): chọn đúng tệp sổ, hoặc khôi phục sổ "
                "từ một bản sao lưu ({menu})",
                name=name, menu=RESTORE_IN_WINDOW),
            msg("«{name}» không phải tệp sổ fundapp (không phải tệp SQLite): ghi đúng đường dẫn tệp sổ sau --db "
                "(hoặc trong FUNDAPP_DB); nếu đây là tệp sổ đã bị ghi đè thì khôi phục sổ từ bản sao lưu: {how}",
                name=name, how=restore_on_command_line(path))))
    try:
        conn = read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # quick_check reads every page (a 1 GB book: seconds): at open only for a book up to
            # QUICK_CHECK_AT_OPEN bytes; a larger one is checked after the window shows (Database.quick_check
            # in the background check of services.verify). The schema read above already needs a sound header.
            small = path.stat().st_size <= QUICK_CHECK_AT_OPEN
            check = conn.execute("PRAGMA quick_check").fetchone()[0] if small else "ok"
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        log.warning("book %s cannot be read: %s", path, err)
        raise corrupt_book(path, str(err)) from None
    if check != "ok":
        log.warning("book %s fails quick_check: %s", path, check)
        raise corrupt_book(path, check)
    tables.discard("sqlite_sequence")
    if revision is None and "alembic_version" not in tables and tables:
        raise BookUnavailable(
            msg("«{name}» là tệp dữ liệu của một chương trình khác, không phải sổ fundapp; fundapp không ghi gì "
                "vào tệp này. Chọn tệp sổ khác, hoặc tạo sổ mới ở một tệp mới.",
                name=name))
    if revision is None and tables - {"alembic_version"}:
        raise BookUnavailable(
            msg("Sổ «{name}» được tạo dở dang (bị ngắt khi đang tạo) nên không dùng được: khôi phục từ bản sao "
                "lưu, hoặc xóa tệp này rồi mở lại để tạo sổ mới.",
                name=name))
    if revision is not None and revision != HEAD and revision not in known_revisions():
        raise newer_book(name, revision)
    return revision


def corrupt_book(path: Path, detail: str) -> BookUnavailable:
    """The refusal of a damaged book file ``path``: restore from the latest backup — in the window from its menu
    (``advice.RESTORE_IN_WINDOW``), on the command line by hand from what is beside the book
    (``advice.restore_on_command_line``) — the details being in the log file named (``advice.details_logged``).
    ``detail`` (SQLite's words) is for the caller's log line, never shown."""
    logged = details_logged()
    return BookUnavailable(by_front(
        msg("Tệp sổ «{name}» bị hỏng hoặc không đầy đủ nên không mở được: khôi phục sổ từ bản sao lưu gần nhất "
            "({menu}); {logged}.",
            name=path.name, menu=RESTORE_IN_WINDOW, logged=logged),
        msg("Tệp sổ «{name}» bị hỏng hoặc không đầy đủ nên không mở được: khôi phục sổ từ bản sao lưu gần nhất: "
            "{how}; {logged}.",
            name=path.name, how=restore_on_command_line(path), logged=logged)))


def os_reason(err: OSError) -> Message:
    """A file system error in a few words ("ổ đĩa đã đầy", "không có quyền", …) for a message (a ``Message``,
    shown in the officer's language)."""
    return msg({errno.ENOSPC: N_("ổ đĩa đã đầy"), errno.EACCES: N_("không có quyền"), errno.EPERM: N_("không có quyền"),
                errno.EROFS: N_("ổ đĩa chỉ đọc"), errno.ENOENT: N_("không tìm thấy")}.get(err.errno or 0,
                                                                                   N_("lỗi hệ thống tệp")))


def check_writable(path: Path) -> None:
    """Raise BookUnavailable ("chỉ đọc", with what to do) when the book file or its folder cannot be written."""
    folder = path.parent
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK) or not os.access(folder, os.W_OK):
        raise BookUnavailable(
            msg("Không ghi được vào «{path}»: tệp hoặc thư mục chỉ đọc (không có quyền ghi). Sao chép sổ vào một "
                "thư mục có quyền ghi (ví dụ Tài liệu) rồi mở bản sao đó.",
                path=path))


def create_atomically(path: Path) -> None:
    """Build a new book in a temporary file beside ``path`` and move it into place (never half a book)."""
    folder = path.parent
    for stale in folder.glob(f".{path.name}.tao-moi-*.tmp"):
        pid = stale.name.rsplit("-", 1)[-1].removesuffix(".tmp")
        # ASCII digits, a process id's length: «²» is a digit to str.isdigit() and int() then raises
        if pid.isascii() and pid.isdigit() and len(pid) < 12 and not pid_alive(int(pid)):
            for side in (stale, stale.with_name(stale.name + "-wal"), stale.with_name(stale.name + "-shm")):
                side.unlink(missing_ok=True)
    tmp = folder / f".{path.name}.tao-moi-{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    try:
        if path.exists() and path.stat().st_size == 0:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # never over a book another process created meanwhile
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
    finally:
        for side in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            side.unlink(missing_ok=True)

