"""Broken, foreign, newer, read-only, full and shared book files (issue 11.4, issue 10.5).

Each is refused in Vietnamese with what to do, nothing is written into a file that is not a fundapp
book, and no library text ("sqlite3.DatabaseError", "Background on this error") reaches the officer.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from fundapp.app import open_book
from fundapp.services.errors import BookInUse, BookUnavailable, DiskFull, UserFacingError
from tests.golden import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
RAW = ("sqlite3", "Background on this error", "DatabaseError", "OperationalError", "Traceback")


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(BookUnavailable) as info:
        open_book(path, today=date(2024, 12, 31))
    message = info.value.message
    assert not any(raw in message for raw in RAW), message
    for word in words:
        assert word in message, message
    return message


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FUNDAPP_CRASH_AFTER"}
    return subprocess.run([sys.executable, "-m", "fundapp", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def book(tmp_path) -> Path:
    """A sound book holding the sample (closed)."""
    from fundapp.services.imports import check_and_import

    path = tmp_path / "so.sqlite"
    ctx = open_book(path, today=date(2024, 12, 31))
    check_and_import(ctx, SAMPLE)
    ctx.db.dispose()
    return path


def test_a_text_file_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "ghi-chu.sqlite"
    path.write_text("Danh sách khách hàng\n", encoding="utf-8")
    _refused(path, "không phải tệp sổ fundapp", "khôi phục")
    assert path.read_text(encoding="utf-8") == "Danh sách khách hàng\n"
    done = _cli("--db", str(path), "balances")
    assert done.returncode == 2
    assert "không phải tệp sổ fundapp" in done.stderr
    assert not any(raw in done.stderr for raw in RAW), done.stderr


def test_random_bytes_a_folder_and_a_truncated_book_are_refused(tmp_path, book):
    noise = tmp_path / "noise.sqlite"
    noise.write_bytes(os.urandom(8192))
    _refused(noise, "không phải tệp sổ fundapp")
    _refused(tmp_path, "là một thư mục")
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(book.read_bytes()[: 4096 * 3 + 100])
    _refused(cut, "bị hỏng", "bản sao lưu")


def test_a_corrupt_page_is_found_by_quick_check(tmp_path, book):
    data = bytearray(book.read_bytes())
    page = 4096
    pages = len(data) // page
    assert pages > 8
    for p in range(3, pages - 1, 2):  # scramble every other b-tree page after the schema
        data[p * page + 8: p * page + 400] = os.urandom(392)
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(bytes(data))
    _refused(broken, "bị hỏng")


def _sqlite_file(path, *statements: str):
    """A SQLite file at ``path`` made by running ``statements`` (another program's file, a half-made book)."""
    with sqlite3.connect(path) as conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()
    return path


def test_another_programs_sqlite_file_is_never_written(tmp_path):
    path = _sqlite_file(tmp_path / "nhac.sqlite", "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)",
                        "INSERT INTO songs (title) VALUES ('Quê hương')")
    before = path.read_bytes()
    _refused(path, "chương trình khác", "không ghi gì")
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"songs"}


def test_a_book_of_a_newer_version_asks_for_the_newer_program(book):
    with sqlite3.connect(book) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    message = _refused(book, "phiên bản fundapp mới hơn", "0099")
    assert "cài phiên bản" in message
    from fundapp.services.backup import check_backup

    with pytest.raises(UserFacingError, match="mới hơn"):
        check_backup(book)


def test_a_read_only_location_is_refused_before_writing(tmp_path, monkeypatch, book):
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        target = Path(shutil.copy(book, folder / "so.sqlite"))
        folder.chmod(0o555)
        try:
            _refused(target, "chỉ đọc")
            _refused(folder / "moi.sqlite", "chỉ đọc")
        finally:
            folder.chmod(0o755)
    else:  # root may write anywhere: the check is os.access, which says no for the officer's account
        import fundapp.ledger.book_file as book_file

        monkeypatch.setattr(book_file.os, "access", lambda p, mode: False)
        _refused(book, "chỉ đọc", "Sao chép sổ")
        _refused(tmp_path / "moi.sqlite", "chỉ đọc")
        assert not (tmp_path / "moi.sqlite").exists()


def test_a_full_disk_leaves_the_book_as_it_was(tmp_path):
    """SQLite's own SQLITE_FULL (a page limit on the connection): the import is refused, the book is unchanged."""
    from sqlalchemy import event

    from fundapp.services.imports import check_and_import

    path = tmp_path / "day.sqlite"
    ctx = open_book(path, today=date(2024, 12, 31))
    with sqlite3.connect(path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    ctx.db.engine.dispose()
    event.listen(ctx.db.engine, "connect",
                 lambda dbapi, _rec: dbapi.execute(f"PRAGMA max_page_count = {pages + 2}"))
    with pytest.raises(DiskFull) as info:
        check_and_import(ctx, SAMPLE)
    assert "Ổ đĩa đã đầy" in info.value.message and "giữ nguyên" in info.value.message
    ctx.db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM borrowers").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0


HOLDER = """
import sys, time
from fundapp.app import open_book
ctx = open_book(sys.argv[1])
print("ready", flush=True)
time.sleep(60)
"""


def test_a_book_in_use_is_named_and_a_restore_is_refused_until_its_holder_is_gone(book, tmp_path):
    from fundapp.services.backup import book_holders, make_backup, restore_backup

    env = {k: v for k, v in os.environ.items() if k != "FUNDAPP_CRASH_AFTER"}
    env["FUNDAPP_USER"] = "canbo2"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(book)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        ctx = open_book(book, user="canbo1", today=date(2024, 12, 31))
        who = book_holders(ctx)
        assert len(who) == 1 and "canbo2" in who[0] and f"tiến trình {holder.pid}" in who[0]
        copy = make_backup(ctx)
        with pytest.raises(BookInUse) as info:
            restore_backup(ctx, copy)
        assert "canbo2" in info.value.message and "Không khôi phục được" in info.value.message
        done = _cli("--db", str(book), "balances", "--format", "json")
        assert done.returncode == 0 and "canbo2" in done.stderr  # the command line says who else has it open
    finally:
        holder.kill()  # kill -9: its lock file stays behind, stale
        holder.wait()
    assert book_holders(ctx) == []  # a dead process's lock is taken over
    assert restore_backup(ctx, copy).exists()


def test_a_lock_held_on_another_computer_refuses_until_taken_over(book):
    folder = book.with_name(book.name + ".lock")
    folder.mkdir(exist_ok=True)
    other = "MAY-KE-TOAN" if socket.gethostname() != "MAY-KE-TOAN" else "MAY-KHAC"
    (folder / f"{other}-4312-1.json").write_text(json.dumps(
        {"host": other, "pid": 4312, "user": "canbo3", "since": "2026-11-30T08:15:02"}), encoding="utf-8")
    with pytest.raises(BookInUse) as info:
        open_book(book)
    assert "canbo3" in info.value.message and other in info.value.message and "tiếp quản" in info.value.message
    ctx = open_book(book, take_over=True)
    assert ctx.db.other_holders() == []
    ctx.db.dispose()


def test_an_old_book_is_copied_beside_itself_before_its_upgrade(tmp_path):
    from fundapp.ledger.db import HEAD
    from tests.old_books import empty_book_at

    old = tmp_path / "cu.sqlite"
    empty_book_at(old, "0001")
    ctx = open_book(old)
    ctx.db.dispose()
    kept = tmp_path / "cu.truoc-nang-cap-0001.sqlite"
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD


def test_a_half_created_book_of_an_older_version_says_what_to_do(tmp_path):
    path = _sqlite_file(tmp_path / "do-dang.sqlite", "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
                        "CREATE TABLE audit (id INTEGER PRIMARY KEY)")
    _refused(path, "tạo dở dang")


def test_busy_book_is_a_vietnamese_refusal(book):
    """Another process holds the write lock past the wait: BookBusy, nothing written."""
    from sqlalchemy import event

    from fundapp.ledger.db import Database

    db = Database(f"sqlite:///{book}")
    db.engine.dispose()
    event.listen(db.engine, "connect", lambda dbapi, _r: dbapi.execute("PRAGMA busy_timeout = 200"))
    holder = sqlite3.connect(book, timeout=1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(UserFacingError) as info, db.unit() as s:
            s.execute(__import__("sqlalchemy").text("DELETE FROM settings WHERE key = 'x'"))
        assert "vui lòng thử lại" in info.value.message and time.monotonic() - started < 10
        db.dispose()
    finally:
        holder.rollback()
        holder.close()


def test_a_really_full_disk_leaves_the_book_as_it_was(tmp_path):
    """A tiny tmpfs (needs root to mount; skipped otherwise) filled but for 20 kB: ENOSPC during the import."""
    import subprocess as sp

    from fundapp.services.imports import check_and_import

    disk = tmp_path / "tiny"
    disk.mkdir()
    if sp.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        path = disk / "so.sqlite"
        ctx = open_book(path, today=date(2024, 12, 31))
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (free - 20_000))
        with pytest.raises(DiskFull) as info:
            check_and_import(ctx, SAMPLE)
        assert "Ổ đĩa đã đầy" in info.value.message
        ctx.db.dispose()
        filler.unlink()
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
        conn.close()
        ctx = open_book(path, today=date(2024, 12, 31))
        assert check_and_import(ctx, SAMPLE).transactions == 297  # with room again, the same import goes through
        ctx.db.dispose()
    finally:
        sp.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.postgres
def test_another_programs_postgresql_database_is_never_written():
    from sqlalchemy import create_engine, inspect, text

    from tests.conftest import PG_URL, _reset_postgres

    if not PG_URL:
        pytest.skip("FUNDAPP_TEST_PG_URL is not set (.ci/run sets it after starting PostgreSQL)")
    _reset_postgres(PG_URL)
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE songs (id integer PRIMARY KEY, title text)"))
    with pytest.raises(BookUnavailable) as info:
        open_book(PG_URL)
    assert "chương trình khác" in info.value.message and "songs" in info.value.message
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["songs"]
    engine.dispose()
    _reset_postgres(PG_URL)
