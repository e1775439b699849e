"""Database and file errors of a unit of work turned, in one place, into the user's Vietnamese refusal.

Every unit of work (``Database.unit``/``read``) and the opening of a book pass their SQLAlchemy or OS
error through ``translate_error``; ``refusals`` is that wrapping as a context manager.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from fundapp.domain.messages import N_, by_front, msg

from .advice import RESTORE_IN_WINDOW, restore_on_command_line
from .errors import CONFLICT, BookBusy, BookUnavailable, DiskFull, StaleEdit, UserFacingError
from .urls import scrub

log = logging.getLogger("fundapp.ledger")


def translate_error(err: BaseException, where: str = "") -> UserFacingError | None:
    """The Vietnamese refusal for a database or file error, or None when it is not one we can word.

    Conflicts between users (a stale version, a unique or foreign-key clash, a serialization failure or
    deadlock) → StaleEdit; a SQLite write lock held too long → BookBusy; a full disk → DiskFull; a read-only,
    corrupt or unreachable book, or a server without
    the database the address names (3D000) → BookUnavailable. The detail is for the log (passwords scrubbed).
    """
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(err, StaleDataError):
        return StaleEdit(CONFLICT)
    orig = getattr(err, "orig", None) or err
    detail = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "disk is full" in detail or "no space left" in detail:
        return DiskFull(
            N_("Ổ đĩa đã đầy: không ghi được vào sổ, sổ vẫn giữ nguyên như trước. Giải phóng dung lượng ổ đĩa rồi "
               "thử lại."))
    if isinstance(err, IntegrityError):
        if sqlstate in ("23505", "23503") or "unique constraint" in detail or "foreign key" in detail:
            return StaleEdit(CONFLICT)
        return UserFacingError(
            N_("Sổ từ chối ghi dữ liệu này vì không hợp lệ; chưa ghi gì. Chi tiết đã ghi vào nhật ký."))
    if sqlstate in ("40001", "40P01", "55P03"):
        return StaleEdit(CONFLICT)
    if "database is locked" in detail or "database table is locked" in detail or "database is busy" in detail:
        return BookBusy(N_("Sổ đang bận: người khác đang ghi vào sổ, vui lòng thử lại sau ít giây; chưa ghi gì."))
    if "readonly database" in detail or "read-only" in detail:
        return BookUnavailable(
            msg("Sổ «{where}» chỉ đọc: không ghi được. Sao chép sổ vào thư mục có quyền ghi rồi mở bản sao đó.",
                where=where))
    if "malformed" in detail or "not a database" in detail:
        return BookUnavailable(by_front(
            msg("Tệp sổ «{where}» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất ({menu}).",
                where=where, menu=RESTORE_IN_WINDOW),
            msg("Tệp sổ «{where}» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất: {how}.",
                where=where, how=restore_on_command_line(Path(where)))))
    if "unable to open database" in detail:
        return BookUnavailable(msg("Không mở được tệp sổ «{where}»: kiểm tra thư mục và quyền truy cập.", where=where))
    if sqlstate in ("28P01", "28000") or "password authentication failed" in detail or "no password supplied" in detail:
        return BookUnavailable(
            msg("Máy chủ sổ «{where}» từ chối đăng nhập: sai tên người dùng hoặc mật khẩu. Kiểm tra lại tên người "
                "dùng và nhập lại mật khẩu.",
                where=where))
    if sqlstate == "3D000" or ('database "' in detail and "does not exist" in detail):
        # the server answered: the database the address names is not on it (psycopg gives no sqlstate when the
        # connection is refused, only the server's text: FATAL: database "x" does not exist)
        return BookUnavailable(
            msg("Máy chủ sổ «{where}» đã trả lời nhưng không có cơ sở dữ liệu này: kiểm tra tên cơ sở dữ liệu "
                "(phần sau dấu / cuối của địa chỉ) hoặc nhờ quản trị tạo nó trên máy chủ; chưa ghi gì.",
                where=where))
    if connection_lost(err):
        return BookUnavailable(
            msg("Không kết nối được tới máy chủ sổ «{where}»: kiểm tra mạng, địa chỉ và máy chủ rồi thử lại; chưa "
                "ghi gì.",
                where=where))
    return None



def connection_lost(err: BaseException) -> bool:
    """Whether ``err`` is the server gone or unreachable (a lost or refused connection), not a refusal of the SQL."""
    from sqlalchemy.exc import DBAPIError

    orig = getattr(err, "orig", None) or err
    return isinstance(err, DBAPIError) and (err.connection_invalidated
                                            or (getattr(orig, "sqlstate", None) or "").startswith("08")
                                            or type(orig).__name__ == "OperationalError")


@contextmanager
def refusals(where: str, what: str) -> Iterator[None]:
    """Run the block; a database or file error it raises that ``translate_error`` can word leaves as that
    UserFacingError (``from`` the original), its first line logged as "``what`` refused on ``where``" with
    passwords scrubbed. A UserFacingError passes as is; an error we cannot word is re-raised unchanged."""
    try:
        yield
    except UserFacingError:
        raise
    except (SQLAlchemyError, OSError) as err:
        mapped = translate_error(err, where)
        if mapped is None:
            raise
        log.warning("%s refused on %s: %s", what, where, scrub(str(err)).splitlines()[0])
        raise mapped from err
