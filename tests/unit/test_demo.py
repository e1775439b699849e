"""The demo book holds a typical year: 27 projects and 9.450.000.000 đ in 2023, 14.500.000.000 đ outstanding."""

from datetime import date

from fundapp.app import open_book
from fundapp.services.demo import create_demo_book
from fundapp.services.reports import annual_summary, quarterly_json


def test_demo_book_figures_through_the_reports(tmp_path):
    path = tmp_path / "demo.sqlite"
    create_demo_book(path)
    ctx = open_book(path, today=date(2024, 12, 31))
    year = annual_summary(ctx, 2023)
    assert (year["projects_financed"], year["disbursed_amount"], year["outstanding_end"]) == (
        27, 9_450_000_000, 14_500_000_000)
    q4 = quarterly_json(ctx, 2023, 4)
    assert q4["outstanding"] == 14_500_000_000
    assert all(q4["debt_groups"][g] >= 1 for g in ("2", "3", "4", "5"))  # a few loans overdue in groups 2–5
    assert year["outstanding_start"] + year["disbursed_amount"] - year["principal_collected"] == year["outstanding_end"]
    ctx.db.dispose()


def test_annual_and_six_month_reports_as_files(tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fundapp.services.documents import write_period_report

    path = tmp_path / "demo.sqlite"
    create_demo_book(path)
    ctx = open_book(path, today=date(2024, 12, 31))
    pdf, xlsx = tmp_path / "nam-2023.pdf", tmp_path / "nam-2023.xlsx"
    write_period_report(ctx, 2023, None, xlsx=xlsx, pdf=pdf)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages)
    assert "BÁO CÁO TÌNH HÌNH CHO VAY NĂM 2023" in text and "9.450.000.000" in text and "14.500.000.000" in text
    assert len(PdfReader(str(pdf)).pages) == 1
    ws = load_workbook(xlsx).active
    values = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(7, 30)}
    assert values["Số tiền giải ngân"] == 9_450_000_000 and values["Dư nợ cuối kỳ"] == 14_500_000_000
    assert values["Số dự án (khoản vay) được giải ngân trong kỳ"] == 27
    assert ws.cell(7, 3).number_format == "#,##0"
    write_period_report(ctx, 2024, 1, pdf=tmp_path / "6-thang.pdf")
    six = " ".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "6-thang.pdf")).pages)
    assert "6 THÁNG ĐẦU NĂM 2024" in six and "30/06/2024" in six
    ctx.db.dispose()
