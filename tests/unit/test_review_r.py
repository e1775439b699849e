"""Reviewer R's findings (issues 16 and 13), on the command line as an officer uses it. Each test fails today
and is marked xfail(strict=True): when the fault is fixed the test passes, the mark must go."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fundapp.cli import main
from tests import golden

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def _register(book, capsys) -> list:
    capsys.readouterr()
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _english(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FUNDAPP_LANGUAGE="en", FUNDAPP_TODAY="2024-12-31")
    return subprocess.run([sys.executable, "-m", "fundapp", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, env=env)


def test_a_paper_refused_for_a_folder_takes_no_number(book, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(book), "statement", "HD2024-019", "--as-of", "2024-12-31", "--pdf", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"«{tmp_path}» là một thư mục, không phải tệp" in err, err
    assert _register(book, capsys) == []


def test_a_release_letter_of_a_loan_not_settled_is_refused(book, tmp_path, capsys):
    docx = tmp_path / "gc.docx"
    capsys.readouterr()
    assert main(["--db", str(book), "release", "HD2024-001", "--docx", str(docx)]) == 2
    err = capsys.readouterr().err
    assert "Khoản vay HD2024-001 chưa tất toán (ngày 31/12/2024 còn dư nợ gốc 665.000.000 đ" in err, err
    assert not docx.exists()
    assert _register(book, capsys) == []


def test_the_vietnamese_help_has_no_english_line(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "cách dùng:" in out
    assert "show program's version number" not in out
    assert re.search(r"--version\s+in số phiên bản rồi thoát", out), out


def test_an_english_argument_error_is_english_only(tmp_path):
    book = tmp_path / "b.sqlite"  # no book needed: argparse refuses first
    for args in (["balances", "--as-of", "xx"], ["post", "repayment", "HD2024-001", "--amount", "5"],
                 ["post", "repayment", "HD2024-001", "--on", "2024-12-01", "--amount", "abc"]):
        result = _english("--db", str(book), *args)
        assert result.returncode == 2
        assert not VIETNAMESE.search(result.stderr), result.stderr


def test_an_english_import_refusal_is_english_only(tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(golden.SAMPLE, folder)
    lines = (folder / "loans.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(",")
    cells[4] = "12x"  # amount
    lines[3] = ",".join(cells)
    (folder / "loans.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _english("--db", str(tmp_path / "b.sqlite"), "import", str(folder))
    assert result.returncode == 2
    assert "loans.csv:4:" in result.stderr
    assert not VIETNAMESE.search(result.stderr.replace("«12x»", "")), result.stderr
    ok = _english("--db", str(tmp_path / "c.sqlite"), "import", str(golden.SAMPLE))
    assert ok.returncode == 0 and not VIETNAMESE.search(ok.stdout), ok.stdout
