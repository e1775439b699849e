"""The English catalogue covers every Vietnamese string the GUI passes to ``tr()``, and each entry is sound.

Strings reach ``tr()`` three ways, all collected here:
- a literal, ``tr("Khoản vay")``: found by parsing fundapp/ui with ast;
- a loop over a literal tuple written in the function, ``for name, caption in (("amount", "Số tiền vay"), …):
  … tr(caption)``: the loop is read from the same ast;
- a variable fed by a table (``tr(title)`` over ``PAGES``): each such call is listed in ``FED_BY`` with its tables.
A new ``tr(variable)`` fails ``test_every_tr_variable_is_fed_by_a_known_table`` until its table is listed below.
"""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest

from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.terms import METHOD_LABELS_VI
from fundapp.services.lending import KIND_LABELS as LENDING_KIND_LABELS
from fundapp.services.lending import STATUS_LABELS as APPLICATION_STATUS_LABELS
from fundapp.services.queries import STATUS_LABELS as LOAN_STATUS_LABELS
from fundapp.ui.catalog_en import EN
from fundapp.ui.dialogs import BORROWER_FIELDS, METHODS
from fundapp.ui.event_dialogs import RELIEF_KINDS
from fundapp.ui.loan_detail import BALANCES, METHOD_LABELS
from fundapp.ui.loan_detail import KIND_LABELS as HISTORY_KIND_LABELS
from fundapp.ui.loan_events import RELIEF_LABELS
from fundapp.ui.main_window import PAGES
from fundapp.ui.pages.settings import (
    BANK_FIELDS,
    LANGUAGES,
    PERCENT_FIELDS,
    PERIODS,
    SIGNER_FIELDS,
    TEXT_FIELDS,
    ZERO_TENS,
)
from fundapp.ui.papers import COLLATERAL_KINDS, PAPERS
from fundapp.ui.wizard import CHOICES

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "fundapp" / "ui"
CATALOG = UI / "catalog_en.py"


def _second(pairs) -> list[str]:
    return [label for _key, label in pairs]


# (file under fundapp/ui, the argument of tr() as written) → the strings that can reach it
FED_BY: dict[tuple[str, str], list[str]] = {
    ("papers.py", "label"): _second(PAPERS) + _second(COLLATERAL_KINDS),
    ("papers.py", "c.kind_label"): _second(COLLATERAL_KINDS),
    ("papers.py", "c.status_label"): ["Đang bảo đảm", "Đã giải chấp", "Đã xử lý tài sản"],
    ("main_window.py", "title"): _second(PAGES),
    ("wizard.py", "text"): _second(CHOICES),
    ("dialogs.py", "label"): _second(BORROWER_FIELDS) + _second(METHODS),
    ("dialogs.py", "text"): list(LENDING_KIND_LABELS.values()),  # BorrowerDialog(kinds=KIND_LABELS)
    ("loan_detail.py", "c"): [caption for _name, caption, _tip in BALANCES],
    ("loan_detail.py", "t"): [tip for _name, _caption, tip in BALANCES if tip],
    ("loan_detail.py", "KIND_LABELS.get(kind_of(r, events()), r.kind)"): list(HISTORY_KIND_LABELS.values()),
    ("event_dialogs.py", "label"): _second(RELIEF_KINDS),
    ("event_dialogs.py", "dict(RELIEF_KINDS)[p.result.relief_of]"): _second(RELIEF_KINDS),
    ("loan_events.py", "RELIEF_LABELS.get(result.relief_of, result.relief_of)"): list(RELIEF_LABELS.values()),
    ("loan_events.py", "RELIEF_LABELS[k]"): list(RELIEF_LABELS.values()),
    ("pages/loans.py", "'Đã xóa nợ (ngoại bảng)' if key == 'written_off' else label"):
        ["Đã xóa nợ (ngoại bảng)", *LOAN_STATUS_LABELS.values()],
    ("loan_detail.py", "METHOD_LABELS.get(str(t.method), str(t.method))"): list(METHOD_LABELS.values()),
    ("pages/applications.py", "label"): list(APPLICATION_STATUS_LABELS.values()),
    ("pages/applications.py", "a.status_label"): list(APPLICATION_STATUS_LABELS.values()),
    ("pages/borrowers.py", "label"): list(LENDING_KIND_LABELS.values()),
    ("pages/borrowers.py", "b.kind_label"): list(BORROWER_KIND_LABELS.values()),
    ("pages/loans.py", "label"): list(LOAN_STATUS_LABELS.values()),
    ("pages/loans.py", "r.status_label"): list(LOAN_STATUS_LABELS.values()),
    ("pages/settings.py", "label"): (_second(TEXT_FIELDS) + _second(SIGNER_FIELDS) + _second(PERCENT_FIELDS)
                                     + _second(ZERO_TENS) + _second(PERIODS) + _second(LANGUAGES) + _second(BANK_FIELDS)
                                     + list(METHOD_LABELS_VI.values())),
}

# English entries that keep Vietnamese on purpose: the setting chooses between two Vietnamese spellings of
# 105 in the amounts in words of the documents, which are Vietnamese whatever the interface language.
VIETNAMESE_ON_PURPOSE = {"linh (một trăm linh năm)", "lẻ (một trăm lẻ năm)"}

VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]")


def _tr_calls() -> list[tuple[str, ast.Call, list[ast.AST]]]:
    """Every ``tr(…)`` call in fundapp/ui: (file relative to fundapp/ui, call, its enclosing nodes)."""
    calls = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

        def visit(node: ast.AST, parents: list[ast.AST], rel: str = path.relative_to(UI).as_posix()) -> None:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
                calls.append((rel, node, parents))
            for child in ast.iter_child_nodes(node):
                visit(child, [*parents, node])

        visit(tree, [])
    return calls


def _local_loop_strings(name: str, parents: list[ast.AST]) -> list[str] | None:
    """The strings ``name`` takes in an enclosing ``for`` over a tuple or list written in place, else None."""
    for node in reversed(parents):
        if not isinstance(node, ast.For) or not isinstance(node.iter, ast.Tuple | ast.List):
            continue
        target = node.target
        if isinstance(target, ast.Name) and target.id == name:
            index = None
        elif isinstance(target, ast.Tuple) and any(isinstance(t, ast.Name) and t.id == name for t in target.elts):
            index = next(i for i, t in enumerate(target.elts) if isinstance(t, ast.Name) and t.id == name)
        else:
            continue
        values = []
        for element in node.iter.elts:
            value = element if index is None else element.elts[index]
            assert isinstance(value, ast.Constant) and isinstance(value.value, str), ast.unparse(element)
            values.append(value.value)
        return values
    return None


def _collect() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(every string that reaches tr() → where, the tr(variable) calls no table feeds)."""
    found: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for rel, call, parents in _tr_calls():
        where = f"fundapp/ui/{rel}:{call.lineno}"
        assert len(call.args) == 1 and not call.keywords, f"{where}: tr() takes one argument"
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.setdefault(arg.value, where)
            continue
        assert not isinstance(arg, ast.JoinedStr), f"{where}: tr(f\"…\") cannot be translated; use tr(\"…{{x}}\").format"
        local = _local_loop_strings(arg.id, parents) if isinstance(arg, ast.Name) else None
        if local is not None:
            strings = local
        elif (rel, ast.unparse(arg)) in FED_BY:
            strings = FED_BY[rel, ast.unparse(arg)]
        else:
            unknown.append((where, ast.unparse(call)))
            continue
        for text in strings:
            found.setdefault(text, f"{where} ({ast.unparse(arg)})")
    return found, unknown


FOUND, UNKNOWN = _collect()


def _fields(text: str) -> Counter:
    return Counter(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


def test_every_tr_variable_is_fed_by_a_known_table():
    assert UNKNOWN == [], "list the table feeding each of these tr() calls in FED_BY"


def test_the_collection_finds_the_tables_and_the_literals():
    assert len(FOUND) > 400
    for text in ("Tổng quan", "Khoản vay", "Mở sổ mẫu (dữ liệu minh họa 2022–2024)", "Huyện (trước 1/7/2025)",
                 "Số tiền tất toán", "Ân hạn gốc", "Mọi xã", "Đã tất toán", "Thành viên tổ hợp tác", "Tiếng Việt"):
        assert text in FOUND, text


def test_every_gui_string_has_an_english_entry():
    missing = {text: where for text, where in FOUND.items() if text not in EN}
    assert missing == {}


@pytest.mark.parametrize("vietnamese", sorted(EN))
def test_english_entry_keeps_placeholders_accelerators_and_file_patterns(vietnamese):
    english = EN[vietnamese]
    assert english.strip() and english == english.strip()
    assert _fields(english) == _fields(vietnamese), "the {placeholders} of .format() must be the same"
    assert english.replace("&&", "").count("&") == vietnamese.replace("&&", "").count("&") <= 1, "one accelerator"
    assert re.findall(r"\*\.\w+|\(\*\)", english) == re.findall(r"\*\.\w+|\(\*\)", vietnamese), "file patterns"
    assert english.count(";;") == vietnamese.count(";;")
    assert english.endswith("…") == vietnamese.endswith("…"), "a button opening a dialog keeps its ellipsis"


@pytest.mark.parametrize("vietnamese", sorted(set(EN) - VIETNAMESE_ON_PURPOSE))
def test_english_entry_has_no_vietnamese_letters(vietnamese):
    assert not VIETNAMESE_LETTERS.search(EN[vietnamese]), EN[vietnamese]


def test_the_vietnamese_kept_on_purpose_is_still_in_the_catalogue():
    assert VIETNAMESE_ON_PURPOSE <= set(EN) and VIETNAMESE_ON_PURPOSE <= set(_second(ZERO_TENS))


def test_catalogue_is_a_plain_dict_literal_without_duplicate_keys():
    tree = ast.parse(CATALOG.read_text(encoding="utf-8"))
    literals = [node.value for node in tree.body if isinstance(node, ast.AnnAssign | ast.Assign)]
    assert len(literals) == 1 and isinstance(literals[0], ast.Dict)
    keys = [key.value for key in literals[0].keys]
    assert all(isinstance(key, str) for key in keys)
    assert [key for key, n in Counter(keys).items() if n > 1] == []
    assert all(isinstance(value, ast.Constant) and isinstance(value.value, str) for value in literals[0].values)
