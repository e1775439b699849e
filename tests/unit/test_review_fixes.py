"""Faults a fresh reviewer found trying the command line as an officer would (each failed before its fix)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from fundapp.cli.parser import command_names
from fundapp.domain.engine import Kind, LoanReplay, Transaction
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.events import Restructuring
from fundapp.domain.terms import LoanTerms

ROOT = Path(__file__).resolve().parents[2]


def _loan() -> LoanReplay:
    state = LoanReplay(LoanTerms(amount=500_000_000, rate="6.6", term_months=36, frequency_months=3))
    state.apply(Transaction(date(2024, 1, 15), Kind.DISBURSEMENT, 500_000_000))
    return state


@pytest.mark.parametrize("months", [603, 96_000, 99_999])
def test_an_extension_past_the_limit_is_refused_naming_it(months):
    state = _loan()
    with pytest.raises(TransactionRefused) as refused:
        state.apply(Restructuring(date(2024, 6, 10), months - months % 3, 0))
    assert refused.value.field == "extend_months"
    assert "600 tháng" in str(refused.value.args[0]) or "9999" in str(refused.value.args[0])
    assert len(state.schedule()) == 12  # nothing changed


def test_the_largest_extension_is_accepted():
    state = _loan()
    state.apply(Restructuring(date(2024, 6, 10), 600, 0))
    assert state.schedule()[-1].due_on == date(2077, 1, 15)


def test_main_py_starts_the_command_line_for_every_command(monkeypatch):
    sys.path.insert(0, str(ROOT))
    try:
        import main
    finally:
        sys.path.remove(str(ROOT))
    assert {"restructure", "relief", "write-off", "event-document", "post", "reverse", "verify", "users",
            "documents", "restructure-batch"} <= command_names()
    for command in command_names():
        assert main._wants_cli(["--db", "x.sqlite", command]), command
    assert not main._wants_cli(["--db", "x.sqlite"])


def test_a_refusal_exits_2_and_a_file_error_is_worded(tmp_path):
    book = tmp_path / "so.sqlite"
    run = [sys.executable, "-m", "fundapp", "--db", str(book)]
    env = {"FUNDAPP_TODAY": "2026-11-30", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_STATE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    unknown = subprocess.run([*run, "schedule", "KHONG-CO"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert unknown.returncode == 2, unknown.stderr
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    subprocess.run([*run, "import", str(ROOT.parent / "shared" / "golden" / "sample-fund")], check=True,
                   capture_output=True, env=env, cwd=ROOT)
    to_folder = subprocess.run([*run, "statement", "HD2022-002", "--as-of", "2024-12-31", "--pdf", str(folder)],
                               capture_output=True, text=True, env=env, cwd=ROOT)
    assert to_folder.returncode == 2
    assert "thư mục" in to_folder.stderr and "Errno" not in to_folder.stderr, to_folder.stderr
