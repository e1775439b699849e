"""Life events in the ledger (SQLite and PostgreSQL): stored with their decision number, reason, who and when;
reversed by the usual reversal (the figures then equal a book that never had them); back-dated events recompute
like any entry; migration 0003 upgrades a book of 0001 that holds entries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from fundapp.domain.events import Restructuring
from fundapp.ledger import entry_store, lending_store, state_cache
from fundapp.services import events
from fundapp.services.book_reads import balances_as_of
from fundapp.services.errors import UserFacingError
from fundapp.services.imports import check_and_import
from fundapp.services.loans import loan_view
from fundapp.services.posting import reverse_entry
from tests.golden import GOLDEN

EVENTS_BOOK = GOLDEN / "sample-fund-events"
T = date(2025, 6, 30)


def _open(url: str):
    from fundapp.app import open_book

    return open_book(url, user="cán bộ A", today=date(2025, 12, 31))


@pytest.fixture
def book(book_url):
    """sample-fund-events imported, read on 31/12/2025."""
    ctx = _open(book_url)
    check_and_import(ctx, EVENTS_BOOK)
    yield ctx
    ctx.db.dispose()


def _figures(ctx, when: date = T) -> dict:
    return {no: b.as_dict() for no, b in balances_as_of(ctx.db, when)}


def test_an_event_is_stored_with_its_decision_reason_who_and_parameters(book):
    loan_id = events.loan_id_of(book, "HD2023-005")
    posted = events.restructure(book, loan_id, T, 3, 1, "QĐ-CC-0200", "Bão số 4")
    assert (posted.allocation.deferred_interest, posted.allocation.number) == (6_731_507, 1)
    with book.db.unit() as s:
        entry = entry_store.entry(s, posted.entry_id)
        params = entry_store.events_of(s, [posted.entry_id])[posted.entry_id]
    assert (entry.kind, entry.on_date, entry.reference, entry.entered_by, entry.amount) == (
        "restructure", T, "QĐ-CC-0200", "cán bộ A", 0)
    assert (params.reason, params.extend_months, params.grace_periods) == ("Bão số 4", 3, 1)
    history = loan_view(book, "HD2023-005", T).history
    assert [(h.kind, h.reference, h.reason) for h in history if h.kind == "restructure"] == [
        ("restructure", "QĐ-CC-0200", "Bão số 4")]
    # the first installment after the restructuring carries no principal (grace 1), the next ones the rest
    schedule = loan_view(book, "HD2023-005", T).schedule
    after = [i for i in schedule if i.due_on > T]
    assert after[0].principal == 0 and sum(i.principal for i in after) == 682_500_000


def test_reversing_an_event_gives_the_figures_of_a_book_that_never_had_it(book, tmp_path):
    never = _figures(book)
    loan_id = events.loan_id_of(book, "HD2024-028")
    posted = events.write_off(book, loan_id, T, "QĐ-XL-0200", "Giải thể")
    assert _figures(book)["HD2024-028"]["written_off_principal"] == 850_000_000
    reverse_entry(book, posted.entry_id, "Ghi nhầm khoản vay")
    assert _figures(book) == never
    with book.db.unit() as s:
        assert dict(_state_rows(s))["HD2024-028"] == "overdue"
    fresh = _open(str(tmp_path / "fresh.sqlite"))
    check_and_import(fresh, EVENTS_BOOK)
    assert _figures(book) == _figures(fresh)
    assert _figures(book, date(2024, 12, 31)) == _figures(fresh, date(2024, 12, 31))


def _state_rows(s):
    return s.execute(text("SELECT l.loan_no, s.status FROM loan_state s JOIN loans l ON l.id = s.loan_id")).all()


def test_a_back_dated_write_off_recomputes_the_cache_and_later_balances(book):
    loan_id = events.loan_id_of(book, "HD2024-028")
    events.write_off(book, loan_id, date(2025, 5, 15), "QĐ-XL-0201", "Giải thể")
    with book.db.unit() as s:
        status = dict(_state_rows(s))
        skipped = state_cache.loans_without_balance(s, T)
    assert status["HD2024-028"] == "written_off"
    assert loan_id not in skipped  # its off-balance figures must be read, not zeros
    b = _figures(book)["HD2024-028"]
    assert (b["principal_outstanding"], b["written_off_principal"], b["debt_group"]) == (0, 850_000_000, 1)
    assert b["written_off_interest"] > 0


def test_a_back_dated_event_that_breaks_a_later_entry_is_refused_and_writes_nothing(book):
    """A write-off dated before the loan's second tranche (27/03/2024): a disbursement after a write-off is
    refused, so the service refuses the write-off, naming the later entry, and writes nothing."""
    loan_id = events.loan_id_of(book, "HD2024-018")
    before = _figures(book)
    with pytest.raises(UserFacingError) as err:
        events.write_off(book, loan_id, date(2024, 3, 20), "QĐ-CC-0202", "Thử")
    assert "27/03/2024" in err.value.message and "GN-00132" in err.value.message
    with book.db.unit() as s:
        assert "QĐ-CC-0202" not in entry_store.references(s)
        count = s.execute(text("SELECT COUNT(*) FROM entry_events")).scalar()
    assert count == 18 + 4  # the book's events and openings, nothing more
    assert _figures(book) == before


def test_a_relief_above_what_is_payable_is_refused_naming_the_most(book):
    loan_id = events.loan_id_of(book, "HD2024-012")
    with pytest.raises(UserFacingError) as err:
        events.relieve_interest(book, loan_id, T, "overdue_interest", 100_000_000, "QĐ-MG-0200", "Thiên tai")
    assert "19.087.151" in err.value.message
    with pytest.raises(UserFacingError) as err:
        events.relieve_interest(book, loan_id, T, "lai_phat", 1, "QĐ-MG-0200", "Thiên tai")
    assert err.value.field == "relief_of"
    with pytest.raises(UserFacingError) as err:
        events.write_off(book, loan_id, T, "QĐ-XL-0203", "   ")
    assert err.value.field == "reason"


def test_an_opening_posted_through_the_service_reads_back(book_url):
    from fundapp.domain.events import Opening

    ctx = _open(book_url)
    try:
        check_and_import(ctx, EVENTS_BOOK)
        # the same loan in a second book: HD2021-032 opened on 31/05/2022 as in openings.csv
        with ctx.db.unit() as s:
            opening_row = next(
                r for r in entry_store.entries_in_force(s)[0] if r.kind == "opening" and r.loan_id == _loan(s, "HD2021-032"))
            params = entry_store.events_of(s, [opening_row.id])[opening_row.id]
        assert (opening_row.on_date, opening_row.amount, params.first_disbursement_date,
                params.oldest_overdue_date, params.interest_due_unpaid) == (
            date(2022, 5, 31), 450_000_000, date(2021, 12, 6), date(2022, 3, 6), 7_323_288)
        opening = Opening(date(2022, 5, 31), date(2021, 12, 6), 450_000_000, 450_000_000, 0, date(2022, 3, 6),
                          7_323_288, 7_079_178, 0, 172_549)
        loan_id = events.loan_id_of(ctx, "HD2021-032")
        with pytest.raises(UserFacingError):  # a second opening of the same loan
            events.post_opening(ctx, loan_id, opening)
    finally:
        ctx.db.dispose()


def _loan(s, loan_no: str) -> int:
    return lending_store.loan_by_no(s, loan_no).id


def test_restructuring_record_round_trips_through_the_store(book):
    from fundapp.services.book_loader import entries_by_loan

    with book.db.unit() as s:
        loan_id = _loan(s, "HD2022-024")
        entries = entries_by_loan(s, [loan_id])[loan_id]
    assert [e for e in entries if isinstance(e, Restructuring)] == [
        Restructuring(date(2023, 9, 28), 12, 0, "QĐ-CC-0012", "Ảnh hưởng bão lũ tháng 10"),
        Restructuring(date(2024, 6, 17), 6, 0, "QĐ-CC-0013", "Sạt lở đất sau mưa lớn"),
    ]


def test_migration_0003_upgrades_a_0001_book_with_entries(book_url):
    """A book of revision 0001 holding a disbursement and its reversal upgrades to the head; events then post."""
    from fundapp.ledger.db import HEAD, Database, current_revision
    from tests.old_books import old_book

    url, engine = old_book(book_url, "0001")
    engine.dispose()
    db = Database(url)
    assert current_revision(db.engine) == HEAD
    db.dispose()
    ctx = _open(book_url)
    try:
        loan_id = events.loan_id_of(ctx, "HD1")
        events.write_off(ctx, loan_id, date(2024, 6, 30), "QĐ-XL-1", "Giải thể")
        b = dict(balances_as_of(ctx.db, date(2024, 6, 30)))["HD1"]
        assert (b.principal_outstanding, b.written_off_principal) == (0, 120_000_000)
        with ctx.db.unit() as s, pytest.raises(Exception, match="append-only"):
            s.execute(text("UPDATE entry_events SET reason = 'x'"))
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_reports_show_the_life_events_with_vietnamese_headings(book, tmp_path):
    """The quarterly and annual .xlsx carry the new figures as number cells (#,##0) equal to the JSON; the PDFs
    print them under the same headings."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fundapp.documents.report_labels import LIFE_EVENT_LABELS
    from fundapp.services.documents import write_period_report, write_quarterly
    from fundapp.services.reports import annual_summary, quarterly_json

    def cells(path):
        out = {}
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                labels = [c.value for c in row if isinstance(c.value, str)]
                numbers = [c for c in row if isinstance(c.value, int) and c.number_format == "#,##0"]
                for key, (label, _) in LIFE_EVENT_LABELS.items():
                    if label in labels and numbers:
                        out.setdefault(key, numbers[0].value)
        return out

    def pdf_text(path):
        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)

    figures = quarterly_json(book, 2023, 4)
    assert (figures["interest_relieved"], figures["recovered"], figures["off_balance"]) == (
        14_155_397, 375_375_000, 1_724_740_711)
    write_quarterly(book, 2023, 4, xlsx=tmp_path / "q.xlsx", pdf=tmp_path / "q.pdf")
    assert cells(tmp_path / "q.xlsx") == {key: figures[key] for key in LIFE_EVENT_LABELS}
    text = pdf_text(tmp_path / "q.pdf")
    assert "Nợ đã xử lý theo dõi ngoại bảng cuối kỳ đồng 1.724.740.711" in text
    year = annual_summary(book, 2023)
    write_period_report(book, 2023, None, xlsx=tmp_path / "a.xlsx", pdf=tmp_path / "a.pdf")
    assert cells(tmp_path / "a.xlsx") == {key: year[key] for key in LIFE_EVENT_LABELS}
    assert "Thu hồi nợ đã xử lý rủi ro 375.375.000" in pdf_text(tmp_path / "a.pdf")


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_the_overview_replays_the_events_and_counts_no_recovery_as_collected(book):
    from fundapp.services.overview import overview
    from fundapp.services.reports import quarterly_json

    q1 = quarterly_json(book, 2024, 1)
    figures = overview(book, date(2024, 3, 31))
    # HD2022-029's recovery of 906.014.000 đ on 07/01/2024 is not a collection
    assert figures.collected_year == q1["principal_collected"] + q1["interest_collected"]
    assert figures.outstanding == q1["outstanding"] and figures.disbursed_year == q1["disbursed_amount"]


def test_the_overview_cards_count_no_recovery_as_collected(book):
    """The cards' flows come from SQL (entry_store.flow_sums): the 2024 collections leave out HD2022-029's recovery of
    906.014.000 đ on 07/01/2024 and HD2022-025's, as the replayed overview does."""
    from fundapp.services.overview import overview

    with book.db.unit() as s:
        flows = entry_store.flow_sums(s, date(2024, 1, 1), date(2024, 12, 31))
        raw = s.execute(text("SELECT SUM(amount) FROM entries WHERE kind = 'repayment' "
                             "AND on_date BETWEEN '2024-01-01' AND '2024-12-31'")).scalar()
    assert raw - flows["repayment"] >= 906_014_000
    replayed = overview(book, date(2024, 12, 31))
    assert flows["repayment"] == replayed.collected_year


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_an_import_checks_and_writes_in_one_transaction(book, tmp_path):
    """Issue 13.2: a repayment posted by another officer while an import is being checked must not slip between
    the check and the write. The other officer's settlement waits for the import's transaction, then is refused
    (the loan changed meanwhile); every entry of the book still stands."""
    import threading

    from fundapp.domain.replay import replay_entries
    from fundapp.services.book_loader import load_book
    from fundapp.services.posting import post_transaction, quote_on

    loan_id = events.loan_id_of(book, "HD2024-013")
    settle_on = date(2025, 5, 20)
    settlement = quote_on(book, loan_id, settle_on).settlement
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "transactions.csv").write_text("loan_no,date,kind,amount,reference\n"
                                             "HD2024-013,2025-05-31,repayment,1000000,PT-THEM-1\n", encoding="utf-8")
    other = _open(str(book.db.url).removeprefix("sqlite:///"))
    outcome: list[object] = []

    def officer() -> None:
        from fundapp.domain.events import Kind

        try:
            outcome.append(post_transaction(other, loan_id, Kind.REPAYMENT, settle_on, settlement, "PT-TAT-TOAN"))
        except UserFacingError as err:
            outcome.append(err)

    thread = threading.Thread(target=officer)

    def progress(done: int, total: int) -> None:
        if done == 2:  # the book read and checked, nothing written yet
            thread.start()
            thread.join(timeout=1.5)

    check_and_import(book, folder, progress=progress)
    thread.join(timeout=30)
    other.db.dispose()
    assert outcome and isinstance(outcome[0], UserFacingError), outcome
    for loan in load_book(book.db):  # nothing in the book is refused by a replay
        replay_entries(loan.input.terms, loan.input.transactions)


def test_a_written_off_loan_is_on_no_notice_of_debt_due(book):
    """DOMAIN.md "Write-off": from the write-off on the loan has nothing due, its schedule staying as it stood.
    HD2022-025 (KH0001) was written off on 31/12/2022; March 2023's notice to KH0001 listed its unpaid installment
    of 39,767,825 đ in a total of 44,922,893 đ (review of 93c585f). No notice lists it; KH0001's lists its others."""
    from fundapp.services.documents import due_notices

    on = date(2023, 3, 5)
    notices = due_notices(book, 2023, 3, on=on)
    listed = {i.loan_no for n in notices for i in n.items} | {a.loan_no for n in notices for a in n.arrears}
    assert listed and "HD2022-025" not in listed
    (kh0001,) = due_notices(book, 2023, 3, on=on, borrower_code="KH0001")
    assert kh0001.items and {i.loan_no for i in kh0001.items} | {a.loan_no for a in kh0001.arrears} <= listed
    assert kh0001.total < 44_922_893


def test_nothing_is_posted_or_reversed_on_or_before_a_write_off_in_force(book):
    """A write-off's amounts are the director's decision, printed and numbered: a repayment, restructuring or relief
    dated on or before it, or the reversal of an entry dated so, would be applied before it (DOMAIN.md's order of
    one date ends with write-offs) and silently change what it wrote off (a new officer's trial: a repayment posted
    on the write-off's day took 5.000.000 đ from the written-off principal; a restructuring was recorded on the
    written-off loan). Refused, naming the decision; a recovery after it, the reversal of the recovery and of the
    write-off itself go on."""
    from fundapp.domain.engine import Kind
    from fundapp.services.posting import post_transaction

    loan_id = events.loan_id_of(book, "HD2024-028")
    posted = events.write_off(book, loan_id, T, "QĐ-XL-0300", "Giải thể")
    written_off = _figures(book, date(2025, 12, 31))["HD2024-028"]
    with book.db.unit() as s:
        earlier = next(r for r in entry_store.entries_in_force(s, [loan_id])[0] if r.kind == "repayment")
    from fundapp.services.event_previews import preview_recovery, preview_relief, preview_restructure
    from fundapp.services.posting import preview_repayment

    for attempt in (lambda: post_transaction(book, loan_id, Kind.REPAYMENT, T, 5_000_000),
                    # the previews say what the posting would (the window's recovery dialog said «Giao dịch … đứng
                    # trước giao dịch đã ghi …», naming neither the write-off nor what to do)
                    lambda: preview_repayment(book, loan_id, T, 5_000_000),
                    lambda: preview_recovery(book, loan_id, T, 5_000_000),
                    lambda: preview_restructure(book, loan_id, T, 3, 0),
                    lambda: preview_relief(book, loan_id, T, "late_interest", 1),
                    lambda: post_transaction(book, loan_id, Kind.REPAYMENT, date(2025, 6, 1), 5_000_000),
                    lambda: events.restructure(book, loan_id, T, 3, 0, "QĐ-CC-0300", "Bão"),
                    lambda: events.relieve_interest(book, loan_id, T, "late_interest", 1, "QĐ-MG-0300", "Bão"),
                    lambda: reverse_entry(book, earlier.id, "Ghi nhầm")):
        with pytest.raises(UserFacingError) as err:
            attempt()
        assert "QĐ-XL-0300" in err.value.message and "30/06/2025" in err.value.message, err.value.message
    assert _figures(book, date(2025, 12, 31))["HD2024-028"] == written_off
    recovery = post_transaction(book, loan_id, Kind.REPAYMENT, date(2025, 7, 15), 1_000_000)
    assert _figures(book, date(2025, 12, 31))["HD2024-028"]["written_off_principal"] == (
        written_off["written_off_principal"] - 1_000_000)
    reverse_entry(book, recovery.entry_id, "Ghi nhầm")
    reverse_entry(book, posted.entry_id, "Ghi nhầm khoản vay")
    post_transaction(book, loan_id, Kind.REPAYMENT, T, 5_000_000)  # no write-off in force: back-dating as before
