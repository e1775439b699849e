"""The gettext catalogues against the source: nothing missing, nothing stale, placeholders kept, .mo = .po.

The GUI's strings are extracted exactly as ``pybabel extract`` does (pyproject.toml's ``[tool.babel]``: the
``fundapp_ui`` method of fundapp/ui/i18n_extract.py, keyword ``tr``) with Babel's ``extract_from_dir``;
fundapp/locale/en/LC_MESSAGES/fundapp.po must translate every one of them and no other (a string removed
from the source is an obsolete ``#~`` entry, made by ``python scripts/i18n.py update``). Qt's own strings
(fundapp/locale/qt.pot, kept by hand) must all be in fundapp/locale/vi/LC_MESSAGES/qt.po. Every compiled
.mo must hold what its .po says (``python scripts/i18n.py compile``).
"""

from __future__ import annotations

import ast
import io
import re
import string
import tomllib
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from fundapp.ui import i18n
from fundapp.ui.i18n_extract import UntranslatableCall, tr_strings
from fundapp.ui.pages.settings import ZERO_TENS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "fundapp"
UI = PACKAGE / "ui"
LOCALE = ROOT / "fundapp" / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "fundapp.po"
POT = LOCALE / "fundapp.pot"
QT_POT = LOCALE / "qt.pot"
VI_QT_PO = LOCALE / "vi" / "LC_MESSAGES" / "qt.po"
ARGPARSE_POT = LOCALE / "argparse.pot"
VI_ARGPARSE_PO = LOCALE / "vi" / "LC_MESSAGES" / "argparse.po"
MIN_ENTRIES = {"fundapp": 1000, "qt": 50, "argparse": 25}  # a compiled catalogue this small has lost its entries

# English entries that keep Vietnamese on purpose: the setting chooses between two Vietnamese spellings of
# 105 in the amounts in words of the documents, which are Vietnamese whatever the interface language.
VIETNAMESE_ON_PURPOSE = {"linh (một trăm linh năm)", "lẻ (một trăm lẻ năm)"}

VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]")
# printf placeholders this program could fill: %s, %d, %(name)s, %.2f (not the "% d" of "(% dư nợ gốc)")
PRINTF = re.compile(r"%(?:\(\w+\))?[-#0+]?\d*(?:\.\d+)?[sdifr]|%%")


def _babel_config() -> tuple[list[tuple[str, str]], dict[str, dict], dict]:
    """pyproject.toml's [tool.babel]: (method map, options map, keywords) as ``pybabel extract`` reads them."""
    babel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["babel"]
    extractors = babel.get("extractors", {})
    method_map, options_map = [], {}
    for mapping in babel["mappings"]:
        method_map.append((mapping["pattern"], extractors.get(mapping["method"], mapping["method"])))
        options_map[mapping["pattern"]] = {"keywords": parse_keywords(mapping["keywords"].split())}
    command = babel["extract_messages"]
    assert command["no_default_keywords"] is True
    return method_map, options_map, parse_keywords(command["keywords"].split())


@cache
def extracted() -> dict[str, list[str]]:
    """Every string the GUI passes to tr() and every msg()/N_() template of the other modules → where
    (fundapp/FILE:LINE), by Babel's extraction over fundapp/ as ``pybabel extract`` runs it."""
    method_map, options_map, keywords = _babel_config()
    found: dict[str, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map, options_map, keywords=keywords):
        found.setdefault(message, []).append(f"fundapp/{filename}:{line}")
    return found


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@cache
def english() -> dict[str, str]:
    """The English catalogue's active entries (obsolete ones left out): Vietnamese → English ("" untranslated)."""
    return {m.id: ("" if m.fuzzy else m.string) for m in _read(EN_PO) if m.id}


def _fields(text: str) -> Counter:
    return Counter(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


def _accelerators(text: str) -> int:
    return text.replace("&&", "").count("&")


def test_extraction_is_the_one_pybabel_runs():
    method_map, options_map, keywords = _babel_config()
    assert method_map == [("ui/**.py", "fundapp.ui.i18n_extract:extract_ui"),
                          ("**.py", "fundapp.ui.i18n_extract:extract_messages")]
    assert set(keywords) == {"tr", "msg", "N_"} and options_map["ui/**.py"]["keywords"] == {"tr": None}
    assert set(options_map["**.py"]["keywords"]) == {"msg", "N_"}


def test_the_extraction_finds_literals_loops_tables_and_strings_inside_f_strings():
    found = extracted()
    assert len(found) > 700
    for text in ("Tổng quan", "Khoản vay", "Mở sổ mẫu (dữ liệu minh họa 2022–2024)", "Huyện (trước 1/7/2025)",
                 "Số tiền tất toán", "Ân hạn gốc", "Mọi xã", "Đã tất toán", "Thành viên tổ hợp tác", "Tiếng Việt"):
        assert text in found, text
    # inside f-strings (Babel's own Python extractor misses them on Python 3.11)
    assert "Cần quyền" in found and "Giấy phép" in found
    assert not [text for text in found if text.endswith("written_off")], "a conditional glued into one message"


def test_a_tr_call_the_extraction_cannot_know_is_refused_with_its_place():
    source = 'for caption in ("Một", "Hai"):\n    tr(caption)\ntr("Ba")\n'
    assert [(line, text) for line, text, _arg in tr_strings(source, "x.py", dict)] == [
        (2, "Một"), (2, "Hai"), (3, "Ba")]
    with pytest.raises(UntranslatableCall, match=r"fundapp/ui/x\.py:2: tr\(caption\)"):
        list(tr_strings('caption = "Một"\ntr(caption)\n', "x.py", dict))
    with pytest.raises(UntranslatableCall, match=r"fundapp/ui/x\.py:1: tr\(f"):
        list(tr_strings('tr(f"Sổ {name}")\n', "x.py", dict))
    fed = {("x.py", "label"): ["Bốn"]}
    assert [text for _l, text, _a in tr_strings("tr(label)\n", "x.py", lambda: fed)] == ["Bốn"]


def test_every_gui_string_has_an_english_entry():
    catalogue = english()
    missing = {text: where[0] for text, where in extracted().items() if not catalogue.get(text)}
    assert missing == {}, "python scripts/i18n.py extract update, then translate these in en/LC_MESSAGES/fundapp.po"


def test_no_stale_english_entry():
    stale = sorted(set(english()) - set(extracted()))
    assert stale == [], "no longer in the source: python scripts/i18n.py update makes them obsolete (#~)"


def test_the_template_is_the_extraction():
    template = {m.id for m in _read(POT) if m.id}
    assert sorted(set(extracted()) - template) == [], "python scripts/i18n.py extract"
    assert sorted(template - set(extracted())) == [], "python scripts/i18n.py extract"


@pytest.mark.parametrize("path", [EN_PO, VI_QT_PO, VI_ARGPARSE_PO], ids=["en", "vi-qt", "vi-argparse"])
def test_a_msgid_appears_once_in_its_po(path):
    text = path.read_text(encoding="utf-8")
    active = [line for line in text.splitlines() if line.startswith("msgid ")]
    assert len(active) == len(_read(path)) + 1  # the header's msgid ""


@pytest.mark.parametrize("vietnamese", sorted(english()))
def test_english_entry_keeps_placeholders_accelerators_and_file_patterns(vietnamese):
    english_text = english()[vietnamese]
    assert english_text.strip() and english_text == english_text.strip()
    assert _fields(english_text) == _fields(vietnamese), "the {placeholders} of .format() must be the same"
    assert Counter(PRINTF.findall(english_text)) == Counter(PRINTF.findall(vietnamese)), "printf placeholders"
    assert _accelerators(english_text) == _accelerators(vietnamese) <= 1, "one accelerator, in both or neither"
    assert re.findall(r"\*\.\w+|\(\*\)", english_text) == re.findall(r"\*\.\w+|\(\*\)", vietnamese), "file patterns"
    assert english_text.count(";;") == vietnamese.count(";;")
    assert english_text.endswith("…") == vietnamese.endswith("…"), "a button opening a dialog keeps its ellipsis"


@pytest.mark.parametrize("vietnamese", sorted(set(english()) - VIETNAMESE_ON_PURPOSE))
def test_english_entry_has_no_vietnamese_letters(vietnamese):
    assert not VIETNAMESE_LETTERS.search(english()[vietnamese]), english()[vietnamese]


def test_the_vietnamese_kept_on_purpose_is_still_in_the_catalogue():
    assert VIETNAMESE_ON_PURPOSE <= set(english()) and VIETNAMESE_ON_PURPOSE <= {label for _k, label in ZERO_TENS}


def test_qt_strings_template_and_vietnamese_agree():
    template = {m.id for m in _read(QT_POT) if m.id}
    vietnamese = {m.id: ("" if m.fuzzy else m.string) for m in _read(VI_QT_PO) if m.id}
    assert {"OK", "Cancel", "&Yes", "&No", "Save", "Close"} <= template
    assert sorted(template - set(vietnamese)) == [] and sorted(set(vietnamese) - template) == []
    assert {qt: vi for qt, vi in vietnamese.items() if not vi} == {}
    for qt, vi in vietnamese.items():
        assert _accelerators(vi) == _accelerators(qt) <= 1, (qt, vi)
        assert vi.endswith("...") == qt.endswith("..."), (qt, vi)
        assert VIETNAMESE_LETTERS.search(vi) or vi in ("In", "&In"), (qt, vi)  # really Vietnamese


def _key(value):
    """A .mo entry's msgid or msgstr, hashable: a plural's list as a tuple."""
    return tuple(value) if isinstance(value, list) else value


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*/LC_MESSAGES/*.po")), ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_compiled_catalogue_holds_what_its_po_says(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"python scripts/i18n.py compile: {mo.name} missing"
    fresh = io.BytesIO()
    write_mo(fresh, _read(po))
    fresh.seek(0)
    with mo.open("rb") as f:
        shipped = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    compiled = {_key(m.id): _key(m.string) for m in read_mo(fresh) if m.id}
    assert len(compiled) >= MIN_ENTRIES[po.stem]
    assert sorted(set(compiled) - set(shipped)) == [], "python scripts/i18n.py compile: the .mo lacks these"
    assert sorted(set(shipped) - set(compiled)) == [], "python scripts/i18n.py compile: the .mo has stale entries"
    assert {k: v for k, v in shipped.items() if compiled[k] != v} == {}, "python scripts/i18n.py compile"


def test_tr_reads_the_compiled_catalogue_and_falls_back_to_the_source():
    assert i18n.language() == "vi" and i18n.tr("Khoản vay") == "Khoản vay"
    i18n.set_language("en")
    try:
        assert i18n.tr("Khoản vay") == "Loans"
        assert i18n.tr("Tệp «{name}» đã có. Ghi đè lên tệp này?") == "The file «{name}» already exists. Overwrite it?"
        assert i18n.tr("Chuỗi chưa có trong danh mục") == "Chuỗi chưa có trong danh mục"
        assert i18n.tr("") == ""
    finally:
        i18n.set_language("vi")
    assert i18n.english_pairs()["&Giải ngân…"] == "&Disburse…"


def test_qt_translator_serves_vietnamese_only_in_vietnamese():
    translator = i18n.QtStringsTranslator()
    assert translator.translate("QPlatformTheme", "&Yes") == "&Có"
    assert translator.translate("QPlatformTheme", "Cancel") == "Hủy"
    assert translator.translate("QPlatformTheme", "A string Qt never had") is None
    i18n.set_language("en")
    try:
        assert translator.translate("QPlatformTheme", "&Yes") is None
    finally:
        i18n.set_language("vi")


def test_the_package_and_the_installer_ship_the_compiled_catalogues():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["fundapp"]
    assert "locale/*/LC_MESSAGES/*.mo" in package_data
    spec = (ROOT / "installer.spec").read_text(encoding="utf-8")
    assert 'glob("fundapp/locale/*/LC_MESSAGES/*.mo")' in spec
    assert i18n.LOCALE_DIR == ROOT / "fundapp" / "locale"


# --- Vietnamese text in the source that never reaches the catalogue (issue 16) --------------------------------------
# A str literal (or an f-string's text) with a Vietnamese letter anywhere in fundapp/ is shown to someone; unless it
# is a msg()/N_()/tr() template (in fundapp/ui also a string the GUI's extraction feeds to tr()), a docstring, a
# developer's log line or the audit record's detail, it must be named below with the reason it stays Vietnamese.
MARKERS = {"msg", "N_", "tr"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
RECORDS = {"audit"}  # store.audit(s, who, action, detail): the detail is written into the book as its record
VIETNAMESE_FILES = {  # the whole module: what it holds is Vietnamese by nature, not interface text
    "documents/": "the fund's papers and reports (Decree 30 layout) are Vietnamese official documents in any "
                  "interface language",
    "domain/words.py": "amounts and dates in Vietnamese words, for the papers",
    "domain/collation.py": "the Vietnamese alphabet of the sort key",
    "domain/vietqr.py": "the đ/Đ folded to ASCII in the transfer note",
    "formatting.py": "the đồng sign, dates in words for the papers, and the Vietnamese units an officer may type "
                     "(nghìn, triệu, tỷ) read by the parser",
    "domain/money.py": "the đồng sign",
    "services/collateral.py": "the đồng sign",
    "ui/dialogs/money.py": "the đồng sign",
    "services/demo.py": "the demo book's data: Vietnamese names, wards and trades of a Vietnamese fund's borrowers",
    "services/places.py": "the province's name (place data)",
    "ui/i18n_extract.py": "the extraction's own table of strings fed to tr()",
}
VIETNAMESE_SCOPES = {  # (module, the function or module-level name holding it): why
    ("services/document_register.py", "DOC_KINDS"): "register symbols printed in document numbers (01/HĐTD-QHT)",
    ("services/paper_values.py", "_fund_keys"): "signatories' titles printed on the papers",
    ("services/paper_values.py", "DRAFT"): "the draft's mark printed on the paper itself",
    ("services/settings.py", "UNNAMED_PLACEHOLDERS"): "the blank letterhead printed on the papers",
    ("services/settings.py", "_check"): "a setting's stored value (lẻ/linh), shown through ZERO_TENS' labels",
    ("ui/pages/settings.py", "ZERO_TENS"): "the stored values (lẻ/linh) beside their catalogued labels",
    ("services/report_documents.py", "PERIOD_RECIPIENTS"): "recipients printed on the period reports",
    ("services/users.py", "_DUMMY"): "a password never shown (checked against to keep the timing even)",
    ("ui/wizard.py", "FundFields"): "the new fund's letterhead, printed on the papers",
    ("ui/papers.py", "PapersDialog"): "a draft's file name",
    ("ui/login.py", "BUTTON_RIGHTS"): "keys matching the buttons' Vietnamese msgids, never shown",
    ("services/import_write.py", "_write_entries"): "the note «Nhập từ …» written into the book's imported entries",
    ("services/import_write.py", "BookWriter"): "the audit record's name of the imported data",
    ("services/report_documents.py", "period_report_data"): "the title and period printed on the period report",
    ("services/settings.py", "FundSettings"): "the default province's name (place data)",
    ("services/documents.py", "_history"): "the statement's history notes, printed on the paper",
    ("services/paper_issue.py", "issue_application_paper"): "the document register's subject key, kept in the book",
    ("services/audit_text.py", "_setting_changes"): "a settings record's stored detail, recognised to be translated",
    ("services/proposals.py", "preview_text"): "a proposal's preview, written into the book: the one text the maker "
                                                "saw and the checker confirms (kept as written)",
    ("domain/portfolio_report.py", "AGING_BUCKETS"): "the aging bands printed on the portfolio report (a paper)",
    ("services/documents.py", "_officer_note"): "recognises the imported entries' note «Nhập từ …» (not shown)",
    ("services/audit_text.py", "_REVERSED"): "recognises a stored reversal record's words (shown reworded)",
    ("services/audit_text.py", "_DONG"): "recognises the đồng sign after an amount of a stored audit record",
    ("services/audit_text.py", "_ASSET"): "recognises the đồng sign after a stored collateral record's value",
    ("services/import_fields.py", "CURRENCY"): "recognises the đồng sign or «đồng»/«VNĐ» an officer typed beside an "
                                              "amount, to name the digits to type instead",
    ("cli/fund_settings.py", "EXAMPLE"): "a command to run as written in «settings --help»: the fund's own "
                                         "letterhead as an officer types it, in any interface language",
}
PENDING: dict[str, int] = {  # not yet in the catalogue (issue 16, left): literals per module; lower it as they move
}
DEVELOPER_ERRORS = {"TypeError", "AssertionError"}  # a defect's words, for the developer (the log), never an officer


def _scope_of(node: ast.AST, parents: dict) -> str:
    name = ""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = node.name
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(parents.get(node), ast.Module):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = getattr(target, "id", name)
    return name


def _call_name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "")


def vietnamese_outside_catalogue(rel: str, source: str, gui_strings: frozenset[str] = frozenset()) -> list[str]:
    """"FILE:LINE: text" of each str literal with a Vietnamese letter in ``source`` (fundapp/``rel``) that reaches no
    catalogue: not a msg()/N_()/tr() template, not in ``gui_strings`` (the GUI's extraction, for fundapp/ui), not a
    docstring, a log line or an audit detail, and not exempted above."""
    if any(rel == f or (f.endswith("/") and rel.startswith(f)) for f in VIETNAMESE_FILES):
        return []
    tree = ast.parse(source, rel)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {node.value for node in ast.walk(tree)  # a docstring, or a bare string documenting a name
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and VIETNAMESE_LETTERS.search(node.value)):
            continue
        if node in docstrings or (rel.startswith("ui/") and node.value in gui_strings):
            continue
        outer = parents[node] if isinstance(parents.get(node), ast.JoinedStr) else node
        call = parents.get(outer)
        if isinstance(call, ast.Call) and call.args and call.args[0] is outer and _call_name(call) in MARKERS:
            continue
        calls = [p for p in _ancestors(node, parents) if isinstance(p, ast.Call)]
        if any(_call_name(c) in LOG_METHODS and isinstance(c.func, ast.Attribute) for c in calls):
            continue
        if any(_call_name(c) in DEVELOPER_ERRORS for c in calls):
            continue
        if any(_call_name(c) in RECORDS and len(c.args) >= 4 and _inside(node, c.args[3], parents) for c in calls):
            continue
        if (rel, _scope_of(node, parents)) in VIETNAMESE_SCOPES:
            continue
        found.append(f"fundapp/{rel}:{node.lineno}: {node.value!r}")
    return found


def _ancestors(node: ast.AST, parents: dict) -> Iterator[ast.AST]:
    while node in parents:
        node = parents[node]
        yield node


def _inside(node: ast.AST, container: ast.AST, parents: dict) -> bool:
    return node is container or container in _ancestors(node, parents)


def test_every_vietnamese_string_of_the_source_reaches_the_catalogue():
    gui = frozenset(extracted())
    found = [line for path in sorted(PACKAGE.rglob("*.py")) if "migrations/versions" not in path.as_posix()
             for line in vietnamese_outside_catalogue(path.relative_to(PACKAGE).as_posix(),
                                                      path.read_text(encoding="utf-8"), gui)]
    left = Counter(line.split(":", 1)[0] for line in found)
    assert {f: n for f, n in left.items() if n > PENDING.get(f, 0)} == {}, (
        "wrap in msg()/N_() (then python scripts/i18n.py all and translate), or exempt with a reason: "
        + "\n".join(found))
    assert {f: n for f, n in PENDING.items() if left.get(f, 0) < n} == {}, "fewer left: lower PENDING to match"


def test_the_scan_sees_f_strings_tables_and_exemptions():
    source = ('"""Tài liệu."""\nimport logging\nA = {"k": "Khoản vay"}\nB = {"k": N_("Khoản vay")}\n'
              'def f(x):\n    """Hàm."""\n    logging.getLogger().warning("đã %s", x)\n    store.audit(s, u, "a", f"sửa {x}")\n'
              '    print(msg("Sổ {x}", x=x))\n    return f"Đã tạo {x}"\n')
    assert [line.split(": ", 1)[0] for line in vietnamese_outside_catalogue("services/x.py", source)] == [
        "fundapp/services/x.py:3", "fundapp/services/x.py:10"]
    assert vietnamese_outside_catalogue("ui/x.py", 'A = ("Khoản vay",)\n', frozenset({"Khoản vay"})) == []
    assert vietnamese_outside_catalogue("documents/x.py", 'A = "Khoản vay"\n') == []


# --- argparse's own texts: the "argparse" gettext domain (issue 16) -------------------------------------------------
def _argparse_template():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.argparse_template()


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def test_argparse_template_is_the_running_pythons_argparse():
    """A Python whose argparse rewords a text (or adds one) fails here: python scripts/i18n.py all, then translate."""
    extracted_now = _ids(_argparse_template())
    assert {"usage: ", "the following arguments are required: %s", "%(prog)s: error: %(message)s\n",
            ("expected %s argument", "expected %s arguments")} <= extracted_now
    assert sorted(map(str, extracted_now ^ _ids(_read(ARGPARSE_POT)))) == [], "python scripts/i18n.py extract"


def test_every_argparse_msgid_is_a_string_of_the_running_pythons_argparse():
    import argparse

    literals = {node.value for node in ast.walk(ast.parse(Path(argparse.__file__).read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    ids = _ids(_read(VI_ARGPARSE_PO))
    assert len(ids) >= MIN_ENTRIES["argparse"]
    assert sorted(str(i) for i in ids if not set(i if isinstance(i, tuple) else (i,)) <= literals) == []


def test_argparse_vietnamese_translates_every_text_with_its_placeholders():
    template = _ids(_read(ARGPARSE_POT))
    vietnamese = {m.id: m.string for m in _read(VI_ARGPARSE_PO) if m.id}
    assert sorted(map(str, template ^ set(vietnamese))) == [], "python scripts/i18n.py update"
    for msgid, text in vietnamese.items():
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        texts = text if isinstance(text, tuple) else (text,)
        assert all(t and VIETNAMESE_LETTERS.search(t) for t in texts), (msgid, text)
        for t in texts:
            assert Counter(PRINTF.findall(t)) == Counter(PRINTF.findall(source)), (msgid, t)
            assert t.endswith("\n") == source.endswith("\n") and t.endswith(" ") == source.endswith(" ")


def test_argparse_speaks_the_catalogue_in_vietnamese_and_its_own_english():
    import argparse

    from fundapp.cli import argparse_vi

    try:
        argparse_vi.install("vi")
        assert argparse._("usage: ") == "cách dùng: "
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == "cần %s giá trị"
        assert argparse_vi.text("show program's version number and exit") == "in số phiên bản rồi thoát"
        parser = argparse.ArgumentParser(prog="x")
        parser.add_argument("--n", type=int, required=True)
        assert parser.format_usage() == "cách dùng: x [-h] --n N\n"
        assert "tùy chọn:" in parser.format_help() and "in hướng dẫn này rồi thoát" in parser.format_help()
        argparse_vi.install("en")
        assert argparse._("usage: ") == "usage: " and parser.format_usage() == "usage: x [-h] --n N\n"
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == "expected %s arguments"
    finally:
        argparse_vi.install()
