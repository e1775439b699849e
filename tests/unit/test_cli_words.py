"""An officer's trial of the command line's words (fix-cliwords).

1. A month, quarter, year or day of the right form that does not exist was told the form it had («--month 13/2024»:
   «dùng YYYY-MM hoặc MM/YYYY»): each is told what is wrong with it, by the window's own calendar check.
2. «--amount -5» was told «không phải số tiền» and «--amount 0» «phải lớn hơn 0»: a number below 0 is a number,
   refused in the same words with the value given; so is an import's «-5» cell (file:line:field).
3. No command set the fund's name: every paper warned of blanks and pointed at the window. ``fundapp settings``
   lists and saves the paper settings through the window's service (checks, audit, right, maker-checker).
4. ``--help`` of the main parser, post, notices, report and statement shows «Ví dụ:», each example running as written.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fundapp.cli import main
from tests import golden

ROOT = Path(__file__).resolve().parents[2]


def _refused(argv: list[str], capsys) -> str:
    """The last line of stderr of ``argv`` refused with exit 2 (by argparse or by the command)."""
    capsys.readouterr()
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    err = capsys.readouterr().err
    assert status == 2, err
    return err.strip().splitlines()[-1]


# -- 1. months, quarters, years and days that do not exist -----------------------------------------------------------
@pytest.mark.parametrize(("argv", "said"), [
    (["notices", "--month", "13/2024", "--pdf", "n.pdf"],
     "tham số --month: tháng «13/2024» không có trong lịch: một năm chỉ có 12 tháng"),
    (["notices", "--month", "2024-13", "--pdf", "n.pdf"],
     "tham số --month: tháng «2024-13» không có trong lịch: một năm chỉ có 12 tháng"),
    (["notices", "--month", "00/2024", "--pdf", "n.pdf"],
     "tham số --month: tháng «00/2024» không có trong lịch: tháng đánh số từ 01 đến 12"),
    (["report", "quarterly", "--year", "2024", "--quarter", "5"],
     "tham số --quarter: quý «5» không có: một năm có 4 quý, từ 1 đến 4"),
    (["report", "quarterly", "--year", "2024", "--quarter", "0"],
     "tham số --quarter: quý «0» không có: một năm có 4 quý, từ 1 đến 4"),
    (["report", "semiannual", "--year", "2024", "--half", "3"],
     "tham số --half: kỳ báo cáo «3» không có: 1 là sáu tháng đầu năm, 2 là cả năm"),
    (["report", "annual", "--year", "0"],
     "tham số --year: «0» không phải một năm (có 1 chữ số): viết năm đủ bốn chữ số, từ 2000 (ví dụ 2024)"),
    (["report", "annual", "--year", "-2024"],
     "tham số --year: «-2024» không phải một năm (số âm): viết năm đủ bốn chữ số, từ 2000 (ví dụ 2024)"),
    (["report", "annual", "--year", "0000"],
     "tham số --year: năm «0000» trước năm 2000: sổ chỉ ghi nghiệp vụ từ năm 2000"),
    (["balances", "--as-of", "2024-13-01"],
     "tham số --as-of: ngày «2024-13-01» không có trong lịch: một năm chỉ có 12 tháng"),
    (["balances", "--as-of", "30/02/2024"],
     "tham số --as-of: ngày «30/02/2024» không có trong lịch: tháng 02/2024 chỉ có 29 ngày"),
    (["balances", "--as-of", "2024-01-00"],
     "tham số --as-of: ngày «2024-01-00» không có trong lịch: ngày trong tháng 01/2024 đánh số từ 01 đến 31"),
    (["close", "--through", "2023-02-29"],
     "tham số --through: ngày «2023-02-29» không có trong lịch: tháng 02/2023 chỉ có 28 ngày"),
])
def test_a_value_of_the_right_form_that_does_not_exist_is_told_why(book, argv, said, capsys):
    assert _refused(["--db", str(book), *argv], capsys) == f"fundapp: lỗi: {said}"


def test_a_value_of_the_wrong_form_is_still_told_the_form(book, capsys):
    assert _refused(["--db", str(book), "notices", "--month", "2024/01", "--pdf", "n.pdf"], capsys) == \
        "fundapp: lỗi: tham số --month: tháng «2024/01» không hợp lệ: dùng YYYY-MM hoặc MM/YYYY"


def test_the_window_and_the_command_line_check_the_calendar_alike():
    from fundapp.formatting import DateTextError, parse_day, parse_month

    for typed, said in (("31/12/9999", None), ("01/01/0000", "Ngày 01/01/0000 không có: không có năm 0"),
                        ("15/13/2024", "Ngày 15/13/2024 không có: một năm chỉ có 12 tháng")):
        if said is None:
            assert parse_day(typed).year == 9999  # the 1st of the month after 12/9999 is no date: it raised
            continue
        with pytest.raises(DateTextError) as err:
            parse_day(typed)
        assert str(err.value) == said
    with pytest.raises(DateTextError) as err:
        parse_month("00/2024")
    assert str(err.value) == "Tháng 00/2024 không có: tháng đánh số từ 01 đến 12"


# -- 2. amounts below 0 -------------------------------------------------------------------------------------------
POST = ["post", "repayment", "HD2022-008", "--on", "2024-12-31"]
RELIEF = ["relief", "HD2022-002", "--on", "2024-11-05", "--of", "late_interest", "--reference", "QĐ-1",
          "--reason", "Thiên tai"]


@pytest.mark.parametrize("command", [POST, RELIEF], ids=["post", "relief"])
@pytest.mark.parametrize(("typed", "got"), [("-5", "-5"), ("0", "0"), ("-1.500.000", "-1.500.000"),
                                            ("-1,5tr", "-1.500.000")])
def test_an_amount_below_0_is_a_number_refused_as_0_is(book, command, typed, got, capsys):
    assert _refused(["--db", str(book), *command, "--amount", typed], capsys) == \
        f"fundapp: lỗi: tham số --amount: Số tiền phải lớn hơn 0 đồng (nhận được {got})"


def test_the_one_money_parser_knows_a_number_below_0():
    from fundapp.formatting import AmountError, parse_money

    with pytest.raises(AmountError) as err:
        parse_money("-1.500.000")
    assert err.value.negative == -1_500_000 and str(err.value) == "Số tiền không được âm (nhận được -1.500.000)"
    with pytest.raises(AmountError) as err:
        parse_money("-abc")
    assert err.value.negative is None and "không phải số tiền" in str(err.value)
    assert parse_money("-0") == 0


def test_an_import_s_amount_below_0_is_refused_as_0_is_with_its_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    folder = tmp_path / "fund"
    shutil.copytree(golden.SAMPLE, folder)
    lines = (folder / "transactions.csv").read_text(encoding="utf-8").splitlines()
    for n, amount in ((1, "-5"), (2, "0"), (3, "-1.000")):
        cells = lines[n].split(",")
        cells[3] = amount
        lines[n] = ",".join(cells)
    (folder / "transactions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "b.sqlite"), "import", "--check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "transactions.csv:2: số tiền (amount): phải lớn hơn 0 đồng (nhận được -5)" in err, err
    assert "transactions.csv:3: số tiền (amount): phải lớn hơn 0 đồng (nhận được 0)" in err, err
    assert "transactions.csv:4: số tiền (amount): «-1.000» không hợp lệ" in err, err  # a dot: no import amount


def test_an_opening_s_figure_below_0_is_not_told_it_must_be_above_0():
    from fundapp.services.import_cells import FieldProblem
    from fundapp.services.import_fields import read_money_or_zero
    from fundapp.services.import_read import Row

    def read(value):
        return read_money_or_zero(Row("openings.csv", 2, {"late_interest": value}), "late_interest", "lãi chậm trả")

    assert read("0") == 0 and read("-0") == 0 and read("1500") == 1500
    for value in ("-5", -5):
        with pytest.raises(FieldProblem) as err:
            read(value)
        assert str(err.value) == "lãi chậm trả: không được âm (nhận được -5)"


# -- 3. the fund's settings from the command line -----------------------------------------------------------------
NAMING = ["--fund-name", "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH NGHỆ AN", "--parent-body",
          "LIÊN MINH HỢP TÁC XÃ TỈNH NGHỆ AN", "--province", "Tỉnh Nghệ An", "--place", "Nghệ An"]


def test_a_paper_of_an_unnamed_book_names_the_settings_command(book, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(tmp_path / "sk.pdf")]) == 0
    err = capsys.readouterr().err
    assert 'Nhập bằng lệnh fundapp settings --fund-name "…" --parent-body "…" --province "…" --place "…"' in err, err


def test_settings_lists_and_saves_what_the_papers_print(book, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(book), "settings"]) == 0
    out = capsys.readouterr().out
    assert "Tên quỹ (--fund-name): QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ ……" in out
    assert "Địa chỉ (--address): —" in out and "fundapp settings --fund-name" in out
    # an unnamed book takes its four names together: one alone would store another province's for the others
    assert _refused(["--db", str(book), "settings", "--fund-name", "QUỸ X"], capsys).startswith(
        "fundapp: Sổ chưa có tên Quỹ: lần đầu cần đủ --fund-name, --parent-body, --province và --place")
    assert main(["--db", str(book), "settings", *NAMING, "--director", "Lê Văn Bình", "--deputy-signs", "on",
                 "--bank-bin", "970405"]) == 0
    assert "Giám đốc: «» → «Lê Văn Bình»" in capsys.readouterr().out
    assert _refused(["--db", str(book), "settings", "--bank-bin", "12"], capsys) == \
        "fundapp: Mã ngân hàng (BIN NAPAS, 6 số): đúng 6 chữ số, ví dụ 970405"  # the service's own check
    assert _refused(["--db", str(book), "settings", "--fund-name", " "], capsys) == \
        "fundapp: --fund-name: không được để trống (giấy tờ in mục này)"
    assert main(["--db", str(book), "settings", "--place", "Nghệ An"]) == 0
    assert capsys.readouterr().out.strip() == "Không có thay đổi nào để lưu."
    pdf = tmp_path / "sk.pdf"
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(pdf)]) == 0
    assert "Chưa nhập tên Quỹ" not in capsys.readouterr().err
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "NGHỆAN" in "".join(text.split()) and "KT. GIÁM ĐỐC" in text  # --deputy-signs on
    from fundapp.app import open_book
    from fundapp.services.audit import audit_log

    ctx = open_book(str(book))
    try:
        assert any(r.action == "settings" and "Lê Văn Bình" in r.detail for r in audit_log(ctx))  # audited as the window's save is
    finally:
        ctx.db.dispose()


def test_the_first_save_reports_each_name_against_what_the_papers_printed(book, capsys):
    """A book never named prints «……» for its four names; the first save reported only the values that differed
    from the stored defaults of another province (Quảng Trị's parent body, given again, was left out: an officer's
    trial). Each name given is reported against its blank."""
    capsys.readouterr()
    assert main(["--db", str(book), "settings", "--fund-name", "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ",
                 "--parent-body", "LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ", "--province", "Tỉnh Quảng Trị",
                 "--place", "Quảng Trị"]) == 0
    out = capsys.readouterr().out
    for label, value in (("Cơ quan chủ quản", "LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ"), ("Tỉnh", "Tỉnh Quảng Trị"),
                         ("Địa danh (ghi trên văn bản)", "Quảng Trị")):
        assert f"{label}: «……………………» → «{value}»" in out, out


def test_settings_needs_the_right_and_is_a_proposal_with_maker_checker(book, capsys, monkeypatch):
    monkeypatch.setenv("PW", "thu-nghiem-2024")
    monkeypatch.setenv("FUNDAPP_PASSWORD", "thu-nghiem-2024")
    db = ["--db", str(book)]
    assert main([*db, "users", "add", "qt", "--roles", "admin", "--password-env", "PW"]) == 0
    assert main([*db, "--user", "qt", "users", "add", "kt", "--roles", "accountant", "--password-env", "PW"]) == 0
    assert main([*db, "--user", "qt", "users", "add", "qt2", "--roles", "admin", "--password-env", "PW"]) == 0
    assert "thay đổi cài đặt" in _refused([*db, "--user", "kt", "settings", *NAMING], capsys)
    capsys.readouterr()
    assert main([*db, "--user", "qt", "settings", *NAMING]) == 0
    assert "Đã lập đề xuất số 1 (thay đổi cài đặt)" in capsys.readouterr().out
    assert main([*db, "--user", "qt2", "confirm", "1"]) == 0
    capsys.readouterr()
    assert main([*db, "--user", "kt", "settings"]) == 0  # anyone reads them
    assert "Tên quỹ (--fund-name): QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH NGHỆ AN" in capsys.readouterr().out


def test_the_readme_s_settings_example_runs_as_written(book, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith("fundapp --db book.sqlite settings --")]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0].split("   #")[0])
    assert main([w if w != "book.sqlite" else str(book) for w in words[1:]]) == 0
    assert main(["--db", str(book), "settings"]) == 0
    assert "Chưa nhập tên Quỹ" not in capsys.readouterr().out


# -- 4. examples in --help ----------------------------------------------------------------------------------------
def _help(argv: list[str], capsys) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [[], ["post"], ["notices"], ["report"], ["statement"], ["settings"]],
                         ids=["fundapp", "post", "notices", "report", "statement", "settings"])
def test_help_shows_examples_that_run_as_written(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    text = _help(command, capsys)
    assert "\nVí dụ:\n" in text, text
    examples = [line.strip() for line in text.split("\nVí dụ:\n")[1].splitlines() if line.startswith("  fundapp ")]
    assert examples and all(re.match(r"fundapp --db book\.sqlite ", e) for e in examples), examples
    assert all(" ".join(command) in e for e in examples)
    folder = tmp_path / "examples"
    folder.mkdir()
    monkeypatch.chdir(folder)  # «book.sqlite» and the papers an example writes
    assert main(["--db", "book.sqlite", "import", str(golden.SAMPLE)]) == 0
    for example in examples:
        capsys.readouterr()
        status = main(shlex.split(example)[1:])
        assert status == 0, (example, capsys.readouterr().err)
    if command == ["report"]:
        assert (folder / "quy-4.pdf").exists() and (folder / "quy-4.xlsx").exists()
    if command == ["fundapp"] or not command:
        assert json.loads(capsys.readouterr().out)  # the last example's JSON


def test_help_examples_in_english_too():
    env = {**os.environ, "FUNDAPP_LANGUAGE": "en", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "fundapp", "post", "--help"], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT)
    assert done.returncode == 0 and "\nExamples:\n  fundapp --db book.sqlite post repayment" in done.stdout, done.stdout


def test_the_notices_examples_ask_this_month_and_the_next_by_the_books_clock(monkeypatch):
    """The notices examples name the months notices are made for on the day --help is read: fixed ones (12/2024,
    2025-01) were refused once gone by — on the real 05/12/2026 «Tháng 12/2024 đã qua» (a review)."""
    from fundapp.cli.parser import build_parser

    monkeypatch.setenv("FUNDAPP_TODAY", "2026-12-05")
    epilog = build_parser()._subparsers._group_actions[0].choices["notices"].epilog
    assert "notices --month 12/2026 --pdf thong-bao.pdf" in epilog
    assert "notices --month 2027-01 --pdf thang-sau.pdf" in epilog
