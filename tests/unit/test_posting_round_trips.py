"""A posting's statements, counted (issue 17: on PostgreSQL each is a round trip to the server, and posting must stay
within 1.5× of SQLite): one repayment is one transaction of at most so many statements, the loan, the book's
closing date, watch, users and the reference read in the statement that locks the loan; and every check still
happens inside that transaction (a book with users refuses a posting with nobody logged in, a closed period and
a taken reference refuse, each writing nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from fundapp.domain.engine import Kind
from fundapp.ledger import journal, lending_store
from fundapp.ledger.models import EntryRecord
from fundapp.ledger.record_models import JournalRecord
from fundapp.services import closing, posting
from fundapp.services.errors import UserFacingError
from tests.staff import staffed

# statements of one repayment with its reference numbered by the book: BEGIN (SQLite's IMMEDIATE is a statement;
# PostgreSQL's driver sends its own), the loan locked and read (on PostgreSQL with the number), the number, the
# entries in force, the entry, the cached figures and the audit record (on PostgreSQL one statement), the journal's
# lock (PostgreSQL), read-backs and head (the insert is a COPY)
MOST = {"sqlite": 11, "postgresql": 7}


def _count(ctx):
    statements, begins = [], []
    event.listen(ctx.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    event.listen(ctx.db.engine, "begin", lambda *a: begins.append(1))
    return statements, begins


def _loan(ctx, loan_no: str = "HD2024-001") -> int:
    with ctx.db.unit() as s:
        return lending_store.loan_by_no(s, loan_no).id


def _entries(ctx) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(EntryRecord))


def test_a_repayment_is_one_transaction_of_few_statements(sample_ctx):
    ctx = sample_ctx
    loan_id = _loan(ctx)
    statements, begins = _count(ctx)
    posted = posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 5_000_000)
    assert posted.reference.startswith("PT-2024-") and posted.allocation.principal + posted.allocation.interest_total \
        == 5_000_000
    assert len(begins) == 1  # the rights check, the closing date and the watch are read inside it
    assert len(statements) <= MOST[ctx.db.engine.dialect.name], "\n".join(statements)
    with ctx.db.read() as s:  # the entry and its audit record are on the book's hash chain, as read back
        chain = journal.verify(s.connection())
        assert chain.ok and chain.count == s.scalar(select(func.count()).select_from(JournalRecord))
        assert s.scalar(select(func.count()).select_from(JournalRecord).where(
            JournalRecord.record_id == posted.entry_id, JournalRecord.kind == "entry")) == 1


def test_the_checks_read_with_the_lock_still_refuse(sample_ctx):
    ctx = sample_ctx
    loan_id = _loan(ctx)
    before = _entries(ctx)
    with pytest.raises(UserFacingError) as taken:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000, reference="GN-00001")
    assert "GN-00001" in taken.value.message and taken.value.field == "reference"
    closing.close_period(ctx, date(2024, 6, 30), "khóa sổ quý 2")
    with pytest.raises(UserFacingError) as closed:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2024, 6, 30), 1_000_000)
    assert "30/06/2024" in closed.value.message and closed.value.field == "on"
    with pytest.raises(UserFacingError) as missing:
        posting.post_transaction(ctx, 987_654, Kind.REPAYMENT, ctx.today(), 1_000_000)
    assert "987654" in missing.value.message
    accountant = staffed(ctx, {"qt": ("admin",), "kt": ("accountant",)}, "Quản trị")["kt"]  # a login is needed now
    with pytest.raises(UserFacingError) as anonymous:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000)
    assert "đăng nhập" in anonymous.value.message
    assert _entries(ctx) == before
    assert posting.post_transaction(accountant, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000).entry_id
    assert _entries(ctx) == before + 1


def test_a_compiled_posting_statement_binds_through_its_types(sample_ctx):
    """posting_store runs its PostgreSQL statements compiled once, through the driver: the values still pass their
    types' bind processors (the audit's Boolean ``override`` given 1 is stored true; before, psycopg sent a smallint
    and PostgreSQL refused it), dates and đồng round-trip, and the columns read back need no result processor."""
    from sqlalchemy.dialects.postgresql import psycopg

    from fundapp.ledger import posting_store
    from fundapp.ledger.models import AuditRecord

    ctx = sample_ctx
    loan_id = _loan(ctx)
    with ctx.db.unit() as s:
        entry_id = posting_store.write_posting(
            s, dict(loan_id=loan_id, on_date=date(2024, 12, 31), kind="repayment", amount=9_450_000_123,
                    reference="PT-TEST-1", note="Thu nợ", entered_by="kế toán", principal=9_450_000_000,
                    interest=123, overdue_interest=0, late_interest=0),
            dict(actor="kế toán", action="post repayment", detail="bind", override=1), None)
    with ctx.db.read() as s:
        row = s.get(EntryRecord, entry_id)
        assert (row.on_date, row.amount, row.principal, row.note) == \
            (date(2024, 12, 31), 9_450_000_123, 9_450_000_000, "Thu nợ")
        assert s.scalars(select(AuditRecord.override).where(AuditRecord.detail == "bind")).one() is True
    dialect = psycopg.dialect()
    statement = posting_store._lock_statement(None, True, False)
    types = [c["type"] for c in statement.returning_column_descriptions]
    assert len(types) == 18 and all(t.dialect_impl(dialect).result_processor(dialect, None) is None for t in types)


def test_a_compiled_statement_is_cached_per_dialect():
    """The same statement shape compiled for two PostgreSQL drivers gives each its own text (psycopg's %(name)s,
    pg8000's %s): a cache keyed by the statement alone handed the second the first one's."""
    from sqlalchemy.dialects.postgresql import pg8000, psycopg

    from fundapp.ledger import posting_store

    def build():
        return posting_store._lock_statement(None, True, False)

    a = posting_store.compiled_for(psycopg.dialect(), ("lock-test", True), build)
    b = posting_store.compiled_for(pg8000.dialect(), ("lock-test", True), build)
    assert "%(loan_id)s" in a.sql and "%(loan_id)s" not in b.sql and "%s" in b.sql
    assert posting_store.compiled_for(psycopg.dialect(), ("lock-test", True), build) is a


def test_a_posting_checks_the_right_once(sample_ctx, monkeypatch):
    """post_transaction asks whether the officer may post once: before the figures for a logged-in officer (no read),
    inside the posting's transaction for a book without users (before, a logged-in officer was checked twice)."""
    from fundapp.services import rights

    ctx = sample_ctx
    loan_id = _loan(ctx)
    checks: list[str] = []
    real = rights.allowed
    monkeypatch.setattr(rights, "allowed", lambda c, right: checks.append(right) or real(c, right))
    posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000)  # no users: the implicit admin
    assert checks == []  # a book without users, read inside the posting: nothing to ask
    accountant = staffed(ctx, {"qt": ("admin",), "kt": ("accountant",)}, "Quản trị")["kt"]
    checks.clear()
    assert posting.post_transaction(accountant, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000).entry_id
    assert checks == ["post"]
