"""A file to be written into a folder that does not exist is refused naming the folder, by one refusal
(document_register.refuse_missing_folder) that save, the report files, the loan documents, the Word papers and the
command line share: no folder is created and no number is taken (issue 16's leftovers)."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.cli import main
from fundapp.services import document_register, documents, paper_issue, report_documents
from fundapp.services.errors import ValidationError


def _refused(call, missing) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert f"Thư mục «{missing}» không có" in caught.value.vi
    assert f"«{missing}»" in caught.value.en and "does not exist" in caught.value.en
    assert not missing.exists()
    return caught.value


def test_save_refuses_a_missing_folder_and_creates_nothing(tmp_path):
    missing = tmp_path / "khong-co" / "con"
    err = _refused(lambda: document_register.save(missing / "sk.pdf", b"%PDF-1.4"), missing)
    assert err.field == "path"
    assert document_register.save(tmp_path / "sk.pdf", b"%PDF-1.4") == tmp_path / "sk.pdf"
    assert (tmp_path / "sk.pdf").read_bytes() == b"%PDF-1.4"


def test_every_written_paper_refuses_a_missing_folder_before_its_number(sample_ctx, tmp_path):
    ctx, missing = sample_ctx, tmp_path / "khong-co"
    _refused(lambda: documents.write_statement(ctx, "HD2022-002", date(2024, 6, 30), missing / "sk.pdf"), missing)
    _refused(lambda: documents.write_notices(ctx, 2024, 12, missing / "tb.pdf"), missing)
    _refused(lambda: report_documents.write_quarterly(ctx, 2024, 4, xlsx=missing / "q.xlsx"), missing)
    _refused(lambda: report_documents.write_portfolio(ctx, date(2024, 12, 31), pdf=missing / "p.pdf"), missing)
    _refused(lambda: report_documents.write_period_report(ctx, 2024, 1, xlsx=tmp_path / "h.xlsx",
                                                          pdf=missing / "h.pdf"), missing)
    _refused(lambda: paper_issue.issue_loan_paper(ctx, "contract", "HD2024-001", missing / "hd.docx"), missing)
    _refused(lambda: paper_issue.write_loan_draft(ctx, "contract", "HD2024-001", missing / "hd.docx"), missing)
    assert documents.document_register(ctx) == []  # nothing numbered
    assert not (tmp_path / "h.xlsx").exists()  # the half-year's .xlsx was not written before its PDF's folder refused


def test_the_command_line_names_the_option_and_the_folder(sample_ctx, book_url, tmp_path, capsys):
    missing = tmp_path / "khong-co"
    assert main(["--db", book_url, "report", "annual", "--year", "2024", "--pdf", str(missing / "n.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"--pdf {missing / 'n.pdf'}: Thư mục «{missing}» không có: tạo thư mục đó trước" in err
    assert not missing.exists()


def test_a_folder_given_as_the_file_is_refused_before_its_number(sample_ctx, tmp_path):
    """The reviewer's finding (statement --pdf DIR took 01/SK-QHT): a target that is an existing folder is refused
    by the same check, naming it, in both languages, before any number is taken."""
    ctx, folder = sample_ctx, tmp_path / "giay-to"
    folder.mkdir()
    calls = [lambda: documents.write_statement(ctx, "HD2022-002", date(2024, 6, 30), folder),
             lambda: documents.write_notices(ctx, 2024, 12, folder),
             lambda: report_documents.write_portfolio(ctx, date(2024, 12, 31), pdf=folder),
             lambda: paper_issue.issue_loan_paper(ctx, "contract", "HD2024-001", folder),
             lambda: document_register.save(folder, b"%PDF-1.4")]
    for call in calls:
        with pytest.raises(ValidationError) as caught:
            call()
        assert f"«{folder}» là một thư mục, không phải tệp" in caught.value.vi
        assert f"«{folder}» is a folder, not a file" in caught.value.en
    assert documents.document_register(ctx) == []  # nothing numbered
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_a_report_over_the_book_or_two_files_under_one_name_is_refused(sample_ctx, book_url, tmp_path, capsys):
    """A new officer's trial: «report quarterly --xlsx sổ.sqlite» replaced the open book with a report (the next
    command: «không phải tệp sổ fundapp»), and «--xlsx X --pdf X» said «Đã ghi X» twice, the .xlsx lost. Both are
    refused by the one check of targets, before any number is taken, the book byte for byte."""
    book = tmp_path / "book.sqlite"
    before = book.read_bytes()[:100]
    for option in ("--xlsx", "--pdf"):
        assert main(["--db", book_url, "report", "quarterly", "--year", "2024", "--quarter", "2", option,
                     str(book)]) == 2
        assert "là một tệp sổ dữ liệu, không ghi đè lên được" in capsys.readouterr().err
    with pytest.raises(ValidationError) as caught:
        report_documents.write_quarterly(sample_ctx, 2024, 2, xlsx=tmp_path / "q", pdf=tmp_path / "q")
    assert "được chọn cho hai tệp" in caught.value.vi
    assert not (tmp_path / "q").exists()
    assert documents.document_register(sample_ctx) == []
    assert book.read_bytes()[:100] == before
    assert main(["--db", book_url, "balances", "--as-of", "2024-06-30"]) == 0


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_a_report_broken_off_while_written_leaves_the_old_file(sample_ctx, tmp_path, monkeypatch, kind):
    """A new officer's trial: Ctrl-C while the report file was written left the old report a broken zip (XlsxWriter
    and the PDF wrote at the path itself). The file is written beside it and replaces it only once whole."""
    from pathlib import Path

    from xlsxwriter.workbook import Workbook

    folder = tmp_path / "bao-cao"
    folder.mkdir()
    target = folder / f"q.{kind}"
    target.write_bytes(b"the report saved last week")

    def zip_broken_off(book):
        Path(book.filename).write_bytes(b"PK\x03\x04 half")
        raise KeyboardInterrupt

    write_bytes = Path.write_bytes

    def pdf_broken_off(path, data):
        write_bytes(path, data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setenv("FUNDAPP_REPORT_WORKER", "0")
    monkeypatch.setattr(Workbook, "_store_workbook", zip_broken_off)
    monkeypatch.setattr(Path, "write_bytes", pdf_broken_off)
    with pytest.raises(KeyboardInterrupt):
        report_documents.write_quarterly(sample_ctx, 2024, 2, **{kind: target})
    assert target.read_bytes() == b"the report saved last week"
    assert [p.name for p in folder.iterdir()] == [target.name]
