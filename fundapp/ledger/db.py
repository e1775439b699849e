"""Opening a book: a SQLite file by default (WAL, busy timeout, foreign keys on) or a PostgreSQL URL.

A new book is created by the Alembic migrations, an older one is upgraded by them; the
application never calls ``create_all``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

HEAD = "0003"  # the newest migration; tests/unit/test_ledger.py checks it against the scripts
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_book_path() -> Path:
    """The per-user book: <user data folder>/fundapp/fundapp.sqlite (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("fundapp", appauthor=False) / "fundapp.sqlite"


def resolve_url(db: str | os.PathLike | None) -> str:
    """``--db`` value → SQLAlchemy URL: a URL as is, a path as a SQLite file; None → FUNDAPP_DB → default book."""
    value = str(db) if db else os.environ.get("FUNDAPP_DB") or str(default_book_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def describe(url: str) -> str:
    """The book in words for a status bar: the file path, or the server without the password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # the GUI and a command line on one file at once
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for the book at ``url``; the SQLite file's folder is created if needed."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the book's tables with the Alembic migrations (only when behind)."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    """One book: its engine and a session factory. ``unit()`` is one transaction: all or nothing."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
