"""Babel extraction of the GUI's strings: what ``pybabel extract`` and the catalogue test both run.

Strings reach ``tr()`` three ways, and this extraction method (registered in pyproject.toml under
``[tool.babel]`` as ``fundapp_ui``) yields all three:

- a literal, ``tr("Khoản vay")``, also inside an f-string;
- a loop over a tuple or list written in place, ``for name, caption in (("amount", "Số tiền vay"), …):
  … tr(caption)``: read from the file's syntax tree;
- a variable fed by a table (``tr(title)`` over ``PAGES``): each such call is listed in ``fed_by()`` with
  the strings of its tables.

A ``tr(variable)`` in none of these, a ``tr(f"…")`` or a ``tr()`` with other than one argument raises
``UntranslatableCall`` naming the file and line: its strings could never reach the catalogue.

The calls are read from Python's syntax tree rather than with Babel's ``extract_python``: on Python 3.11
its tokenizer sees an f-string as one token, so it misses ``f"{tr('Sổ')}: {book}"`` (16 GUI strings), and
it glues a conditional argument such as ``tr("Đã hủy" if done else label)`` into one bogus message.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

UI = Path(__file__).resolve().parent


class UntranslatableCall(ValueError):
    """A ``tr()`` call whose strings the extraction cannot know (message names fundapp/ui/FILE:LINE)."""


def _second(pairs) -> list[str]:
    return [label for _key, label in pairs]


@cache
def fed_by() -> dict[tuple[str, str], list[str]]:
    """(file under fundapp/ui, the argument of ``tr()`` as written) → every string that can reach that call.

    Imports the tables lazily (they live in the pages, dialogs, services and domain), once.
    """
    from fundapp.documents.report_labels import SUMMARY_ROWS
    from fundapp.domain.borrowers import BORROWER_KIND_LABELS
    from fundapp.domain.borrowers import BORROWER_KIND_LABELS as LENDING_KIND_LABELS
    from fundapp.domain.events import ENTRY_KIND_LABELS, RELIEF_LABELS
    from fundapp.domain.labels import DEBT_GROUP_NAMES
    from fundapp.domain.terms import METHOD_LABELS_VI
    from fundapp.ledger.advice import FILE_MENU, OPEN_ITEM, RESTORE_ITEM
    from fundapp.services.applications import STATUS_LABELS as APPLICATION_STATUS_LABELS
    from fundapp.services.migration import FIELDS as MIGRATION_FIELDS
    from fundapp.services.migration import SHEET_LABELS as MIGRATION_SHEETS
    from fundapp.services.queries import AFTER_TERM_LABEL
    from fundapp.services.queries import STATUS_LABELS as LOAN_STATUS_LABELS
    from fundapp.services.settings import SETTING_LABELS
    from fundapp.ui.dialogs.borrower import BORROWER_FIELDS
    from fundapp.ui.dialogs.terms import METHODS
    from fundapp.ui.loan_detail import BALANCES
    from fundapp.ui.main_window import PAGES
    from fundapp.ui.pages.overview import CARDS
    from fundapp.ui.pages.settings import (
        BANK_FIELDS,
        LANGUAGES,
        LIMIT_FIELDS,
        PERIODS,
        SIGNER_FIELDS,
        TEXT_FIELDS,
        ZERO_TENS,
    )
    from fundapp.ui.papers import COLLATERAL_KINDS, PAPERS
    from fundapp.ui.wizard import CHOICES

    return {
        ("papers.py", "label"): _second(PAPERS) + _second(COLLATERAL_KINDS),
        ("papers.py", "c.kind_label"): _second(COLLATERAL_KINDS),
        ("papers.py", "c.status_label"): ["Đang bảo đảm", "Đã giải chấp", "Đã xử lý tài sản"],
        ("main_window.py", "title"): _second(PAGES),
        ("pages/overview.py", "caption"): _second(CARDS),
        ("wizard.py", "text"): _second(CHOICES),
        ("dialogs/borrower.py", "label"): _second(BORROWER_FIELDS),
        ("dialogs/borrower.py", "text"): list(LENDING_KIND_LABELS.values()),  # BorrowerDialog(kinds=BORROWER_KIND_LABELS)
        ("dialogs/terms.py", "label"): _second(METHODS),
        ("loan_detail.py", "c"): [caption for _name, caption, _tip in BALANCES],
        ("loan_detail.py", "t"): [tip for _name, _caption, tip in BALANCES if tip],
        ("loan_history.py", "entry_kind_label(kind_of(r, events()))"): list(ENTRY_KIND_LABELS.values()),
        ("event_dialogs.py", "label"): list(RELIEF_LABELS.values()),
        ("pages/quarter_tables.py", "row.name"): [row.name for row in SUMMARY_ROWS if row.name],
        ("pages/quarter_tables.py", "DEBT_GROUP_NAMES[group]"): list(DEBT_GROUP_NAMES.values()),
        ("event_dialogs.py", "relief_label(p.result.relief_of)"): list(RELIEF_LABELS.values()),
        ("loan_events.py", "relief_label(result.relief_of)"): list(RELIEF_LABELS.values()),
        ("loan_events.py", "relief_label(k)"): list(RELIEF_LABELS.values()),
        ("loan_detail.py", "METHOD_LABELS_VI.get(t.method, str(t.method))"): list(METHOD_LABELS_VI.values()),
        ("pages/applications.py", "label"): list(APPLICATION_STATUS_LABELS.values()),
        ("pages/applications.py", "a.status_label"): list(APPLICATION_STATUS_LABELS.values()),
        ("pages/borrowers.py", "label"): list(LENDING_KIND_LABELS.values()),
        ("pages/borrowers.py", "b.kind_label"): list(BORROWER_KIND_LABELS.values()),
        ("pages/loans.py", "label"): list(LOAN_STATUS_LABELS.values()),
        ("pages/loans.py", "r.status_label"): [*LOAN_STATUS_LABELS.values(), AFTER_TERM_LABEL],
        ("pages/migration_mapping.py", "SHEET_LABELS[target]"): list(MIGRATION_SHEETS.values()),
        ("pages/migration_mapping.py", "f.label"): list(dict.fromkeys(f.label for f in MIGRATION_FIELDS)),
        ("pages/settings.py", "label"): (_second(TEXT_FIELDS) + _second(SIGNER_FIELDS) + _second(LIMIT_FIELDS)
                                         + _second(ZERO_TENS) + _second(PERIODS) + _second(LANGUAGES)
                                         + _second(BANK_FIELDS) + list(METHOD_LABELS_VI.values())),
        ("pages/settings.py", "SETTING_LABELS[name]"): list(SETTING_LABELS.values()),
        ("main_window.py", "FILE_MENU"): [FILE_MENU],  # the menus the advice for a damaged book names
        ("main_window.py", "OPEN_ITEM"): [OPEN_ITEM],
        ("main_window.py", "RESTORE_ITEM"): [RESTORE_ITEM],
    }


def _tr_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
    """Every ``tr(…)`` call of ``tree`` with its enclosing nodes, outermost first."""
    def visit(node: ast.AST, parents: list[ast.AST]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
            yield node, parents
        for child in ast.iter_child_nodes(node):
            yield from visit(child, [*parents, node])

    yield from visit(tree, [])


def _local_loop_strings(name: str, parents: list[ast.AST], where: str) -> list[str] | None:
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
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                raise UntranslatableCall(f"{where}: tr({name}) over a loop whose {ast.unparse(value)} is not a string")
            values.append(value.value)
        return values
    return None


def tr_strings(source: str, rel: str,
               tables: Callable[[], dict[tuple[str, str], list[str]]] = fed_by) -> Iterator[tuple[int, str, str]]:
    """(line, string, the argument as written) for every string reaching a ``tr()`` call of ``source`` (the file
    fundapp/ui/``rel``): literals, loops written in place, and the tables of ``fed_by()`` (``tables``).

    Raises ``UntranslatableCall`` for a call whose strings are unknown (name its table in ``fed_by()``), a
    ``tr(f"…")`` or a call with other than one positional argument.
    """
    tree = ast.parse(source, rel)
    for call, parents in _tr_calls(tree):
        where = f"fundapp/ui/{rel}:{call.lineno}"
        if len(call.args) != 1 or call.keywords:
            raise UntranslatableCall(f"{where}: tr() takes one argument: {ast.unparse(call)}")
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            yield call.lineno, arg.value, ""
            continue
        if isinstance(arg, ast.JoinedStr):
            raise UntranslatableCall(f'{where}: tr(f"…") cannot be translated; write tr("…{{x}}").format(x=…)')
        written = ast.unparse(arg)
        strings = _local_loop_strings(arg.id, parents, where) if isinstance(arg, ast.Name) else None
        if strings is None:
            strings = tables().get((rel, written))
        if strings is None:
            raise UntranslatableCall(f"{where}: {ast.unparse(call)}: list the table feeding it in "
                                     "fundapp/ui/i18n_extract.py fed_by()")
        for text in strings:
            yield call.lineno, text, written


def extract_ui(fileobj: IO[bytes], keywords, comment_tags, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method for fundapp/ui/**.py (``fundapp_ui`` in pyproject.toml): yields
    ``(line, "tr", message, comments)`` for every string of ``tr_strings``; a string fed by a loop or a
    table carries the argument as written (``tr(label)``) as its extracted comment.

    Raises ``UntranslatableCall`` (see ``tr_strings``).
    """
    rel = Path(fileobj.name).resolve().relative_to(UI).as_posix()
    for line, text, written in tr_strings(fileobj.read().decode("utf-8"), rel):
        yield line, "tr", text, [f"tr({written})"] if written else []


MESSAGE_KEYWORDS = ("msg", "N_")  # fundapp.domain.messages: msg("… {x} …", x=…), N_("…")


def message_strings(source: str, rel: str) -> Iterator[tuple[int, str, str]]:
    """(line, msgid, marker) for every ``msg("…", …)`` and ``N_("…")`` of ``source`` (the file fundapp/``rel``).

    ``msg(name)`` of a variable is skipped (the constant it holds is marked with ``N_`` where it is written).
    Raises ``UntranslatableCall`` for ``msg(f"…")``/``N_(f"…")`` (fill named fields instead), an ``N_`` of other
    than one string literal, or a msgid whose ``{fields}`` are not plain names (``{x:,}``, ``{x.y}``, ``{0}``:
    format the value before it goes in, so both languages show it alike).
    """
    import string

    tree = ast.parse(source, rel)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_KEYWORDS):
            continue
        where = f"fundapp/{rel}:{node.lineno}"
        arg = node.args[0] if node.args else None
        if isinstance(arg, ast.JoinedStr):
            raise UntranslatableCall(f'{where}: {node.func.id}(f"…") cannot be translated; write '
                                     f'msg("…{{x}}…", x=…)')
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            if node.func.id == "N_" or arg is None:
                raise UntranslatableCall(f"{where}: N_() takes one string literal: {ast.unparse(node)}")
            continue
        for _lit, name, spec, conversion in string.Formatter().parse(arg.value):
            if name is not None and (not name.isidentifier() or spec or conversion):
                raise UntranslatableCall(f"{where}: {{{name}}} in {arg.value!r}: fields are plain names, values "
                                         "formatted before they go in")
        yield node.lineno, arg.value, node.func.id


def extract_messages(fileobj: IO[bytes], keywords, comment_tags, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method for fundapp/**.py outside fundapp/ui (``fundapp_messages`` in pyproject.toml):
    yields ``(line, "msg", msgid, [])`` for every string of ``message_strings``.

    Raises ``UntranslatableCall`` (see ``message_strings``).
    """
    rel = Path(fileobj.name).resolve().relative_to(UI.parent).as_posix()
    for line, text, _marker in message_strings(fileobj.read().decode("utf-8"), rel):
        yield line, "msg", text, []
