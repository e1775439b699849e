"""A book path whose folder does not exist is a mistyped path: «fundapp --db /tmp/no/such/folder/b.sqlite import …»
created the folders and a book in them (an officer's trial). INTERCHANGE.md: a new database — a new file — is created
on first use; the folder is the officer's and is refused naming it. The per-user book's folder is the program's own
and is still created."""

from __future__ import annotations

import pytest

from fundapp.cli import main
from fundapp.ledger.db import Database
from fundapp.ledger.errors import BookUnavailable
from tests import golden


def test_a_mistyped_folder_is_refused_on_the_command_line_and_nothing_is_created(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    missing = tmp_path / "no" / "such" / "folder"
    assert main(["--db", str(missing / "b.sqlite"), "import", str(golden.SAMPLE)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"Không có thư mục «{missing}» để đặt tệp sổ «b.sqlite»" in captured.err, captured.err
    assert "sau --db (hoặc trong FUNDAPP_DB)" in captured.err and "chưa ghi gì" in captured.err, captured.err
    assert list(tmp_path.iterdir()) == []


def test_the_window_is_told_to_choose_a_folder_that_exists(tmp_path):
    with pytest.raises(BookUnavailable) as refused:
        Database(f"sqlite:///{tmp_path / 'khong-co' / 'so.sqlite'}")
    assert refused.value.message == f"Không có thư mục «{tmp_path / 'khong-co'}» để đặt tệp sổ «so.sqlite»: chọn một " \
                                    "thư mục đã có."
    assert list(tmp_path.iterdir()) == []


def test_the_per_user_book_still_gets_its_folder(tmp_path, monkeypatch, capsys):
    """No --db, no FUNDAPP_DB: the per-user book (platformdirs) in a data folder that does not exist yet, made by the
    first import."""
    monkeypatch.delenv("FUNDAPP_DB", raising=False)
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    from fundapp.ledger.urls import default_book_path

    assert default_book_path() == tmp_path / "du-lieu" / "fundapp" / "fundapp.sqlite"
    assert main(["import", str(golden.SAMPLE)]) == 0, capsys.readouterr().err
    assert (tmp_path / "du-lieu" / "fundapp" / "fundapp.sqlite").is_file()
