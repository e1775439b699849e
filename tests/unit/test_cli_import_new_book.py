"""An import that writes nothing — refused for bad rows, a source it cannot read, or run with --check — into a book
file that did not exist leaves nothing behind (no book, no -wal/-shm/-journal, no lock folder); a book that existed
stays byte for byte as it was; an import that writes keeps its new book."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from fundapp.cli import main
from tests import golden


@pytest.fixture
def bad_source(tmp_path):
    """The sample fund with one transaction's amount unreadable: refused on transactions.csv:2."""
    return golden.sample_with(tmp_path / "bad", "transactions", 2, {"amount": "abc"})


def _left(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("case", ["refused", "check", "unreadable"])
def test_an_import_that_writes_nothing_into_a_new_book_leaves_no_file(tmp_path, monkeypatch, capsys, bad_source,
                                                                      case):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    books = tmp_path / "books"
    books.mkdir()
    book = books / "new.sqlite"
    argv = {"refused": ["import", str(bad_source)],
            "check": ["import", "--check", str(golden.SAMPLE)],
            "unreadable": ["import", str(tmp_path / "khong-co")]}[case]
    assert main(["--db", str(book), *argv]) == (0 if case == "check" else 2)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert _left(books) == []


def _fundapp(book, *args: str) -> int:
    """``fundapp --db book *args`` in its own process (which closes the book as it exits); its exit status."""
    env = {**os.environ, "FUNDAPP_TODAY": "2024-12-31"}
    return subprocess.run([sys.executable, "-m", "fundapp", "--db", str(book), *args], capture_output=True,
                          cwd=golden.ROOT, env=env).returncode


def test_an_existing_book_is_untouched_and_a_written_import_keeps_its_new_book(tmp_path, bad_source):
    books = tmp_path / "books"
    books.mkdir()
    book = books / "b.sqlite"
    assert _fundapp(book, "import", str(golden.SAMPLE)) == 0
    assert _left(books) == ["b.sqlite"]  # written: kept
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    assert _fundapp(book, "import", str(bad_source)) == 2
    assert _fundapp(book, "import", "--check", str(golden.SAMPLE)) == 2  # every row is already in the book
    assert _fundapp(book, "import", "--check", str(tmp_path / "khong-co")) == 2
    assert _left(books) == ["b.sqlite"]
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before


def test_a_source_with_no_row_says_so_and_leaves_no_book(tmp_path, monkeypatch, capsys):
    """A new officer's trial: three CSV files with their headers only, imported into a new file, printed «Đã nhập:
    0 khách hàng, 0 khoản vay, 0 giao dịch» and left an empty book there, which the next command read as one."""
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    folder = tmp_path / "empty-book"
    folder.mkdir()
    for name in ("borrowers", "loans", "transactions"):
        header = (golden.SAMPLE / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        (folder / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    books = tmp_path / "books"
    books.mkdir()
    assert main(["--db", str(books / "new.sqlite"), "import", str(folder)]) == 0
    out, _err = capsys.readouterr()
    assert out.strip() == "Không có dòng nào mới để nhập từ empty-book: chưa ghi gì vào sổ."
    assert _left(books) == []
