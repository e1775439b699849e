"""The command line's advice is its own: a book that will not open is put right with --db and the files beside it,
not with the window's menus («Tệp → Khôi phục»), which the window keeps (a new officer's trial)."""

from __future__ import annotations

import sqlite3

import pytest

from fundapp.cli import main
from fundapp.ledger.book_file import inspect_file
from fundapp.ledger.error_map import translate_error
from fundapp.ledger.errors import BookUnavailable


def _damaged(path):
    """A file that starts as SQLite does and holds nothing else a database needs."""
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    return path


def _refusal(args, capsys) -> str:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("book", ["not_sqlite", "damaged"])
def test_a_file_that_is_no_book_is_put_right_from_the_command_line(tmp_path, capsys, monkeypatch, book):
    """«fundapp --db /etc/passwd balances» said «… khôi phục sổ từ một bản sao lưu (Tệp → Khôi phục)», a menu of the
    window the command line has not: it names --db and the backups beside the book; the window keeps its menu."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "passwd"
    if book == "not_sqlite":
        path.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    else:
        _damaged(path)
    before = path.read_bytes()
    err = _refusal(["--db", str(path), "balances", "--as-of", "2024-12-31"], capsys)
    assert "«passwd»" in err and "Tệp →" not in err and "Khôi phục" not in err, err
    assert f"cạnh sổ không có thư mục sao lưu «{tmp_path / 'backups'}»" in err and "rồi chạy lại lệnh" in err, err
    if book == "not_sqlite":
        assert "ghi đúng đường dẫn tệp sổ sau --db (hoặc trong FUNDAPP_DB)" in err, err
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["passwd"]
    # the window (no command line running) keeps its menu
    with pytest.raises(BookUnavailable) as window:
        inspect_file(path)
    assert "(Tệp → Khôi phục từ bản sao lưu…)" in window.value.message and "--db" not in window.value.message


def test_a_book_found_damaged_while_in_use_is_worded_for_where_it_is_read():
    """SQLite's «file is not a database» met after the book opened: the window's «Tệp → Khôi phục từ bản sao lưu…»,
    the command line's way of restoring by hand (here no backup beside the book)."""
    from fundapp.domain.messages import on_command_line

    err = sqlite3.DatabaseError("file is not a database")
    assert translate_error(err, "/quy/so.sqlite").message == (
        "Tệp sổ «/quy/so.sqlite» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất (Tệp → Khôi phục từ bản sao lưu…).")
    with on_command_line():
        said = translate_error(err, "/quy/so.sqlite").message
    assert said == ("Tệp sổ «/quy/so.sqlite» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất: cạnh sổ không có thư mục "
                    "sao lưu «/quy/backups» (chỉ cửa sổ fundapp tự sao lưu sổ, các lệnh thì không); đổi tên tệp "
                    "«so.sqlite» (giữ lại để đối chiếu), chép bản sao sổ mà Quỹ tự giữ (USB, máy khác…) thành "
                    "«/quy/so.sqlite» rồi chạy lại lệnh."), said
    assert "Tệp sổ «/quy/so.sqlite» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất (Tệp → Khôi phục từ bản sao lưu…)." == \
        translate_error(err, "/quy/so.sqlite").message  # the window's again once the command line is done


def test_a_book_open_on_another_computer_is_taken_over_from_the_command_line_by_its_files(tmp_path, capsys):
    """The window asks whether to take over a book another computer holds («có thể tiếp quản sổ»); the command line
    has no such question, and said the same: it names the holder files of that computer to remove."""
    import json
    import socket

    book = tmp_path / "quy.sqlite"
    assert main(["demo", str(book)]) == 0
    capsys.readouterr()
    folder = tmp_path / "quy.sqlite.lock"
    folder.mkdir(exist_ok=True)
    other = "MAY-KE-TOAN" if socket.gethostname() != "MAY-KE-TOAN" else "MAY-KHAC"
    (folder / f"{other}-4312-1.json").write_text(json.dumps(
        {"host": other, "pid": 4312, "user": "canbo3", "since": "2026-11-30T08:15:02"}), encoding="utf-8")
    err = _refusal(["--db", str(book), "balances"], capsys)
    assert "canbo3 trên máy " + other in err and "tiếp quản" not in err, err
    assert f"xóa các tệp bắt đầu bằng tên máy {other} trong thư mục «{folder}»" in err, err
    (folder / f"{other}-4312-1.json").unlink()  # as the command line says: the book opens again
    assert main(["--db", str(book), "balances"]) == 0
    # the window keeps its question
    from fundapp.ledger.db import Database
    from fundapp.ledger.errors import BookInUse

    (folder / f"{other}-4312-1.json").write_text(json.dumps(
        {"host": other, "pid": 4312, "user": "canbo3", "since": "2026-11-30T08:15:02"}), encoding="utf-8")
    with pytest.raises(BookInUse) as window:
        Database(f"sqlite:///{book}")
    assert "có thể tiếp quản sổ" in window.value.message and "xóa các tệp" not in window.value.message
