"""The schema the Alembic migrations build equals the one ``models.schema()`` declares (ledger/models.py and
record_models.py; issue 13): tables, columns, types, nullability, indexes, unique and foreign keys, on SQLite and
PostgreSQL, for a new book and for an older book upgraded to today. Alembic's own comparison
(``compare_metadata``, the autogenerate diff) reads the database; an empty diff means a migration helper changed
nothing a book holds. The append-only triggers, which the models do not declare, are read from the database and
compared with the tables that must carry them."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from fundapp.ledger.db import HEAD, make_engine
from fundapp.ledger.models import schema
from tests.old_books import old_book, upgrade

# cache tables declared beside their queries (ledger/checkpoints.py, migrations 0006, 0011), not in models.schema()
ELSEWHERE = {"replay_checkpoints", "replay_figures"}
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


@pytest.mark.parametrize("revision", ["0001", "0003", "0007"])
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


def _void_trigger(engine) -> tuple[str, str | None]:
    """How entries' checkpoint-voiding trigger runs: (ROW or STATEMENT, its transition table's name or None)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return ("ROW", None) if conn.execute(text(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'entries_void_checkpoints'"
            )).scalar() else ("", None)
        row = conn.execute(text("SELECT t.tgtype, t.tgnewtable FROM pg_trigger t WHERE NOT t.tgisinternal "
                                "AND t.tgname = 'entries_void_checkpoints' AND t.tgrelid = 'entries'::regclass")).one()
        return ("ROW" if row.tgtype & 1 else "STATEMENT"), row.tgnewtable



def _checkpoint_days_after(engine, *entries: tuple[date, str, str], table: str = "replay_checkpoints") -> list[date]:
    """Loan HD1's checkpoints (or, with ``table`` «replay_figures», its figures only: no checkpoint) set to 31/01,
    31/03 and 30/06/2024, then ``entries`` (date, kind, reference; a reversal's reference names the entry it
    reverses) inserted in ONE statement: the days left in ``table``."""
    rows = " UNION ALL ".join(f"SELECT :d{i} AS on_date, :k{i} AS kind, :r{i} AS ref"
                              for i in range(len(entries)))
    values = {f"{p}{i}": v for i, entry in enumerate(entries) for p, v in zip("dkr", entry, strict=True)}
    column = "figures" if table == "replay_figures" else "state"
    with engine.begin() as c:
        c.execute(text("DELETE FROM replay_checkpoints"))
        c.execute(text(f"DELETE FROM {table}"))
        for day in (date(2024, 1, 31), date(2024, 3, 31), date(2024, 6, 30)):
            c.execute(text(f"INSERT INTO {table} (loan_id, on_date, engine, watch_days, {column}) "
                           "SELECT id, :d, 'e', 0, :s FROM loans"), dict(d=day, s=b"x"))
        if entries:
            c.execute(text(
                "INSERT INTO entries (loan_id, on_date, kind, amount, reference, reverses_id, principal, interest, "
                "overdue_interest, late_interest, note, entered_by, entered_at) SELECT l.id, n.on_date, n.kind, "
                "1000000, CASE WHEN n.kind = 'reversal' THEN NULL ELSE n.ref END, CASE WHEN n.kind = 'reversal' THEN "
                "(SELECT id FROM entries WHERE reference = n.ref) END, 0, 0, 0, 0, '', '', CURRENT_TIMESTAMP "
                f"FROM loans l, ({rows}) n"), values)
        days = c.execute(text(f"SELECT on_date FROM {table} ORDER BY on_date")).scalars().all()
    return [d if isinstance(d, date) else date.fromisoformat(d) for d in days]


def _voiding_rule_holds(engine, suffix: str, table: str = "replay_checkpoints") -> None:
    """0006's rule, whichever trigger runs it, on the rows of ``table``: a repayment voids from its own date; of a
    statement's rows the earliest day counts; a reversal voids from the reversed entry's date (TN-3: 15/02/2024)
    when that is earlier than its own."""
    assert _checkpoint_days_after(engine, (date(2024, 4, 15), "repayment", f"TN-1{suffix}"), table=table) == [
        date(2024, 1, 31), date(2024, 3, 31)]
    assert _checkpoint_days_after(engine, (date(2024, 6, 30), "repayment", f"TN-2{suffix}"),
                                  (date(2024, 2, 15), "repayment", f"TN-3{suffix}"), table=table) == [date(2024, 1, 31)]
    assert _checkpoint_days_after(engine, (date(2024, 6, 30), "repayment", f"TN-4{suffix}"),
                                  (date(2024, 6, 30), "reversal", f"TN-3{suffix}"), table=table) == [date(2024, 1, 31)]


def test_a_book_at_0007_upgrades_to_one_statement_trigger_voiding_checkpoints_and_back(book_url):
    """Migration 0008 (issue 17): on PostgreSQL the trigger voiding replay checkpoints runs once per statement over
    its transition table ``new_entries`` (an import never turns it off: no table lock); SQLite keeps 0006's row
    trigger. The rule stays 0006's (``_voiding_rule_holds``) before, after and back after the downgrade."""
    from alembic import command
    from alembic.config import Config

    from fundapp.ledger.db import MIGRATIONS

    _url, engine = old_book(book_url, "0007")
    try:
        pg = engine.dialect.name == "postgresql"
        assert _void_trigger(engine) == ("ROW", None)
        _voiding_rule_holds(engine, "a")
        upgrade(engine, "head")
        assert _void_trigger(engine) == (("STATEMENT", "new_entries") if pg else ("ROW", None))
        _voiding_rule_holds(engine, "b")
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
        assert _void_trigger(engine) == ("ROW", None)
        _voiding_rule_holds(engine, "c")
    finally:
        engine.dispose()


def test_a_book_at_0010_upgrades_to_figures_voided_by_the_checkpoints_rule_and_back(book_url):
    """Migration 0011 (issue 17): ``replay_figures`` (the import's figures of quarter ends) is voided by the same
    triggers and rule as the checkpoints (``_voiding_rule_holds``), for a loan with figures and no checkpoint too
    (SQLite's WHEN), and a change of terms voids both; the rule still holds of the checkpoints, before, after and
    back after the downgrade, which drops the table."""
    from alembic import command
    from alembic.config import Config

    from fundapp.ledger.db import MIGRATIONS

    _url, engine = old_book(book_url, "0010")
    try:
        _voiding_rule_holds(engine, "a")
        upgrade(engine, "head")
        _voiding_rule_holds(engine, "b")
        _voiding_rule_holds(engine, "c", table="replay_figures")
        assert _checkpoint_days_after(engine, table="replay_figures") == [  # no entry: none voided
            date(2024, 1, 31), date(2024, 3, 31), date(2024, 6, 30)]
        with engine.begin() as c:
            c.execute(text("INSERT INTO replay_checkpoints (loan_id, on_date, engine, watch_days, state) "
                           "SELECT id, '2024-09-30', 'e', 0, :s FROM loans"), dict(s=b"x"))
            c.execute(text("UPDATE loans SET term_months = term_months + 1"))
            assert c.execute(text("SELECT (SELECT count(*) FROM replay_figures) + "
                                  "(SELECT count(*) FROM replay_checkpoints)")).scalar() == 0
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0010")
        assert "replay_figures" not in inspect(engine).get_table_names()
        _voiding_rule_holds(engine, "d")
    finally:
        engine.dispose()


def test_a_borrower_imported_before_0009_is_found_by_its_representative_after_the_upgrade(book_url):
    """Migration 0009 (issue 13.6): the import used to leave the representative out of a borrower's search key
    (``borrowers.search``); an older book's keys are made again by the one rule, so «ho thi thuy duc» finds KH1."""
    from fundapp.formatting import matches

    _url, engine = old_book(book_url, "0008", borrower_name="Hợp tác xã Đồng Tâm")
    try:
        with engine.begin() as c:
            c.execute(text("UPDATE borrowers SET representative = 'Hồ Thị Thùy Đức', search = 'hop tac xa dong tam kh1'"))
        upgrade(engine, "head")
        with engine.connect() as c:
            key = c.execute(text("SELECT search FROM borrowers")).scalar_one()
        assert matches("ho thi thuy duc", key) and matches("dong tam", key), key
    finally:
        engine.dispose()


def test_a_register_row_issued_before_0010_is_kept_without_a_digest_and_its_document_can_take_a_new_number(book_url):
    """Migration 0010 (one number, one content): the register gains ``digest``; a row issued before keeps its number
    with no digest, and the same document (kind, subject, date) with another content gets a row of its own."""
    _url, engine = old_book(book_url, "0009")
    row = ("INSERT INTO document_register (kind, code, year, number, label, subject, loan_no, on_date, issued_by, "
           "issued_at{extra}) VALUES ('statement', 'SK', 2024, {n}, '0{n}/SK-QHT', 'HD1', 'HD1', :d, 'cb', "
           "CURRENT_TIMESTAMP{value})")
    try:
        with engine.begin() as c:
            c.execute(text(row.format(extra="", n=1, value="")), dict(d=date(2024, 12, 31)))
        upgrade(engine, "head")
        with engine.begin() as c:
            c.execute(text(row.format(extra=", digest", n=2, value=", 'abc'")), dict(d=date(2024, 12, 31)))
            assert c.execute(text("SELECT label, digest FROM document_register ORDER BY number")).all() == [
                ("01/SK-QHT", None), ("02/SK-QHT", "abc")]
    finally:
        engine.dispose()
