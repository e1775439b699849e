"""Fuzzed imports (issue 11.3): the sample book with one hostile change, on SQLite and PostgreSQL.

Every mutated book either imports (exit 0) or is refused with ``file:line: reason`` (exit 2, nothing
written): never another exception (a traceback, exit 1), never a partial book.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundapp.app import open_book
from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from tests.conftest import _reset_postgres
from tests.golden import SAMPLE

SHEETS = ("borrowers", "loans", "transactions")
HOSTILE = ["", " ", "0", "-1", "1e30", str(10**30), str(2**63), str(2**63 - 1), str(2**31), "9999-12-31",
           "0001-01-01", "2024-02-30", "1999-12-31", "2030-01-01", "NaN", "inf", "7,2", "1.000.000", "=1+1",
           "HD/2024/001", "../../etc", "\x00", "a\x00b", "x" * 300, "Hợp tác xã" * 40, "\ufeff", "\u202e", "🙂",
           "null", "None", "true", "1_000", "０１２", "٣", "12e", "0x10", "+5", "5 ", " 5", "--1", "1/2"]
_count = itertools.count()

mutation = st.tuples(
    st.sampled_from(SHEETS),
    st.integers(min_value=1, max_value=60),  # the line (1 = the header)
    st.integers(min_value=0, max_value=12),  # the column
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
              st.integers(min_value=-(2**70), max_value=2**70).map(str),
              st.floats(allow_nan=True, allow_infinity=True).map(repr)),
)


def _mutated(change) -> Path:
    sheet, line, column, value = change
    folder = Path(tempfile.mkdtemp(prefix="fuzz-")) / "book"
    shutil.copytree(SAMPLE, folder)
    path = folder / f"{sheet}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    row = rows[min(line, len(rows)) - 1]
    row[column % len(row)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


def _import_once(url: str, change) -> int:
    """0 imported, 2 refused (the book then holds nothing); anything else raises and fails the test."""
    folder = _mutated(change)
    ctx = open_book(url, user="fuzz", today=date(2024, 12, 31))
    try:
        try:
            check_and_import(ctx, folder)
        except ImportRefused as err:
            assert err.problems and all(":" in p for p in err.problems)
            from fundapp.services.queries import list_loans

            assert list_loans(ctx) == []  # never a partial book
            return 2
        from fundapp.services.queries import list_loans

        assert len(list_loans(ctx)) in (39, 40, 41)  # the whole book (a loan may be renamed, dropped or added)
        return 0
    finally:
        ctx.db.dispose()
        shutil.rmtree(folder.parent, ignore_errors=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutation)
def test_fuzzed_imports_on_sqlite_end_in_0_or_2(tmp_path, change):
    book = tmp_path / f"fuzz-{next(_count)}.sqlite"
    assert _import_once(str(book), change) in (0, 2)
    with sqlite3.connect(book) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.postgres
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutation)
def test_fuzzed_imports_on_postgresql_end_in_0_or_2(pg_url, change):
    _reset_postgres(pg_url)  # pg_url: FUNDAPP_TEST_PG_URL, or the test run's own server (tests/conftest.py)
    assert _import_once(pg_url, change) in (0, 2)


PROBES = [("borrowers", "name", "a\x00b"), ("loans", "purpose", "a\x00b"), ("borrowers", "name", "x" * 300),
          ("loans", "sector", "x" * 300), ("borrowers", "members", str(2**63)), ("loans", "amount", str(2**63)),
          ("transactions", "amount", str(10**30)), ("transactions", "date", "9999-12-31"),
          ("loans", "contract_date", "9999-12-31"), ("loans", "term_months", "1200000")]


@pytest.mark.parametrize(("sheet", "column", "value"), PROBES, ids=[f"{s}.{c}" for s, c, _ in PROBES])
def test_the_probes_hostile_values_are_refused(book_url, sheet, column, value):
    """The exact values the probe crashed on (NUL, over-long text, 2^63, 10^30, year 9999, a term past 9999)."""
    if book_url.startswith("postgresql"):
        _reset_postgres(book_url)
    header = next(csv.reader((SAMPLE / f"{sheet}.csv").open(encoding="utf-8-sig")))
    assert _import_once(book_url, (sheet, 5, header.index(column), value)) == 2
