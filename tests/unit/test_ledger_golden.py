"""The sample book imported into the ledger (SQLite and PostgreSQL) gives every expected figure."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain.reporting import quarter_bounds
from fundapp.ledger.db import HEAD, MIGRATIONS, current_revision
from fundapp.services.loans import loan_view
from fundapp.services.reports import balances_json, quarterly_json
from tests import golden


def test_migration_head_constant_matches_the_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def test_new_book_is_created_by_migrations(ctx):
    assert current_revision(ctx.db.engine) == HEAD


def test_balances_at_every_expected_date(sample_ctx):
    expected = golden.expected()["balances"]
    for when, figures in expected.items():
        got = balances_json(sample_ctx, date.fromisoformat(when))
        assert [r["loan_no"] for r in got] == sorted(figures)
        assert {r.pop("loan_no"): r for r in got} == figures, when


def test_quarterly_figures_for_every_quarter(sample_ctx):
    for quarter, figures in golden.expected()["quarters"].items():
        year, q = quarter.split("-Q")
        quarter_bounds(int(year), int(q))
        assert quarterly_json(sample_ctx, int(year), int(q)) == figures, quarter


def test_schedules_of_every_loan(sample_ctx):
    for loan_no, rows in golden.expected()["schedules"].items():
        view = loan_view(sample_ctx, loan_no, date(2030, 1, 1))
        got = [{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal} for i in view.schedule]
        assert got == [{k: r[k] for k in ("no", "due_date", "principal")} for r in rows], loan_no


@pytest.mark.parametrize("loan_no", ["HD2022-002", "HD2022-033"])
def test_loan_view_history_carries_each_split(sample_ctx, loan_no):
    view = loan_view(sample_ctx, loan_no, date(2024, 12, 31))
    repayments = [h for h in view.history if h.kind == "repayment"]
    assert repayments
    for h in repayments:
        assert h.principal + h.interest + h.overdue_interest + h.late_interest == h.amount
    assert view.balances.as_dict() == golden.expected()["balances"]["2024-12-31"][loan_no]


def test_settled_loans_are_skipped_yet_read_as_zero(sample_ctx):
    """balances_as_of skips loans the cache knows are settled; the figures equal a full replay's."""
    from fundapp.ledger import store
    from fundapp.services.portfolio import balances_as_of, load_book, replay_until

    when = date(2024, 12, 31)
    with sample_ctx.db.unit() as s:
        skipped = store.loans_without_balance(s, when)
    assert len(skipped) >= 5  # the sample book has settled loans
    full = {b.input.loan_no: replay_until(b.input.terms, b.input.transactions, when).balances(when)
            for b in load_book(sample_ctx.db)}
    assert dict(balances_as_of(sample_ctx.db, when)) == full
