"""The command line's contract (issue 16, reviewer R2's command-line findings as kinds): every argument named and
explained in the officer's language, a tampered entry described in the program's formatting, environment values
read where used and refused in words, every report command printing what INTERCHANGE.md says, a server without
the named database told as such."""

from __future__ import annotations

import pytest

from tests.unit.test_review_r2 import _fundapp

# -- a server that answers but has no such database -------------------------------------------------------------------

def test_a_missing_database_sqlstate_is_worded_as_such():
    """3D000 (invalid_catalog_name) is the server's answer, not a network fault."""
    from sqlalchemy.exc import OperationalError

    from fundapp.ledger.error_map import translate_error

    class Orig(Exception):
        sqlstate = "3D000"

    refusal = translate_error(OperationalError("connect", {}, Orig("no such database")), "postgresql://h/x")
    text = str(refusal.message)
    assert "không có cơ sở dữ liệu này" in text and "kiểm tra mạng" not in text, text


@pytest.mark.postgres
def test_a_url_naming_a_database_the_server_lacks_says_so(pg_url):
    from sqlalchemy.engine import make_url

    missing = make_url(pg_url).set(database="fundapp_no_such_book_f1").render_as_string(hide_password=False)
    done = _fundapp("--db", missing, "balances")
    assert done.returncode == 2, done.stderr
    assert "đã trả lời nhưng không có cơ sở dữ liệu này" in done.stderr, done.stderr
    assert "kiểm tra mạng" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    english = _fundapp("--db", missing, "balances", language="en")
    assert "does not have this database" in english.stderr and "kiểm tra" not in english.stderr, english.stderr


# -- a tampered entry, described in the program's formatting -------------------------------------------------------

@pytest.mark.parametrize("language, expected", [
    ("vi", "ngày 23/09/2023, loại Thu nợ, số tiền 27.836.753 đ, chứng từ PT-00074"),
    ("en", "date 23/09/2023, kind Repayment, amount 27.836.753 đ, voucher PT-00074"),
])
def test_a_tampered_entry_is_described_by_label_date_and_grouped_amount(tmp_path, language, expected):
    """One formatting path: dd/mm/yyyy, "27.836.753 đ" (the altered amount) and the loan page's label of the
    kind, in each language."""
    import sqlite3

    from tests.golden import SAMPLE

    if not SAMPLE.is_dir():
        pytest.skip("golden books not here")
    book = tmp_path / "book.sqlite"
    assert _fundapp("--db", str(book), "import", str(SAMPLE)).returncode == 0
    with sqlite3.connect(book) as conn:
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute("UPDATE entries SET amount = amount + 1 WHERE reference = 'PT-00074'")
    done = _fundapp("--db", str(book), "verify", language=language)
    assert done.returncode != 0
    assert expected in done.stderr, done.stderr
    assert "repayment" not in done.stderr and "2023-09-23" not in done.stderr, done.stderr


# -- every report command prints or writes something, or refuses naming what it needs ------------------------------

def test_the_portfolio_without_a_file_refuses_naming_the_options(tmp_path):
    """It printed an empty line and exited 0; the portfolio is written to files only, so it names them."""
    book = tmp_path / "s.sqlite"
    assert _fundapp("demo", str(book)).returncode == 0
    done = _fundapp("--db", str(book), "report", "portfolio", "--as-of", "2024-12-31")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and "--xlsx" in done.stderr and "--pdf" in done.stderr, done.stderr
    written = _fundapp("--db", str(book), "report", "portfolio", "--as-of", "2024-12-31",
                       "--xlsx", str(tmp_path / "p.xlsx"))
    assert written.returncode == 0 and (tmp_path / "p.xlsx").stat().st_size > 0, written.stderr


def test_the_demo_book_is_made_where_db_names_it_as_every_command_takes_its_book(tmp_path):
    """A new officer's trial: «fundapp --db X demo» was refused for lacking the path; without either it says both
    ways, and a server's book is refused (a demo book is a SQLite file), nothing made."""
    book = tmp_path / "d.sqlite"
    made = _fundapp("--db", str(book), "demo")
    assert made.returncode == 0 and book.exists(), made.stderr
    none = _fundapp("demo")
    assert none.returncode == 2 and "fundapp --db ĐƯỜNG_DẪN demo" in none.stderr, none.stderr
    server = _fundapp("--db", "postgresql+psycopg://u:secret@127.0.0.1:9/db", "demo")
    assert server.returncode == 2 and "tệp SQLite" in server.stderr and "secret" not in server.stderr, server.stderr
    # a SQLite book given by its URL, as --db takes it for every other command, is a file (it was refused as a server)
    by_url = tmp_path / "u.sqlite"
    made = _fundapp("--db", f"sqlite:///{by_url}", "demo")
    assert made.returncode == 0 and by_url.exists(), made.stderr


# -- every argument named and explained in the officer's language ---------------------------------------------------

def _parsers(parser, path=("fundapp",)):
    import argparse

    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _every_parser(language: str):
    from fundapp import i18n
    from fundapp.cli.parser import build_parser

    before = i18n.language()
    i18n.set_language(language)
    try:
        return list(_parsers(build_parser()))
    finally:
        i18n.set_language(before)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_argument_of_every_command_has_a_help(language):
    """Every option and positional of every command (31 had none: statement's loan_no, report quarterly's options…)
    and every command word has a help line."""
    import argparse

    missing = []
    for path, parser in _every_parser(language):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):  # the command words, each with its help
                missing += [(" ".join(path), c.dest) for c in action._choices_actions if not c.help]
            elif not action.help:
                missing.append((" ".join(path), action.dest))
    assert missing == []


def test_no_vietnamese_usage_names_an_argument_by_its_code_name():
    """The usage line of every command shows placeholders in Vietnamese ("SỐ_HĐ", "NGÀY"), never the code's
    identifiers ("loan_no", "AS_OF", "{disbursement,repayment}"); option words (--as-of) and command words stay."""
    import re

    bad = {}
    for path, parser in _every_parser("vi"):
        usage = parser.format_usage().split(":", 1)[1].replace(parser.prog, "", 1)
        words = [w for w in re.findall(r"[^\s\[\]()|.]+", usage) if not w.startswith("-")]
        english = [w for w in words if w.isascii()]
        if english:
            bad[" ".join(path)] = english
    assert bad == {}


def test_the_english_usage_names_arguments_in_english():
    from fundapp.cli.parser import METAVARS

    words = {a.metavar for _, parser in _every_parser("en") for a in parser._actions if isinstance(a.metavar, str)}
    assert {"LOAN_NO", "DATE", "YEAR"} <= words and not any(m in words for m in ("SỐ_HĐ", "NGÀY", "NĂM")), words
    assert len(METAVARS) >= 30


def test_a_missing_loan_number_is_named_by_its_placeholder():
    done = _fundapp("schedule")
    assert done.returncode == 2
    assert "thiếu các tham số bắt buộc: SỐ_HĐ" in done.stderr, done.stderr
    english = _fundapp("schedule", language="en")
    assert "the following arguments are required: LOAN_NO" in english.stderr, english.stderr


# -- environment values read where used, a bad one refused in words ---------------------------------------------

@pytest.mark.parametrize("name, value, command", [
    ("FUNDAPP_IMPORT_CHECKPOINTS", "abc", "import"),
    ("FUNDAPP_IMPORT_CHECKPOINTS", "-1", "import"),
    ("FUNDAPP_CRASH_AFTER", "x", "import"),
    ("FUNDAPP_TODAY", "31/12/2024", "import"),
])
def test_a_bad_environment_value_is_refused_naming_it(tmp_path, name, value, command):
    """It crashed at module load (int() → ValueError, "lỗi không mong muốn", exit 1); now exit 2 naming the
    variable and its value, nothing written."""
    from tests.golden import SAMPLE

    if not SAMPLE.is_dir():
        pytest.skip("golden books not here")
    book = tmp_path / "x.sqlite"
    done = _fundapp("--db", str(book), command, str(SAMPLE), **{name: value})
    assert done.returncode == 2, done.stderr
    assert f"Biến môi trường {name}={value} không hợp lệ" in done.stderr, done.stderr
    assert "không mong muốn" not in done.stderr and "Traceback" not in done.stderr


def test_a_whole_number_setting_reads_its_default_and_its_value(monkeypatch):
    from fundapp.ledger.environment import whole_number
    from fundapp.services.errors import UserFacingError

    monkeypatch.delenv("FUNDAPP_IMPORT_CHECKPOINTS", raising=False)
    assert whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2) == 2
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", " 0 ")
    assert whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2) == 0
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", "5")
    assert whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2) == 5
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", "٣")  # an Arabic-Indic digit: isdigit, not ours
    with pytest.raises(UserFacingError):
        whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2)
