"""Database and file errors of a unit of work turned, in one place, into the user's Vietnamese refusal.

Every unit of work (``Database.unit``/``read``) and the opening of a book pass their SQLAlchemy or OS
error through ``translate_error``; ``refusals`` is that wrapping as a context manager.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from .errors import CONFLICT_EN, CONFLICT_VI, BookBusy, BookUnavailable, DiskFull, StaleEdit, UserFacingError
from .urls import scrub

log = logging.getLogger("fundapp.ledger")


def translate_error(err: BaseException, where: str = "") -> UserFacingError | None:
    """The Vietnamese refusal for a database or file error, or None when it is not one we can word.

    Conflicts between users (a stale version, a unique or foreign-key clash, a serialization failure or
    deadlock) → StaleEdit; a SQLite write lock held too long → BookBusy; a full disk → DiskFull; a read-only,
    corrupt or unreachable book → BookUnavailable. The detail is for the log (passwords scrubbed).
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(err, StaleDataError):
        return StaleEdit(CONFLICT_VI, CONFLICT_EN)
    orig = getattr(err, "orig", None) or err
    msg = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "disk is full" in msg or "no space left" in msg:
        return DiskFull("Ổ đĩa đã đầy: không ghi được vào sổ, sổ vẫn giữ nguyên như trước. Giải phóng dung lượng ổ "
                        "đĩa rồi thử lại.", "disk full: nothing written, the book is as it was")
    if isinstance(err, IntegrityError):
        if sqlstate in ("23505", "23503") or "unique constraint" in msg or "foreign key" in msg:
            return StaleEdit(CONFLICT_VI, CONFLICT_EN)
        return UserFacingError("Sổ từ chối ghi dữ liệu này vì không hợp lệ; chưa ghi gì. Chi tiết đã ghi vào nhật ký.",
                               "the book refused invalid data; nothing written")
    if sqlstate in ("40001", "40P01", "55P03"):
        return StaleEdit(CONFLICT_VI, CONFLICT_EN)
    if "database is locked" in msg or "database table is locked" in msg or "database is busy" in msg:
        return BookBusy("Sổ đang bận: người khác đang ghi vào sổ, vui lòng thử lại sau ít giây; chưa ghi gì.",
                        "the book is busy: someone else is writing, please try again; nothing written")
    if "readonly database" in msg or "read-only" in msg:
        return BookUnavailable(f"Sổ «{where}» chỉ đọc: không ghi được. Sao chép sổ vào thư mục có quyền ghi rồi mở "
                               "bản sao đó.", f"{where} is read-only")
    if "malformed" in msg or "not a database" in msg:
        return BookUnavailable(f"Tệp sổ «{where}» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất (Tệp → Khôi phục sổ).",
                               f"{where} is damaged")
    if "unable to open database" in msg:
        return BookUnavailable(f"Không mở được tệp sổ «{where}»: kiểm tra thư mục và quyền truy cập.",
                               f"cannot open {where}")
    if sqlstate in ("28P01", "28000") or "password authentication failed" in msg or "no password supplied" in msg:
        return BookUnavailable(f"Máy chủ sổ «{where}» từ chối đăng nhập: sai tên người dùng hoặc mật khẩu. Kiểm tra "
                               "lại tên người dùng và nhập lại mật khẩu.", f"{where} refused the login")
    if isinstance(err, DBAPIError) and (err.connection_invalidated or sqlstate.startswith("08")
                                        or type(orig).__name__ == "OperationalError"):
        return BookUnavailable(f"Không kết nối được tới máy chủ sổ «{where}»: kiểm tra mạng, địa chỉ và máy chủ rồi "
                               "thử lại; chưa ghi gì.", f"cannot reach the server {where}; nothing written")
    return None



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
