"""fundapp restructure-batch: one decision for a ward's loans, all or nothing (exit 2 naming each refused loan)."""

from __future__ import annotations

import subprocess
import sys

from tests.golden import ROOT, SAMPLE


def fundapp(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fundapp", "--db", url, *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_restructure_batch_by_ward_then_by_list(tmp_path):
    book = str(tmp_path / "book.sqlite")
    fundapp(book, "import", str(SAMPLE))
    args = ("--on", "2024-12-31", "--extend-months", "6", "--grace", "1", "--reference", "QĐ-CC-0019",
            "--reason", "Lũ lụt tháng 11/2024")
    refused = fundapp(book, "restructure-batch", "--ward", "xa hai lang", *args)
    assert refused.returncode == 2
    assert "2 khoản vay bị từ chối, chưa ghi gì vào sổ" in refused.stderr
    assert "HD2022-002: Sau ngày 31/12/2024 không còn kỳ trả nợ nào: gia hạn ít nhất 18 tháng" in refused.stderr
    assert "HD2022-033: " in refused.stderr and "Traceback" not in refused.stderr
    assert "665.000.000" in refused.stdout and "31/03/2025 → 30/09/2025" in refused.stdout
    checked = fundapp(book, "restructure-batch", "--ward", "Xã Vĩnh Linh", "--check", *args)
    assert checked.returncode == 0 and "cả 6 khoản vay" in checked.stdout and "4.970.959" in checked.stdout
    done = fundapp(book, "restructure-batch", "--loans", "HD2024-001,HD2024-025", *args)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi cơ cấu lại 2 khoản vay ngày 31/12/2024 theo quyết định QĐ-CC-0019" in done.stdout
    again = fundapp(book, "restructure-batch", "--loans", "HD2024-001", *args)
    assert again.returncode == 2 and "QĐ-CC-0019/HD2024-001" in again.stderr and "đã có trong sổ" in again.stderr
    # the Vĩnh Linh check wrote nothing: the whole ward still goes through under the same decision
    ward = fundapp(book, "restructure-batch", "--ward", "Xã Vĩnh Linh", *args)
    assert ward.returncode == 0 and "Đã ghi cơ cấu lại 6 khoản vay" in ward.stdout


def test_a_refused_row_prints_the_loans_own_figures(tmp_path):
    """«Dư nợ gốc 0» beside a refused loan that owed 166.666.670 đ (a new officer's trial): the row prints the
    loan's principal outstanding, group and last due date, and a dash where only the restructuring gives a figure."""
    book = str(tmp_path / "book.sqlite")
    fundapp(book, "import", str(SAMPLE))
    out = fundapp(book, "restructure-batch", "--ward", "xa hai lang", "--on", "2024-12-31", "--extend-months", "6",
                  "--reference", "QĐ-CC-0019", "--reason", "Lũ", "--check")
    assert out.returncode == 2
    rows = {line.split()[0]: " ".join(line.split()) for line in out.stdout.splitlines()[1:]}
    assert "Hợp tác xã nấm Ba Nang 320.000.000 — 5 → — 27/07/2023 → — Sau ngày 31/12/2024" in rows["HD2022-002"]
    assert "Hợp tác xã chuối Mò Ó 131.395.575 — 5 → — 14/05/2023 → — Sau ngày 31/12/2024" in rows["HD2022-033"]


def test_the_check_refuses_what_the_posting_would(tmp_path):
    """`--check` said «cơ cấu lại được cả 2 khoản vay» and the same command without it was refused (exit 2): a loan
    already restructured under the decision, a day in a closed period, a decision number with «/» were checked only
    when writing. The check now refuses each with the posting's own words, and writes nothing."""
    book = str(tmp_path / "book.sqlite")
    fundapp(book, "import", str(SAMPLE))
    args = ("--on", "2024-12-31", "--extend-months", "6", "--grace", "1", "--reason", "Lũ lụt tháng 11/2024")
    done = fundapp(book, "restructure-batch", "--loans", "HD2024-001", "--reference", "QĐ-CC-0019", *args)
    assert done.returncode == 0, done.stderr
    checked = fundapp(book, "restructure-batch", "--loans", "HD2024-001,HD2024-025", "--reference", "QĐ-CC-0019",
                      "--check", *args)
    assert checked.returncode == 2, checked.stdout
    assert "HD2024-001: số quyết định «QĐ-CC-0019/HD2024-001» đã có trong sổ" in checked.stderr
    assert "1 khoản vay bị từ chối" in checked.stderr and "Kiểm tra xong" not in checked.stdout
    slash = fundapp(book, "restructure-batch", "--loans", "HD2024-025", "--reference", "QĐ/CC", "--check", *args)
    assert slash.returncode == 2 and "không được chứa dấu «/»" in slash.stderr
    assert fundapp(book, "close", "--through", "2024-12-31").returncode == 0
    closed = fundapp(book, "restructure-batch", "--loans", "HD2024-025", "--reference", "QĐ-CC-0020", "--check", *args)
    assert closed.returncode == 2 and "sổ đã khóa đến hết ngày 31/12/2024" in closed.stderr
    assert "Kiểm tra xong" not in closed.stdout
