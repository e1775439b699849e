"""Trying a book before using it: a PostgreSQL URL ("test connection") or a SQLite file."""

from __future__ import annotations

from fundapp.ledger.db import Database, current_revision, default_book_path, describe, resolve_url

__all__ = ["create_book", "default_book_path", "test_connection"]

from .errors import UserFacingError


def test_connection(url: str) -> str:
    """Open ``url`` without changing anything, run a query, and describe the server; Vietnamese error if it fails."""
    url = url.strip()
    if not url:
        raise UserFacingError("Nhập địa chỉ máy chủ, ví dụ postgresql+psycopg://canbo:matkhau@192.168.1.10/quyhtx",
                              "empty URL")
    try:
        db = Database(resolve_url(url), migrate=False)
    except Exception as exc:
        raise UserFacingError(f"Địa chỉ sổ không hợp lệ: {exc}", f"bad URL: {exc}") from None
    try:
        revision = current_revision(db.engine)
        version = db.server_version()
    except Exception as exc:
        raise UserFacingError(f"Không kết nối được tới {describe(db.url)}: {str(exc).splitlines()[0]}",
                              f"cannot connect: {exc}") from None
    finally:
        db.dispose()
    state = "sổ fundapp đã có" if revision else "chưa có sổ: sẽ được tạo khi mở"
    return f"Kết nối được: {version} — {state}"


def create_book(db: str, settings) -> str:
    """Create (or upgrade) the book named by ``db`` and store the fund's settings in it; returns its URL."""
    from .portfolio import Context
    from .settings import save_settings

    url = resolve_url(db)
    database = Database(url)
    try:
        save_settings(Context(database, "setup"), settings)
    finally:
        database.dispose()
    return url
