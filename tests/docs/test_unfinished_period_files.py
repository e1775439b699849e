"""A six-month or annual report file (PDF, .xlsx) of a period not yet ended is counted to the book's today and says
so under its title, in the quarterly's words (report_labels.not_ended_note): «Năm chưa kết thúc — số liệu đến hết
ngày 15/11/2024». Read back from the PDF's text (pdftotext) and the .xlsx's cell; an ended period has no mark."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from fundapp.services import report_documents
from fundapp.services.reports import period_summary

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")

TODAY = date(2024, 11, 15)


def _pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _sheet(path):
    return openpyxl.load_workbook(path)["Tổng hợp"]


def _value(ws, label: str) -> int:
    return next(row[2].value for row in ws.iter_rows(min_row=7) if row[1].value == label)


def test_an_unfinished_year_says_so_in_its_pdf_and_xlsx(sample_ctx, book_url, tmp_path):
    if "postgresql" in book_url:
        pytest.skip("the files lay out the same figures on both backends")
    ctx = dataclasses.replace(sample_ctx, today=lambda: TODAY)
    xlsx, pdf = tmp_path / "nam.xlsx", tmp_path / "nam.pdf"
    report_documents.write_period_report(ctx, 2024, None, xlsx=xlsx, pdf=pdf)
    mark = "Năm chưa kết thúc — số liệu đến hết ngày 15/11/2024"
    assert _sheet(xlsx)["A4"].value == f"Từ ngày 01/01/2024 đến ngày 15/11/2024 — {mark}"
    assert f"Từ ngày 01/01/2024 đến ngày 15/11/2024 {mark}" in _pdf_text(pdf)  # the mark: a line under the period
    figures = period_summary(ctx, date(2024, 1, 1), TODAY)  # the figures printed are those to today
    assert _value(_sheet(xlsx), "Dư nợ cuối kỳ") == figures["outstanding_end"] > 0
    assert _value(_sheet(xlsx), "Số tiền giải ngân") == figures["disbursed_amount"] > 0

    # the second half counts to today too and says so as a year; the first half ended on 30/06: no mark
    report_documents.write_period_report(ctx, 2024, 2, xlsx=tmp_path / "h2.xlsx")
    assert _sheet(tmp_path / "h2.xlsx")["A4"].value.endswith(mark)
    report_documents.write_period_report(ctx, 2024, 1, xlsx=tmp_path / "h1.xlsx", pdf=tmp_path / "h1.pdf")
    assert _sheet(tmp_path / "h1.xlsx")["A4"].value == "Từ ngày 01/01/2024 đến ngày 30/06/2024"
    assert "chưa kết thúc" not in _pdf_text(tmp_path / "h1.pdf")


def test_an_unfinished_first_half_and_an_ended_year(sample_ctx, book_url, tmp_path):
    if "postgresql" in book_url:
        pytest.skip("the files lay out the same figures on both backends")
    in_may = dataclasses.replace(sample_ctx, today=lambda: date(2024, 5, 20))
    data = report_documents.period_report_data(in_may, 2024, 1)
    assert (data.end, data.unfinished_until) == (date(2024, 5, 20), date(2024, 5, 20))
    report_documents.write_period_report(in_may, 2024, 1, pdf=tmp_path / "h1.pdf")
    assert "6 tháng đầu năm chưa kết thúc — số liệu đến hết ngày 20/05/2024" in _pdf_text(tmp_path / "h1.pdf")
    # the sample book's today, 31/12/2024, is the year's last day: ended, no mark
    report_documents.write_period_report(sample_ctx, 2024, None, xlsx=tmp_path / "nam.xlsx")
    assert _sheet(tmp_path / "nam.xlsx")["A4"].value == "Từ ngày 01/01/2024 đến ngày 31/12/2024"
