"""The overview's figures agree with the quarterly report of the same book."""

import dataclasses
from datetime import date

from fundapp.services.overview import overview
from tests import golden


def test_overview_quarters_equal_the_quarterly_figures(sample_ctx):
    view = overview(sample_ctx, date(2024, 12, 31), quarters=12)
    expected = golden.expected()["quarters"]
    assert [p.label for p in view.quarters][:2] == ["I/2022", "II/2022"]  # as the quarterly report's chart
    for point in view.quarters:
        q, y = (point.end.month - 1) // 3 + 1, point.end.year
        figures = expected[f"{y}-Q{q}"]
        assert (point.disbursed, point.outstanding) == (figures["disbursed_amount"], figures["outstanding"])
    q4 = expected["2024-Q4"]
    assert view.outstanding == q4["outstanding"] and view.principal_overdue == q4["overdue_principal"]
    assert view.disbursed_quarter == q4["disbursed_amount"]
    assert view.disbursed_year == sum(expected[f"2024-Q{i}"]["disbursed_amount"] for i in range(1, 5))
    assert {str(g): n for g, n in view.loans_by_group.items()} == q4["debt_groups"]
    assert view.outstanding_by_area == {k: v["outstanding"] for k, v in q4["by_district"].items() if v["outstanding"]}


def test_administrative_quarters_follow_decree_09_2019(sample_ctx):
    from fundapp.domain.periods import administrative_quarter_bounds, quarter_periods
    from fundapp.domain.reporting import period_report
    from fundapp.services.reports import quarterly_json
    from fundapp.services.settings import FundSettings, save_settings

    assert administrative_quarter_bounds(2023, 4) == (date(2023, 9, 15), date(2023, 12, 14))
    assert quarter_periods(2024, 1, "administrative")[2] == (date(2023, 12, 15), date(2024, 3, 14))
    save_settings(sample_ctx, FundSettings(period_convention="administrative"))
    got = quarterly_json(sample_ctx, 2023, 4)
    want = period_report(golden.sample_loans(), date(2023, 9, 15), date(2023, 12, 14)).interchange_json()
    assert got == want and got != golden.expected()["quarters"]["2023-Q4"]


def test_cards_from_the_cache_equal_the_full_computation(sample_ctx):
    from fundapp.services.overview import overview_cards

    today = sample_ctx.today()
    cards, full = overview_cards(sample_ctx, today), overview(sample_ctx, today)
    for name in ("outstanding", "principal_overdue", "overdue_ratio_percent", "disbursed_quarter", "disbursed_year",
                 "collected_year", "active_loans", "loans_by_group", "outstanding_by_group"):
        assert getattr(cards, name) == getattr(full, name), name
    assert overview_cards(sample_ctx, date(2023, 12, 31)) is None


def test_a_second_overview_reads_every_loan_from_checkpoints(sample_ctx, monkeypatch):
    """The overview's first read leaves checkpoints at every quarter end it reads, the eve of its first quarter
    included, so the next one replays no loan (issue 17: on the 100,000-loan book every overview replayed 26,170
    loans silent since their last checkpoint, 13 s, writing 8 of their 9 days and never the first quarter's eve).
    The import's figures of quiet loans (``replay_figures``) are deleted first: the first read replays them."""
    from sqlalchemy import text

    from fundapp.domain import reporting

    with sample_ctx.db.engine.begin() as conn:
        assert conn.execute(text("DELETE FROM replay_figures")).rowcount > 0
    replays = []
    real = reporting.loan_periods
    monkeypatch.setattr(reporting, "loan_periods", lambda loan, *a, **k: replays.append(loan.loan_no) or real(loan, *a, **k))
    for as_of in (date(2024, 12, 31), date(2025, 3, 31)):
        ctx = dataclasses.replace(sample_ctx, today=lambda as_of=as_of: as_of)  # never figures of a day to come
        first = overview(ctx, as_of)
        cold = len(replays)
        replays.clear()
        assert overview(ctx, as_of) == first
        assert cold > 0 and replays == [], (as_of, cold, replays)
