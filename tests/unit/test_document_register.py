"""Issue 10.3 / 11.2: a document takes its number when issued, never when previewed; a reprint keeps it; the
register has no gap per kind and year; eight officers issuing at once on PostgreSQL get 1..8."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest

from fundapp.services import documents
from fundapp.services.errors import ValidationError
from tests.docs.test_documents import text

LOAN = "HD2022-002"


def test_previews_take_no_number_issue_does_and_a_reprint_keeps_it(sample_ctx):
    ctx = sample_ctx
    for _ in range(2):  # the issue's two previews
        assert "Số:……" in text(documents.preview_document(ctx, "statement", LOAN, date(2023, 6, 30)))
    documents.statement_pdf(ctx, LOAN, date(2023, 6, 30))
    assert documents.document_register(ctx) == []
    first = documents.issue_document(ctx, "statement", LOAN, date(2023, 6, 30))
    assert first.register.label == "01/SK-QHT" and not first.register.reprint
    assert "Số:01/SK-QHT" in text(first.pdf)
    again = documents.issue_document(ctx, "statement", LOAN, date(2023, 6, 30))
    assert again.register.label == "01/SK-QHT" and again.register.reprint and again.pdf == first.pdf
    other = documents.issue_document(ctx, "statement", LOAN, date(2023, 12, 31))
    notice = documents.issue_document(ctx, "notice", LOAN, date(2023, 6, 30), month=(2023, 6))
    assert (other.register.label, notice.register.label) == ("02/SK-QHT", "01/TB-QHT")
    rows = documents.document_register(ctx, 2024)  # the book's today is 31/12/2024: numbers of 2024
    assert [(r.label, r.kind, r.loan_no, r.on, r.issued_by) for r in rows] == [
        ("01/SK-QHT", "statement", LOAN, date(2023, 6, 30), "tester"),
        ("02/SK-QHT", "statement", LOAN, date(2023, 12, 31), "tester"),
        ("01/TB-QHT", "notice", LOAN, date(2023, 6, 30), "tester"),
    ]
    assert documents.document_register(ctx, 2025) == []


def test_numbers_restart_each_year_and_have_no_gap(sample_ctx):
    ctx = sample_ctx
    documents.issue_document(ctx, "schedule", LOAN, date(2024, 12, 31))
    next_year = dataclasses.replace(ctx, today=lambda: date(2025, 1, 2))
    a = documents.issue_document(next_year, "schedule", LOAN, date(2025, 1, 2))
    b = documents.issue_document(next_year, "reconciliation", LOAN, date(2024, 12, 31))
    c = documents.issue_document(next_year, "statement", "HD2022-003", date(2024, 12, 31))
    d = documents.issue_document(next_year, "statement", "HD2022-008", date(2024, 12, 31))
    assert [x.register.label for x in (a, b, c, d)] == ["01/LTN-QHT", "01/BB-QHT", "01/SK-QHT", "02/SK-QHT"]
    for year in (2024, 2025):
        by_code: dict[str, list[int]] = {}
        for r in documents.document_register(ctx, year):
            by_code.setdefault(r.code, []).append(r.number)
        assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_code.values()), by_code


def test_a_document_dated_after_today_is_not_issued(sample_ctx):
    with pytest.raises(ValidationError) as err:
        documents.issue_document(sample_ctx, "statement", LOAN, date(2025, 1, 1))
    assert "sau ngày hôm nay 31/12/2024" in err.value.message
    assert documents.document_register(sample_ctx) == []


def test_the_cli_writes_an_issued_document_and_lists_the_register(sample_ctx, book_url, tmp_path, capsys):
    from fundapp.cli import main

    pdf = tmp_path / "sk.pdf"
    env = {"FUNDAPP_TODAY": "2024-12-31", "FUNDAPP_USER": "cli"}
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    try:
        assert main(["--db", book_url, "statement", LOAN, "--as-of", "2023-06-30", "--pdf", str(pdf)]) == 0
        assert "Số:01/SK-QHT" in text(pdf.read_bytes())
        capsys.readouterr()
        assert main(["--db", book_url, "documents", "--year", "2024", "--format", "csv"]) == 0
    finally:
        mp.undo()
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("01/SK-QHT,Sao kê khoản vay,HD2022-002,HD2022-002,2023-06-30,cli,")


@pytest.mark.postgres
def test_eight_officers_issuing_at_once_get_one_to_eight(sample_ctx, book_url):
    """Eight threads, each its own connection, issue eight different statements at the same instant (the first
    SK numbers of the year, when the counter row does not exist yet): 1..8, no gap, no duplicate, no error."""
    if "postgresql" not in book_url:
        pytest.skip("the race is PostgreSQL's (SQLite serialises writers on the file)")
    from fundapp.app import open_book

    loans = ["HD2022-002", "HD2022-003", "HD2022-007", "HD2022-008", "HD2022-011", "HD2022-020", "HD2022-022",
             "HD2022-028"]
    barrier = threading.Barrier(len(loans))
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def officer(loan_no: str) -> None:
        ctx = open_book(book_url, user=f"cb-{loan_no}", today=date(2024, 12, 31))
        try:
            draft = documents._draft(ctx, "statement", loan_no, date(2024, 12, 31))
            barrier.wait()
            row = documents.take_numbers(ctx, "statement", [(draft.subject, draft.on, draft.loan_no, draft.digest)])[0]
            results[loan_no] = row.label
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            ctx.db.dispose()

    threads = [threading.Thread(target=officer, args=(no,)) for no in loans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(results.values()) == [f"{n:02d}/SK-QHT" for n in range(1, 9)]
    rows = documents.document_register(sample_ctx, 2024)
    assert sorted(r.number for r in rows) == list(range(1, 9))
    assert {r.loan_no: r.label for r in rows} == results
