"""Reviewer R2's findings (issues 16 and 17), on the command line as an officer uses it. Each test fails today
and is marked xfail(strict=True): when the fault is fixed the test passes, and the mark must go."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden import SAMPLE

ROOT = Path(__file__).resolve().parents[2]


def _fundapp(*args: str, language: str | None = None, **env_extra: str) -> subprocess.CompletedProcess:
    """``python -m fundapp args`` with the book's today 31/12/2024, in ``language`` (None: the book's), with the
    environment variables ``env_extra`` set."""
    env = {**os.environ, "FUNDAPP_TODAY": "2024-12-31", **env_extra}
    env.pop("FUNDAPP_LANGUAGE", None)
    if language:
        env["FUNDAPP_LANGUAGE"] = language
    return subprocess.run([sys.executable, "-m", "fundapp", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, env=env)


def test_a_missing_loan_number_is_named_in_vietnamese():
    done = _fundapp("schedule")
    assert done.returncode == 2
    assert "thiếu các tham số bắt buộc" in done.stderr, done.stderr
    assert "loan_no" not in done.stderr, done.stderr


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="golden books not here")
def test_a_tampered_entry_is_named_in_vietnamese_only(tmp_path):
    book = tmp_path / "book.sqlite"
    assert _fundapp("--db", str(book), "import", str(SAMPLE)).returncode == 0
    with sqlite3.connect(book) as conn:
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute("UPDATE entries SET amount = amount + 1 WHERE reference = 'PT-00074'")
    done = _fundapp("--db", str(book), "verify")
    assert done.returncode != 0
    assert "PT-00074" in done.stderr, done.stderr
    assert "repayment" not in done.stderr, done.stderr
