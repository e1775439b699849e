"""The book's schema version: which Alembic revision a book is at, and its upgrade to this program's HEAD.

A new book is created by the migrations and an older one upgraded by them (the application never
calls ``create_all``), in one transaction; a SQLite book is first copied beside itself. A book of a
newer revision than this program knows is refused, untouched.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from fundapp.domain.messages import msg

from .errors import BookUnavailable
from .urls import describe

HEAD = "0011"  # the newest migration; tests/unit/test_ledger_golden.py checks it against the scripts
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger("fundapp.ledger")



def current_revision(engine: Engine) -> str | None:
    """The book's Alembic revision ("0003"), or None when it has no ``alembic_version`` table."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    """Every revision of the migration scripts this version carries."""
    return {m.group(1) for f in (MIGRATIONS / "versions").glob("*.py")
            if (m := re.match(r"^(\d{4})_", f.name))}


def newer_book(name: str, revision: str) -> BookUnavailable:
    """The refusal of book ``name`` made by a newer fundapp (schema ``revision`` after HEAD): install the newer
    program; the book is not changed."""
    return BookUnavailable(
        msg("Sổ «{name}» được tạo bởi phiên bản fundapp mới hơn (phiên bản dữ liệu {revision}, phần mềm này biết "
            "đến {known}): hãy cài phiên bản fundapp mới hơn để mở sổ này; sổ không bị thay đổi.",
            name=name, revision=revision, known=HEAD))


def upgrade(engine: Engine) -> None:
    """Create or upgrade the book's tables with the Alembic migrations (only when behind), in one transaction.

    A SQLite book of an older revision is first copied beside itself as ``<name>.truoc-nang-cap-<rev>.sqlite``.
    Raises BookUnavailable for a book of a newer (unknown) revision.
    """
    revision = current_revision(engine)
    if revision == HEAD:
        return
    where = describe(engine.url.render_as_string(hide_password=False))
    if revision is not None and revision not in known_revisions():
        raise newer_book(Path(where).name if engine.dialect.name == "sqlite" else where, revision)
    if revision is None and engine.dialect.name != "sqlite":  # a SQLite file was looked at by inspect_file
        with engine.connect() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        if tables:
            raise BookUnavailable(
                msg("Cơ sở dữ liệu «{where}» đã có bảng của một chương trình khác ({tables}…), không phải sổ "
                    "fundapp; fundapp không ghi gì vào đó. Hãy dùng một cơ sở dữ liệu trống.",
                    where=where, tables=", ".join(sorted(tables)[:3])))
    from alembic import command
    from alembic.config import Config

    from .backup import copy_to, sqlite_path

    book = sqlite_path(engine)
    if revision is not None and book is not None:
        kept = book.with_name(f"{book.stem}.truoc-nang-cap-{revision}{book.suffix or '.sqlite'}")
        if not kept.exists():
            copy_to(engine, kept)
            log.info("book %s backed up before its upgrade from %s to %s: %s", book, revision, HEAD, kept)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

