"""kill -9 a real fundapp process at many points of book creation, import, upgrade and posting (issue 11.1).

``FUNDAPP_CRASH_AFTER=N`` makes the process SIGKILL itself before its Nth SQL statement (ledger/engine.py),
so every kill point is deterministic. After each kill: ``PRAGMA integrity_check`` is ok, the book opens
(through the same code as the GUI and the command line), it is empty or complete, and every posting the
process acknowledged is in it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.golden import SAMPLE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[2]
FULL = (26, 40, 297)  # borrowers, loans, entries of the golden sample book

POSTER = """
import sys
from datetime import date
from fundapp.app import open_book
from fundapp.domain.engine import Kind
from fundapp.services import posting
from fundapp.services.queries import list_loans

ctx = open_book(sys.argv[1], user="probe", today=date(2024, 12, 31))
loans = [r for r in list_loans(ctx) if r.principal_outstanding][:2]
for i in range(6):
    posting.post_transaction(ctx, loans[i % 2].id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000 + i,
                             reference=f"PROBE-{i:02d}")
    print(f"PROBE-{i:02d}", flush=True)  # acknowledged: committed
"""


def _run(args: list[str], crash: int | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FUNDAPP_CRASH_AFTER"}
    if crash:
        env["FUNDAPP_CRASH_AFTER"] = str(crash)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("borrowers", "loans", "entries"))


def _opens(path: Path) -> tuple[int, int, int]:
    """The book opens as the application opens it (created if it never came to exist); its counts."""
    from fundapp.app import open_book

    ctx = open_book(path, user="checker", today=date(2024, 12, 31))
    ctx.db.dispose()
    return _counts(path)


COUNTER = """
import sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
count = [0]
event.listen(Engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))  # every engine
from fundapp.cli import main
code = main(sys.argv[1:])
print("statements", count[0], code)
"""


def _statements(tmp_path) -> int:
    """How many SQL statements creating a book and importing the sample takes (the kill points spread over it)."""
    done = _run(["-c", COUNTER, "--db", str(tmp_path / "count.sqlite"), "import", str(SAMPLE)], None)
    word, count, code = done.stdout.split()[-3:]
    assert word == "statements" and code == "0", done.stderr
    return int(count)


def test_kill_during_creation_and_import_leaves_no_book_or_a_whole_one(tmp_path):
    """32 kills spread over the statements of creating a book and importing the sample, and one past them."""
    outcomes = {"empty": 0, "complete": 0}
    total = _statements(tmp_path)
    points = sorted({1 + (total - 1) * i // 31 for i in range(32)} | {total + 5})
    assert len(points) >= 30
    for crash in points:
        book = tmp_path / f"kill-{crash}.sqlite"
        done = _run(["-m", "fundapp", "--db", str(book), "import", str(SAMPLE)], crash)
        assert done.returncode in (0, -9), done.stderr
        assert "Traceback" not in done.stderr
        if book.exists():
            _counts(book)  # integrity_check ok before anything else touches it
        counts = _opens(book)
        assert counts in ((0, 0, 0), FULL), (crash, counts)
        outcomes["empty" if counts == (0, 0, 0) else "complete"] += 1
        leftovers = [p.name for p in tmp_path.glob(f".{book.name}.tao-moi-*") if p.exists()]
        assert not leftovers or done.returncode == -9
    assert outcomes["empty"] >= 20 and outcomes["complete"] >= 1, outcomes


@pytest.fixture
def imported(tmp_path) -> Path:
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import

    template = tmp_path / "template.sqlite"
    ctx = open_book(template, user="setup", today=date(2024, 12, 31))
    check_and_import(ctx, SAMPLE)
    ctx.db.dispose()
    return template


def test_kill_while_posting_keeps_every_acknowledged_entry(imported, tmp_path):
    """12 kills during six postings: the acknowledged ones are all there, none is there twice."""
    clean = _run(["-c", POSTER, str(shutil.copy(imported, tmp_path / "clean.sqlite"))], None)
    assert clean.returncode == 0, clean.stderr
    per_run = len(clean.stdout.split())
    assert per_run == 6
    for crash in range(4, 100, 8):
        book = Path(shutil.copy(imported, tmp_path / f"post-{crash}.sqlite"))
        done = _run(["-c", POSTER, str(book)], crash)
        assert done.returncode in (0, -9) and "Traceback" not in done.stderr, done.stderr
        acknowledged = set(done.stdout.split())
        _opens(book)
        with sqlite3.connect(book) as conn:
            refs = [r[0] for r in conn.execute("SELECT reference FROM entries WHERE reference LIKE 'PROBE-%'")]
        assert len(refs) == len(set(refs))
        assert acknowledged <= set(refs), (crash, acknowledged, refs)
        assert len(refs) <= len(acknowledged) + 1  # at most the one committed but not yet printed


def test_kill_during_an_upgrade_leaves_the_old_book_or_the_new_one(tmp_path):
    """A book at revision 0001 upgraded by a process killed at each of its first statements: 0001 or head."""
    from fundapp.ledger.db import HEAD
    from tests.old_books import empty_book_at

    old = tmp_path / "old.sqlite"
    empty_book_at(old, "0001")
    revisions = set()
    for crash in (2, 4, 6, 8, 10, 12):
        book = Path(shutil.copy(old, tmp_path / f"up-{crash}.sqlite"))
        done = _run(["-m", "fundapp", "--db", str(book), "balances", "--format", "json"], crash)
        assert done.returncode in (0, -9) and "Traceback" not in done.stderr, done.stderr
        with sqlite3.connect(book) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert revision in ("0001", HEAD)
        revisions.add(revision)
        _opens(book)
        kept = book.with_name(f"{book.stem}.truoc-nang-cap-0001.sqlite")
        if revision == HEAD:
            assert kept.exists()  # the upgrade copied the old book first
            with sqlite3.connect(kept) as conn:
                assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert "0001" in revisions
