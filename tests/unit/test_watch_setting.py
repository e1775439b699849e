"""The watch's length is the book's setting ``watch_days`` (issue 12, DOMAIN.md "Restructuring on day t", item 4:
"a setting, default 90"): every service replays with it, the loan list's cache is refreshed when it changes, and
``fundapp balances --format json`` reads it. HD2022-007 of the sample book restructured on 01/11/2024 (no extension,
no grace) pays every later installment on time: at the end of 31/12/2024 a 30-day watch has ended (group 1), a
90-day one still holds (group 2, r = 1)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from fundapp.services import event_previews as ep
from fundapp.services import events
from fundapp.services.errors import ValidationError
from fundapp.services.loans import loan_view
from fundapp.services.reports import balances_json
from fundapp.services.settings import load_settings, save_settings

D, T, LOAN = date(2024, 12, 31), date(2024, 11, 1), "HD2022-007"


def _group(ctx) -> int:
    return next(r for r in balances_json(ctx, D) if r["loan_no"] == LOAN)["debt_group"]


def test_the_books_watch_days_decide_the_group_everywhere(sample_ctx):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, LOAN)
    assert load_settings(ctx).watch_days == 90 and ctx.watch_days() == 90
    events.restructure(ctx, loan_id, T, 0, 0, "QĐ-CC-0100", "Thử thời gian theo dõi")
    assert _group(ctx) == 2 and loan_view(ctx, loan_id=loan_id, as_of=D).balances.debt_group == 2
    assert ep.loan_events(ctx, loan_id, D).watch_since == T  # 61 clean days < 90: still watched

    save_settings(ctx, replace(load_settings(ctx), watch_days=30))
    assert load_settings(ctx).watch_days == 30 and ctx.watch_days() == 30
    assert _group(ctx) == 1
    assert loan_view(ctx, loan_id=loan_id, as_of=D).balances.debt_group == 1
    state = ep.loan_events(ctx, loan_id, D)
    assert (state.watch_since, state.debt_group, state.watch_days) == (None, 1, 30)
    # the preview of another restructuring says 30 days: at the earliest 30 days from its day (day 1 counts)
    p = ep.preview_restructure(ctx, loan_id, D, 0, 0)
    assert p.watch_days == 30 and p.watch_earliest_end == max(date(2025, 1, 29), p.watch_first_due)


def test_watch_days_outside_1_to_3650_is_refused_naming_the_field(sample_ctx):
    for bad in (0, 3651):
        with pytest.raises(ValidationError) as err:
            save_settings(sample_ctx, replace(load_settings(sample_ctx), watch_days=bad))
        assert err.value.field == "watch_days" and "90" in err.value.message
    assert load_settings(sample_ctx).watch_days == 90


def test_balances_json_of_the_cli_reads_the_setting(tmp_path, capsys):
    from fundapp import cli
    from fundapp.app import open_book
    from tests import golden

    book = tmp_path / "b.sqlite"
    assert cli.main(["--db", str(book), "import", str(golden.SAMPLE)]) == 0
    assert cli.main(["--db", str(book), "restructure", LOAN, "--on", T.isoformat(), "--extend-months", "0",
                     "--reference", "QĐ-CC-0100", "--reason", "Thử"]) == 0

    def group() -> int:
        capsys.readouterr()
        assert cli.main(["--db", str(book), "balances", "--as-of", D.isoformat(), "--format", "json"]) == 0
        return next(r for r in json.loads(capsys.readouterr().out) if r["loan_no"] == LOAN)["debt_group"]

    assert group() == 2
    ctx = open_book(str(book), user="tester", today=D)
    save_settings(ctx, replace(load_settings(ctx), watch_days=30))
    ctx.db.dispose()
    assert group() == 1


def test_an_import_caches_the_loan_list_with_the_books_watch(book_url):
    """The import's own replay fills the loan list's cache: with the book's watch (here 3.650 days), not the
    default 90 — the same groups a refresh with the book's setting gives, and not those of a 90-day watch."""
    from fundapp.app import open_book
    from fundapp.ledger import office_store, state_cache
    from fundapp.services.imports import check_and_import
    from fundapp.services.loan_states import refresh_states
    from tests.golden import GOLDEN

    ctx = open_book(book_url, user="tester", today=date(2025, 12, 31))
    try:
        with ctx.db.unit() as s:
            office_store.set_setting(s, "watch_days", "3650")
        check_and_import(ctx, GOLDEN / "sample-fund-events")

        def groups(refresh_with: str | None = None) -> dict[str, int]:
            if refresh_with is not None:
                with ctx.db.unit() as s:
                    office_store.set_setting(s, "watch_days", refresh_with)
                    refresh_states(s, None, ctx.today())
            with ctx.db.read() as s:
                return {r.loan_no: r.debt_group for r in state_cache.loan_list_rows(s)}

        cached = groups()
        assert cached == groups("3650")
        assert cached != groups("90")  # the watch length shows in the groups: the check above can fail
    finally:
        ctx.db.dispose()
