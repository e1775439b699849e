"""The demo book follows today (issue 10.9): the last full year holds a typical year — 27 projects and
9.450.000.000 đ disbursed, 14.500.000.000 đ outstanding at its end — and on today's date the fund is healthy
(mostly group 1, some arrears); nothing is dated after today."""

from datetime import date

import pytest

from fundapp.app import open_book
from fundapp.services.demo import create_demo_book, demo_rows
from fundapp.services.reports import annual_summary, balances_json, quarterly_json

TODAY = date(2026, 11, 30)  # the day


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_book(path, today=TODAY)
    ctx = open_book(path, today=TODAY)
    yield ctx
    ctx.db.dispose()


def test_the_last_full_year_is_a_typical_year(demo):
    year = annual_summary(demo, TODAY.year - 1)
    assert (year["projects_financed"], year["disbursed_amount"], year["outstanding_end"]) == (
        27, 9_450_000_000, 14_500_000_000)
    q4 = quarterly_json(demo, TODAY.year - 1, 4)
    assert q4["outstanding"] == 14_500_000_000
    assert all(q4["debt_groups"][g] >= 1 for g in ("2", "3", "4", "5"))  # a few loans overdue in groups 2–5
    assert year["outstanding_start"] + year["disbursed_amount"] - year["principal_collected"] == year["outstanding_end"]


def test_today_the_fund_is_healthy(demo):
    rows = [r for r in balances_json(demo, TODAY) if r["principal_outstanding"] > 0]
    group_1 = [r for r in rows if r["debt_group"] == 1]
    overdue = sum(r["principal_overdue"] for r in rows)
    outstanding = sum(r["principal_outstanding"] for r in rows)
    assert len(rows) >= 30
    assert len(group_1) >= 0.85 * len(rows)  # mostly group 1 ...
    assert len(rows) - len(group_1) >= 2  # ... with some arrears
    assert 0 < overdue < 0.10 * outstanding  # not 94,52 % overdue


@pytest.mark.parametrize("today", [TODAY, date(2027, 1, 3), date(2026, 3, 5), date(2025, 12, 31)])
def test_nothing_is_dated_after_today(today):
    _, loans, transactions = demo_rows(today=today)
    assert max(date.fromisoformat(t["date"]) for t in transactions) <= today
    assert max(date.fromisoformat(x["contract_date"]) for x in loans) <= today
    assert sum(int(t["amount"]) for t in transactions if t["kind"] == "disbursement"
               and t["date"].startswith(str(today.year - 1))) == 9_450_000_000


def test_the_command_line_builds_it_for_fundapp_today(tmp_path, monkeypatch):
    from fundapp.cli import main

    monkeypatch.setenv("FUNDAPP_TODAY", "2025-06-30")
    assert main(["demo", str(tmp_path / "d.sqlite")]) == 0
    ctx = open_book(tmp_path / "d.sqlite", today=date(2025, 6, 30))
    try:
        assert annual_summary(ctx, 2024)["disbursed_amount"] == 9_450_000_000
    finally:
        ctx.db.dispose()


def test_annual_and_six_month_reports_as_files(demo, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fundapp.services.documents import write_period_report

    last = TODAY.year - 1
    pdf, xlsx = tmp_path / f"nam-{last}.pdf", tmp_path / f"nam-{last}.xlsx"
    write_period_report(demo, last, None, xlsx=xlsx, pdf=pdf)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages)
    assert f"BÁO CÁO TÌNH HÌNH CHO VAY NĂM {last}" in text and "9.450.000.000" in text and "14.500.000.000" in text
    assert len(PdfReader(str(pdf)).pages) == 1
    ws = load_workbook(xlsx).active
    values = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(7, 30)}
    assert values["Số tiền giải ngân"] == 9_450_000_000 and values["Dư nợ cuối kỳ"] == 14_500_000_000
    assert values["Số dự án (khoản vay) được giải ngân trong kỳ"] == 27
    assert ws.cell(7, 3).number_format == "#,##0"
    write_period_report(demo, TODAY.year, 1, pdf=tmp_path / "6-thang.pdf")
    six = " ".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "6-thang.pdf")).pages)
    assert f"6 THÁNG ĐẦU NĂM {TODAY.year}" in six and f"30/06/{TODAY.year}" in six
