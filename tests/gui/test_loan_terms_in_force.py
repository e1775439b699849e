"""The loan page's «Điều kiện vay» shows the terms in force at the page's date (DOMAIN.md "Restructuring on day t"):
after a restructuring the term and the installments include its ``extend_months``, the grace is its
``grace_periods`` from the first installment due after it, each saying it changed and what the contract said; on a
day before it, and once it is reversed, the contract's terms again (an officer read a 36-month maturity on a loan
restructured to 48).

HD2024-013 of the sample book: 36 months, repaid every 3 months (12 installments), 1 installment of grace, first
disbursed on 06/09/2024 (first due 06/12/2024)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fundapp.services import events
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import drive, open_loan, press_enter, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
RESTRUCTURED = date(2024, 10, 15)
CONTRACT_TERM = "36 tháng, trả 3 tháng một kỳ (12 kỳ)"


def _terms(detail) -> tuple[str, str]:
    return detail.terms_labels["term"].text(), detail.terms_labels["grace"].text()


def _at(detail, qtbot, window, day: date) -> None:
    detail.as_of.setValue(day)
    wait_jobs(qtbot, window.env)


def test_the_terms_box_shows_the_terms_in_force_after_a_restructuring_and_the_contract_after_its_reversal(
        window, qtbot, boxes):
    ctx = window.env.ctx
    loan_id = events.loan_id_of(ctx, "HD2024-013")
    detail = open_loan(window, qtbot, "HD2024-013")
    assert _terms(detail) == (CONTRACT_TERM, "1 kỳ")

    events.restructure(ctx, loan_id, RESTRUCTURED, 12, 2, "QĐ-CC-0013", "Thiệt hại do bão lũ tháng 10/2024")
    detail.reload()
    wait_jobs(qtbot, window.env)
    assert _terms(detail) == (
        "48 tháng, trả 3 tháng một kỳ (16 kỳ) — sau cơ cấu lại ngày 15/10/2024 (hợp đồng: 36 tháng, 12 kỳ)",
        "2 kỳ từ kỳ 1 (hợp đồng: 1 kỳ)")
    assert detail.view.schedule[-1].no == 16  # the schedule the label speaks of
    shots = os.environ.get("FUNDAPP_SCREENSHOTS")
    if shots:
        QApplication.processEvents()
        window.grab().save(str(Path(shots) / "loan-terms-in-force.png"))

    _at(detail, qtbot, window, date(2024, 10, 14))  # the day before: the contract's terms were in force
    assert _terms(detail) == (CONTRACT_TERM, "1 kỳ")
    _at(detail, qtbot, window, RESTRUCTURED)
    assert _terms(detail)[0].startswith("48 tháng, trả 3 tháng một kỳ (16 kỳ) — sau cơ cấu lại ngày 15/10/2024")

    # a second restructuring adds its months to the first's; its grace replaces the first's, from the first
    # installment due after its day (06/03/2025 is installment 2)
    events.restructure(ctx, loan_id, date(2024, 12, 20), 6, 1, "QĐ-CC-0014", "Bão số 6")
    _at(detail, qtbot, window, date(2024, 12, 31))
    assert _terms(detail) == (
        "54 tháng, trả 3 tháng một kỳ (18 kỳ) — sau 2 lần cơ cấu lại, lần cuối ngày 20/12/2024 "
        "(hợp đồng: 36 tháng, 12 kỳ)",
        "1 kỳ từ kỳ 2 (hợp đồng: 1 kỳ)")

    # reversed as an officer reverses: from the history, with a reason; the reversed ones no longer count
    for reference in ("QĐ-CC-0014", "QĐ-CC-0013"):
        index = next(i for i, r in enumerate(detail.history_model.rows) if r.reference == reference and r.active)
        detail.history.setCurrentIndex(detail.history_model.index(index, 0))

        def fill_reverse(d):
            type_text(d.reason, "Quyết định bị thu hồi")
            press_enter(d)

        drive(qtbot, detail.reverse, fill_reverse)
        wait_jobs(qtbot, window.env)
        if reference == "QĐ-CC-0014":
            assert _terms(detail) == (
                "48 tháng, trả 3 tháng một kỳ (16 kỳ) — sau cơ cấu lại ngày 15/10/2024 (hợp đồng: 36 tháng, 12 kỳ)",
                "2 kỳ từ kỳ 1 (hợp đồng: 1 kỳ)")
    assert _terms(detail) == (CONTRACT_TERM, "1 kỳ")
