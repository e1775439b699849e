"""The reviewer's leftovers on the command line (issue 16 stop): future --as-of refused, an unfinished quarter's JSON
counted to today and marked, argparse in Vietnamese, documents' own wording for a future date, the unnamed-fund
warning only when a paper is made, missing folders and missing books refused naming them."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from fundapp.cli import main
from tests import golden


def test_balances_after_today_is_refused_like_every_future_date(book, capsys):
    capsys.readouterr()
    assert main(["--db", str(book), "balances", "--as-of", "2025-01-01", "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Ngày 01/01/2025 sau ngày hôm nay 31/12/2024: không tính được số liệu của ngày chưa đến" in captured.err
    assert main(["--db", str(book), "schedule", "HD2024-019", "--as-of", "2025-06-30"]) == 2
    assert main(["--db", str(book), "report", "coverage", "--as-of", "2025-06-30"]) == 2
    assert main(["--db", str(book), "balances", "--as-of", "2024-12-31", "--format", "json"]) == 0  # today is fine


def test_a_document_after_today_has_the_papers_wording_and_no_number(book, tmp_path, capsys):
    capsys.readouterr()
    pdf = tmp_path / "sk.pdf"
    assert main(["--db", str(book), "statement", "HD2024-019", "--as-of", "2025-01-01", "--pdf", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert ("Không lập được giấy tờ cho ngày sau hôm nay: sao kê khoản vay ngày 01/01/2025 sau ngày hôm nay "
            "31/12/2024") in err
    assert "nghiệp vụ" not in err and not pdf.exists()
    assert "Chưa nhập tên Quỹ" not in err  # refused: no paper, so no word about the paper's blanks
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", str(book), "statement", "HD2024-019", "--as-of", "2024-12-31", "--pdf", str(pdf)]) == 0
    assert "Chưa nhập tên Quỹ" in capsys.readouterr().err  # produced: the warning stays


def test_an_unfinished_quarter_is_counted_to_today_and_marked_on_stderr(book, capsys, monkeypatch):
    from fundapp.app import open_book
    from fundapp.services.reports import quarter_reports

    monkeypatch.setenv("FUNDAPP_TODAY", "2024-11-15")
    capsys.readouterr()
    assert main(["--db", str(book), "report", "quarterly", "--year", "2024", "--quarter", "4", "--format", "json"]) == 0
    captured = capsys.readouterr()
    figures = json.loads(captured.out)
    ctx = open_book(str(book), today=date(2024, 11, 15))
    try:
        gui = quarter_reports(ctx, 2024, 4)  # what the PDF, .xlsx and GUI show
        assert gui.unfinished_until == date(2024, 11, 15)
        assert figures == gui.current.interchange_json()
    finally:
        ctx.db.dispose()
    full_quarter = golden.expected()["quarters"]["2024-Q4"]
    assert set(figures) == set(full_quarter)  # INTERCHANGE.md's keys, no other: the mark is on stderr
    assert (figures["disbursed_amount"], figures["principal_collected"]) != (
        full_quarter["disbursed_amount"], full_quarter["principal_collected"])
    assert "quý 4/2024 chưa kết thúc — số liệu đến hết ngày 15/11/2024" in captured.err
    assert main(["--db", str(book), "report", "quarterly", "--year", "2025", "--quarter", "1", "--format", "json"]) == 2
    assert "Quý 1/2025 chưa bắt đầu (hôm nay 15/11/2024)" in capsys.readouterr().err


def test_argparse_speaks_vietnamese(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: fundapp") and "tùy chọn:" in out and "-h, --help" in out
    assert "in hướng dẫn này rồi thoát" in out
    for english in ("usage:", "options:", "show this help message", "positional arguments"):
        assert english not in out
    for argv, vietnamese in ((["report", "quarterly", "--year", "abc", "--quarter", "4"], "«abc» không phải số nguyên"),
                             (["statement"], "thiếu các tham số bắt buộc: SỐ_HĐ, --pdf"),
                             (["balances", "--as-off", "2024-12-31"], "không hiểu các tham số: --as-off"),
                             (["balances", "--format", "xml"], "lựa chọn 'xml' không có")):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
        err = capsys.readouterr().err
        assert vietnamese in err and err.startswith("cách dùng: fundapp"), err
        for english in ("usage:", "invalid", "required", "unrecognized", "choose from"):
            assert english not in err


def test_a_file_into_a_missing_folder_is_refused_naming_the_folder(book, tmp_path, capsys):
    capsys.readouterr()
    missing = tmp_path / "khong-co"
    for argv in (["statement", "HD2024-019", "--pdf", str(missing / "sk.pdf")],
                 ["report", "quarterly", "--year", "2024", "--quarter", "4", "--xlsx", str(missing / "q.xlsx")],
                 ["contract", "HD2024-019", "--docx", str(missing / "hd.docx")],
                 ["collateral-export", "--csv", str(missing / "c.csv")]):
        assert main(["--db", str(book), *argv]) == 2, argv
        assert f"Thư mục «{missing}» không có" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing numbered


def test_a_file_named_without_its_suffix_is_refused_naming_it(book, tmp_path, capsys):
    """«--xlsx q.txt» wrote a workbook under a name no program opens it by (a new officer's trial, issue 17): a file
    whose name does not end in its option's suffix is refused, saying which and how, before anything is numbered."""
    capsys.readouterr()
    for argv, target, option in ((["statement", "HD2024-019", "--pdf"], "sk.txt", "pdf"),
                                 (["report", "quarterly", "--year", "2024", "--quarter", "4", "--xlsx"], "q.txt", "xlsx"),
                                 (["contract", "HD2024-019", "--docx"], "hd", "docx"),
                                 (["collateral-export", "--csv"], "c.xlsx", "csv")):
        path = tmp_path / target
        assert main(["--db", str(book), *argv, str(path)]) == 2, argv
        err = capsys.readouterr().err
        assert f"--{option} {path}: tên tệp cần đuôi «.{option}», ví dụ «{path.with_suffix('.' + option)}»" in err
        assert not path.exists()
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing numbered
    for typed, meant in ((".pdf", "bao-cao.pdf"), ("a.pdf.txt", "a.pdf"), ("sk", "sk.pdf")):
        assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(tmp_path / typed)]) == 2
        assert f"ví dụ «{tmp_path / meant}»" in capsys.readouterr().err, typed
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(tmp_path / "sk.pdf ")]) == 2
    assert (f"--pdf «{tmp_path / 'sk.pdf '}»: tên tệp có khoảng trắng ở đầu hoặc cuối: bỏ đi, ví dụ "
            f"«{tmp_path / 'sk.pdf'}»") in capsys.readouterr().err
    pdf = tmp_path / "SK.PDF"  # the suffix in capitals is the same suffix
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(pdf)]) == 0 and pdf.exists()


def _balances_after(book, tmp_path, setup: str, after: str) -> tuple[str, str]:
    """Run ``fundapp balances --as-of 31/12/2024`` on ``book`` in a child process whose command, once done, runs
    ``after`` (Python lines, 4 spaces deep; ``setup`` at the top): (its stderr, its log file's text)."""
    import os
    import subprocess
    import sys

    script = (f"import sys, threading\nimport fundapp.cli as cli\n{setup}real = cli.run\n"
              f"def run(args):\n    status = real(args)\n{after}    return status\n"
              "cli.run = run\nsys.exit(cli.main(sys.argv[1:]))\n")
    env = {**os.environ, "FUNDAPP_TODAY": "2024-12-31", "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", script, "--db", str(book), "balances", "--as-of", "31/12/2024"],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=str(golden.ROOT))
    assert done.returncode == 0 and "HD2024-019" in done.stdout
    logs = list((tmp_path / "state").rglob("fundapp.log"))
    assert len(logs) == 1
    return done.stderr, logs[0].read_text(encoding="utf-8")


def test_an_error_in_a_finaliser_goes_to_the_log_not_the_terminal(book, tmp_path):
    """Python reports an exception raised where nothing can catch it (a finaliser: XlsxWriter's zip file closed
    again by the garbage collector after a full disk; a Ctrl-C landing in SQLAlchemy's clean-up at a command's
    very end) as «Exception ignored in …» with a traceback on stderr, after the officer's own message (a new
    officer's trial, issue 17). The command line sends it to the log file instead."""
    err, text = _balances_after(book, tmp_path,
                                "class Zip:\n    def __del__(self):\n        raise OSError(28, 'No space left on device')\n",
                                "    z = Zip()\n    del z\n")
    assert "Exception ignored" not in err and "Traceback" not in err and "No space left" not in err, err
    assert "Exception ignored" in text and "No space left on device" in text and "Traceback" in text


def test_an_exception_in_a_background_thread_goes_to_the_log_not_the_terminal(book, tmp_path):
    """A background thread's uncaught exception is printed by Python as «Exception in thread …» with a traceback on
    stderr (CPython 3.11's process pool does so, InvalidStateError over a cancelled task, when a worker process
    dies). The command line sends it to the log file instead."""
    err, text = _balances_after(book, tmp_path,
                                "def fail():\n    raise RuntimeError('InvalidStateError: CANCELLED')\n",
                                "    t = threading.Thread(target=fail, name='manager')\n    t.start()\n    t.join()\n")
    assert "Exception in thread" not in err and "Traceback" not in err, err
    assert "exception in thread manager" in text and "InvalidStateError: CANCELLED" in text and "Traceback" in text


def test_a_report_file_shows_its_progress_on_a_terminal_only(book, tmp_path, capsys, monkeypatch):
    """A report file of the 100,000-loan book takes 10–20 s, and the command line said nothing meanwhile (a new
    officer's trial, issue 17): on a terminal, «Đang lập báo cáo: n %» is redrawn in place on stderr and erased
    before «Đã ghi …»; a pipe or a file (a script) gets none of it."""
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    capsys.readouterr()
    for argv in (["report", "quarterly", "--year", "2024", "--quarter", "4", "--xlsx"],
                 ["report", "portfolio", "--as-of", "2024-12-31", "--xlsx"],
                 ["report", "annual", "--year", "2024", "--xlsx"]):
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        target = tmp_path / f"{argv[1]}.xlsx"
        assert main(["--db", str(book), *argv, str(target)]) == 0, argv
        monkeypatch.setattr(sys, "stderr", sys.__stderr__)
        shown = terminal.getvalue()
        assert "\rĐang lập báo cáo: 0 %" in shown and "\rĐang lập báo cáo: 100 %" in shown, shown
        lines = re.findall(r"\r(Đang lập báo cáo[^\r]*?: \d+ %)", shown)
        figures = [(int(s.group(1) or 1), int(s.group(2))) for s in
                   (re.match(r"Đang lập báo cáo(?:, bước (\d+))?: (\d+) %", line) for line in lines)]
        assert figures[0] == (1, 0) and (1, 100) in figures, shown
        assert figures == sorted(figures), shown  # never a figure going back: a count starting again is a new step
        assert re.search(r"\r {23,}\r", shown[shown.rindex(lines[-1]):]), shown  # erased before anything else
        assert f"Đã ghi {target}" in capsys.readouterr().out
    assert main(["--db", str(book), "report", "quarterly", "--year", "2024", "--quarter", "4", "--xlsx",
                 str(tmp_path / "q2.xlsx")]) == 0
    assert "Đang lập" not in capsys.readouterr().err  # not a terminal


def test_a_file_under_a_file_is_refused_naming_the_file(book, tmp_path, capsys):
    """«--pdf sổ.sqlite/x.pdf» was told «Thư mục «…/sổ.sqlite» không có», though it is there, as a file (a new
    officer's trial, issue 17): the refusal names the file that stands where a folder was meant."""
    capsys.readouterr()
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(book / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"«{book}» là một tệp, không phải thư mục: không lưu được «{book / 'x.pdf'}» vào trong nó" in err, err
    assert main(["--db", str(book), "statement", "HD2024-019", "--pdf", str(book / "a" / "x.pdf")]) == 2
    assert f"«{book}» là một tệp, không phải thư mục" in capsys.readouterr().err
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing numbered


def test_a_missing_book_is_refused_for_every_command_that_does_not_make_books(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    missing = tmp_path / "khong-co.sqlite"
    for argv in (["balances", "--format", "json"], ["schedule", "HD2024-019"],
                 ["report", "quarterly", "--year", "2024", "--quarter", "4", "--format", "json"], ["documents"]):
        assert main(["--db", str(missing), *argv]) == 2, argv
        assert f"Không có sổ «{missing}»" in capsys.readouterr().err
        assert not missing.exists()
    # the same file by its URL, as --db takes it: an empty book was made silently and «[]» printed as its balances
    assert main(["--db", f"sqlite:///{missing}", "balances", "--format", "json"]) == 2
    assert f"Không có sổ «sqlite:///{missing}»" in capsys.readouterr().err and not missing.exists()
    monkeypatch.setenv("FUNDAPP_DB", str(missing))
    assert main(["balances"]) == 2 and not missing.exists()
    assert main(["import", str(golden.SAMPLE)]) == 0 and missing.exists()  # import makes the book


def test_an_unfinished_year_is_counted_to_today_too(book, capsys, monkeypatch):
    """The same kind as the quarter: the annual and six-month figures of a period not yet ended run to the book's
    today (their "end" says so), never to a later day; a year not begun is refused."""
    from fundapp.app import open_book
    from fundapp.services.reports import period_summary

    monkeypatch.setenv("FUNDAPP_TODAY", "2024-11-15")
    capsys.readouterr()
    assert main(["--db", str(book), "report", "annual", "--year", "2024", "--format", "json"]) == 0
    captured = capsys.readouterr()
    figures = json.loads(captured.out)
    ctx = open_book(str(book), today=date(2024, 11, 15))
    try:
        assert figures == period_summary(ctx, date(2024, 1, 1), date(2024, 11, 15)) and figures["end"] == "2024-11-15"
    finally:
        ctx.db.dispose()
    assert "chưa kết thúc — số liệu đến hết ngày 15/11/2024" in captured.err
    assert main(["--db", str(book), "report", "semiannual", "--year", "2024", "--half", "1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["end"] == "2024-06-30"  # an ended half: its own last day
    assert main(["--db", str(book), "report", "annual", "--year", "2025", "--format", "json"]) == 2


def test_an_argument_error_speaks_the_officers_language(capsys):
    """argparse's refusal and our wrapper «fundapp: lỗi: …» are one language: Vietnamese here, English under
    FUNDAPP_LANGUAGE=en (tests/unit/test_review_r.py)."""
    with pytest.raises(SystemExit) as stop:
        main(["balances", "--as-of", "xx"])
    assert stop.value.code == 2
    assert ("fundapp: lỗi: tham số --as-of: ngày «xx» không hợp lệ: dùng YYYY-MM-DD hoặc dd/mm/yyyy"
            in capsys.readouterr().err)


def test_a_book_address_of_no_kind_fundapp_opens_is_refused_in_words(tmp_path, capsys, monkeypatch):
    """«--db sqlte:///sổ.sqlite» (a typo) or «--db mysql://…» ended in «lỗi không mong muốn», SQLAlchemy's
    «Can't load plugin» in the log (a new officer's trial): the address is refused naming the forms a book takes."""
    monkeypatch.chdir(tmp_path)
    for address in ("sqlte:///demo2.sqlite", "mysql://u:bi-mat@127.0.0.1/quy", "postgresql+pg8000://u@h/quy"):
        assert main(["--db", address, "balances", "--as-of", "2024-12-31", "--format", "json"]) == 2, address
        err = capsys.readouterr().err
        assert "Không hiểu địa chỉ sổ" in err and "postgresql+psycopg://" in err, err
        assert "bi-mat" not in err and "plugin" not in err and "không mong muốn" not in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_server_address_without_a_driver_is_not_refused_as_unknown(tmp_path, capsys, monkeypatch):
    """«--db postgresql://…» and «--db postgres://…» (no driver named) were refused «Không hiểu địa chỉ sổ»: they are
    opened through psycopg 3, the driver installed, and reach for the server (nothing listens on port 1)."""
    monkeypatch.chdir(tmp_path)
    for address in ("postgresql://u:bi-mat@127.0.0.1:1/quy?connect_timeout=2", "postgres://u@127.0.0.1:1/quy"):
        assert main(["--db", address, "balances", "--as-of", "2024-12-31", "--format", "json"]) == 2, address
        err = capsys.readouterr().err
        assert "Không hiểu địa chỉ sổ" not in err and "Không kết nối được tới máy chủ sổ" in err, err
        assert "«postgresql+psycopg://u" in err and "bi-mat" not in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_read_command_without_a_book_named_makes_no_book(tmp_path, capsys, monkeypatch):
    """«fundapp balances» with neither --db nor FUNDAPP_DB (or «--db ""») made an empty book in the per-user folder
    and printed «(không có dòng nào)» (a new officer's trial): the book it would read is refused by its path, as a
    missing one named by --db is."""
    from fundapp.ledger.urls import default_book_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("FUNDAPP_DB", raising=False)
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = default_book_path()
    assert str(book).startswith(str(tmp_path))
    for argv in (["balances"], ["--db", "", "balances"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        # it named --db and FUNDAPP_DB only: the per-user book was never made, and how it is made is said
        assert f"Chưa có sổ: sổ riêng của người dùng này trên máy («{book}», dùng khi không có --db và FUNDAPP_DB) " \
               "chưa được tạo." in err, err
        assert "được tạo khi mở cửa sổ fundapp lần đầu" in err and "«fundapp import ĐƯỜNG_DẪN»" in err, err
        assert not book.exists()
    # a book named by --db that is not there is a path to check, as before
    assert main(["--db", str(tmp_path / "khong-co.sqlite"), "balances"]) == 2
    assert f"Không có sổ «{tmp_path / 'khong-co.sqlite'}»: kiểm tra --db" in capsys.readouterr().err


def test_a_year_of_two_digits_is_refused_not_read_as_year_24(book, capsys):
    """«--year 24» gave the report of the year 24, every figure 0, exit 0 (a new officer's trial): a year is written
    with its four digits, from the earliest year a book holds."""
    for argv in (["report", "quarterly", "--year", "24", "--quarter", "4"], ["report", "semiannual", "--year", "224", "--half", "1"], ["documents", "--year", "25"]):
        with pytest.raises(SystemExit) as stop:
            main(["--db", str(book), *argv])
        err = capsys.readouterr().err
        assert stop.value.code == 2 and "«" in err and "không phải một năm" in err and "2000" in err, err


def test_a_closed_quarter_prints_its_figures_in_the_report_s_order(book, capsys):
    """A closed quarter's stored figures (their keys sorted, as the closing keeps them) printed as a table in
    alphabetical order of the JSON keys, and its districts in code-point order («Hướng Hóa» before «Hải Lăng»): a
    new officer's trial. They print in the order of the same quarter not closed."""
    def printed(fmt: str) -> str:
        capsys.readouterr()
        assert main(["--db", str(book), "report", "quarterly", "--year", "2024", "--quarter", "3", "--format",
                     fmt]) == 0
        return capsys.readouterr().out

    table, as_json = printed("table"), printed("json")
    assert main(["--db", str(book), "close", "--through", "2024-09-30"]) == 0
    assert printed("table") == table
    assert list(json.loads(printed("json"))["by_district"]) == list(json.loads(as_json)["by_district"])
    assert printed("json") == as_json


def test_a_month_is_read_as_the_window_writes_it_too(book, capsys, tmp_path):
    """«notices --month 06/2025» was refused («dùng YYYY-MM») though the window writes a month 06/2025 and --as-of
    takes dd/mm/yyyy (a new officer's trial): MM/YYYY is read as YYYY-MM is."""
    from fundapp.cli.parser import parse_month

    assert parse_month("12/2024") == parse_month("2024-12") == (2024, 12)
    assert parse_month("6/2024") == (2024, 6)
    for wrong in ("2024/12", "12-2024", "１２/２０２４"):
        with pytest.raises(Exception, match="YYYY-MM hoặc MM/YYYY"):
            parse_month(wrong)
    with pytest.raises(Exception, match="«13/2024» không có trong lịch: một năm chỉ có 12 tháng"):  # the form is right
        parse_month("13/2024")
    for early in ("12/1999", "1999-12", "0001-01"):  # before the first year a book holds, as --year refuses it
        with pytest.raises(Exception, match="trước năm 2000"):
            parse_month(early)


def test_the_users_of_a_book_without_users_are_said_to_be_none(book, capsys):
    """«users list» on a book without users printed nothing (a new officer's trial): it says there are none and how
    the first one is added."""
    capsys.readouterr()
    assert main(["--db", str(book), "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "chưa có người dùng" in out and "fundapp users add" in out, out


def test_a_loan_number_typed_in_other_case_is_refused_with_the_book_s_number(book, capsys):
    """«schedule hd2024-019» said «Không có khoản vay số «hd2024-019» trong sổ» and no more (a new officer's trial; the
    journal's loan filter takes «hd…»): the refusal names the loan the book has."""
    capsys.readouterr()
    for argv in (["schedule", "hd2024-019"], ["post", "repayment", "hd2024-019", "--on", "2024-12-31", "--amount",
                                                "1000000"], ["statement", "hd2024-019", "--pdf", str(book.parent / "s.pdf")]):
        assert main(["--db", str(book), *argv]) != 0, argv
        err = capsys.readouterr().err
        assert "«hd2024-019» trong sổ; có phải «HD2024-019»?" in err, (argv, err)
    assert main(["--db", str(book), "schedule", "HD2099-001"]) != 0
    assert capsys.readouterr().err.strip().endswith("Không có khoản vay số «HD2099-001» trong sổ")


def test_a_day_before_2000_is_refused_for_papers_and_figures_and_takes_no_number(book, tmp_path, capsys):
    """«statement --as-of 1999-12-31» and «report portfolio --as-of 1999-12-31 --pdf» issued numbered papers of a
    day no book holds, «balances --as-of 1999-12-31» printed zeros (a new officer's trial): refused as a posting
    dated so is, nothing numbered or written."""
    pdf = tmp_path / "x.pdf"
    for argv, what in ((["statement", "HD2024-019", "--as-of", "1999-12-31", "--pdf", str(pdf)], "sao kê khoản vay"),
                       (["report", "portfolio", "--as-of", "31/12/1999", "--pdf", str(pdf)], "ngày tính số liệu"),
                       (["balances", "--as-of", "1999-12-31", "--format", "json"], "ngày tính số liệu")):
        capsys.readouterr()
        assert main(["--db", str(book), *argv]) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == "" and not pdf.exists(), argv
        assert f"Ngày 31/12/1999 ({what}) trước ngày 01/01/2000: sổ chỉ ghi nghiệp vụ từ ngày 01/01/2000" in \
            captured.err, captured.err
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", str(book), "balances", "--as-of", "2000-01-01", "--format", "json"]) == 0  # the first day


def test_notices_of_a_month_beyond_the_next_are_refused_and_take_no_number(book, tmp_path, capsys):
    """«notices --month 2035-01 --pdf» issued 17 numbered notices headed «tháng 01/2035» holding only today's
    arrears (a new officer's trial): a notice is for the month under way or the next one."""
    pdf = tmp_path / "tb.pdf"
    for month in ("2035-01", "02/2025"):
        capsys.readouterr()
        assert main(["--db", str(book), "notices", "--month", month, "--pdf", str(pdf)]) == 2, month
        err = capsys.readouterr().err
        assert "chưa đến: thông báo nợ đến hạn lập trước được nhiều nhất cho tháng sau (tháng 01/2025, hôm nay " \
               "31/12/2024)" in err, err
        assert not pdf.exists()
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", str(book), "notices", "--month", "2025-01", "--pdf", str(pdf)]) == 0  # the next month
    assert pdf.exists()


def test_notices_of_a_month_gone_by_are_refused_on_stderr_and_take_no_number(book, tmp_path, capsys):
    """«notices --month 11/2024» on 31/12/2024 issued numbered notices headed «tháng 11/2024» quoting the loans on
    31/12/2024: HD2022-002 got the same 389.676.637 đ for 11/2024, 12/2024 and 01/2025 (an officer's trial). A
    month gone by is refused, saying this month's notice already holds every debt due; nothing numbered or written."""
    pdf = tmp_path / "tb.pdf"
    for month in ("11/2024", "2024-11", "2020-01"):
        capsys.readouterr()
        assert main(["--db", str(book), "notices", "--month", month, "--pdf", str(pdf)]) == 2, month
        captured = capsys.readouterr()
        shown = month if "/" in month else f"{month[5:]}/{month[:4]}"
        assert captured.out == "" and (f"Tháng {shown} đã qua: thông báo nợ đến hạn lập cho tháng này (12/2024) đã "
                                       "gồm mọi khoản nợ đến hạn còn chưa trả đến hôm nay 31/12/2024") in captured.err
        assert not pdf.exists()
    assert main(["--db", str(book), "documents", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", str(book), "notices", "--month", "12/2024", "--pdf", str(pdf)]) == 0  # this month
    assert pdf.exists()


def test_a_day_not_in_the_calendar_and_a_year_before_2000_are_called_so(book, capsys):
    """«--as-of 31/02/2024» was told to use the form it had, «--year 1999» that it was no year (a new officer's
    trial): each is told what is wrong with it."""
    for argv, said in ((["balances", "--as-of", "31/02/2024"], "ngày «31/02/2024» không có trong lịch"),
                       (["balances", "--as-of", "2023-02-29"], "ngày «2023-02-29» không có trong lịch"),
                       (["balances", "--as-of", "2024/02/01"], "ngày «2024/02/01» không hợp lệ: dùng YYYY-MM-DD"),
                       (["report", "annual", "--year", "1999"],
                        "năm «1999» trước năm 2000: sổ chỉ ghi nghiệp vụ từ năm 2000")):
        with pytest.raises(SystemExit) as stop:
            main(["--db", str(book), *argv])
        err = capsys.readouterr().err
        assert stop.value.code == 2 and said in err, err


def test_a_posting_s_date_is_refused_before_the_receipts_preview_replays_it(book, capsys):
    """«post disbursement … --on 1999-06-01» was refused for the loan's own disbursement («Giải ngân 740.000.000 đ
    vượt số tiền được duyệt 740.000.000 đ»), a repayment after today on a settled loan for being settled (a new
    officer's trial): the receipts' preview replayed the entry before the date was checked. The date is refused in
    the posting's words, as is a disbursement before the contract date (it was refused for a later entry, or for a
    made-up last due date), and a disbursement backdated before the loan's own says what is still available."""
    for argv, said in (
            (["repayment", "HD2022-009", "--on", "2025-02-01"],
             "Ngày 01/02/2025 (ngày trả nợ) sau ngày hôm nay 31/12/2024: không ghi được nghiệp vụ ở tương lai"),
            (["disbursement", "HD2022-020", "--on", "1999-06-01"],
             "Ngày 01/06/1999 (ngày giải ngân) trước ngày 01/01/2000: sổ chỉ ghi nghiệp vụ từ ngày 01/01/2000"),
            (["disbursement", "HD2022-020", "--on", "2022-01-25"],
             "Giải ngân 740.000.000 đ vượt số còn được giải ngân 739.000.000 đ (số tiền được duyệt 740.000.000 đ, "
             "đã giải ngân 1.000.000 đ)"),
            # before the contract (24/01/2022): the posting's own refusal, not a replay's of a later entry
            (["disbursement", "HD2022-020", "--on", "2021-06-01"],
             "Ngày giải ngân (01/06/2021) không được trước ngày ký hợp đồng (24/01/2022)"),
            (["disbursement", "HD2024-032", "--on", "2000-01-03"], "không được trước ngày ký hợp đồng")):
        capsys.readouterr()
        assert main(["--db", str(book), "post", *argv, "--amount", "1000000"]) == 2, argv
        err = capsys.readouterr().err
        assert said in err and "tất toán" not in err, err
