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
