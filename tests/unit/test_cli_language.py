"""The command line speaks one language (issue 16): the book's Settings language, FUNDAPP_LANGUAGE overriding it;
in English no Vietnamese letter outside the data it quotes, in Vietnamese no English sentence of our catalogue or
argparse's; JSON keys the same in both.

Runs the real ``fundapp`` process on both golden books (SQLite; the book's language on PostgreSQL too): their
refusals (a missing loan, a future date, an engine's refusal, a paper refused, a broken import row of
sample-fund-events.refusals.json, argparse's own errors) and every ``--help`` of the commands used.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.english import VIETNAMESE_LETTERS
from tests.golden import GOLDEN, ROOT, SAMPLE

EVENTS = GOLDEN / "sample-fund-events"
LATE = "2025-12-31"  # the events book runs to June 2025
LOCALE = ROOT / "fundapp" / "locale"


def run(book: str, *args: str, language: str | None = None, today: str | None = None) -> subprocess.CompletedProcess:
    """``fundapp --db book *args`` with FUNDAPP_LANGUAGE set to ``language`` (None: unset, the book decides)."""
    env = {k: v for k, v in os.environ.items() if k != "FUNDAPP_LANGUAGE"}
    if language:
        env["FUNDAPP_LANGUAGE"] = language
    if today:
        env["FUNDAPP_TODAY"] = today
    return subprocess.run([sys.executable, "-m", "fundapp", "--db", book, *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)


def _imported(folder: Path, source: Path, today: str | None = None) -> str:
    book = str(folder / "book.sqlite")
    result = run(book, "import", str(source), language="vi", today=today)
    assert result.returncode == 0, result.stderr
    return book


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, str]:
    """Both golden books imported into SQLite files: {"sample-fund": path, "sample-fund-events": path}."""
    return {"sample-fund": _imported(tmp_path_factory.mktemp("sample"), SAMPLE),
            "sample-fund-events": _imported(tmp_path_factory.mktemp("events"), EVENTS, LATE)}


def _set_language(book: str, language: str) -> None:
    """Store ``language`` as the book's Settings language, as the GUI's Settings page does."""
    import dataclasses

    from fundapp.app import open_book
    from fundapp.services.settings import load_settings, save_settings

    ctx = open_book(book)
    try:
        save_settings(ctx, dataclasses.replace(load_settings(ctx), language=language))
    finally:
        ctx.db.dispose()


# -- what each language must not show -----------------------------------------------------------------------------
QUOTED = re.compile(r"«[^»]*»")  # a value the officer typed or the book holds, quoted as it is
DATA = re.compile(r"(?<=\d) đ\b|\bQĐ-[\w/-]+|HĐTD")  # the đồng sign after a figure, decision and contract symbols


def vietnamese_left(text: str) -> list[str]:
    """The lines of ``text`` with a Vietnamese letter outside quoted values and the book's own symbols."""
    return [line for line in text.splitlines() if VIETNAMESE_LETTERS.search(DATA.sub("", QUOTED.sub("", line)))]


@cache
def english_sentences() -> frozenset[str]:
    """Every English run of three words or more that our catalogue or argparse's own texts can print: the English
    of fundapp.po and the msgids of argparse.po, cut at their placeholders."""
    texts = []  # (English, the Vietnamese it stands for)
    with (LOCALE / "en" / "LC_MESSAGES" / "fundapp.po").open("rb") as f:
        texts += [(m.string, m.id) for m in read_po(f) if m.id and m.string]
    with (LOCALE / "vi" / "LC_MESSAGES" / "argparse.po").open("rb") as f:
        texts += [(m.id, m.string) if isinstance(m.id, str) else (m.id[0], m.string[0]) for m in read_po(f) if m.id]
    runs = set()
    for english, vietnamese in texts:
        for run_ in re.split(r"\{[^}]*\}|%\(\w+\)[sdr]|%[sdr]|[«»\n:;()]", english):
            words = run_.strip(" ,.–—-").split()
            text = " ".join(words).lower()
            if len(words) >= 3 and all(w.isascii() for w in words) and text not in vietnamese.lower():
                runs.add(text)  # not a run both languages share (command words: "add, list, disable, grant")
    return frozenset(runs)


def english_left(text: str) -> list[str]:
    """The English runs of ``english_sentences`` found in ``text`` (outside quoted values)."""
    flat = " ".join(QUOTED.sub("", text).split()).lower()
    return sorted(run_ for run_ in english_sentences() if run_ in flat)


# -- the refusals and helps of both golden books ----------------------------------------------------------------------
SAMPLE_CALLS = [
    ("schedule", "HD-KHONG-CO"),
    ("balances", "--as-of", "2099-01-01"),
    ("balances", "--as-of", "xx"),
    ("balances", "--format", "xml"),
    ("report", "quarterly", "--year", "2024"),
    ("report", "quarterly", "--year", "2024", "--quarter", "5"),
    ("report", "quarterly", "--year", "hai nghìn", "--quarter", "1"),
    ("khong-co-lenh",),
    ("balances", "--bogus"),
    ("statement", "HD2022-001", "--pdf", "/khong/co/thu/muc/sk.pdf"),
    ("release", "HD2024-001", "--docx", "{tmp}/giai-chap.docx"),
    ("restructure", "HD2022-001", "--on", "2024-12-31", "--extend-months", "7", "--reference", "QĐ-X-1",
     "--reason", "thử"),
    ("relief", "HD2022-001", "--on", "2024-12-31", "--of", "late_interest", "--amount", "999999999999",
     "--reference", "QĐ-X-2", "--reason", "thử"),
    ("reverse", "PT-KHONG-CO", "--reason", "thử"),
    ("import", "{tmp}/khong-co"),
    ("documents", "--format", "table"),
    ("demo", "{tmp}/demo.sqlite"),
    ("--help",),
    ("balances", "--help"),
    ("report", "--help"),
    ("report", "quarterly", "--help"),
    ("restructure-batch", "--help"),
    ("contract", "--help"),
    ("users", "--help"),
]
EVENTS_CALLS = [
    ("schedule", "HD-KHONG-CO"),
    ("restructure", "HD2023-026", "--on", "2025-06-30", "--extend-months", "6", "--reference", "QĐ-X-3",
     "--reason", "thử"),
    ("write-off", "HD2022-001", "--on", "2099-01-01", "--reference", "QĐ-X-4", "--reason", "thử"),
    ("restructure-batch", "--loans", "HD2023-026,HD-KHONG-CO", "--on", "2025-06-30", "--extend-months", "6",
     "--reference", "QĐ-X-5", "--reason", "thử", "--check"),
    ("event-document", "QĐ-KHONG-CO", "--pdf", "{tmp}/qd.pdf"),
]


def _broken_imports(tmp_path: Path) -> list[tuple[str, ...]]:
    """``import DIR --check`` for each refused row of sample-fund-events.refusals.json, each in its own copy."""
    cases = json.loads((GOLDEN / "sample-fund-events.refusals.json").read_text(encoding="utf-8"))["refused"]
    calls = []
    for n, case in enumerate(cases[:6]):
        folder = tmp_path / f"broken-{n}"
        shutil.copytree(EVENTS, folder)
        path = folder / case["file"]
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        with path.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f).writerow([case["row"].get(name, "") for name in header])
        calls.append(("import", str(folder), "--check"))
    return calls


def _calls(which: str, tmp_path: Path) -> list[tuple[str, ...]]:
    calls = SAMPLE_CALLS if which == "sample-fund" else [*EVENTS_CALLS, *_broken_imports(tmp_path)]
    return [tuple(a.replace("{tmp}", str(tmp_path)) for a in call) for call in calls]


@pytest.mark.parametrize("which", ["sample-fund", "sample-fund-events"])
def test_in_english_the_command_line_has_no_vietnamese(books, which, tmp_path):
    today = LATE if which == "sample-fund-events" else None
    refused = 0
    for call in _calls(which, tmp_path):
        result = run(books[which], *call, language="en", today=today)
        refused += result.returncode == 2
        assert result.returncode in (0, 2), (call, result.stderr)
        assert (result.stdout + result.stderr).strip(), call
        assert vietnamese_left(result.stdout + result.stderr) == [], call
    assert refused >= (14 if which == "sample-fund" else 10)  # the refusals refuse (exit 2), not only the helps


@pytest.mark.parametrize("which", ["sample-fund", "sample-fund-events"])
def test_in_vietnamese_the_command_line_has_no_english_sentence(books, which, tmp_path):
    today = LATE if which == "sample-fund-events" else None
    for call in _calls(which, tmp_path):
        result = run(books[which], *call, language="vi", today=today)
        assert result.returncode in (0, 2), (call, result.stderr)
        assert english_left(result.stdout + result.stderr) == [], call


def test_the_checks_can_fail():
    assert vietnamese_left("fundapp: lỗi: x\n«Hợp tác xã» 1.000 đ QĐ-CC-0019\n") == ["fundapp: lỗi: x"]
    assert english_left("cách dùng: x\nthe following arguments are required: --quarter") == [
        "the following arguments are required"]
    assert "show this help message and exit" in english_sentences()


# -- the language of the book -------------------------------------------------------------------------------------
def test_the_command_line_follows_the_books_language_and_fundapp_language_overrides_it(tmp_path):
    book = _imported(tmp_path, SAMPLE)
    viet = run(book, "schedule", "HD-KHONG-CO")
    assert viet.returncode == 2 and "Không có khoản vay" in viet.stderr  # a book without the setting: Vietnamese
    _set_language(book, "en")
    english = run(book, "schedule", "HD-KHONG-CO")
    assert english.returncode == 2 and vietnamese_left(english.stderr) == [] and "HD-KHONG-CO" in english.stderr
    assert english.stderr != viet.stderr
    assert run(book, "--help").stdout.startswith("usage: fundapp")  # before parsing: the book's file was read
    assert "error: argument --as-of" in run(book, "balances", "--as-of", "xx").stderr
    assert "FUNDAPP_LANGUAGE" in run(book, "--help").stdout
    overridden = run(book, "schedule", "HD-KHONG-CO", language="vi")
    assert overridden.stderr == viet.stderr
    assert run(book, "--help", language="vi").stdout.startswith("cách dùng: fundapp")
    # the interchange does not translate: the same JSON in both languages
    assert json.loads(run(book, "balances", "--as-of", "2024-12-31", "--format", "json").stdout) == json.loads(
        run(book, "balances", "--as-of", "2024-12-31", "--format", "json", language="vi").stdout)
    assert re.fullmatch(r"The book is intact: its chain of \d+ records matches\.\n", run(book, "verify").stdout)
    assert re.fullmatch(r"Sổ toàn vẹn: chuỗi \d+ bản ghi khớp\.\n", run(book, "verify", language="vi").stdout)
    _set_language(book, "vi")
    assert run(book, "schedule", "HD-KHONG-CO").stderr == viet.stderr
    assert run(book, "schedule", "HD-KHONG-CO", language="en").stderr == english.stderr


@pytest.mark.postgres
def test_a_server_books_language_is_followed_once_it_is_open(pg_url, tmp_path):
    from tests.conftest import _reset_postgres

    _reset_postgres(pg_url)
    assert run(pg_url, "import", str(SAMPLE), language="vi").returncode == 0
    viet = run(pg_url, "schedule", "HD-KHONG-CO")
    _set_language(pg_url, "en")
    english = run(pg_url, "schedule", "HD-KHONG-CO")
    assert english.returncode == 2 and vietnamese_left(english.stderr) == [] and english.stderr != viet.stderr
    assert run(pg_url, "schedule", "HD-KHONG-CO", language="vi").stderr == viet.stderr
