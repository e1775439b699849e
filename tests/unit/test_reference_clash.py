"""A reference written by another transaction after it was checked free (a shared PostgreSQL book: an officer's
posting and an open import) is refused by the references' unique constraint; that refusal must reach the services as
the ledger's ``ReferenceTaken`` (worded there), never as the driver's text, whichever path wrote the row (a Core
insert, or the import's COPY through ``bulk_rows.write_rows``)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fundapp.ledger import bulk_rows, posting_store
from fundapp.ledger.models import EntryRecord, LoanRecord
from fundapp.services.errors import UserFacingError


def _again(s, table, where) -> tuple[list[str], list[tuple]]:
    """The first row of ``table`` matching ``where``, every column but its id: (names, [values])."""
    row = s.execute(select(table).where(where).order_by(table.c.id).limit(1)).one()._mapping
    names = [c.name for c in table.columns if c.name != "id"]
    return names, [tuple(row[n] for n in names)]


def test_a_bulk_write_meeting_a_taken_reference_raises_the_ledgers_refusal(sample_ctx):
    """The sample's first entry written again by ``write_rows`` (PostgreSQL: COPY) with its reference: SQLAlchemy's
    IntegrityError (before: psycopg's UniqueViolation, raw, which a unit of work let through unworded to the
    officer), which ``reference_clashes`` turns into ``ReferenceTaken``; left out of a unit of work it is a
    Vietnamese refusal, not the driver's text; nothing is written."""
    ctx = sample_ctx
    with ctx.db.read() as r:
        taken = r.scalar(select(EntryRecord.reference).where(EntryRecord.kind == "disbursement")
                         .order_by(EntryRecord.id).limit(1))
        count = r.scalar(select(func.count()).select_from(EntryRecord))
    assert taken
    raised: list[BaseException] = []
    with pytest.raises(UserFacingError) as worded, ctx.db.unit() as s:
        try:
            bulk_rows.write_rows(s.connection(), EntryRecord.__table__, *_again(s, EntryRecord.__table__,
                                                                                 EntryRecord.reference == taken))
        except Exception as err:  # its class is the point
            raised.append(err)
            raise
    assert [type(e) for e in raised] == [IntegrityError]
    assert worded.value.message and "duplicate" not in worded.value.message.lower()
    with pytest.raises(posting_store.ReferenceTaken), ctx.db.unit() as s, posting_store.reference_clashes():
        bulk_rows.write_rows(s.connection(), EntryRecord.__table__, *_again(s, EntryRecord.__table__,
                                                                                 EntryRecord.reference == taken))
    with ctx.db.read() as r:
        assert r.scalar(select(func.count()).select_from(EntryRecord)) == count  # nothing half-written


def test_only_the_references_constraint_is_a_reference_clash(sample_ctx):
    """A loan written twice under its number (the loans' unique loan_no) is another refusal: ``reference_clashes``
    lets its IntegrityError through, not as ``ReferenceTaken``."""
    ctx = sample_ctx
    raised: list[BaseException] = []
    with pytest.raises(UserFacingError), ctx.db.unit() as s:
        table = LoanRecord.__table__
        names, rows = _again(s, table, table.c.id > 0)
        try:
            with posting_store.reference_clashes():
                bulk_rows.write_rows(s.connection(), table, names, rows)
        except Exception as err:  # its class is the point
            raised.append(err)
            raise
    assert [type(e) for e in raised] == [IntegrityError]
