"""Every cell of every exported workbook has the right type (issue 11.6, 10.12).

A borrower named "=2+3", a sector "=1+1" and a district "=HYPERLINK(…)" stay text; every figure
(money, counts, growth, bad-debt ratio, provision rates, shares) is a number cell with a number
format; the only formulas are the SUM totals.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from fundapp.services.imports import check_and_import
from tests.golden import SAMPLE

HOSTILE = {"name": "=2+3", "sector": "=1+1", "district": '=HYPERLINK("http://evil.example","Bấm vào")',
           "ward": "@SUM(A1:A9)", "representative": "+84 912", "address": "http://evil.example/x"}
NUMERIC_TEXT = re.compile(r"^\s*[-+]?\d[\d.,]*\s*%?\s*$")


@pytest.fixture
def hostile_ctx(ctx, tmp_path):
    folder = tmp_path / "hostile"
    shutil.copytree(SAMPLE, folder)
    path = folder / "borrowers.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    for r in rows[1:4]:  # three borrowers with loans among them
        for column, value in HOSTILE.items():
            r[rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    path = folder / "loans.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    for r in rows[1:]:  # the loans' sector is the report's sector breakdown
        r[rows[0].index("sector")] = HOSTILE["sector"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    check_and_import(ctx, folder)
    return ctx


def _workbooks(ctx, folder: Path) -> list[Path]:
    from fundapp.services.documents import write_period_report, write_portfolio, write_quarterly

    paths = []
    paths += write_quarterly(ctx, 2024, 2, xlsx=folder / "quy.xlsx")
    paths += write_portfolio(ctx, date(2024, 12, 31), xlsx=folder / "danh-muc.xlsx")
    paths += write_period_report(ctx, 2024, 1, xlsx=folder / "6-thang.xlsx")
    paths += write_period_report(ctx, 2024, None, xlsx=folder / "nam.xlsx")
    return paths


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_every_cell_of_every_workbook_has_its_type(hostile_ctx, tmp_path):
    from openpyxl import load_workbook

    paths = _workbooks(hostile_ctx, tmp_path)
    assert len(paths) == 4
    seen_hostile: set[str] = set()
    for path in paths:
        wb = load_workbook(path)  # formulas as formulas
        numbers = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if v is None:
                        continue
                    where = f"{path.name}[{ws.title}]!{cell.coordinate}"
                    if cell.data_type == "f":
                        assert str(v).startswith("=SUM("), (where, v)
                        continue
                    assert cell.hyperlink is None, where
                    if isinstance(v, str):
                        assert not NUMERIC_TEXT.match(v), (where, v)  # a number stored as text
                        seen_hostile.update(h for h in HOSTILE.values() if h in v)
                    else:
                        assert isinstance(v, int | float), (where, v)
                        assert cell.number_format not in ("", "@"), where
                        numbers += 1
        assert numbers > 10, path.name
    # the hostile names reached the workbooks, as text
    assert {HOSTILE["name"], HOSTILE["sector"], HOSTILE["district"]} <= seen_hostile


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_growth_ratio_and_provision_rates_are_numbers(hostile_ctx, tmp_path):
    from openpyxl import load_workbook

    from fundapp.services.reports import half_year_summary

    figures = half_year_summary(hostile_ctx, 2024, 1)
    path = _workbooks(hostile_ctx, tmp_path)[2]
    ws = load_workbook(path).worksheets[0]
    by_label = {r[1].value: r[2] for r in ws.iter_rows(min_row=7) if r[1].value}
    growth = by_label["Tăng trưởng dư nợ so với đầu kỳ"]
    assert growth.data_type == "n" and growth.number_format == "0.00"
    assert growth.value == pytest.approx(float(figures["growth_percent"]))
    ratio = by_label["Tỷ lệ nợ xấu / dư nợ"]
    assert ratio.data_type == "n" and ratio.value == pytest.approx(float(figures["bad_debt_ratio_percent"]))
    rates = [r[3].value for r in ws.iter_rows() if isinstance(r[0].value, str) and re.match(r"Nhóm \d", r[0].value)]
    assert rates == [0, 2, 25, 50, 100]
