"""Shapes the migration scripts share: the append-only triggers and the loan terms' columns.

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
    return [
        sa.Column("rate", sa.String(length=16), nullable=False),
        sa.Column("rate_unit", sa.String(length=8), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("frequency_months", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("grace_periods", sa.Integer(), nullable=False),
        sa.Column("overdue_factor", sa.String(length=16), nullable=False),
        sa.Column("late_interest_rate", sa.String(length=16), nullable=False),
    ]
