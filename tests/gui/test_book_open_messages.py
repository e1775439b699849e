"""Opening a book from the GUI that cannot be opened (issue 10.5, 11.4, 11.5): a Vietnamese reason with what
to do, never "(sqlite3.DatabaseError) …", never the server's password, and the book is not remembered."""

from __future__ import annotations

import sqlite3

import pytest

RAW = ("sqlite3", "Background on this error", "DatabaseError", "OperationalError", "Traceback", "(psycopg")


def _open(qsettings, book: str) -> bool:
    from fundapp.ui.app import _Session

    return _Session(qsettings, "canbo").open(book)


def _foreign(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
    conn.close()
    return path


def _text(path):
    path.write_text("không phải sổ", encoding="utf-8")
    return path


def _truncated(path):
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    return path


def _folder(path):
    path.mkdir()
    return path


@pytest.mark.parametrize(("make", "words"), [
    (_text, "không phải tệp sổ fundapp"), (_truncated, "bị hỏng"), (_foreign, "chương trình khác"),
    (_folder, "là một thư mục"),
], ids=["text", "truncated", "foreign", "folder"])
def test_a_file_that_is_not_a_sound_book_is_refused_in_words(tmp_path, qtbot, qsettings, boxes, make, words):
    path = make(tmp_path / "so.sqlite")
    assert _open(qsettings, str(path)) is False
    kind, title, text = boxes.shown[-1]
    assert kind == "critical" and title == "Không mở được sổ"
    assert words in text and not any(raw in text for raw in RAW), text
    assert not qsettings.value("book/last", "")


def test_an_unreachable_server_never_shows_its_password(tmp_path, qtbot, qsettings, boxes):
    assert _open(qsettings, "postgresql+psycopg://canbo:Bi-Mat-123@127.0.0.1:1/quyhtx") is False
    _, _, text = boxes.shown[-1]
    assert "Bi-Mat-123" not in text and "canbo:***@127.0.0.1:1/quyhtx" in text
    assert not any(raw in text for raw in RAW), text
    assert not qsettings.value("book/last", "")


def test_a_book_held_on_another_computer_is_offered_to_be_taken_over(tmp_path, qtbot, qsettings, boxes):
    import json

    from PySide6.QtWidgets import QMessageBox

    from fundapp.app import open_book

    book = tmp_path / "so.sqlite"
    open_book(book).db.dispose()
    folder = book.with_name(book.name + ".lock")
    folder.mkdir(exist_ok=True)
    (folder / "MAY-KE-TOAN-77-1.json").write_text(json.dumps(
        {"host": "MAY-KE-TOAN", "pid": 77, "user": "canbo3", "since": "2026-11-30T08:15:02"}), encoding="utf-8")
    boxes.answer = QMessageBox.StandardButton.No
    assert _open(qsettings, str(book)) is False
    kind, title, text = boxes.shown[-1]
    assert kind == "question" and title == "Sổ đang được dùng"
    assert "canbo3" in text and "MAY-KE-TOAN" in text and "Tiếp quản sổ" in text
    assert boxes.defaults[-1] == QMessageBox.StandardButton.No  # Enter does not take over (it answered Có before)
    assert (folder / "MAY-KE-TOAN-77-1.json").exists()  # not taken over without the officer's yes
