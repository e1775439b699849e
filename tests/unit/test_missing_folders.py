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
