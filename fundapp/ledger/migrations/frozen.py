"""Shapes the migration scripts share: the append-only triggers, columns written as ``name:type`` and the loan terms'
columns.

FROZEN: never changed once released. A released migration calls these, so a change here would change what an
old migration builds, and a book created before the change would differ from one created after. A new shape
gets a new helper (``append_only_v2``…); ``tests/unit/test_migration_schema.py`` checks that the migrations,
new book or upgraded old one, build what ``ledger/models.py`` declares, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

REFUSAL = "entries are append-only: reverse instead"


def append_only_function() -> None:
    """PostgreSQL only (migration 0001): the trigger function ``entries_append_only()`` that refuses any
    UPDATE or DELETE; every append-only table's trigger calls it. Nothing on SQLite."""
    if op.get_bind().dialect.name != "sqlite":
        op.execute("CREATE FUNCTION entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$")


def append_only(table: str) -> None:
    """Rows of ``table`` are never edited or deleted: SQLite triggers ``<table>_no_update``/``_no_delete``
    raising ABORT, or the PostgreSQL trigger ``<table>_append_only`` calling ``entries_append_only()``."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    else:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION entries_append_only()")


def drop_append_only(table: str) -> None:
    """Undo ``append_only(table)`` (the downgrades)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


def loan_terms_columns() -> list[sa.Column]:
    """The loan terms as migration 0001 created them in ``loan_products`` and ``loans`` (rate as decimal text
    in %/năm or %/tháng by ``rate_unit``, term and frequency in months, method, grace periods, overdue factor,
    late-payment rate in % of the rate)."""
    return columns("rate:str16 rate_unit:str8 term_months:int frequency_months:int method:str20 grace_periods:int "
                   "overdue_factor:str16 late_interest_rate:str16")


TYPES = {"int": sa.Integer, "bigint": sa.BigInteger, "date": sa.Date, "text": sa.Text, "bool": sa.Boolean}


def columns(spec: str) -> list[sa.Column]:
    """The columns of ``spec``, written ``name:type`` separated by spaces, in order: type ``int``, ``bigint``
    (money in đồng), ``date``, ``datetime`` (with time zone), ``text``, ``bool`` or ``str<N>`` (String(length=N));
    a ``?`` after the type makes the column nullable, else it is NOT NULL. ``"code:str32 members:int?"`` is
    ``sa.Column("code", sa.String(length=32), nullable=False), sa.Column("members", sa.Integer(), nullable=True)``.
    Raises ValueError for a type it does not know."""
    out = []
    for item in spec.split():
        name, kind = item.split(":")
        nullable = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind == "datetime":
            type_ = sa.DateTime(timezone=True)
        elif kind.startswith("str"):
            type_ = sa.String(length=int(kind[3:]))
        elif kind in TYPES:
            type_ = TYPES[kind]()
        else:
            raise ValueError(f"unknown column type {kind!r} in {item!r}")
        out.append(sa.Column(name, type_, nullable=nullable))
    return out
