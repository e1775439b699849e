"""The loan page reads its loan once and replays it once (issue 17: the page ≤ 200 ms on a 500-entry loan, on
SQLite and PostgreSQL): ``loans.loan_page`` gives the same view and events as ``loan_view`` and ``loan_events``
(each of which reads and replays on its own) for every loan of the events book at dates before, between and after
its entries, with one replay when no entry comes after the page's date and a bounded number of statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from fundapp.ledger import entry_store, office_store
from fundapp.ledger.models import EntryRecord, LoanRecord
from fundapp.services import posting
from fundapp.services.event_previews import loan_events
from fundapp.services.imports import check_and_import
from fundapp.services.loans import loan_page, loan_view
from tests.golden import GOLDEN


@pytest.fixture
def book(book_url):
    """sample-fund-events imported, read on 31/12/2025, with a watch of 30 days (not the default 90)."""
    from fundapp.app import open_book

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    with ctx.db.unit() as s:
        office_store.set_setting(s, "watch_days", "30")
    yield ctx
    ctx.db.dispose()


def _loans_and_dates(ctx) -> list[tuple[int, list[date]]]:
    with ctx.db.unit() as s:
        ids = list(s.scalars(select(LoanRecord.id).order_by(LoanRecord.id)))
        return [(i, sorted({e.on_date for e in entry_store.entries_of(s, i)})) for i in ids]


def test_the_loan_page_equals_its_view_and_events_read_apart(book):
    compared = events_seen = 0
    for loan_id, days in _loans_and_dates(book):
        for on in {book.today(), *(days[:: max(1, len(days) // 3)]), *(d - timedelta(days=1) for d in days[:2])}:
            view, events = loan_page(book, loan_id, on)
            assert view == loan_view(book, as_of=on, loan_id=loan_id)
            assert events == loan_events(book, loan_id, on)
            compared += 1
            events_seen += bool(events.results)
    assert compared > 100 and events_seen > 10  # the events book's restructurings, reliefs and write-offs were read


def test_the_loan_page_replays_once_and_reads_in_few_statements(book, monkeypatch):
    replays = []
    real = posting.replay_entries  # the one keyed replay (posting.replay_keyed) the page reads through
    monkeypatch.setattr(posting, "replay_entries", lambda *a, **k: replays.append(k.get("until")) or real(*a, **k))
    statements = []
    event.listen(book.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with book.db.unit() as s:  # a restructured loan
        loan_id = s.scalar(select(EntryRecord.loan_id).where(EntryRecord.kind == "restructure").limit(1))
    statements.clear()
    view, events = loan_page(book, loan_id, book.today())
    assert len(view.history) >= 5 and events.restructurings >= 1
    assert replays == [book.today()]  # one replay: no entry after the page's date
    # loan, borrower, its entries, those in force, the events' reasons, the settings, BEGIN/ROLLBACK of SQLite
    assert len(statements) <= 8, statements
    replays.clear()
    first = min(h.on for h in view.history)
    loan_page(book, loan_id, first)  # later entries: the events' results of any date need a second, full replay
    assert replays == [first, None]
