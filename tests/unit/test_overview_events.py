"""The overview's restructured outstanding and off-balance debt are the quarterly report's (sample-fund-events)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fundapp.services.overview import overview, overview_cards
from tests.golden import GOLDEN

EVENTS_BOOK = GOLDEN / "sample-fund-events"


@pytest.fixture
def events_ctx(book_url):
    """sample-fund-events imported, read on 31/12/2025."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, EVENTS_BOOK)
    yield ctx
    ctx.db.dispose()


def _quarter(key: str) -> dict:
    return json.loads((EVENTS_BOOK / "expected.json").read_text(encoding="utf-8"))["quarters"][key]


@pytest.mark.parametrize(("as_of", "key"), [(date(2023, 12, 31), "2023-Q4"), (date(2022, 12, 31), "2022-Q4"),
                                            (date(2025, 6, 30), "2025-Q2")])
def test_overview_shows_the_quarterly_restructured_outstanding_and_off_balance(events_ctx, as_of, key):
    view = overview(events_ctx, as_of, quarters=2)
    want = _quarter(key)
    assert (view.restructured_outstanding, view.off_balance) == (
        want["restructured_outstanding"], want["off_balance"])
    if key == "2023-Q4":
        assert (view.restructured_outstanding, view.off_balance) == (2_756_666_667, 1_724_740_711)


def test_the_cache_cards_leave_the_life_event_figures_to_the_full_computation(events_ctx):
    cards = overview_cards(events_ctx, events_ctx.today())
    assert (cards.restructured_outstanding, cards.off_balance) == (None, None)
    full = overview(events_ctx, events_ctx.today(), quarters=1)
    assert full.off_balance == _quarter("2025-Q2")["off_balance"] == 818_726_711
