"""The import keeps replay checkpoints from its own replay (issue 17): at the last two quarter ends on or before the
book's today one for every loan live then, and at every earlier quarter end since its first entry one for every loan
live then with an entry since its last checkpoint and the figures only of every other loan live then, holding the
figures a full replay gives — so the first ``balances --as-of`` after an import starts from them instead of
replaying every loan, and the first report of a past quarter replays none. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from fundapp.services import imports
from fundapp.services.book_reads import balances_as_of
from fundapp.services.checkpoints import (
    IMPORT_MARK_MONTHS,
    decode_run,
    engine_stamp,
    figures_of,
    full_replay,
    import_marks,
    run_stamp,
)
from fundapp.services.imports import check_and_import
from tests.golden import GOLDEN


def _stored(ctx) -> dict[tuple[int, date], bytes]:
    """(loan id, day) → bytes of the checkpoints in the book (a whole state to replay from)."""
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT loan_id, on_date, engine, state FROM replay_checkpoints")).all()
    assert {engine for *_, engine, _ in rows} <= {engine_stamp()}
    return {(loan_id, _day(day)): bytes(blob) for loan_id, day, _, blob in rows}


def _figures(ctx) -> dict[tuple[int, date], bytes]:
    """(loan id, day) → ``encode_figures`` bytes of every day of the runs of figures in the book (``replay_figures``:
    one row a loan, its days up to its date, ``decode_run``)."""
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT loan_id, on_date, engine, figures FROM replay_figures")).all()
    assert len({loan_id for loan_id, *_ in rows}) == len(rows)
    out = {}
    for loan_id, on, engine, blob in rows:
        on = _day(on)
        days = decode_run(bytes(blob), on, date.min, on)
        assert engine == run_stamp() and days and max(days) == on
        out.update(((loan_id, day), b) for day, b in days.items())
    return out


@pytest.mark.parametrize(("book", "today", "marks"), [
    ("sample-fund", date(2024, 12, 31), [date(2024, 9, 30), date(2024, 12, 31)]),
    ("sample-fund-events", date(2025, 8, 20), [date(2025, 3, 31), date(2025, 6, 30)])])
def test_an_import_leaves_the_checkpoints_of_its_replay(book_url, book, today, marks):
    """After importing a golden book (first entries in January 2022): at each of the last two quarter ends a
    checkpoint for each loan live on that day (disbursed on or before it, not settled by it: the loan list's
    first_disbursed_on and closed_on), none for another; at each earlier quarter end (``IMPORT_MARK_MONTHS``) since
    the first entry, each loan live then has a checkpoint on that day or on an earlier one with no entry of its own
    between (a read of the day replays none of them) and, when not on that day, its figures only there (a report
    of the day reads them); every checkpoint holds the balances of a full replay, and balances as of each day and of
    a day between are those of a full replay."""
    from fundapp.app import open_book

    first = date(2022, 1, 16)
    earlier = [q for y in range(2022, marks[0].year + 1) for q in (date(y, 3, 31), date(y, 6, 30), date(y, 9, 30),
                                                                   date(y, 12, 31))
               if first <= q < marks[0] and q.month % IMPORT_MARK_MONTHS == 0]
    assert import_marks(today, 2) == marks and imports.import_checkpoints() == 2
    assert import_marks(today, 2, first) == [*earlier, *marks] and import_marks(today, 0, first) == []
    ctx = open_book(book_url, user="tester", today=today)
    try:
        _check(ctx, book, earlier, marks)
    finally:
        ctx.db.dispose()


def _day(value) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _check(ctx, book: str, earlier: list[date], marks: list[date]) -> None:
    check_and_import(ctx, GOLDEN / book)
    stored = _stored(ctx)
    with ctx.db.engine.connect() as conn:
        loans = dict(conn.execute(text("SELECT l.loan_no, l.id FROM loans l")).all())
        dates = {i: (_day(first), _day(closed)) for i, first, closed in conn.execute(
            text("SELECT loan_id, first_disbursed_on, closed_on FROM loan_state")).all()}
        entry_days: dict[int, list[date]] = {}
        for loan_id, on in conn.execute(text("SELECT loan_id, on_date FROM entries")).all():
            entry_days.setdefault(loan_id, []).append(_day(on))
    days = [*earlier, *marks]
    figures = _figures(ctx)
    with full_replay():
        full = {day: dict(balances_as_of(ctx.db, day)) for day in [*days, marks[-1].replace(day=15)]}
    assert {d for _, d in stored} == set(days) and figures and not stored.keys() & figures.keys()
    for day in days:
        live = {i for i, (first, closed) in dates.items() if first is not None and first <= day and
                (closed is None or closed > day)}
        # settled by the day, at the first day after it was
        settled = {i for i, (_, closed) in dates.items() if closed is not None and closed <= day
                   and not [d for d in days if closed <= d < day]}
        whole = {i for i, d in stored if d == day}
        assert whole <= live and whole
        if day in marks:
            assert whole == live
        assert {i for i, d in figures if d == day} == (live - whole) | settled, day
        for loan_id in live:
            since = max(d for i, d in stored if i == loan_id and d <= day)
            assert not [on for on in entry_days[loan_id] if since < on <= day], (loan_id, day)
        for loan_no, loan_id in loans.items():
            if loan_id in live:
                blob = stored[loan_id, day] if loan_id in whole else figures[loan_id, day]
                assert figures_of(blob, day) == full[day][loan_no], (loan_no, day)
            elif loan_id in settled:
                assert figures_of(figures[loan_id, day], day) == full[day][loan_no], (loan_no, day)
    for day, expected in full.items():
        assert dict(balances_as_of(ctx.db, day)) == expected, day
    # the reads of those days wrote back no whole state where the import kept the figures or none (a loan with no
    # entry since its last checkpoint): from that one the replay is as short (Q2's review: the first read re-wrote
    # thousands); those they wrote are of loans the import left out with an entry since (a watch outliving the
    # loan's settlement); the figures stay the import's
    after = _stored(ctx)
    assert {k: v for k, v in after.items() if k in stored} == stored and _figures(ctx) == figures
    for loan_id, day in {k for k in after if k[1] in earlier} - set(stored):
        assert (loan_id, day) not in figures or dates[loan_id][1] <= day  # or settled, under a watch
        since = max((d for i, d in stored if i == loan_id and d < day), default=date.min)
        assert [on for on in entry_days[loan_id] if since < on <= day], (loan_id, day)


@pytest.mark.parametrize(("book", "year", "quarter"), [("sample-fund", 2023, 2), ("sample-fund-events", 2024, 3)])
def test_the_first_report_of_a_past_quarter_after_an_import_replays_no_loan_without_a_life_event(
        book_url, book, year, quarter, monkeypatch):
    """Issue 17: right after an import (today 31/12/2024, 20/08/2025), the quarterly report of a past quarter — its
    quarter, the same a year before, the year to date — replays no loan but one with a life event in a period (whose
    list needs the entries) or one settled under a restructuring's watch (no ``quiet_from``: the loan list's cache
    does not take its figures as settled for good), reading every other loan's figures from the import's
    checkpoints, whole or figures only; its figures are a full replay's. Before the import kept the figures of a
    loan quiet since its last checkpoint, the 100,000-loan book's first report of 2/2024 replayed ~44,000 loans
    (10.3–11.0 s against ≤ 10)."""
    from fundapp.app import open_book
    from fundapp.domain import reporting
    from fundapp.services.reports import quarter_reports

    replayed = []
    real = reporting.loan_periods

    def counted(loan, periods, *args, **kwargs):
        replayed.append((loan.loan_no, tuple(periods)))
        return real(loan, periods, *args, **kwargs)

    today = date(2024, 12, 31) if book == "sample-fund" else date(2025, 8, 20)
    ctx = open_book(book_url, user="tester", today=today)
    try:
        check_and_import(ctx, GOLDEN / book)
        monkeypatch.setattr(reporting, "loan_periods", counted)
        got = quarter_reports(ctx, year, quarter)
        with_events = {lp.loan.loan_no for period in (got.current, got.year_before, got.year_to_date)
                       for lp in period.loans if lp.events}
        with ctx.db.engine.connect() as conn:
            watched = set(conn.execute(text("SELECT l.loan_no FROM loans l JOIN loan_state s ON s.loan_id = l.id "
                                            "WHERE s.closed_on IS NOT NULL AND s.quiet_from IS NULL")).scalars())
        assert replayed or book == "sample-fund"
        assert {no for no, _ in replayed} <= with_events | watched, replayed
        monkeypatch.setattr(reporting, "loan_periods", real)
        with full_replay():
            expected = quarter_reports(ctx, year, quarter)
        assert (got.current, got.year_before, got.year_to_date) == (
            expected.current, expected.year_before, expected.year_to_date)
    finally:
        ctx.db.dispose()


def test_no_checkpoint_is_kept_when_turned_off(ctx, monkeypatch):
    """FUNDAPP_IMPORT_CHECKPOINTS=0 (read when the import runs): the import writes none."""
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", "0")
    check_and_import(ctx, GOLDEN / "sample-fund")
    assert _stored(ctx) == {} and _figures(ctx) == {}


def test_a_back_dated_posting_after_an_import_still_voids_its_checkpoints(ctx):
    """The import writes its checkpoints after its entries, under the same voiding trigger as every posting
    (PostgreSQL: one statement-level trigger, migration 0008, never turned off): a repayment of HD2024-001 dated
    15/11/2024 deletes the loan's checkpoint of 31/12/2024 and keeps 30/09/2024's, and balances as of 31/12/2024
    are a full replay's."""
    from fundapp.domain.events import Kind
    from fundapp.services import events, posting

    check_and_import(ctx, GOLDEN / "sample-fund")
    loan_id = events.loan_id_of(ctx, "HD2024-001")
    before = {d for i, d in _stored(ctx) if i == loan_id}
    assert {date(2024, 9, 30), date(2024, 12, 31)} <= before
    if ctx.db.dialect == "postgresql":
        with ctx.db.engine.connect() as conn:
            assert conn.execute(text("SELECT tgenabled, tgtype & 1, tgnewtable FROM pg_trigger "
                                     "WHERE tgname = 'entries_void_checkpoints'")).one() == ("O", 0, "new_entries")
    posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2024, 11, 15), 1_000_000)
    assert {d for i, d in _stored(ctx) if i == loan_id} == before - {date(2024, 12, 31)}
    got = dict(balances_as_of(ctx.db, date(2024, 12, 31)))
    with full_replay():
        assert got == dict(balances_as_of(ctx.db, date(2024, 12, 31)))


def _quarters(first: int, last: int) -> list[tuple[date, date]]:
    ends = ((3, 31), (6, 30), (9, 30), (12, 31))
    return [(date(y, m - 2, 1), date(y, m, d)) for y in range(first, last + 1) for m, d in ends]


def test_a_back_dated_entry_or_reversal_after_an_import_voids_the_figures_a_report_reads(book_url):
    """The figures the import keeps (``replay_figures``, one row a loan dated its last day) are voided by the
    checkpoints' rule: after importing sample-fund-events (today 20/08/2025), HD2022-027's row (quarter ends
    30/09/2023 to 31/12/2024) is kept by a repayment dated 15/02/2025 (after it) and deleted by one dated
    15/02/2024; a reversal of HD2023-034's repayment dated inside its row deletes that row; after each, the
    reports of every quarter from 2022 to mid-2025 (all at once, and one by one) are a full replay's. With the
    triggers of migration 0010 (checkpoints only) HD2022-027's interest figures came out wrong."""
    from fundapp.app import open_book
    from fundapp.domain.events import Kind
    from fundapp.services import events, posting
    from fundapp.services.reports import book_period_reports

    periods = [*_quarters(2022, 2024), (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))]

    def rows_of(loan_id: int) -> list[date]:
        with ctx.db.engine.connect() as conn:
            return [_day(d) for d in conn.execute(
                text("SELECT on_date FROM replay_figures WHERE loan_id = :i"), {"i": loan_id}).scalars()]

    def reports_are_a_full_replays() -> None:
        for group in (periods, *([p] for p in periods[4:12])):
            got, _ = book_period_reports(ctx, group)
            with full_replay():
                expected, _ = book_period_reports(ctx, group)
            assert got == expected, group

    ctx = open_book(book_url, user="tester", today=date(2025, 8, 20))
    try:
        check_and_import(ctx, GOLDEN / "sample-fund-events")
        late = events.loan_id_of(ctx, "HD2022-027")
        assert rows_of(late) == [date(2024, 12, 31)]
        assert set(_figures(ctx)) >= {(late, date(2023, 9, 30)), (late, date(2024, 6, 30))}
        posting.post_transaction(ctx, late, Kind.REPAYMENT, date(2025, 2, 15), 50_000)
        assert rows_of(late) == [date(2024, 12, 31)]  # dated after its last day: every day of it still holds
        posting.post_transaction(ctx, late, Kind.REPAYMENT, date(2024, 2, 15), 50_000)
        assert rows_of(late) == []
        reports_are_a_full_replays()
        quiet = events.loan_id_of(ctx, "HD2023-034")
        (last,) = rows_of(quiet)
        days = sorted(d for i, d in _figures(ctx) if i == quiet)
        with ctx.db.engine.connect() as conn:
            entry_id, on = next((i, _day(d)) for i, d in conn.execute(text(
                "SELECT id, on_date FROM entries WHERE loan_id = :i AND kind = 'repayment' ORDER BY on_date, id"),
                {"i": quiet}) if days[0] < _day(d) <= last)
        posting.reverse_entry(ctx, entry_id, "ghi nhầm")
        assert rows_of(quiet) == [], on
        reports_are_a_full_replays()
    finally:
        ctx.db.dispose()


def _renamed_copy(book, folder):
    """The CSV book ``book`` copied into ``folder`` with other loan numbers, borrower codes, tax codes and
    references (HD→HX, KH→KX, a reference + "-X"): a second book importable beside the first, into new loans."""
    import csv

    renames = {"loan_no": lambda v: v.replace("HD", "HX", 1), "borrower_code": lambda v: v.replace("KH", "KX", 1),
               "code": lambda v: v.replace("KH", "KX", 1), "tax_code": lambda v: v and v[::-1],
               "reference": lambda v: v and v + "-X"}
    folder.mkdir()
    for path in book.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
            fields = list(rows[0]) if rows else []
        with (folder / path.name).open("w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, fields)
            out.writeheader()
            out.writerows({k: renames.get(k, lambda v: v)(v) for k, v in row.items()} for row in rows)
    return folder


def test_an_open_import_on_postgresql_does_not_hold_back_an_entry_on_another_loan(sample_ctx, tmp_path, monkeypatch):
    """Issue 17: while an import into new loans holds its transaction open, its entries already written (one batch
    per loan here), another connection inserts an entry on a loan of the book (HD2024-001) within a 1 s lock
    timeout, and its own checkpoints are voided by it. Before migration 0008 the import turned the voiding trigger
    off with ALTER TABLE entries DISABLE TRIGGER, whose lock on entries held every other writer until the commit:
    this insert failed on the lock timeout. After the import: its 40 new loans are in the book, the entry too."""
    from sqlalchemy import create_engine, insert
    from sqlalchemy.pool import NullPool

    from fundapp.ledger.models import EntryRecord
    from fundapp.services import events, import_write

    ctx = sample_ctx
    if ctx.db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: the import's BEGIN IMMEDIATE holds back every other writer")
    balances_as_of(ctx.db, date(2024, 12, 31))  # checkpoints of 31/12/2024
    loan_id = events.loan_id_of(ctx, "HD2024-001")
    assert (loan_id, date(2024, 12, 31)) in _stored(ctx)
    second = _renamed_copy(GOLDEN / "sample-fund", tmp_path / "second")
    monkeypatch.setattr(import_write, "WRITE_BATCH", 1)
    other = create_engine(ctx.db.engine.url, poolclass=NullPool)
    seen: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        if (done, total) != (3, 4):  # 3 of 4: every loan replayed and its entries written, before the commit
            return
        with ctx.db.engine.connect() as conn:
            seen["open import's entries"] = conn.execute(text("SELECT count(*) FROM entries")).scalar()
        with other.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '1s'")
            conn.execute(insert(EntryRecord.__table__).values(
                loan_id=loan_id, on_date=date(2024, 11, 15), kind="repayment", amount=1_000_000, reference="TN-F3",
                note="", entered_by="other", entered_at=datetime.now(UTC)))
            seen["other's checkpoints"] = conn.execute(text(
                "SELECT count(*) FROM replay_checkpoints WHERE loan_id = :i AND on_date = :d"),
                dict(i=loan_id, d=date(2024, 12, 31))).scalar()

    try:
        summary = check_and_import(ctx, second, progress=progress)
    finally:
        other.dispose()
    with ctx.db.engine.connect() as conn:
        entries = conn.execute(text("SELECT count(*) FROM entries")).scalar()
        new_loans = conn.execute(text("SELECT count(*) FROM loans WHERE loan_no LIKE 'HX%'")).scalar()
        other_entry = conn.execute(text("SELECT loan_id FROM entries WHERE reference = 'TN-F3'")).scalar()
    assert seen == {"open import's entries": 297, "other's checkpoints": 0}  # the import's rows: not yet visible
    assert summary.loans == new_loans == 40 and other_entry == loan_id
    assert entries == 297 + summary.transactions + 1


def test_an_import_into_the_books_loans_writes_their_checkpoints_anew(ctx, tmp_path):
    """An import adding a repayment (15/11/2024) to HD2024-001, a loan of the book with checkpoints at 31/03,
    30/06, 30/09 and 31/12/2024 from the first import: its replay of the loan from the first entry writes them all
    again (the old ones deleted first: the driver's insert has no conflict clause), each equal to a full replay's
    figures, and balances as of 31/12/2024 are a full replay's."""

    from fundapp.services import events

    check_and_import(ctx, GOLDEN / "sample-fund")
    loan_id = events.loan_id_of(ctx, "HD2024-001")
    before = {d for i, d in _stored(ctx) if i == loan_id}
    assert {date(2024, 9, 30), date(2024, 12, 31)} <= before
    folder = tmp_path / "more"  # one repayment more on a loan of the book
    folder.mkdir()
    (folder / "transactions.csv").write_text("loan_no,date,kind,amount,reference\n"
                                             "HD2024-001,2024-11-15,repayment,1000000,PT-MORE-1\n", encoding="utf-8")
    check_and_import(ctx, folder)
    stored = _stored(ctx)
    after = {d for i, d in stored if i == loan_id}
    assert after == before
    with full_replay():
        full = {day: dict(balances_as_of(ctx.db, day)) for day in after}
    for day in after:
        assert figures_of(stored[loan_id, day], day) == full[day]["HD2024-001"], day
    got = dict(balances_as_of(ctx.db, date(2024, 12, 31)))
    assert got == full[date(2024, 12, 31)]


def test_a_period_a_loan_was_settled_in_reads_totals_from_on_or_after_its_settlement_only():
    """``reports._known_periods`` for a loan settled for good on 10/05/2024 (``quiet``) read for the second quarter
    of 2024: the end's figures are zeros with the totals of a stored day from the settlement to the quarter's end
    (the import keeps one after it), never of a day before it (a repayment then was not the last) nor after the end;
    without such a day the period is replayed. The figures of the eve are read as stored."""
    from fundapp.domain.records import Balances
    from fundapp.domain.reporting import LoanDay
    from fundapp.services.reports import _known_periods

    def day(on: date, collected: int) -> LoanDay:
        return LoanDay(Balances(on, 5_000_000, 0, 0, 0, 0, 0, 0, 1), False, (1, 5_000_000, collected, 0, 0, 0, 0, 0,
                                                                             0, 0))

    eve, end, quiet = date(2024, 3, 31), date(2024, 6, 30), date(2024, 5, 10)
    pairs, span = [(eve, end)], (date(2023, 1, 5), quiet)
    settled = day(date(2024, 5, 31), 5_000_000)
    (got,) = _known_periods(pairs, span, {eve: day(eve, 1_000_000), date(2024, 5, 31): settled})
    assert got == (day(eve, 1_000_000), LoanDay(Balances(end, 0, 0, 0, 0, 0, 0, 0, 1), False, settled.totals))
    before = {eve: day(eve, 1_000_000), date(2024, 4, 30): day(date(2024, 4, 30), 3_000_000)}
    assert _known_periods(pairs, span, before) == [None]
    assert _known_periods(pairs, span, {eve: day(eve, 1_000_000), date(2024, 9, 30): settled}) == [None]
    assert _known_periods(pairs, span, {date(2024, 5, 31): settled}) == [None]  # the eve unknown
