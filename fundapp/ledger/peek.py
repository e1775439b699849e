"""A SQLite file read without touching it, and one setting of a book read before the book is opened.

``read_only`` opens a file with the standard library's sqlite3 so that nothing is written into it or created beside
it (the checks of a book before it opens, of a backup before a restore); ``stored_setting`` reads one setting through
it — no engine, no migration, no lock — so the command line can choose its language (issue 16) before it builds its
parser and its ``--help``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .urls import resolve_url


def read_only(path: Path, timeout: float = 30) -> sqlite3.Connection:
    """A read-only SQLite connection to the file at ``path`` that leaves nothing beside it.

    SQLite opens a file in WAL mode (every fundapp book, its backups) with a «-shm» and a «-wal» beside it, and a
    read-only connection cannot remove them on closing: a file refused or only checked was left with two new files.
    Without a «-shm» beside it no process has the file open, and without a «-wal» holding pages the file on disk is
    the whole of it: it is read as it lies (``immutable``: nothing created, nothing locked). Otherwise (open
    elsewhere, or a WAL left by a crash, whose pages the file needs) it is read as any reader does. ``timeout``:
    seconds to wait for a writer's lock. Raises ``sqlite3.Error`` when the file cannot be opened.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    # the header is read last, only when no «-shm» says a connection has the file open: closing any descriptor of a
    # file drops every POSIX lock this process holds on it, a connection's of this very book included (another
    # process then takes the book for its last reader and removes the WAL under that connection)
    if not path.with_name(path.name + "-shm").exists() and _empty(path.with_name(path.name + "-wal")) \
            and _wal_mode(path):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=timeout)


def _empty(path: Path) -> bool:
    """Whether the file at ``path`` is missing or holds nothing."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _wal_mode(path: Path) -> bool:
    """Whether the SQLite header of ``path`` says WAL (bytes 18 and 19 are 2); False for any other or no header."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head.startswith(b"SQLite format 3\x00") and head[18:20] == b"\x02\x02"


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
        with closing(read_only(path, timeout=1)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return None if row is None else str(row[0])
