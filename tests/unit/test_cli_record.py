"""The book-of-record words of the command line (issue 14) on the sample book, SQLite and PostgreSQL: users, login,
post, reverse as a proposal and confirm, close/reopen, verify (exit 0 "Sổ toàn vẹn: chuỗi N bản ghi khớp.", exit 3 naming the record),
a refused right exits 2 naming it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.golden import ROOT, SAMPLE

ENV = {"FUNDAPP_TODAY": "2024-12-31"}


def fundapp(url: str, *args: str, user: str | None = None, password: str = "mat-khau-8", expect: int = 0,
            env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, **ENV, **(env or {})}
    full.pop("FUNDAPP_USER", None)
    full["FUNDAPP_PASSWORD"] = password
    if user:
        full["FUNDAPP_USER"] = user
    result = subprocess.run([sys.executable, "-m", "fundapp", "--db", url, *args], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, env=full)
    assert result.returncode == expect, (result.stdout, result.stderr)
    return result


def test_users_login_rights_proposals_closing_and_verify(book_url):
    fundapp(book_url, "import", str(SAMPLE))
    assert fundapp(book_url, "verify").stdout == "Sổ toàn vẹn: chuỗi 298 bản ghi khớp.\n"  # it said «OK: 298 bản ghi»
    env = {"NEW_PW": "mat-khau-8"}
    out = fundapp(book_url, "users", "add", "qt", "--roles", "admin", "--password-env", "NEW_PW", env=env).stdout
    assert "Đã thêm người dùng qt: quản trị" in out
    # now a login is needed, even to read figures
    err = fundapp(book_url, "balances", "--as-of", "2024-12-31", expect=2).stderr
    assert "--user" in err
    assert "Sai tên người dùng hoặc mật khẩu" in fundapp(book_url, "users", "list", user="qt", password="sai",
                                                          expect=2).stderr
    for name, roles in (("kt", "accountant"), ("ks", "controller"), ("cb", "officer"), ("gd", "director")):
        fundapp(book_url, "users", "add", name, "--roles", roles, "--password-env", "NEW_PW", user="qt", env=env)
    listed = fundapp(book_url, "users", "list", user="qt").stdout
    assert "kt\t\taccountant\tkế toán" in listed
    err = fundapp(book_url, "users", "add", "x", "--roles", "officer", "--password-env", "NEW_PW", user="kt",
                  env=env, expect=2).stderr
    assert "không có quyền «quản lý người dùng»" in err

    # posting: the accountant may, the officer may not (exit 2, the right named)
    out = fundapp(book_url, "post", "repayment", "HD2022-008", "--on", "2024-12-31", "--amount", "1000000",
                  "--reference", "PT-CLI-1", user="kt").stdout
    assert "Đã ghi thu nợ 1.000.000" in out and "PT-CLI-1" in out
    err = fundapp(book_url, "post", "repayment", "HD2022-008", "--on", "2024-12-31", "--amount", "1000000",
                  user="cb", expect=2).stderr
    assert "không có quyền «ghi giải ngân, thu nợ»" in err
    # a back-dated repayment that changes receipts already issued says so and waits for the flag
    err = fundapp(book_url, "post", "repayment", "HD2022-002", "--on", "2022-09-01", "--amount", "30000000",
                  user="kt", expect=2).stderr
    assert "- PT-00005 ngày 27/09/2022" in err and "--accept-changed-receipts" in err

    # a reversal is a proposal until the controller confirms it
    out = fundapp(book_url, "reverse", "PT-CLI-1", "--reason", "Ghi trùng", user="kt").stdout
    assert out.startswith("Đã lập đề xuất số 1 (hủy (đảo) bút toán)")
    assert "#1\thủy (đảo) bút toán\tHD2022-008\tkt" in fundapp(book_url, "pending", user="ks").stdout
    assert "Không có đề xuất" in fundapp(book_url, "pending", user="kt").stdout
    assert "không thể tự xác nhận" in fundapp(book_url, "confirm", "1", user="kt", expect=2).stderr
    assert fundapp(book_url, "confirm", "1", user="ks").stdout == "Đã xác nhận đề xuất số 1.\n"
    # a restructuring by the officer becomes a proposal too
    out = fundapp(book_url, "restructure", "HD2024-019", "--on", "2024-12-31", "--extend-months", "6", "--grace", "1",
                  "--reference", "QĐ-CC-0101", "--reason", "Bão lũ", user="cb").stdout
    assert "Đã lập đề xuất số 2" in out and "4.970.959" in out

    # closing: the admin closes Q2 2024; the quarterly report then prints "đã khóa sổ" with the same figures
    before = json.loads(fundapp(book_url, "report", "quarterly", "--year", "2024", "--quarter", "2", "--format",
                                "json", user="kt").stdout)
    assert "khóa sổ" in fundapp(book_url, "close", "--through", "2024-06-30", user="kt", expect=2).stderr
    closed_out = fundapp(book_url, "close", "--through", "2024-06-30", user="qt").stdout
    anchor = re.search(r"Mã kiểm tra báo cáo quý: (\d+:[0-9a-f]{16})", closed_out).group(1)
    assert fundapp(book_url, "verify", "--anchor", anchor, user="ks").stdout.startswith("Sổ toàn vẹn: ")
    assert "không hợp lệ" in fundapp(book_url, "verify", "--anchor", "12", user="ks", expect=2).stderr
    closed = fundapp(book_url, "report", "quarterly", "--year", "2024", "--quarter", "2", "--format", "json",
                     user="kt")
    assert json.loads(closed.stdout) == before and "đã khóa sổ ngày 30/06/2024" in closed.stderr
    err = fundapp(book_url, "post", "repayment", "HD2022-008", "--on", "2024-06-30", "--amount", "1000000",
                  user="kt", expect=2).stderr
    assert "sổ đã khóa đến hết ngày 30/06/2024" in err
    fundapp(book_url, "reopen", "--through", "2024-06-30", "--reason", "Sót chứng từ", user="gd")
    assert fundapp(book_url, "verify", user="ks").stdout.startswith("Sổ toàn vẹn: ")


def test_verify_exits_3_naming_the_first_broken_record(tmp_path):
    book = str(tmp_path / "book.sqlite")
    fundapp(book, "import", str(SAMPLE))
    import sqlite3

    with sqlite3.connect(book) as c:
        c.execute("DROP TRIGGER entries_no_update")
        entry_id = c.execute("SELECT id FROM entries WHERE reference = 'PT-00004'").fetchone()[0]
        c.execute("UPDATE entries SET on_date = '2022-08-28' WHERE id = ?", (entry_id,))
    result = fundapp(book, "verify", expect=3)
    assert result.stdout == ""
    assert f"bút toán #{entry_id} đã bị sửa trực tiếp" in result.stderr and "28/08/2022" in result.stderr


def test_user_may_come_before_or_after_the_command_words():
    from fundapp.cli.parser import build_parser

    parse = build_parser().parse_args
    assert parse(["--user", "qt", "users", "add", "x", "--roles", "officer"]).user == "qt"
    assert parse(["post", "repayment", "HD1", "--on", "2024-01-01", "--amount", "5", "--user", "kt"]).user == "kt"
    assert parse(["report", "quarterly", "--year", "2024", "--quarter", "2", "--user", "ks"]).user == "ks"
    assert parse(["balances"]).user is None


def test_a_repayment_on_a_written_off_loan_is_said_as_a_recovery(tmp_path):
    """«post repayment» on a loan written off before says «Đã ghi thu hồi nợ đã xử lý rủi ro …», as the loan page and
    the statement name it (it said «Đã ghi thu nợ»: a fresh trial)."""
    book = str(tmp_path / "b.sqlite")
    env = {"FUNDAPP_TODAY": "2026-12-03"}
    subprocess.run([sys.executable, "-m", "fundapp", "demo", book], check=True, capture_output=True,
                   env={**os.environ, **env})
    fundapp(book, "write-off", "HD2026-041", "--on", "2026-12-01", "--reference", "QĐ-XL-9", "--reason", "Giải thể",
            env=env)
    out = fundapp(book, "post", "repayment", "HD2026-041", "--on", "2026-12-02", "--amount", "2.000.000",
                  env=env).stdout
    assert out.startswith("Đã ghi thu hồi nợ đã xử lý rủi ro 2.000.000 đ khoản vay HD2026-041 ngày 02/12/2026"), out
    out = fundapp(book, "post", "repayment", "HD2025-014", "--on", "2026-12-02", "--amount", "1.000.000",
                  env=env).stdout
    assert out.startswith("Đã ghi thu nợ 1.000.000 đ khoản vay HD2025-014"), out


def test_a_voucher_typed_twice_waits_for_again(book_url):
    """A repayment or disbursement the loan already holds in force — same kind, day and amount — is not posted again
    without ``--again``: the second `post` of one voucher went through silently (an officer's trial). The warning
    names the voucher; another amount, or a twin reversed, is posted as before."""
    fundapp(book_url, "import", str(SAMPLE))
    pay = ("post", "repayment", "HD2022-002", "--on", "2024-12-20", "--amount", "10000000")
    assert "PT-2024-00001" in fundapp(book_url, *pay).stdout
    err = fundapp(book_url, *pay, expect=2).stderr
    assert ("Khoản vay HD2022-002 đã có khoản thu nợ 10.000.000 đ ngày 20/12/2024 (chứng từ PT-2024-00001): kiểm tra "
            "để không ghi một chứng từ hai lần.") in err
    assert "chưa ghi; nếu đây là một khoản khác, chạy lại lệnh với --again" in err
    assert "PT-2024-00002" in fundapp(book_url, *pay, "--again").stdout  # two equal payments on one day happen
    assert "(chứng từ PT-2024-00001, PT-2024-00002)" in fundapp(book_url, *pay, expect=2).stderr
    assert "PT-2024-00003" in fundapp(book_url, *pay[:-1], "10000001").stdout  # another amount: no twin
    fundapp(book_url, "reverse", "PT-2024-00003", "--reason", "ghi nhầm")
    assert "PT-2024-00004" in fundapp(book_url, *pay[:-1], "10000001").stdout  # a reversed twin is not in force
