"""Consistent copies of a SQLite book while it is open (SQLite's online backup API), and checks of a copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from .peek import read_only


def sqlite_path(engine: Engine) -> Path | None:
    """The book's file, or None for a server book (PostgreSQL) or an in-memory one."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    return Path(database) if database and database != ":memory:" else None


def copy_to(engine: Engine, target: Path) -> None:
    """Copy the open book to ``target`` page by page; other readers and writers may go on meanwhile."""
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(target) as dest:
            raw.driver_connection.backup(dest)
        sqlite3.connect(target).close()
    finally:
        raw.close()


def check_file(path: Path) -> tuple[str, str | None]:
    """(integrity_check result, schema revision) of a SQLite file; raises sqlite3.DatabaseError if not one.

    Read through ``book_file.read_only``: a backup checked (and perhaps refused) is left with nothing new beside it."""
    conn = read_only(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] if has_version else None
    finally:
        conn.close()
    return integrity, revision
