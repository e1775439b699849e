"""The book's stored times (``*_at`` columns, the audit's ``at``, a lock-out's ``locked_until``): one Python value from
both back ends.

SQLite keeps no zone: SQLAlchemy writes the UTC wall time as text and reads it back naive. PostgreSQL's
``timestamptz`` keeps the instant and answers in the session's zone (the server's ``TimeZone``: UTC, Hà Nội, …).
The same book then printed «10:15» on one and «10:15+00:00» or «17:15+07:00» on the other. ``UtcDateTime`` gives
every read a timezone-aware UTC ``datetime`` (what ``sql.now`` writes and the services already assumed) and writes
the same UTC instant, so the stored text on SQLite is what it always was and no journal hash changes.

Times are written aware (``sql.now``): PostgreSQL stores an aware time exactly, so nothing is done to it there — a
bind processor would make ``bulk_rows`` rebuild every row of an import's 900,000 entries (≈2 s here) for nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def as_utc(value: datetime) -> datetime:
    """``value`` as a timezone-aware UTC ``datetime``: an aware time converted, a naive one taken as UTC (SQLite's
    stored text, which is UTC without its zone). Raises TypeError for anything but a ``datetime``."""
    if not isinstance(value, datetime):
        raise TypeError(f"a stored time must be a datetime, not {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UtcDateTime(TypeDecorator):
    """``DateTime(timezone=True)`` read as timezone-aware UTC on SQLite and PostgreSQL alike, written as its UTC
    instant (see the module's docstring); the schema is unchanged (the migrations' ``DateTime(timezone=True)``)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect):
        """SQLite: the UTC instant (``process_bind_param``) as SQLite's text; PostgreSQL: None (stored exactly)."""
        if dialect.name == "postgresql":
            return None
        return super().bind_processor(dialect)

    def process_bind_param(self, value, dialect):
        """The UTC instant of ``value`` (None stays None), on SQLite (``bind_processor``)."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value, dialect):
        """The stored time as aware UTC (None stays None)."""
        return None if value is None else as_utc(value)
