"""A file refused as a book, or a backup only checked, is left exactly as found: SQLite opened a file in WAL mode
read-only and left a «-shm» and a «-wal» beside it (an officer's trial: «fundapp --db x.sqlite balances» on a file
of another program left two new files in its folder)."""

from __future__ import annotations

import sqlite3

import pytest

from fundapp.cli import main


def _foreign(path):
    """Another program's SQLite file, in WAL mode, closed cleanly (nothing beside it)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE khach (ten TEXT)")
    conn.execute("INSERT INTO khach VALUES ('An')")
    conn.commit()
    conn.close()
    return path


def _damaged_book(path, capsys):
    """A fundapp book (WAL mode) whose pages after the first are overwritten: its header still reads."""
    assert main(["demo", str(path)]) == 0
    capsys.readouterr()
    data = bytearray(path.read_bytes())
    data[4096 * 3:4096 * 6] = b"\xa5" * (4096 * 3)
    path.write_bytes(bytes(data))
    return path


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("kind", ["foreign", "damaged"])
def test_a_refused_file_leaves_its_folder_as_found(tmp_path, capsys, kind):
    """The refusal is given, and the folder holds the same files with the same bytes as before."""
    folder = tmp_path / "quy"
    folder.mkdir()
    path = folder / "x.sqlite"
    _foreign(path) if kind == "foreign" else _damaged_book(path, capsys)
    for side in folder.glob("x.sqlite?*"):
        side.unlink()  # as the officer finds it: the file alone
    before = _snapshot(folder)
    assert main(["--db", str(path), "balances", "--as-of", "2024-12-31", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert ("chương trình khác" if kind == "foreign" else "bị hỏng") in err, err
    assert _snapshot(folder) == before, sorted(_snapshot(folder))


def test_a_backup_checked_before_a_restore_leaves_nothing_beside_it(tmp_path, capsys):
    """The window's restore checks the chosen backup first: a file of another program is refused, a sound backup
    accepted, and neither gets a «-shm»/«-wal»."""
    from fundapp.services.backup import check_backup
    from fundapp.services.errors import UserFacingError

    foreign = _foreign(tmp_path / "khac.sqlite")
    book = tmp_path / "sao-luu.sqlite"
    assert main(["demo", str(book)]) == 0
    capsys.readouterr()
    for side in tmp_path.glob("*.sqlite?*"):
        side.unlink()
    before = _snapshot(tmp_path)
    with pytest.raises(UserFacingError, match="không phải sổ của fundapp"):
        check_backup(foreign)
    assert check_backup(book)
    assert _snapshot(tmp_path) == before, sorted(_snapshot(tmp_path))


def test_a_wal_left_by_a_crash_is_still_read(tmp_path):
    """A book whose last writes are still in its «-wal» (a crash before the checkpoint, the «-shm» gone) is read with
    them: the file alone is not the whole of it."""
    from fundapp.ledger.peek import read_only

    path = tmp_path / "so.sqlite"
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE khach (ten TEXT)")
    writer.execute("INSERT INTO khach VALUES ('An')")
    writer.commit()
    import shutil

    crashed = tmp_path / "sau-su-co"
    crashed.mkdir()
    for name in ("so.sqlite", "so.sqlite-wal"):  # as a crash leaves them: the WAL holds the table, no -shm
        shutil.copy(tmp_path / name, crashed / name)
    writer.close()
    conn = read_only(crashed / "so.sqlite")
    try:
        assert conn.execute("SELECT ten FROM khach").fetchall() == [("An",)]
    finally:
        conn.close()
