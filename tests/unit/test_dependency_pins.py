"""A library whose private API fundapp calls is pinned to the releases it was tested with (issue 13, last reader):
the quarterly .xlsx calls XlsxWriter's Worksheet._write_number/_write_string/_write_blank (issue 17's speed), so
pyproject admits only the 3.3 releases from the one tests/docs/test_report_xlsx_cells.py ran with (3.3.1), and the
installed one has those writers taking (row, col, value, format)."""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import xlsxwriter
from packaging.requirements import Requirement
from xlsxwriter.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[2]


def _requirement(name: str) -> Requirement:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return next(r for r in map(Requirement, project["dependencies"]) if r.name.lower() == name.lower())


def test_xlsxwriter_is_pinned_to_the_releases_its_private_writers_were_tested_with():
    spec = _requirement("XlsxWriter").specifier
    assert [v for v in ("3.2.0", "3.3.0", "3.3.1", "3.3.9", "3.4.0", "4.0") if spec.contains(v)] == ["3.3.1", "3.3.9"]
    assert spec.contains(xlsxwriter.__version__)
    for name, value in (("_write_number", "number"), ("_write_string", "string"), ("_write_blank", "_")):
        assert list(inspect.signature(getattr(Worksheet, name)).parameters)[:5] == \
            ["self", "row", "col", value, "cell_format"], name
