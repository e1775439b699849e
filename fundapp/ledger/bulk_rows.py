"""Rows written by the database driver itself, inside the caller's transaction (issue 17): an import writes
~900,000 entries and as many journal rows, and SQLAlchemy's per-row parameter processing of a Core executemany
cost more than the insert. SQLite: the driver's executemany of plain tuples; PostgreSQL: psycopg's COPY.
Each column's value is first put in the form SQLAlchemy would send (its type's bind processor for the dialect, e.g.
SQLite's text for dates and times), so the stored rows are those a Core insert writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

BULK_CACHE_MB = 48  # SQLite page cache of an import's unit (MiB; the default is 2)
REBUILD_MIN_ROWS = 50_000  # an insert smaller than this keeps the indexes and triggers it defers (``built_after``)
REBUILD_MAX_HELD = 4  # … as does one into a table holding more than this many rows for each row inserted


def write_rows(conn: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples of values in the order of ``columns``, names of ``table``'s columns) on ``conn`` in
    its transaction. Triggers and constraints apply as for any insert; a refused row raises SQLAlchemy's error as
    a Core insert would (``IntegrityError`` for a unique clash, the driver's error as its ``orig``; PostgreSQL's
    COPY included), the transaction the caller's to roll back."""
    if not rows:
        return
    dialect = conn.dialect
    rows = _bound(conn, table, columns, rows)
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    quoted = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql":
        statement = f"COPY {quoted} ({names}) FROM STDIN"
        try:
            with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except dialect.loaded_dbapi.Error as err:  # as SQLAlchemy's own statements raise it: the units word it
            raise DBAPIError.instance(statement, None, err, dialect.loaded_dbapi.Error) from err
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)


def upsert_rows(conn: Connection, table: Table, columns: list[str], key: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` as ``write_rows`` does, a row whose ``key`` columns (a unique key of ``table``, among
    ``columns``) match an existing row's replacing that row's other ``columns`` (INSERT … ON CONFLICT … DO UPDATE,
    SQLite 3.24+ and PostgreSQL), through the driver's executemany (the replay checkpoints a read writes: 87,222
    rows of the 100,000-loan book's first quarterly report took 1.3 s through a Core insert's per-row work)."""
    if not rows:
        return
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    updated = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in key)
    statement = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
                 f"({', '.join(map(quote, columns))}) VALUES ({', '.join(mark for _ in columns)}) "
                 f"ON CONFLICT ({', '.join(map(quote, key))}) DO UPDATE SET {updated}")
    conn.exec_driver_sql(statement, _bound(conn, table, columns, rows))


def _bound(conn: Connection, table: Table, columns: list[str], rows: list[tuple]) -> list[tuple]:
    """``rows`` with each value in the form SQLAlchemy would send it for its column (the column type's bind
    processor for the dialect), once a call."""
    dialect = conn.dialect
    # the dialect's own type (SQLite's DATETIME writes text; the generic DateTime's processor is None)
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if not any(processors):
        return rows
    values = list(zip(*rows, strict=True))
    for i, process in enumerate(processors):
        if process is not None:
            values[i] = _processed(values[i], process)
    return list(zip(*values, strict=True))


def _processed(values: tuple, process) -> list:
    """``process`` applied to each of ``values``, once per distinct value when they repeat (an import's dates)."""
    try:
        distinct = set(zip(map(type, values), values, strict=True))
    except TypeError:  # unhashable
        return [process(v) for v in values]
    if len(distinct) * 2 > len(values):
        return [process(v) for v in values]
    memo = {key: process(key[1]) for key in distinct}
    return list(map(memo.__getitem__, zip(map(type, values), values, strict=True)))


def new_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` ids for new rows of ``table`` (an integer ``id`` primary key), ascending, for an insert that gives
    them itself. SQLite: the ids after the largest (the unit holds the write lock from BEGIN IMMEDIATE, so they
    stay ours); PostgreSQL: drawn from the column's sequence in one statement (other sessions may draw too)."""
    if count <= 0:
        return []
    name = conn.dialect.identifier_preparer.format_table(table)
    if conn.dialect.name == "postgresql":
        drawn = conn.exec_driver_sql(f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) "
                                     f"FROM generate_series(1, {int(count)})").scalars().all()
        return sorted(int(i) for i in drawn)
    first = (conn.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar() or 0) + 1
    return list(range(first, first + count))


@contextmanager
def built_after(s: Session, table: Table, indexes: tuple[str, ...], triggers: tuple[str, ...],
                rows: int) -> Iterator[bool]:
    """SQLite: the ``indexes`` and ``triggers`` of ``table`` (names; those the book lacks are skipped) dropped on
    unit of work ``s``'s connection while the block inserts ``rows`` rows, then created again from their own stored
    SQL when it ends normally, all inside the unit's transaction. Yields whether they were dropped.

    An index ordered otherwise than the ids takes each of 900,000 imported entries in a random page, and a row
    trigger costs ~6 µs a row even when its WHEN is false: 19.2 s of the 100,000-loan book's entries insert, 9.9 s
    with both built after (issue 17). Nothing else sees the tables meanwhile: the unit holds the book's write lock
    from BEGIN IMMEDIATE, readers see the last commit, and an error that leaves the block is rolled back by the
    unit, dropped objects included (SQLite's DDL is transactional). The caller does what the triggers would have
    done for its own rows. Kept (yields False) when ``rows`` is under ``REBUILD_MIN_ROWS`` or ``table`` holds
    more than ``REBUILD_MAX_HELD`` rows for each (rebuilding an index reads them all), and on PostgreSQL, whose
    DROP INDEX would lock every other officer's reads of the table out until the commit."""
    conn = s.connection()
    if conn.dialect.name != "sqlite" or rows < REBUILD_MIN_ROWS:
        yield False
        return
    held = conn.exec_driver_sql(f"SELECT max(rowid) FROM {conn.dialect.identifier_preparer.format_table(table)}")
    if rows * REBUILD_MAX_HELD < (held.scalar() or 0):
        yield False
        return
    names = (*indexes, *triggers)
    stored = conn.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
        f"AND name IN ({', '.join('?' for _ in names)})", (table.name, *names)).all()
    quote = conn.dialect.identifier_preparer.quote
    for kind, name, _sql in stored:
        conn.exec_driver_sql(f"DROP {kind.upper()} {quote(name)}")
    yield True
    for _kind, _name, sql in stored:
        conn.exec_driver_sql(sql)


@contextmanager
def roomy_cache(s: Session, mebibytes: int = BULK_CACHE_MB) -> Iterator[None]:
    """SQLite: a page cache of ``mebibytes`` MiB on unit of work ``s``'s connection while the block runs (then the
    size it had). An import inserts 900,000 entries into indexes ordered otherwise than the ids (by date): with
    SQLite's default 2 MB cache their pages go out to the WAL and come back again and again (system time). No
    effect on PostgreSQL (the server's shared buffers)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
