"""The advice for a damaged book says what is true: the window's menu item by its real name, and on the command line
the backup really beside the book (named), or that there is none, and the log file the details went to.

Officers' trials: the window said «(Tệp → Khôi phục sổ)» where the menu item is «Khôi phục từ bản sao lưu…»; the
command line said to copy the newest backup from the «backups» folder beside the book, a folder only the window makes
(a book used only from the command line has none), and «chi tiết đã ghi vào nhật ký» without saying where."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fundapp.i18n  # noqa: F401  (the English catalogue for english())
from fundapp.cli import main
from fundapp.domain.messages import english
from fundapp.ledger.advice import RESTORE_IN_WINDOW, backups_beside
from fundapp.ledger.book_file import inspect_file
from fundapp.ledger.errors import BookUnavailable


def _damaged(path: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    return path


def _said(path: Path, capsys) -> str:
    assert main(["--db", str(path), "balances", "--as-of", "2024-12-31"]) == 2
    return capsys.readouterr().err


def test_the_window_names_its_own_menu_item_in_both_languages(tmp_path):
    with pytest.raises(BookUnavailable) as refused:
        inspect_file(_damaged(tmp_path / "so.sqlite"))
    assert "khôi phục sổ từ bản sao lưu gần nhất (Tệp → Khôi phục từ bản sao lưu…)" in refused.value.message
    assert english(RESTORE_IN_WINDOW) == "File → Restore from a backup…"
    assert "(File → Restore from a backup…)" in refused.value.en, refused.value.en


def test_no_backup_beside_a_command_line_book_is_said_and_the_log_file_named(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _damaged(tmp_path / "so.sqlite")
    err = _said(book, capsys)
    assert f"cạnh sổ không có thư mục sao lưu «{tmp_path / 'backups'}»" in err, err
    assert f"chép bản sao sổ mà Quỹ tự giữ (USB, máy khác…) thành «{book}» rồi chạy lại lệnh" in err, err
    assert "bản sao lưu mới nhất «" not in err
    log = Path(re.search(r"chi tiết đã ghi vào nhật ký «([^»]+)»", err)[1])
    assert log.name == "fundapp.log" and f"book {book} cannot be read" in log.read_text(encoding="utf-8")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "khac-sao-luu-20241201-101010.sqlite").write_bytes(b"")  # another book's
    err = _said(book, capsys)
    assert f"thư mục sao lưu «{tmp_path / 'backups'}» không có bản sao lưu nào của sổ này" in err, err


def test_the_newest_backup_beside_the_book_is_named(tmp_path, capsys):
    book = _damaged(tmp_path / "so.sqlite")
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("so-sao-luu-20241201-101010.sqlite", "so-tu-dong-20241230-080000.sqlite",
                 "so-tu-dong-20241230-080000-2.sqlite", "so-tu-dong-20241229-080000.sqlite",
                 "so-2025-tu-dong-20250101-080000.sqlite", "so-ghi-chu.txt"):
        (folder / name).write_bytes(b"")
    assert [p.name for p in backups_beside(book)][:2] == ["so-tu-dong-20241230-080000-2.sqlite",
                                                          "so-tu-dong-20241230-080000.sqlite"]
    err = _said(book, capsys)
    assert (f"đổi tên tệp «so.sqlite» (giữ lại để đối chiếu), chép bản sao lưu mới nhất "
            f"«{folder / 'so-tu-dong-20241230-080000-2.sqlite'}» thành «{book}» rồi chạy lại lệnh") in err, err


def test_a_backup_the_window_makes_is_the_one_the_command_line_names(tmp_path, capsys):
    """services.backup names and places its copies where the advice looks for them."""
    from fundapp.app import open_book
    from fundapp.services.backup import make_backup

    book = tmp_path / "so.sqlite"
    assert main(["demo", str(book)]) == 0
    ctx = open_book(str(book))
    made = make_backup(ctx, automatic=True)
    ctx.db.dispose()
    assert backups_beside(book) == [made]
