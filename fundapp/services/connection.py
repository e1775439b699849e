"""Checking a book's address before using it: open it without migrating, ask the server for one row."""

from __future__ import annotations

from fundapp.domain.messages import N_, msg
from fundapp.ledger.db import Database, current_revision, default_book_path, resolve_url, scrub

from .errors import UserFacingError

__all__ = ["create_book", "default_book_path", "test_connection"]


def test_connection(url: str) -> str:
    """Open ``url`` (a SQLAlchemy URL or a SQLite file path) without migrating, run ``SELECT 1`` and say what
    answered: "Kết nối được: PostgreSQL 15.4 — canbo@192.168.1.10:5432/quyhtx — sổ fundapp đã có".

    The password is never shown. Raises UserFacingError (Vietnamese) for an empty or malformed address, a
    missing driver, or a server that cannot be reached or refuses the login. Nothing is changed in the book.
    """
    url = url.strip()
    if not url:
        raise UserFacingError(N_("Nhập địa chỉ máy chủ, ví dụ postgresql+psycopg://canbo:matkhau@192.168.1.10/quyhtx"))
    from .credentials import complete_url

    try:
        url = complete_url(resolve_url(url))
        db = Database(url, migrate=False)
        where = db.where  # the address as opened, its driver named
    except UserFacingError:
        raise
    except Exception as err:  # a malformed URL or a missing driver
        raise UserFacingError(msg("Địa chỉ sổ không hợp lệ: {detail}", detail=_first_line(err))) from None
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar()
            version = ".".join(str(v) for v in (conn.dialect.server_version_info or ()))
            dialect = conn.dialect.name
        revision = current_revision(db.engine)
    except Exception as err:
        raise UserFacingError(
            msg("Không kết nối được tới «{where}»: {detail}. Kiểm tra máy chủ, cổng, tên người dùng và mật khẩu.",
                where=where, detail=_first_line(err))) from None
    finally:
        db.dispose()
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(dialect, dialect)
    state = msg("sổ fundapp đã có") if revision else msg("chưa có sổ: sẽ được tạo khi mở")
    return str(msg("Kết nối được: {name} {version} — {where} — {state}", name=name, version=version, where=where,
                   state=state))


def _first_line(err: Exception) -> str:
    """The first line of a driver's error, with any password of a URL masked (never shown nor logged)."""
    text = scrub(str(getattr(err, "orig", None) or err).strip())
    return text.splitlines()[0] if text else type(err).__name__


def create_book(db: str, settings) -> str:
    """Create (or upgrade) the book named by ``db`` and store the fund's settings in it; returns its URL."""
    from .context import Context
    from .settings import save_settings

    url = resolve_url(db)
    database = Database(url)
    try:
        save_settings(Context(database, "setup"), settings)
    finally:
        database.dispose()
    return url
