"""No paper or figures of one loan at a day before its contract (an officer's trial: «statement HD2022-xxx --as-of
2000-01-01 --pdf» numbered 01/SK-QHT, a statement of all zeros of a loan signed in 2022). Refused by the services
(``loans.refuse_before_signing``), the command line's and the window's papers alike, before a number is taken and
before a file is written. The balances list keeps every loan (DOMAIN.md, the golden books): see the last test."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fundapp.cli import main
from fundapp.services import documents
from fundapp.services.document_register import document_register
from fundapp.services.errors import ValidationError

SIGNED = "Khoản vay HD2022-002 ký hợp đồng ngày 18/07/2022: không lập {paper} tại ngày {on}, trước ngày ký"


@pytest.fixture
def cli_book(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = tmp_path / "b.sqlite"
    assert main(["--db", str(book), "import", "../shared/golden/sample-fund"]) == 0
    capsys.readouterr()
    return book


def _register(book, capsys) -> list:
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if out.strip() else []  # an empty register prints nothing on stdout


@pytest.mark.parametrize(("command", "paper", "on"), [
    ("statement", "sao kê khoản vay", "2000-01-01"),  # the officer's trial
    ("statement", "sao kê khoản vay", "2022-07-17"),  # the day before the contract
    ("reconciliation", "biên bản đối chiếu công nợ", "2000-01-01"),
    ("reconciliation", "biên bản đối chiếu công nợ", "2022-07-17"),
])
def test_the_command_line_issues_no_paper_of_a_loan_before_its_contract(cli_book, tmp_path, capsys, command, paper,
                                                                        on):
    pdf = tmp_path / "x.pdf"
    assert main(["--db", str(cli_book), command, "HD2022-002", "--as-of", on, "--pdf", str(pdf)]) == 2
    day = date.fromisoformat(on).strftime("%d/%m/%Y")
    assert capsys.readouterr().err.strip() == "fundapp: " + SIGNED.format(paper=paper, on=day)
    assert not pdf.exists()  # no file written
    assert _register(cli_book, capsys) == []  # no number taken
    assert main(["--db", str(cli_book), command, "HD2022-002", "--as-of", "2022-07-18", "--pdf", str(pdf)]) == 0
    capsys.readouterr()
    assert pdf.exists() and len(_register(cli_book, capsys)) == 1  # the contract's day itself is the loan's


def test_the_command_line_schedule_at_a_day_before_the_contract_is_refused(cli_book, capsys):
    assert main(["--db", str(cli_book), "schedule", "HD2022-002", "--as-of", "2022-07-17", "--format", "json"]) == 2
    assert capsys.readouterr().err.strip() == "fundapp: " + SIGNED.format(paper="lịch trả nợ", on="17/07/2022")
    assert main(["--db", str(cli_book), "schedule", "HD2022-002", "--as-of", "2022-07-18", "--format", "json"]) == 0
    json.loads(capsys.readouterr().out)  # the contract's day itself is the loan's


@pytest.mark.parametrize(("kind", "paper", "field"), [
    ("statement", "sao kê khoản vay", "as_of"),
    ("reconciliation", "biên bản đối chiếu công nợ", "as_of"),
    ("schedule", "lịch trả nợ", "on"),
])
def test_the_services_refuse_the_preview_the_issue_and_the_file_alike(sample_ctx, tmp_path, kind, paper, field):
    """The window previews (``preview_document``) and issues (``issue_document``) through the same draft as the
    command line's ``write_document``: each is refused, the register stays empty, no file is written."""
    ctx, on = sample_ctx, date(2000, 1, 1)
    expected = SIGNED.format(paper=paper, on="01/01/2000")
    for make in (lambda: documents.preview_document(ctx, kind, "HD2022-002", on),
                 lambda: documents.issue_document(ctx, kind, "HD2022-002", on),
                 lambda: documents.write_document(ctx, kind, "HD2022-002", tmp_path / "x.pdf", on)):
        with pytest.raises(ValidationError) as err:
            make()
        assert err.value.message == expected and err.value.field == field
        assert "HD2022-002" in err.value.en and "18/07/2022" in err.value.en and "01/01/2000" in err.value.en
    assert document_register(ctx) == [] and not (tmp_path / "x.pdf").exists()
    with pytest.raises(ValidationError):
        documents.write_statement(ctx, "HD2022-002", on, tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        documents.write_reconciliation(ctx, "HD2022-002", on, tmp_path / "x.pdf")
    assert document_register(ctx) == [] and not (tmp_path / "x.pdf").exists()


def test_other_papers_of_the_loan_are_not_dated_by_the_day_asked(sample_ctx):
    """The receipt is dated its tranche's day and the schedule without a day is today's: neither is refused."""
    ctx = sample_ctx
    assert documents.preview_document(ctx, "receipt", "HD2022-002", reference="GN-00003").startswith(b"%PDF")
    assert documents.preview_document(ctx, "schedule", "HD2022-002").startswith(b"%PDF")


def test_balances_before_a_contract_still_list_the_loan_with_zeros(cli_book, capsys):
    """Kept as it is, on purpose: DOMAIN.md "Balances as of a date" lists a loan before its first disbursement
    «with every figure 0 and debt group 1», INTERCHANGE.md's balances are «one object per loan», and every balances
    date of the golden books (sample-fund's 2022-03-31: 34 loans not yet signed) lists those loans so."""
    assert main(["--db", str(cli_book), "balances", "--as-of", "2000-01-01", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 40 and [r["loan_no"] for r in rows] == sorted(r["loan_no"] for r in rows)
    assert all(r["debt_group"] == 1 and r["principal_outstanding"] == 0 for r in rows)


def _edited_book(tmp_path, monkeypatch, capsys, contract: str, disbursed: str):
    """The sample book with HD2022-002's contract date ``contract`` (empty allowed, INTERCHANGE.md) and its first
    disbursement GN-00003 dated ``disbursed``, imported."""
    from tests.golden import SAMPLE, sample_with

    def line(sheet: str, starts: str) -> int:  # the CSV line (the header is line 1) that begins with ``starts``
        rows = (SAMPLE / f"{sheet}.csv").read_text(encoding="utf-8").splitlines()
        return next(n for n, row in enumerate(rows, 1) if row.startswith(starts))

    signed = sample_with(tmp_path / "signed", "loans", line("loans", "HD2022-002,"), {"contract_date": contract})
    folder = sample_with(tmp_path / "lent", "transactions", line("transactions", "HD2022-002,2022-07-27,disbursement,"),
                         {"date": disbursed}, book=signed)
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = tmp_path / "e.sqlite"
    assert main(["--db", str(book), "import", str(folder)]) == 0
    capsys.readouterr()
    return book


@pytest.mark.parametrize(("contract", "disbursed", "refused", "taken", "words"), [
    # no contract date: the loan began with its first entry (a review: every paper passed, numbered, all zeros)
    ("", "2022-07-27", "2000-01-01", "2022-07-27",
     "Khoản vay HD2022-002 có bút toán đầu tiên ngày 27/07/2022: không lập sao kê khoản vay tại ngày 01/01/2000, "
     "trước ngày đó"),
    # disbursed before the contract date (the import takes it): the loan began with the disbursement — a statement
    # between the two shows it (the balances say 480.000.000 đ outstanding), and one before it is refused
    ("2022-07-18", "2022-07-10", "2022-07-09", "2022-07-15",
     "Khoản vay HD2022-002 có bút toán đầu tiên ngày 10/07/2022: không lập sao kê khoản vay tại ngày 09/07/2022, "
     "trước ngày đó"),
])
def test_a_loan_begins_with_its_contract_or_its_first_entry_if_earlier(tmp_path, monkeypatch, capsys, contract,
                                                                       disbursed, refused, taken, words):
    book = _edited_book(tmp_path, monkeypatch, capsys, contract, disbursed)
    pdf = tmp_path / "x.pdf"
    assert main(["--db", str(book), "statement", "HD2022-002", "--as-of", refused, "--pdf", str(pdf)]) == 2
    assert capsys.readouterr().err.strip() == "fundapp: " + words
    assert not pdf.exists() and _register(book, capsys) == []
    assert main(["--db", str(book), "statement", "HD2022-002", "--as-of", taken, "--pdf", str(pdf)]) == 0
    capsys.readouterr()
    assert pdf.exists() and len(_register(book, capsys)) == 1
