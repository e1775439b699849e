"""The engine of a book: SQLite connections with explicit transactions and pragmas, or a PostgreSQL pool.

pysqlite leaves DDL outside transactions, so every SQLite connection runs in autocommit mode and each
transaction begins with our own ``BEGIN IMMEDIATE`` (a read-only unit, marked by ``READ_ONLY``, with a
deferred ``BEGIN``). ``FUNDAPP_CRASH_AFTER=N`` (tests only) kills the process before its Nth statement.
"""

from __future__ import annotations

import contextvars
import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from .environment import whole_number


# -- SQLite connections: explicit transactions, pragmas, the crash hook of the tests ------------
def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # pysqlite leaves DDL outside transactions: we BEGIN ourselves
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # the GUI and a command line on one file at once
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


READ_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("fundapp_read_only_unit", default=False)
# set when a unit of work's COMMIT goes to the server (``Database.unit`` resets it for each unit): a connection lost
# after that leaves the officer not knowing whether the unit was written
COMMIT_SENT: contextvars.ContextVar[bool] = contextvars.ContextVar("fundapp_commit_sent", default=False)


def _commit_sent(_conn) -> None:
    COMMIT_SENT.set(True)


def _sqlite_begin(conn) -> None:
    # IMMEDIATE: the write lock is taken at the start (waiting up to the busy timeout), so a unit that reads
    # then writes never meets a snapshot made stale by another writer. A read-only unit (Database.read) begins
    # deferred: under WAL it reads its snapshot without waiting for a writer (a long import) to commit.
    conn.exec_driver_sql("BEGIN" if READ_ONLY.get() else "BEGIN IMMEDIATE")


_statements = 0


def _crash_hook(limit: int):
    """FUNDAPP_CRASH_AFTER=N (tests only): the process kills itself with SIGKILL before its Nth statement."""

    def before(*_args) -> None:
        global _statements
        _statements += 1
        if _statements >= limit:
            import signal

            os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

    return before


def make_engine(url: str, timeout: float = 30) -> Engine:
    """An engine for the book at ``url``; the SQLite file's folder is created if needed."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": timeout})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "commit", _commit_sent)
    crash = whole_number("FUNDAPP_CRASH_AFTER", 0)  # a bad value refused in words, not int()'s ValueError
    if crash:
        event.listen(engine, "before_cursor_execute", _crash_hook(crash))
    return engine

