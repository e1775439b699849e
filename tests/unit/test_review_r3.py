"""Reviewer R3's findings (issue 17's import on a shared PostgreSQL book, the import's refusals), tried as an officer
would. Each test fails today and is marked xfail(strict=True): when the fault is fixed the test passes, and the mark
must go."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, text

from fundapp.domain.events import Kind
from fundapp.services import events, import_write, posting
from fundapp.services.errors import ImportRefused, UserFacingError
from fundapp.services.imports import check_and_import
from tests.golden import SAMPLE
from tests.unit.test_import_checkpoints import _renamed_copy


def _loan_count(ctx) -> int:
    from fundapp.ledger.models import LoanRecord

    with ctx.db.unit() as s:
        return s.scalar(select(func.count()).select_from(LoanRecord))


def _other_officer(ctx):
    from fundapp.app import open_book

    return open_book(str(ctx.db.engine.url.render_as_string(hide_password=False)), user="officer",
                     today=date(2024, 12, 31))


def test_an_import_meeting_a_reference_posted_meanwhile_names_its_line(sample_ctx, tmp_path):
    """Shared PostgreSQL book with the sample imported; a second book (the sample renamed: HX…, references …-X) is
    imported while another officer posts a repayment on HD2022-008 referenced PT-00074-X, which is the second book's
    transactions.csv line 158. The import must be refused naming that line and reference, nothing of it written.
    Reproduce by hand: FUNDAPP_TODAY=2031-12-31, a PostgreSQL book with sample-fund imported, start
    ``fundapp import`` of a generated book (benchmarks/bookgen, 3,000 loans) one of whose rows is referenced
    PT-2024-00001, and meanwhile ``fundapp post repayment HD2022-008 --on 2024-12-31 --amount 1000000`` (it commits
    PT-2024-00001 at once); the import ends «fundapp: lỗi không mong muốn…», exit 1 (log: UniqueViolation
    uq_entries_reference, COPY entries)."""
    ctx = sample_ctx
    if ctx.db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: the import's BEGIN IMMEDIATE holds back the posting")
    second = _renamed_copy(SAMPLE, tmp_path / "second")
    loan_id = events.loan_id_of(ctx, "HD2022-008")
    other = _other_officer(ctx)
    before = _loan_count(ctx)

    def progress(done: int, total: int) -> None:
        if (done, total) == (2, 4):  # the file checked against the book, nothing of it written yet
            posting.post_transaction(other, loan_id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000,
                                     reference="PT-00074-X")

    try:
        with pytest.raises(ImportRefused) as refused:
            check_and_import(ctx, second, progress=progress)
    finally:
        other.db.dispose()
    assert any(p.startswith("transactions.csv:158:") and "PT-00074-X" in p for p in refused.value.problems), \
        refused.value.problems
    assert _loan_count(ctx) == before


def test_a_posting_meeting_a_reference_an_open_import_wrote_is_refused_in_words(sample_ctx, tmp_path, monkeypatch):
    """Shared PostgreSQL book with the sample imported; while the renamed sample's import has written every entry
    (progress 3/4) but not committed, another officer posts 1.000.000 đ on HD2022-008 referenced PT-00074-X, a
    reference of the import's. The posting must end as a UserFacingError naming the reference (field reference);
    the import commits its 40 loans."""
    ctx = sample_ctx
    if ctx.db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: the import's BEGIN IMMEDIATE holds back the posting")
    monkeypatch.setattr(import_write, "WRITE_BATCH", 1)  # each loan's entries written as soon as replayed
    second = _renamed_copy(SAMPLE, tmp_path / "second")
    loan_id = events.loan_id_of(ctx, "HD2022-008")
    other = _other_officer(ctx)
    before = _loan_count(ctx)
    outcome: dict[str, object] = {}

    def post() -> None:
        try:
            outcome["entry"] = posting.post_transaction(other, loan_id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000,
                                                        reference="PT-00074-X")
        except Exception as err:  # asserted below
            outcome["error"] = err

    thread = threading.Thread(target=post)

    def progress(done: int, total: int) -> None:
        if (done, total) == (3, 4):  # every entry of the import written, its transaction open
            thread.start()
            with ctx.db.engine.connect() as watch:  # until the posting waits on the unique index for the import's end
                for _ in range(1200):
                    if not thread.is_alive() or watch.execute(text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock'")).scalar():
                        break
                    watch.rollback()
                    time.sleep(0.05)

    try:
        check_and_import(ctx, second, progress=progress)
        thread.join(60)
    finally:
        other.db.dispose()
    assert _loan_count(ctx) == before + 40
    err = outcome.get("error")
    assert isinstance(err, UserFacingError), repr(err)
    assert "PT-00074-X" in err.message and err.field == "reference", err.message


def _sample_with_line(tmp_path, starts: str, new: str):
    """The sample book copied into tmp_path/book with its transactions.csv line starting ``starts`` replaced by
    ``new``; returns (folder, that line's number)."""
    folder = tmp_path / "book"
    folder.mkdir()
    for path in SAMPLE.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    path = folder / "transactions.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(starts))
    lines[number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder, number + 1


def test_a_row_with_more_cells_than_the_header_is_refused_on_its_line(ctx, tmp_path):
    """sample-fund with HD2024-004's only entry, transactions.csv line 277 «…,disbursement,1460000000,GN-00019»,
    written «…,disbursement,1,460,000,000,GN-00019»: 7 cells under a 5-cell header. The import must refuse
    «transactions.csv:277: …» and write nothing. Today it reports nothing, and the book holds HD2024-004 disbursed
    1 đ (reference 460) instead of 1.460.000.000 đ. Reproduce: ``fundapp --db x.sqlite import FOLDER`` on such a
    copy (exit 0, «Đã nhập: … 297 giao dịch»); with the same on HD2022-020's line 3 (740,000,000) the import is
    refused, but on lines 12, 29, … (repayments above a 747 đ settlement), never on line 3."""
    folder, line = _sample_with_line(tmp_path, "HD2024-004,2024-10-26,disbursement,1460000000,GN-00019",
                                     "HD2024-004,2024-10-26,disbursement,1,460,000,000,GN-00019")
    assert line == 277
    with pytest.raises(ImportRefused) as refused:
        check_and_import(ctx, folder)
    assert any(p.startswith("transactions.csv:277:") for p in refused.value.problems), refused.value.problems
    assert _loan_count(ctx) == 0


def test_one_bad_disbursement_is_one_problem_or_its_followers_name_it(ctx, tmp_path):
    """sample-fund with HD2022-020's disbursement (transactions.csv line 3) dated «2022-02-31». The officer must be
    told of line 3, and of nothing else unless it names line 3 as the cause. Today: «Không nhập dữ liệu: 12 dòng
    có lỗi», line 3 and lines 12, 29, 54 … «Không thể thu nợ ngày 01/05/2022: khoản vay chưa được giải ngân trước
    ngày đó». Reproduce: ``fundapp --db x.sqlite import FOLDER`` on such a copy."""
    folder, line = _sample_with_line(tmp_path, "HD2022-020,2022-02-01,disbursement,740000000,GN-00166",
                                     "HD2022-020,2022-02-31,disbursement,740000000,GN-00166")
    assert line == 3
    with pytest.raises(ImportRefused) as refused:
        check_and_import(ctx, folder)
    problems = refused.value.problems
    assert problems[0].startswith("transactions.csv:3:"), problems
    assert all("dòng 3" in p or "transactions.csv:3" in p.split(" ")[0] for p in problems[1:]), problems


def test_the_reports_pages_summary_shows_the_quarters_life_events_as_the_pdf_does(book_url):
    """sample-fund-events, 2022 Q4 (HD2022-025 written off on 31/12/2022, HD2022-015 restructured, HD2022-003's
    24.667 đ late interest relieved): the PDF's rows 13–19 read 1 restructuring, 1.200.000.000 đ restructured
    outstanding, 24.667 relieved, 756.521.742 principal and 32.065.304 interest written off, 0 recovered,
    788.587.046 off-balance at the quarter's end. The page's summary rows (ui.pages.quarter_tables.summary_rows)
    must carry the same labels and figures. Reproduce: Báo cáo → Năm 2022, Quý IV on that book; compare with
    ``fundapp report quarterly --year 2022 --quarter 4 --pdf q.pdf``."""
    from fundapp.app import open_book
    from fundapp.domain.labels import REPORT_LABELS
    from fundapp.services.reports import quarter_reports
    from fundapp.ui.pages.quarter_tables import summary_rows
    from tests.golden import GOLDEN

    ctx = open_book(book_url, user="tester", today=date(2025, 12, 31))
    try:
        check_and_import(ctx, GOLDEN / "sample-fund-events")
        rows = {row[0]: row[1] for row in summary_rows(quarter_reports(ctx, 2022, 4))}
    finally:
        ctx.db.dispose()
    wanted = {"restructured_count": "1", "restructured_outstanding": "1.200.000.000", "interest_relieved": "24.667",
              "written_off_principal": "756.521.742", "written_off_interest": "32.065.304", "recovered": "0"}
    assert {key: rows.get(str(REPORT_LABELS[key])) for key in wanted} == wanted
