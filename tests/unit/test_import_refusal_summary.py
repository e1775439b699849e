"""A refused import ends with one summary line after its every ``file:line: reason`` (INTERCHANGE.md: every bad row
reported, exit status 2); when the book already holds every row refused, it says so first.

An officer's trial: importing the sample fund a second time printed 363 lines of «… đã có trong sổ» and «… bị trùng
trong sổ» under a count, and no word that the folder had simply been imported before."""

from __future__ import annotations

from fundapp.cli import main
from fundapp.services.errors import ImportRefused
from tests import golden

ALREADY = ("Sổ đã có sẵn mọi dòng bị từ chối dưới đây (cùng mã khách hàng, số hợp đồng hoặc số chứng từ): có vẻ dữ "
           "liệu này đã được nhập vào sổ trước đây, không cần nhập lại.")


def _content(book) -> list[str]:
    """Every table's rows of ``book`` as SQL text: what it holds, whether or not SQLite has moved its write-ahead log
    into the file since (the file's bytes then differ, its content not: the bytes compared failed after another test
    of the same process)."""
    import sqlite3

    with sqlite3.connect(book) as db:
        return list(db.iterdump())


def test_a_folder_imported_twice_is_said_to_be_in_the_book_and_summed_up(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = tmp_path / "so.sqlite"
    assert main(["--db", str(book), "import", str(golden.SAMPLE)]) == 0
    capsys.readouterr()
    before = _content(book)
    assert main(["--db", str(book), "import", str(golden.SAMPLE)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == ALREADY, lines[0]
    assert lines[-1] == "Không nhập dữ liệu: 363 dòng có lỗi trong 3 tệp, chưa ghi gì vào sổ.", lines[-1]
    rows = lines[1:-1]
    assert len(rows) == 363 and rows[0] == "borrowers.csv:2: mã khách hàng «KH0001» đã có trong sổ", rows[:2]
    assert {r.split(":")[0] for r in rows} == {"borrowers.csv", "loans.csv", "transactions.csv"}
    assert _content(book) == before  # nothing written


def test_a_bad_row_is_summed_up_without_saying_the_source_was_imported(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    source = golden.sample_with(tmp_path / "bad", "transactions", 2, {"amount": "abc"})
    assert main(["--db", str(tmp_path / "so.sqlite"), "import", str(source)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("transactions.csv:2: "), lines
    assert lines[-1] == "Không nhập dữ liệu: 1 dòng có lỗi trong 1 tệp, chưa ghi gì vào sổ.", lines


def test_the_summary_counts_sheets_of_a_workbook_and_reasons_without_a_place():
    refused = ImportRefused(["so.xlsx[loans]:3: ngày sai", "so.xlsx[transactions]:9: số tiền sai"])
    assert refused.message.splitlines()[-1] == "Không nhập dữ liệu: 2 dòng có lỗi, chưa ghi gì vào sổ."  # text only
    from fundapp.domain.messages import msg

    refused = ImportRefused([msg("{where}: {reason}", where="so.xlsx[loans]:3", reason="ngày sai"),
                             msg("{where}: {reason}", where="so.xlsx[transactions]:9", reason="số tiền sai")])
    assert str(refused.summary) == "Không nhập dữ liệu: 2 dòng có lỗi trong 2 trang tính, chưa ghi gì vào sổ."
    assert not refused.already_imported
    assert refused.en.splitlines()[-1] == str(refused.summary).replace(
        "Không nhập dữ liệu: 2 dòng có lỗi trong 2 trang tính, chưa ghi gì vào sổ.",
        "Nothing imported: 2 rows have errors in 2 sheets, nothing was written to the book.")
