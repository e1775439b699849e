"""After an import commits on PostgreSQL the tables it filled are analysed at once (``bulk.analyze_imported``): the
first read after it is planned from their new sizes, not from the empty tables' statistics until autovacuum comes
(the 100,000-loan book: 57.6 s instead of ~2 s)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from fundapp.ledger import bulk
from fundapp.services.imports import check_and_import
from tests.golden import SAMPLE


def _analysed(ctx) -> dict[str, tuple[object, int, int]]:
    """pg_stat_user_tables' (last_analyze, n_live_tup, n_mod_since_analyze) of the imported tables, by name."""
    names = [t.name for t in bulk.IMPORTED_TABLES]
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT relname, last_analyze, n_live_tup, n_mod_since_analyze FROM "
                                 "pg_stat_user_tables WHERE relname = ANY(:names)"), {"names": names}).all()
    return {r.relname: (r.last_analyze, r.n_live_tup, r.n_mod_since_analyze) for r in rows}


def test_an_import_on_postgresql_leaves_its_tables_analysed(ctx):
    """The sample (40 loans, 297 transactions) imported into an empty PostgreSQL book: entries, entry_events, loans,
    borrowers, loan_state, journal, replay_checkpoints, replay_figures and the collateral tables each analysed after the import
    (last_analyze set; none before: autovacuum sets last_autoanalyze only), and the planner's row count of entries
    (pg_class.reltuples, -1 before) is the table's."""
    if ctx.db.dialect != "postgresql":
        pytest.skip("SQLite's planner keeps no statistics the import would have to refresh")
    before = _analysed(ctx)
    assert all(last is None for last, _, _ in before.values()), before
    summary = check_and_import(ctx, SAMPLE)
    after = _analysed(ctx)
    assert sorted(after) == sorted(t.name for t in bulk.IMPORTED_TABLES)
    assert [name for name, (last, _, _) in after.items() if last is None] == [], after
    assert summary.transactions == 297
    with ctx.db.engine.connect() as conn:  # the planner's own count of entries: ANALYZE's, not an empty table's
        tuples = conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'entries'")).scalar()
        count = conn.execute(text("SELECT count(*) FROM entries")).scalar()
    assert tuples == count and count >= 297


def test_an_import_on_sqlite_analyses_nothing(ctx):
    """SQLite: the import leaves no planner statistics (no sqlite_stat1), as before."""
    if ctx.db.dialect != "sqlite":
        pytest.skip("PostgreSQL: see above")
    check_and_import(ctx, SAMPLE)
    with ctx.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar() == 0


def test_an_analyze_held_back_leaves_the_import_committed(ctx, monkeypatch, caplog):
    """Another session holding entries in SHARE UPDATE EXCLUSIVE mode (its own ANALYZE, a VACUUM) past the lock
    timeout: the import still ends as written (40 loans), the ANALYZE only logged as left to autovacuum."""
    if ctx.db.dialect != "postgresql":
        pytest.skip("SQLite: no ANALYZE")
    monkeypatch.setattr(bulk, "ANALYZE_LOCK_TIMEOUT", "200ms")
    with ctx.db.engine.connect() as holder:
        holder.execute(text("LOCK TABLE entries IN SHARE UPDATE EXCLUSIVE MODE"))
        summary = check_and_import(ctx, SAMPLE)
        holder.rollback()
    assert summary.loans == 40
    with ctx.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM loans")).scalar() == 40
    assert any("left to autovacuum" in r.getMessage() for r in caplog.records)
