"""A stored time (a document's issue, an audit record, a proposal, a closing…) is one instant on both back ends: read
back as timezone-aware UTC (``ledger.timestamps.UtcDateTime``) from SQLite, which keeps no zone, and from
PostgreSQL, which answers in its session's zone; shown in the officer's local time, the same text on both.

The officer's machine is put in Hà Nội (UTC+7) and the PostgreSQL session in New York (UTC-5), so a time printed
in the server's zone or in UTC shows."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import DateTime

from fundapp.app import open_book
from fundapp.cli import main
from fundapp.formatting import local_time
from fundapp.ledger import office_store, record_store, sql
from fundapp.ledger.models import schema
from fundapp.ledger.timestamps import UtcDateTime
from fundapp.services.audit import audit_log
from fundapp.services.document_register import document_register, take_numbers
from fundapp.services.proposals import proposal_rows

ISSUED = datetime(2024, 12, 30, 20, 3, 4, 500_000, tzinfo=UTC)  # 31/12/2024 03:03:04 in Hà Nội, 15:03 in New York
SHOWN = "2024-12-31T03:03:04+07:00"


@pytest.fixture
def in_hanoi():
    """The officer's machine in Hà Nội (POSIX zone UTC+7, no tz database needed) while the test runs."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "ICT-7"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def url(book_url, in_hanoi):
    """A new book's address; on PostgreSQL its sessions answer in New York's zone."""
    if "postgresql" not in book_url:
        return book_url
    return book_url + ("&" if "?" in book_url else "?") + "options=-c%20TimeZone%3DAmerica/New_York"


@pytest.fixture
def book(url, monkeypatch):
    """The book (``url``) with one quarterly report issued at ``ISSUED``, and its audit record written at the same
    instant."""
    monkeypatch.setattr(office_store, "now", lambda: ISSUED)
    ctx = open_book(url, user="tester", today=date(2024, 12, 31))
    try:
        take_numbers(ctx, "quarterly", [("Báo cáo quý 4/2024", date(2024, 12, 31), None, "0" * 64)])
    finally:
        ctx.db.dispose()
    return url


def test_a_stored_time_reads_back_as_the_same_utc_instant(book):
    ctx = open_book(book, user="tester", today=date(2024, 12, 31))
    try:
        (row,) = document_register(ctx)
        audited = [r for r in audit_log(ctx) if r.action == "document issue"]
    finally:
        ctx.db.dispose()
    assert row.issued_at == ISSUED and row.issued_at.tzinfo is UTC
    assert [(r.at, r.at.utcoffset()) for r in audited] == [(ISSUED, timedelta(hours=7))]  # the audit page's local


def test_the_audit_days_are_the_officers_days(book):
    ctx = open_book(book, user="tester", today=date(2024, 12, 31))
    try:
        def issues(start: date, end: date) -> int:
            return sum(r.action == "document issue" for r in audit_log(ctx, start=start, end=end))

        # 20:03 UTC on the 30th is 03:03 on the 31st in Hà Nội: the officer's day, not the server's nor UTC's
        on_31st, on_30th = date(2024, 12, 31), date(2024, 12, 30)
        assert (issues(on_31st, on_31st), issues(on_30th, on_30th), issues(on_30th, on_31st)) == (1, 0, 1)
    finally:
        ctx.db.dispose()


def test_the_register_prints_the_time_of_issue_alike_on_both_back_ends(book, capsys, monkeypatch):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    assert main(["--db", book, "documents", "--format", "json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["so"], listed["luc"]) == ("01/BC-QHT", SHOWN)
    for fmt, shown in (("csv", SHOWN), ("table", "31/12/2024 03:03:04")):
        assert main(["--db", book, "documents", "--format", fmt]) == 0
        assert shown in capsys.readouterr().out.splitlines()[1]


def test_every_stored_time_column_is_utc_on_both_back_ends():
    """A new ``*_at`` column declared as a plain DateTime would read back naive on SQLite and in the server's zone
    on PostgreSQL: every timestamp column of the book goes through ``UtcDateTime``."""
    plain = [f"{t.name}.{c.name}" for t in schema().tables.values() for c in t.columns
             if isinstance(c.type, DateTime) and not isinstance(c.type, UtcDateTime)]
    stamped = [f"{t.name}.{c.name}" for t in schema().tables.values() for c in t.columns
               if isinstance(c.type, UtcDateTime)]
    assert plain == [] and "document_register.issued_at" in stamped and "audit.at" in stamped


def test_local_time_takes_an_aware_time_and_refuses_a_naive_one(in_hanoi):
    shown = local_time(ISSUED)
    assert (shown.isoformat(timespec="seconds"), shown == ISSUED) == (SHOWN, True)
    with pytest.raises(ValueError):
        local_time(ISSUED.replace(tzinfo=None))


def test_an_appraisal_and_a_decision_are_dated_the_officers_day(url, monkeypatch):
    """The appraisal report and the loan decision are dated the day their step was recorded: the officer's day
    (31/12 in Hà Nội), not UTC's (SQLite's stored text) nor the server's (30/12 in New York)."""
    from fundapp.services.paper_values import dated_loan_context
    from tests.unit.test_lending import contracted_loan

    monkeypatch.setattr(sql, "now", lambda: ISSUED)  # the workflow's steps are stamped through sql.now
    ctx = open_book(url, user="tester", today=date(2024, 12, 31))
    try:
        contracted_loan(ctx)
        dated = {kind: dated_loan_context(ctx, kind, "HD2023-100")[1] for kind in ("appraisal", "decision")}
    finally:
        ctx.db.dispose()
    assert dated == {"appraisal": date(2024, 12, 31), "decision": date(2024, 12, 31)}


def test_a_pending_proposal_shows_when_it_was_made_in_the_officers_time(url, monkeypatch, capsys):
    monkeypatch.setattr(record_store, "now", lambda: ISSUED)
    ctx = open_book(url, user="kt", today=date(2024, 12, 31))
    try:
        with ctx.db.unit() as s:
            record_store.add_proposal(s, action="reverse", params=json.dumps({"reference": "PT-1", "reason": "x"}),
                                      preview="Hủy bút toán PT-1", loan_no="HD2022-008", proposed_by="kt")
        (row,) = proposal_rows(ctx)
    finally:
        ctx.db.dispose()
    assert row.proposed_at == ISSUED and row.proposed_at.tzinfo is UTC
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    monkeypatch.setenv("FUNDAPP_USER", "ks")
    assert main(["--db", url, "pending"]) == 0
    assert "\tkt\t31/12/2024 03:03\n" in capsys.readouterr().out
