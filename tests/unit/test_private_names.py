"""A name with a leading underscore is its module's own (issue 13, a house to live in): no module of fundapp imports
another's private name (``from .posting import _replay``) or reaches into it (``proposals._entry_by_reference(…)``).
What is really shared is public with a docstring (``posting.replay_keyed``, ``posting.loan_record``,
``documents.borrower_info``, ``proposals.entry_by_reference``, ``reports.period_convention``, ``book_loader.NO_TERMS``,
``migration_workbook.header_key``).

The import pipeline's modules shared 22 private names (``import_fields._text``…, ``import_checks._Checked``,
``_check_*``, ``_replay``): now ``import_fields.read_*``, ``import_cells.FieldProblem``,
``import_checks.ImportCheck``, ``check_*`` and ``import_replay.replay_new_entries``.
``PENDING`` stays empty: any private name
taken across modules again fails the test.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import fundapp

ROOT = Path(fundapp.__file__).resolve().parent
PENDING: dict[str, set[str]] = {}  # empty, and kept so: a private name shared again fails the test


NAMED_TUPLE_API = {"_fields", "_make", "_replace", "_asdict", "_field_defaults"}  # public despite the underscore


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NAMED_TUPLE_API


def private_names_taken() -> dict[str, set[str]]:
    """file under fundapp/ → the private names it imports from, or reads on, another module of ours."""
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("fundapp")):
                for alias in node.names:
                    modules.add(alias.asname or alias.name)
                    if _private(alias.name):
                        names.add(alias.name)
            elif isinstance(node, ast.Import):
                modules.update(a.asname or a.name for a in node.names if a.name.startswith("fundapp"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                    and node.value.id in modules):
                names.add(node.attr)
        if names:
            found[path.relative_to(ROOT).as_posix()] = names
    return found


def test_no_module_takes_another_modules_private_names():
    assert private_names_taken() == PENDING


def test_the_scan_sees_both_ways_of_taking_a_private_name(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("from .b import _hidden, shown\nfrom fundapp.services import posting\n"
                                  "posting._loan(1)\nself._x = 1\nposting.Row._make(())\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", package)
    assert private_names_taken() == {"a.py": {"_hidden", "_loan"}}


# a library's own private names that fundapp must use: argparse's gettext hook (cli/argparse_vi), PyInstaller's
# bundle folder (resources)
LIBRARY_PRIVATES = {("cli/argparse_vi.py", "argparse._"), ("resources.py", "getattr(sys, '_MEIPASS', None)")}


def private_attributes_of_others() -> set[tuple[str, str]]:
    """(file under fundapp/, the code) of every write of a private attribute on an object other than ``self`` or
    ``cls`` (``ctx.db._has_users = True``) and every ``getattr``/``setattr``/``hasattr`` of one by its name."""
    found: set[tuple[str, str]] = set()
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
            for target in targets:
                for x in ast.walk(target):
                    if isinstance(x, ast.Attribute) and _private(x.attr) and not (
                            isinstance(x.value, ast.Name) and x.value.id in ("self", "cls")):
                        found.add((name, ast.unparse(target)))
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                    and _private(node.args[1].value)
                    and not (isinstance(node.args[0], ast.Name) and node.args[0].id in ("self", "cls"))):
                found.add((name, ast.unparse(node)))
    return found


def test_no_module_writes_another_objects_private_attribute():
    """What a module remembers on another's object goes through that owner's public functions (issue 13, last
    reader: services.rights and services.users wrote ``ctx.db._has_users`` on ledger's Database; now
    ``rights.note_book_has_users`` / ``forget_book_has_users``)."""
    assert private_attributes_of_others() == LIBRARY_PRIVATES
