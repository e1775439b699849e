"""The command line on the sample book, on SQLite and on PostgreSQL: every figure equals expected.json."""

from __future__ import annotations

import json
import subprocess
import sys

from tests import golden
from tests.golden import ROOT, SAMPLE


def fundapp(url: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", url, *args], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result


def test_sample_book_through_the_command_line(book_url):
    fundapp(book_url, "import", str(SAMPLE))
    expected = golden.expected()
    for when in ("2022-12-31", "2024-02-20", "2024-12-31"):
        rows = json.loads(fundapp(book_url, "balances", "--as-of", when, "--format", "json").stdout)
        assert [r["loan_no"] for r in rows] == sorted(expected["balances"][when])
        assert {r.pop("loan_no"): r for r in rows} == expected["balances"][when]
    for quarter in ("2023-Q4", "2024-Q2"):
        year, q = quarter.split("-Q")
        got = json.loads(fundapp(book_url, "report", "quarterly", "--year", year, "--quarter", q,
                                 "--format", "json").stdout)
        assert got == expected["quarters"][quarter]
    schedule = json.loads(fundapp(book_url, "schedule", "HD2022-028", "--format", "json").stdout)
    assert [{k: r[k] for k in ("no", "due_date", "principal")} for r in schedule] == expected["schedules"]["HD2022-028"]
    assert all({"interest", "principal_paid", "interest_paid"} <= set(r) for r in schedule)


def test_errors_are_in_vietnamese_with_a_non_zero_status(tmp_path):
    book = str(tmp_path / "b.sqlite")
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", book, "schedule", "HD-KHONG-CO"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode != 0 and "Không có khoản vay" in result.stderr
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", book, "balances", "--as-of", "31-02-2024"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 2 and "không hợp lệ" in result.stderr


def test_main_py_runs_the_command_line_too(tmp_path):
    result = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "b.sqlite"), "balances", "--format",
                             "json"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_documents_from_the_command_line(tmp_path):
    from pypdf import PdfReader

    book = str(tmp_path / "b.sqlite")
    fundapp(book, "import", str(SAMPLE))
    made = {
        "statement.pdf": ("statement", "HD2022-002", "--as-of", "2024-02-20"),
        "schedule.pdf": ("schedule-pdf", "HD2022-002"),
        "receipt.pdf": ("receipt", "HD2022-002", "--reference", "GN-00003"),
        "minutes.pdf": ("reconciliation", "HD2022-002", "--as-of", "2023-12-31"),
        "notices.pdf": ("notices", "--month", "2024-03"),
    }
    titles = {"statement.pdf": "SAO KÊ KHOẢN VAY", "schedule.pdf": "LỊCH TRẢ NỢ", "receipt.pdf": "GIẤY NHẬN NỢ",
              "minutes.pdf": "BIÊN BẢN ĐỐI CHIẾU CÔNG NỢ", "notices.pdf": "THÔNG BÁO"}
    for name, args in made.items():
        fundapp(book, *args, "--pdf", str(tmp_path / name))
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(tmp_path / name)).pages)
        assert titles[name] in text, name
