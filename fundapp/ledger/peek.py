"""One setting of a SQLite book read before the book is opened (the command line's language, issue 16).

``stored_setting`` opens the file read-only with the standard library's sqlite3 — no engine, no migration, no lock,
nothing created — so the command line can choose its language before it builds its parser and its ``--help``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .urls import resolve_url


def stored_setting(db: str | None, key: str) -> str | None:
    """The stored text of setting ``key`` in the SQLite book that ``db`` names (a ``--db`` value; None: FUNDAPP_DB,
    then the per-user book, as ``resolve_url`` says); None when ``db`` is a server URL, names no file, the file is no
    readable book, or the key was never set. Never raises for a bad or busy file and never writes."""
    url = resolve_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url.removeprefix("sqlite:///"))
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return None if row is None else str(row[0])
