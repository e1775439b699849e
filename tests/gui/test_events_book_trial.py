"""A new officer's first day on the events book (sample-fund-events, read on 30/06/2025): what the loan page shows
agrees with the papers printed for the same day, and the actions the figures call for can be taken."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from fundapp.formatting import vnd
from fundapp.services import events
from fundapp.services.imports import check_and_import
from tests.golden import GOLDEN

from .conftest import shown_window, wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def events_ctx(book_url):
    """sample-fund-events imported, its today 30/06/2025."""
    from fundapp.app import open_book

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 6, 30))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    yield ctx
    ctx.db.dispose()


@pytest.fixture
def events_window(events_ctx, qsettings, qtbot, boxes):
    return shown_window(events_ctx, qsettings, qtbot)


def _detail(window, qtbot, loan_no: str):
    detail = window.show_page("loans").open_loan(events.loan_id_of(window.env.ctx, loan_no))
    wait_jobs(qtbot, window.env)
    assert detail.view is not None and detail.view.loan_no == loan_no
    return detail


def _shown_column(view, header: str) -> int | None:
    model = view.model()
    for c in range(model.columnCount()):
        if model.headerData(c, Qt.Orientation.Horizontal) == header and not view.isColumnHidden(c):
            return c
    return None


def test_the_loan_pages_schedule_shows_the_interest_a_relief_forgave(events_window, qtbot):
    """HD2023-011's 3rd installment: 3.446.167 đ interest due, 2.412.317 đ paid, 1.033.850 đ relieved (QĐ-MG-0006).
    The printed schedule has a column «Lãi được miễn, giảm»; the page's schedule showed only due and paid, as if
    1.033.850 đ were still owed."""
    detail = _detail(events_window, qtbot, "HD2023-011")
    column = _shown_column(detail.schedule, "Lãi được miễn, giảm")
    assert column is not None
    model = detail.schedule.model()
    third = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "3")
    assert model.index(third, column).data() == "1.033.850"
    first = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "1")
    assert model.index(first, column).data() in ("", None)
    header = detail.schedule.horizontalHeader()
    assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()  # its header reads whole

    detail.back.emit()
    other = _detail(events_window, qtbot, "HD2024-012")  # no relief: no empty column
    assert _shown_column(other.schedule, "Lãi được miễn, giảm") is None


def test_interest_owed_after_the_principal_is_repaid_can_be_collected(events_window, qtbot):
    """HD2022-027: principal repaid, 124.767 đ in-term interest after the last due date «phải trả ngay» (the list's
    status «Hết hạn, còn lãi phải trả»), yet «Thu nợ…» was greyed «Khoản vay không còn dư nợ gốc»."""
    detail = _detail(events_window, qtbot, "HD2022-027")
    assert detail.view.balances.principal_outstanding == 0 and detail.view.quote.settlement == 124_767
    assert detail.repay_button.isEnabled(), detail.repay_button.toolTip()

    settled = _detail(events_window, qtbot, "HD2022-003")  # settled: nothing to collect, and it says why
    assert not settled.repay_button.isEnabled() and settled.repay_button.toolTip()


def test_the_relief_dialog_opens_on_a_kind_there_is_some_of(events_window, qtbot):
    """HD2023-011 owes no late interest on 30/06/2025, only interest due: the dialog opened on «Lãi chậm trả» with
    «0 đ» and «Miễn, giảm toàn bộ» greyed, as if nothing could be relieved."""
    from .conftest import run_dialog

    detail = _detail(events_window, qtbot, "HD2023-011")
    d = detail.make_dialog("relief")
    qtbot.addWidget(d)
    run_dialog(d)
    qtbot.waitUntil(lambda: d.limits is not None)
    wait_jobs(qtbot, events_window.env)
    assert d.limits.late_interest == 0 and d.limits.interest > 0
    assert d.kind.currentData() == "interest" and d.most_button.isEnabled()
    assert vnd(d.limits.interest).replace(" ", "\u00a0") in d.most.text().replace(" ", "\u00a0")
    d.kind.setCurrentIndex(d.kind.findData("late_interest"))  # the officer's own choice is kept, and says 0 đ
    assert not d.most_button.isEnabled() and "0" in d.most.text()
    d.reject()
