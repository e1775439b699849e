"""Tổng quan: the cards show the golden book's figures as of a date, computed through the job runner."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from fundapp.formatting import percent, vnd
from fundapp.ui.pages.overview import Page
from tests.golden import expected
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import make_env

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so when a window shows


def shown_overview(qtbot, ctx, qsettings, width: int, height: int) -> Page:
    """The overview page of ``ctx``'s book at ``width``×``height``, shown, its figures loaded."""
    env = make_env(ctx, qsettings)
    widget = Page(env)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None, timeout=20000)
    wait_jobs(qtbot, env)
    return widget


@pytest.fixture
def page(qtbot, sample_ctx, qsettings, boxes):
    return shown_overview(qtbot, sample_ctx, qsettings, 1150, 700)


def test_cards_show_the_quarter_end_figures(page):
    q4 = expected()["quarters"]["2024-Q4"]
    assert page.data.as_of == date(2024, 12, 31)
    assert page.cards["outstanding"].value.text() == vnd(q4["outstanding"]) == "16.887.110.946 đ"
    assert page.cards["overdue"].value.text() == vnd(q4["overdue_principal"])
    assert percent("3.65") in page.cards["overdue"].note.text()  # 616.538.610 / 16.887.110.946
    assert page.cards["disbursed_quarter"].value.text() == vnd(q4["disbursed_amount"])
    assert page.cards["disbursed_quarter"].note.text() == "Quý IV/2024"  # as the reports write it, not «Quý 4/2024»
    assert page.cards["active_loans"].value.text() == str(sum(q4["debt_groups"].values()))
    groups = page.groups.value.text()
    for g, n in q4["debt_groups"].items():
        assert f"Nhóm {g}</span><br>{n}<" in groups
    bad = sum(q4["debt_groups"][g] for g in ("3", "4", "5"))  # the sample's expected figures, not the domain's
    assert page.groups.note.text() == f"Nợ xấu (nhóm 3–5): {bad} khoản"


def test_charts_carry_eight_quarters_and_every_district(page):
    [bars] = page.disbursed_chart.chart().series()
    assert bars.count() == 1 and bars.barSets()[0].count() == 8
    [line] = page.outstanding_chart.chart().series()
    last = line.at(7)
    assert last.y() == expected()["quarters"]["2024-Q4"]["outstanding"]  # plotted in đồng, exactly
    [areas] = page.area_chart.chart().series()
    y_axis = next(a for a in page.area_chart.chart().axes() if a.orientation().name == "Vertical")
    assert set(y_axis.categories()) == {d for d, f in expected()["quarters"]["2024-Q4"]["by_district"].items()
                                        if f["outstanding"]}
    assert areas.barSets()[0].count() == len(y_axis.categories())


def test_changing_the_date_recomputes(page, qtbot):
    page.as_of.setDate(QDate(2023, 12, 31))
    qtbot.waitUntil(lambda: page.data.as_of == date(2023, 12, 31) and not page.env.jobs.busy, timeout=20000)
    q4 = expected()["quarters"]["2023-Q4"]
    assert page.cards["outstanding"].value.text() == vnd(q4["outstanding"])
    assert page.cards["overdue"].value.text() == vnd(q4["overdue_principal"])


def test_a_new_loan_announced_elsewhere_refreshes_the_page(page, qtbot):
    first = page.data
    page.env.changes.announce("loans")
    qtbot.waitUntil(lambda: page.data is not first and not page.env.jobs.busy, timeout=20000)
    assert page.data == first


@pytest.fixture
def events_page(qtbot, book_url, qsettings, boxes):
    """The overview of sample-fund-events (a book read on 31/12/2025) as of 31/12/2023."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from tests.golden import GOLDEN

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    widget = shown_overview(qtbot, ctx, qsettings, 1366, 768)
    widget.as_of.setDate(QDate(2023, 12, 31))
    qtbot.waitUntil(lambda: widget.data.as_of == date(2023, 12, 31) and not widget.env.jobs.busy, timeout=20000)
    yield widget
    ctx.db.dispose()


def test_cards_show_restructured_outstanding_and_off_balance_debt(events_page):
    import json

    from tests.golden import GOLDEN

    q4 = json.loads((GOLDEN / "sample-fund-events" / "expected.json").read_text(encoding="utf-8"))["quarters"]["2023-Q4"]
    cards = events_page.cards
    assert cards["restructured_outstanding"].caption.text() == "Dư nợ của các khoản vay đã cơ cấu lại"  # as on paper
    assert cards["restructured_outstanding"].value.text() == vnd(q4["restructured_outstanding"]) == "2.756.666.667 đ"
    assert cards["off_balance"].caption.text() == "Nợ đã xử lý theo dõi ngoại bảng"
    assert cards["off_balance"].value.text() == vnd(q4["off_balance"]) == "1.724.740.711 đ"
