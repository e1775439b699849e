"""The command line's human tables (``--format table``, the default of balances and schedule) read as the GUI
does: headings in the officer's language (English from the English catalogue), money grouped, dates dd/mm/yyyy,
"có"/"không" for a yes/no and a dash for nothing — never JSON keys, ``True``/``False``/``None``; the JSON stays
INTERCHANGE.md's. And every date option's help names both forms parse_date takes."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

import pytest

from fundapp.cli import main
from fundapp.cli.headings import HEADINGS
from fundapp.domain.records import BALANCE_FIELDS
from tests.golden import ROOT

PYTHON_WORDS = re.compile(r"\b(True|False|None)\b")
TABLE_CALLS = {
    "balances": ["balances", "--as-of", "31/12/2024"],
    "schedule": ["schedule", "HD2024-019"],
    "quarterly": ["report", "quarterly", "--year", "2024", "--quarter", "4", "--format", "table"],
    "annual": ["report", "annual", "--year", "2024"],
    "semiannual": ["report", "semiannual", "--year", "2024", "--half", "1"],
    "coverage": ["report", "coverage", "--as-of", "2024-12-31"],
    "documents": ["documents"],
    "restructure-batch": ["restructure-batch", "--loans", "HD2022-003,HD2022-002", "--on", "2024-12-31",
                          "--extend-months", "6", "--reference", "QĐ-T-1", "--reason", "thử", "--check"],
}


def _english_keys(text: str) -> list[str]:
    """The JSON keys (snake_case words of HEADINGS) standing as words in ``text``."""
    words = set(re.findall(r"[a-z_]+", text))
    return sorted(k for k in HEADINGS if "_" in k and k in words)


@pytest.mark.parametrize("name", list(TABLE_CALLS))
def test_every_table_is_headed_in_vietnamese_with_readable_cells(book, tmp_path, capsys, name):
    if name == "documents":  # one issued paper, so the register has a row
        assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(tmp_path / "sk.pdf")]) == 0
    capsys.readouterr()
    main(["--db", str(book), *TABLE_CALLS[name]])
    out = capsys.readouterr().out
    assert out.strip() and "(không có dòng nào)" not in out
    assert _english_keys(out) == [], out
    assert not PYTHON_WORDS.search(out), out
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", out), out  # dates as the officer writes them
    if name == "balances":
        header = out.splitlines()[0]
        for label in ("Số hợp đồng", "Dư nợ gốc", "Nợ gốc quá hạn", "Nhóm nợ", "Số ngày quá hạn"):
            assert label in header
    if name == "schedule":
        lines = out.splitlines()
        assert lines[0].split() == ["Kỳ", "Ngày", "đến", "hạn", "Gốc", "phải", "trả", "Lãi", "phải", "trả", "Lãi",
                                    "dự", "kiến", "Gốc", "đã", "trả", "Lãi", "đã", "trả"]
        assert re.search(r"\d\d/\d\d/20\d\d", lines[1]) and lines[1].split()[4] in ("có", "không")
    if name == "coverage":
        assert re.search(r"\b(có|không)\b", out) and "—" in out and "0,00" in out
    if name in ("quarterly", "annual"):
        assert "Số tiền giải ngân" in out and "Dư nợ cuối kỳ" in out
    if name == "annual":
        assert "Từ ngày" in out and "01/01/2024" in out and "Tỷ lệ nợ xấu / dư nợ (%)" in out
        assert re.search(r"\d,\d\d\b", out)  # a percent with its decimal comma


def test_english_tables_take_the_english_catalogue(book):
    env = {**os.environ, "FUNDAPP_LANGUAGE": "en", "FUNDAPP_TODAY": "2024-12-31"}
    out = subprocess.run([sys.executable, "-m", "fundapp", "--db", str(book), "schedule", "HD2024-019"],
                         capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env).stdout
    header, first = out.splitlines()[:2]
    assert "Due date" in header and "Principal due" in header and "Projected interest" in header
    assert first.split()[4] in ("yes", "no")
    assert not PYTHON_WORDS.search(out)


def test_the_json_keeps_interchanges_keys_and_values(book, capsys):
    capsys.readouterr()
    assert main(["--db", str(book), "schedule", "HD2024-019", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {"no", "due_date", "principal", "interest", "interest_projected", "principal_paid",
                            "interest_paid"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", rows[0]["due_date"]) and isinstance(rows[0]["interest_projected"], bool)
    assert main(["--db", str(book), "balances", "--as-of", "2024-12-31", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ",".join(("loan_no", *BALANCE_FIELDS))


def _date_options(parser: argparse.ArgumentParser, path: str = "fundapp"):
    """(command path, option, help) of every argument of ``parser`` and its sub-commands read by parse_date."""
    from fundapp.cli.parser import parse_date

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _date_options(sub, f"{path} {name}")
        elif action.type is parse_date:
            yield path, "/".join(action.option_strings) or action.dest, action.help or ""


def test_every_date_options_help_names_both_forms_it_takes():
    from fundapp.cli.parser import build_parser

    options = list(_date_options(build_parser()))
    assert len(options) >= 10  # balances, schedule, coverage, portfolio, statement, … post, close, reopen
    wrong = [(path, option, text) for path, option, text in options
             if not ("YYYY-MM-DD" in text and "dd/mm/yyyy" in text)]
    assert wrong == []
