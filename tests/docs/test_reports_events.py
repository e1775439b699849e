"""The quarterly report of sample-fund-events (through the ledger): the section listing the period's restructured,
relieved and written-off loans in the PDF and the .xlsx, and the life events' keys recomputed by LibreOffice."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from fundapp.documents.quarterly_xlsx import EVENTS_SHEET, render_quarterly_xlsx
from fundapp.documents.report_labels import EVENT_HEADINGS, LIFE_EVENT_LABELS
from fundapp.documents.reports_pdf import render_quarterly_pdf
from fundapp.domain.figures import LIFE_EVENT_KEYS
from fundapp.formatting import group_thousands
from tests.docs.test_reports import CSV_FILTER, HEADER_ROW, _lo_profile
from tests.golden import GOLDEN

EVENTS_BOOK = GOLDEN / "sample-fund-events"
EXPECTED = json.loads((EVENTS_BOOK / "expected.json").read_text(encoding="utf-8"))["quarters"]
SECTION = "CÁCKHOẢNVAYĐƯỢCCƠCẤULẠI,MIỄNGIẢMLÃI,XỬLÝRỦIROTRONGKỲ"


@pytest.fixture(scope="module")
def events_ctx(tmp_path_factory):
    """sample-fund-events imported into a SQLite book read on 31/12/2025."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from fundapp.services.settings import FundSettings, save_settings

    ctx = open_book(str(tmp_path_factory.mktemp("events") / "book.sqlite"), user="cán bộ A",
                    today=date(2025, 12, 31))
    check_and_import(ctx, EVENTS_BOOK)
    save_settings(ctx, FundSettings())
    yield ctx
    ctx.db.dispose()


def _data(ctx, key: str):
    from fundapp.services.documents import quarterly_data

    return quarterly_data(ctx, int(key[:4]), int(key[-1]))


def _event_totals(lines) -> dict[str, int]:
    """The listed events summed per kind, to compare with the quarterly JSON's keys."""
    by = {"restructure": 0, "interest_relief": 0, "write_off_p": 0, "write_off_i": 0}
    for e in lines:
        if e.event.startswith("Cơ cấu"):
            by["restructure"] += 1
        elif e.event.startswith("Miễn"):
            by["interest_relief"] += e.amount
        else:
            by["write_off_p"] += e.principal
            by["write_off_i"] += e.interest
    return by


@pytest.mark.parametrize("key", ["2023-Q4", "2022-Q4", "2023-Q2"])
def test_the_listed_events_are_the_engines(events_ctx, key):
    lines = _data(events_ctx, key).event_lines()
    want = EXPECTED[key]
    got = _event_totals(lines)
    assert (got["restructure"], got["interest_relief"], got["write_off_p"], got["write_off_i"]) == (
        want["restructured_count"], want["interest_relieved"], want["written_off_principal"],
        want["written_off_interest"])
    assert all(e.amount == e.principal + e.interest for e in lines)
    if key == "2023-Q4":
        [e] = lines
        assert (e.loan_no, e.on, e.reference, e.amount) == ("HD2023-008", date(2023, 10, 24), "QĐ-MG-0005",
                                                            14_155_397)
        assert e.event == "Miễn, giảm lãi (lãi đến hạn chưa trả được miễn, giảm)" and e.borrower


@pytest.mark.parametrize("key", ["2023-Q4", "2022-Q4"])
def test_pdf_and_xlsx_list_the_periods_events(events_ctx, key, tmp_path):
    data = _data(events_ctx, key)
    lines = data.event_lines()
    assert lines
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_quarterly_pdf(data))).pages))
    assert SECTION in text
    section = text[text.index(SECTION):]
    for e in lines:
        row = "".join((e.loan_no, e.reference, group_thousands(e.amount)))
        assert e.loan_no in section and e.reference in section and group_thousands(e.amount) in section, row
        assert f"{e.on:%d/%m/%Y}" in section
    path = tmp_path / "q.xlsx"
    render_quarterly_xlsx(data, path)
    ws = openpyxl.load_workbook(path)[EVENTS_SHEET]
    assert tuple(c.value for c in ws[HEADER_ROW])[:6] == EVENT_HEADINGS[:6]
    rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[1]]
    assert [(r[1], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows] == [
        (e.loan_no, e.event, datetime(e.on.year, e.on.month, e.on.day), e.reference, e.amount, e.principal, e.interest)
        for e in lines]
    cells = list(ws.iter_rows(min_row=HEADER_ROW + 1))
    assert all(c.data_type == "s" for r in cells for c in r[1:4])
    assert all(c.number_format == "#,##0" and isinstance(c.value, int) for r in cells for c in r[6:9])


def test_a_quarter_without_events_has_no_section(events_ctx, tmp_path):
    data = _data(events_ctx, "2022-Q1")
    assert data.event_lines() == ()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_quarterly_pdf(data))).pages))
    assert SECTION not in text
    render_quarterly_xlsx(data, tmp_path / "q.xlsx")
    assert EVENTS_SHEET not in openpyxl.load_workbook(tmp_path / "q.xlsx").sheetnames


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: "
                    "apt-get install libreoffice-calc-nogui to check that the workbook recomputes")
def test_libreoffice_recomputes_the_life_event_keys_to_the_json(events_ctx, tmp_path):
    key = "2022-Q4"  # a restructuring, a relief and a write-off in the quarter
    data = _data(events_ctx, key)
    path = tmp_path / "q.xlsx"
    render_quarterly_xlsx(data, path)
    bare = tmp_path / "bare.xlsx"
    openpyxl.load_workbook(path).save(bare)  # formulas only: every total comes from the recalculation
    profile = _lo_profile(tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(tmp_path), str(bare)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "bare-Tổng hợp.csv", encoding="utf-8", newline="") as f:
        summary = {r[1]: r for r in csv.reader(f) if len(r) > 3}
    want = EXPECTED[key]
    for k in LIFE_EVENT_KEYS:
        assert int(summary[LIFE_EVENT_LABELS[k][0]][3]) == want[k], k
    assert sum(want[k] for k in LIFE_EVENT_KEYS) > 0
    with open(tmp_path / f"bare-{EVENTS_SHEET}.csv", encoding="utf-8", newline="") as f:
        events = [r for r in list(csv.reader(f))[HEADER_ROW:] if len(r) > 8 and r[1]]
    assert [(r[1], r[5], int(r[6]), int(r[7]), int(r[8])) for r in events] == [
        (e.loan_no, e.reference, e.amount, e.principal, e.interest) for e in data.event_lines()]
    assert sum(int(r[7]) for r in events) == want["written_off_principal"]
