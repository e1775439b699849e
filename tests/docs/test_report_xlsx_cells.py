"""The report workbooks stay the same documents (issue 17): every sheet's cells — value, a formula's cached value,
number format, bold — with its merged ranges, frozen panes, filter and column widths, for every quarter of both
golden books and the portfolio on their last balance date, compared with the workbooks the renderer wrote before
its writing was made faster (commit a6c3685), kept in ``xlsx_reference/`` as JSON.

``FUNDAPP_WRITE_XLSX_REFERENCE=1`` rewrites the reference from the current renderer: only for a deliberate change
of the documents' layout, never to make this test pass.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from fundapp.documents.portfolio_xlsx import render_portfolio_xlsx
from fundapp.documents.quarterly_xlsx import render_quarterly_xlsx
from tests.golden import GOLDEN

REFERENCE = Path(__file__).parent / "xlsx_reference"
WRITE = os.environ.get("FUNDAPP_WRITE_XLSX_REFERENCE") == "1"
BOOKS = {"sample-fund": date(2024, 12, 31), "sample-fund-events": date(2025, 6, 30)}


def _plain(value):
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def workbook_cells(path: Path) -> dict:
    """Every sheet of the workbook at ``path`` as plain JSON values: its cells (coordinate, value, a formula's
    cached value, number format, bold), merged ranges, frozen cell, filter range, print orientation and column
    widths."""
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for ws in formulas.worksheets:
        values = cached[ws.title]
        cells = [[c.coordinate, _plain(c.value), _plain(values[c.coordinate].value) if c.data_type == "f" else None,
                  c.number_format, bool(c.font.b)]
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style]
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "landscape": ws.page_setup.orientation,
            "widths": {k: round(d.width, 2) for k, d in sorted(ws.column_dimensions.items()) if d.width},
        }
    return {"sheets": list(sheets), **sheets}


@pytest.fixture(scope="module", params=list(BOOKS))
def book(request, tmp_path_factory):
    """A golden book imported into a SQLite book read on its last balance date."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from fundapp.services.settings import FundSettings, save_settings

    ctx = open_book(str(tmp_path_factory.mktemp("book") / "book.sqlite"), user="cán bộ A",
                    today=BOOKS[request.param])
    check_and_import(ctx, GOLDEN / request.param)
    save_settings(ctx, FundSettings(fund_name="Quỹ hỗ trợ phát triển hợp tác xã tỉnh Quảng Trị"))
    yield request.param, ctx
    ctx.db.dispose()


def _compare(name: str, path: Path) -> None:
    reference = REFERENCE / f"{name}.json"
    cells = workbook_cells(path)
    if WRITE:
        REFERENCE.mkdir(exist_ok=True)
        reference.write_text(json.dumps(cells, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    want = json.loads(reference.read_text(encoding="utf-8"))
    assert cells["sheets"] == want["sheets"], name
    for sheet in want["sheets"]:
        got, ref = cells[sheet], want[sheet]
        for key in ("merged", "freeze", "filter", "landscape", "widths"):
            assert got[key] == ref[key], (name, sheet, key)
        assert len(got["cells"]) == len(ref["cells"]), (name, sheet)
        for g, r in zip(got["cells"], ref["cells"], strict=True):
            assert g == r, (name, sheet)


def test_every_quarters_workbook_is_the_reference(book, tmp_path):
    from fundapp.services.report_documents import quarterly_data

    name, ctx = book
    quarters = json.loads((GOLDEN / name / "expected.json").read_text(encoding="utf-8"))["quarters"]
    for key in quarters:
        data = quarterly_data(ctx, int(key[:4]), int(key[-1]))
        path = tmp_path / f"{key}.xlsx"
        render_quarterly_xlsx(data, path)
        _compare(f"{name}-{key}", path)
    assert len(quarters) >= 12


def test_the_portfolio_workbook_is_the_reference(book, tmp_path):
    from fundapp.services.report_documents import portfolio_data

    name, ctx = book
    path = tmp_path / "portfolio.xlsx"
    render_portfolio_xlsx(portfolio_data(ctx, BOOKS[name]), path)
    _compare(f"{name}-portfolio", path)


def test_only_a_decimal_percentage_becomes_a_cells_float(tmp_path):
    """A report's figures reach XlsxWriter as int đồng; a percentage (the domain's Decimal) is the one thing turned
    into the float a cell stores, by one helper that takes nothing else: an amount or a float handed to it is a
    defect, refused, never written (the quarterly summary wrote both through one ``float(v) if Decimal else v``)."""
    from decimal import Decimal

    import xlsxwriter
    from openpyxl import load_workbook

    from fundapp.documents.xlsx_sheets import write_percent

    path = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("p")
    write_percent(ws, 0, 0, Decimal("12.35"), None)
    for wrong in (1_330_000_000, 12.35, "12,35"):
        with pytest.raises(TypeError):
            write_percent(ws, 1, 0, wrong, None)
    wb.close()
    sheet = load_workbook(path)["p"]
    assert sheet["A1"].value == 12.35 and sheet["A2"].value is None
