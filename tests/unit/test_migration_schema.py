"""The schema the Alembic migrations build equals the one ``models.schema()`` declares (ledger/models.py and
record_models.py; issue 13): tables, columns, types, nullability, indexes, unique and foreign keys, on SQLite and
PostgreSQL, for a new book and for an older book upgraded to today. Alembic's own comparison
(``compare_metadata``, the autogenerate diff) reads the database; an empty diff means a migration helper changed
nothing a book holds. The append-only triggers, which the models do not declare, are read from the database and
compared with the tables that must carry them."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from fundapp.ledger.db import HEAD, make_engine
from fundapp.ledger.models import schema
from tests.old_books import old_book, upgrade

# a cache table declared beside its queries (ledger/checkpoints.py, migration 0006), not in models.schema()
ELSEWHERE = {"replay_checkpoints"}
APPEND_ONLY = {"entries", "entry_events", "collateral_items", "collateral_revisions", "journal", "closings",
               "period_reports"}


def _diff(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: not (kind == "table" and name in ELSEWHERE)})
        return compare_metadata(ctx, schema())


def _guarded(engine) -> set[str]:
    """The tables with an append-only trigger refusing both UPDATE and DELETE."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            by_table: dict[str, set[str]] = {}
            for table, sql in rows:
                if "append-only" in sql:
                    by_table.setdefault(table, set()).update(a for a in ("UPDATE", "DELETE") if f"BEFORE {a}" in sql)
            return {t for t, actions in by_table.items() if actions == {"UPDATE", "DELETE"}}
        rows = conn.execute(text(
            "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
            "WHERE action_statement = 'EXECUTE FUNCTION entries_append_only()'")).all()
        by_table = {}
        for table, action in rows:
            by_table.setdefault(table, set()).add(action)
        return {t for t, actions in by_table.items() if actions == {"UPDATE", "DELETE"}}


def test_a_new_book_has_the_models_schema(book_url):
    engine = make_engine(book_url if "://" in book_url else f"sqlite:///{book_url}")
    try:
        upgrade(engine, "head")
        assert _diff(engine) == []
        assert _guarded(engine) == APPEND_ONLY
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", ["0001", "0003"])
def test_an_older_book_upgrades_to_the_models_schema(book_url, revision):
    _url, engine = old_book(book_url, revision)
    try:
        upgrade(engine, "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            assert conn.execute(text("SELECT count(*) FROM entries")).scalar() == 3
        assert _diff(engine) == []
        assert _guarded(engine) == APPEND_ONLY
    finally:
        engine.dispose()
