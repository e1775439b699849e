"""Posting writes the loan list's cached figures from the replay that checked it (issue 17: one read, one replay of
the loan): the row must equal what a full refresh of the loan computes, for a repayment and a reversal, with the
book's own watch length; and the cache's all-interest column is ``total_interest`` in an upgraded book."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fundapp.domain.engine import Kind
from fundapp.ledger import lending_store, models, office_store
from fundapp.services import posting
from fundapp.services.loan_states import refresh_states


def _cached(ctx, loan_id: int) -> dict:
    with ctx.db.unit() as s:
        row = s.get(models.LoanStateRecord, loan_id)
        return {c: getattr(row, c) for c in ("as_of", "disbursed", "principal_outstanding", "principal_overdue",
                                             "total_interest", "days_past_due", "debt_group", "next_due_on",
                                             "next_due_amount", "status", "first_disbursed_on", "closed_on",
                                             "quiet_from")}


def _refreshed(ctx, loan_id: int) -> dict:
    with ctx.db.unit() as s:
        refresh_states(s, [loan_id], ctx.today())
    return _cached(ctx, loan_id)


def test_the_cache_written_by_a_posting_equals_a_full_refresh(sample_ctx):
    ctx = sample_ctx
    with ctx.db.unit() as s:
        loan_id = lending_store.loan_by_no(s, "HD2022-002").id
        office_store.set_setting(s, "watch_days", "30")  # the book's watch, not the default 90
    posted = posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 7_000_000)
    after_post = _cached(ctx, loan_id)
    assert after_post == _refreshed(ctx, loan_id)
    assert after_post["principal_outstanding"] > 0 and after_post["as_of"] == ctx.today()
    posting.reverse_entry(ctx, posted.entry_id, "nhập nhầm số tiền")
    after_reversal = _cached(ctx, loan_id)
    assert after_reversal == _refreshed(ctx, loan_id)
    assert after_reversal["principal_outstanding"] >= after_post["principal_outstanding"]


def test_a_taken_reference_is_refused_by_one_lookup(sample_ctx):
    ctx = sample_ctx
    with ctx.db.unit() as s:
        loan_id = lending_store.loan_by_no(s, "HD2022-002").id
        taken = s.scalar(select(models.EntryRecord.reference).where(models.EntryRecord.reference.is_not(None)))
    try:
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, ctx.today(), 1_000_000, reference=taken)
    except posting.ValidationError as err:
        assert taken in err.message
    else:
        raise AssertionError("a duplicate reference was posted")


def test_migration_0007_keeps_the_cached_interest_under_its_one_name(book_url):
    """A book of revision 0006 whose loan list cache holds all interest owed in ``interest_due`` upgrades to the
    head: the figure is then ``total_interest`` (issue 13.8) and the list shows it, unchanged."""
    from sqlalchemy import text

    from fundapp.app import open_book
    from fundapp.ledger.db import HEAD, Database, current_revision
    from fundapp.services.queries import list_loans
    from tests.old_books import old_book

    url, engine = old_book(book_url, "0006")
    with engine.begin() as c:
        c.execute(text("INSERT INTO loan_state (loan_id, as_of, disbursed, principal_outstanding, principal_overdue, "
                       "interest_due, days_past_due, debt_group, next_due_amount, status) SELECT id, :d, 120000000, "
                       "120000000, 0, 1234567, 0, 1, 0, 'active' FROM loans"), dict(d=date(2099, 1, 1)))
    engine.dispose()
    db = Database(url)
    assert current_revision(db.engine) == HEAD
    db.dispose()
    ctx = open_book(url, user="t", today=date(2099, 1, 1))
    try:
        (row,) = list_loans(ctx, current=False)
        assert (row.loan_no, row.total_interest, row.principal_outstanding) == ("HD1", 1_234_567, 120_000_000)
        with ctx.db.read() as s:
            assert s.get(models.LoanStateRecord, row.id).total_interest == 1_234_567
    finally:
        ctx.db.dispose()
