"""An older book for the migration tests: a database at an earlier Alembic revision holding one borrower, one loan
and a disbursement GN-1 reversed then GN-2, written with the SQL of that revision (the models of today would not
fit it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text


def old_book(book_url: str, revision: str, borrower_name: str = "HTX A", entered_by: str = ""):
    """Build the book at ``book_url`` (a path or a URL) at Alembic ``revision`` ("0001", "0004"…) with borrower
    KH1 ``borrower_name``, loan HD1 of 120.000.000 đ at 6 %/năm for 12 months, and entries GN-1 (10/01/2024),
    its reversal and GN-2 entered by ``entered_by``. Returns (url, engine); the caller adds rows and disposes it."""
    from fundapp.ledger.db import make_engine

    url = book_url if "://" in book_url else f"sqlite:///{book_url}"
    engine = make_engine(url)
    upgrade(engine, revision)
    with engine.begin() as c:
        c.execute(text("INSERT INTO borrowers (code, name, kind, tax_code, province, ward, district, sector, "
                       "representative, phone, address, related_group, search, created_at, version) VALUES "
                       "('KH1', :name, 'htx', '', '', '', '', '', '', '', '', '', '', CURRENT_TIMESTAMP, 1)"),
                  dict(name=borrower_name))
        c.execute(text("INSERT INTO loans (loan_no, borrower_id, purpose, sector, amount, rate, rate_unit, "
                       "term_months, frequency_months, method, grace_periods, overdue_factor, late_interest_rate, "
                       "created_at, version) SELECT 'HD1', id, '', '', 120000000, '6', 'year', 12, 1, "
                       "'equal_principal', 0, '1.5', '10', CURRENT_TIMESTAMP, 1 FROM borrowers"))
        for kind, ref, rev in (("disbursement", "GN-1", None), ("reversal", None, "GN-1"),
                               ("disbursement", "GN-2", None)):
            c.execute(text("INSERT INTO entries (loan_id, on_date, kind, amount, reference, reverses_id, principal, "
                           "interest, overdue_interest, late_interest, note, entered_by, entered_at) SELECT "
                           "(SELECT id FROM loans), :d, :k, 120000000, :r, "
                           "(SELECT id FROM entries WHERE reference = :v), 0, 0, 0, 0, '', :by, CURRENT_TIMESTAMP"),
                      dict(d=date(2024, 1, 10), k=kind, r=ref, v=rev, by=entered_by))
    return url, engine


def upgrade(engine, revision: str) -> None:
    """Run the book's Alembic migrations on ``engine`` up to ``revision`` ("0001", "head"…), in one transaction."""
    from alembic import command
    from alembic.config import Config

    from fundapp.ledger.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def empty_book_at(path, revision: str) -> None:
    """An SQLite file at ``path`` holding an empty book of Alembic ``revision`` (its tables, no rows)."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, revision)
    engine.dispose()
