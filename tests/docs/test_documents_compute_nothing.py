"""documents/ lay figures out and compute none: the services call the domain and hand the finished figures in.

Before, documents called domain.figures' sums themselves: ``model.due_notice`` the notice's total
(``notice_total``), ``QuarterlyReportData.provisions``/``provision_total`` the provisions at the fund's rates, the
report renderers ``ratio`` (shares, growth, the overdue and bad-debt ratios) and the write-off decision
``write_off_total`` and ``uncovered_principal``. Now ``services.documents.due_notice``,
``services.report_documents.quarterly_data_of`` and ``services.event_documents.event_document`` make them, a ratio of a
single record is the record's own (``Figures.bad_debt_ratio``, ``group_shares``, ``PortfolioFigures.aging_shares``),
and documents/ may name ``domain.figures.Figures`` as a type only, under ``TYPE_CHECKING``. Labels, types, words and
formatting from the domain stay theirs to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fundapp

DOCUMENTS = Path(fundapp.__file__).resolve().parent / "documents"
FIGURES = "fundapp.domain.figures"
TYPES_ALLOWED = {"Figures"}  # for annotations, under TYPE_CHECKING


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside the body of an ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for statement in node.body:
                inside.update(id(n) for n in ast.walk(statement))
    return inside


def figures_imports(root: Path = DOCUMENTS) -> list[str]:
    """``file:line what`` of every import of ``domain.figures`` under ``root`` that is not a TYPE_CHECKING import of
    ``TYPES_ALLOWED``: a run-time import, or a name other than the type."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = "fundapp.documents"  # every module here is fundapp.documents.<name>
        typing_only = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name == FIGURES or a.name.startswith(FIGURES + ".")]
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, package)
                if module == FIGURES:
                    names = [a.name for a in node.names]
                elif module == "fundapp.domain":
                    names = [f"figures ({a.name})" for a in node.names if a.name == "figures"]
            if not names:
                continue
            bad = [n for n in names if id(node) not in typing_only or n not in TYPES_ALLOWED]
            if bad:
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno} {', '.join(bad)}")
    return found


def test_documents_import_no_sum_of_the_domain_figures():
    assert figures_imports() == []


def test_the_check_sees_a_run_time_import_and_a_sum_named_under_type_checking(tmp_path):
    (tmp_path / "a.py").write_text("from fundapp.domain.figures import notice_total\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                   "    from ..domain.figures import Figures, ratio\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from fundapp.domain import figures\n", encoding="utf-8")
    (tmp_path / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                   "    from fundapp.domain.figures import Figures\n", encoding="utf-8")
    assert figures_imports(tmp_path) == ["a.py:1 notice_total", "b.py:3 ratio", "c.py:1 figures (figures)"]
