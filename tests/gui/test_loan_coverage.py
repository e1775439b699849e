"""The loan page shows collateral coverage of the outstanding (issue 16): value ÷ principal outstanding as the coverage
report counts it, the threshold setting marking a loan below it; an empty state without collateral. Screenshot at
1366×768 in /tmp/fundapp-shots/loan-coverage*.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fundapp.formatting import vnd
from fundapp.services import collateral
from fundapp.services.queries import list_loans
from tests.gui.conftest import wait_jobs

SHOTS = Path("/tmp/fundapp-shots")


def _open(window, qtbot, loan_no):
    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == loan_no)
    detail = window.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, env)
    return detail


def test_the_loan_page_shows_coverage_of_the_outstanding(window, qtbot):
    ctx = window.env.ctx
    collateral.add(ctx, dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5", owner="HTX chuối Mò Ó",
                             value=1_500_000_000, valued_on=date(2024, 3, 1)), loan_no="HD2024-001")
    detail = _open(window, qtbot, "HD2024-001")
    outstanding = detail.view.balances.principal_outstanding
    report = collateral.loan_coverage(ctx, "HD2024-001")  # the coverage report's own figure
    assert (report.pledged, report.base) == (1_500_000_000, outstanding)
    percent = f"{report.percent:.2f}".replace(".", ",")
    box = detail.coverage_box
    assert box.figure.text() == f"Tỷ lệ bảo đảm dư nợ gốc: {percent} %"
    assert "1.500.000.000" in box.detail.text() and f"{outstanding:,}".replace(",", ".") in box.detail.text()
    # money as the rest of the page writes it (formatting.vnd: "… đ"), not "… đồng"
    assert box.detail.text() == f"1 tài sản đang bảo đảm, giá trị {vnd(1_500_000_000)}; dư nợ gốc {vnd(outstanding)}; " \
                                f"ngưỡng 100 %"
    assert "dưới ngưỡng" not in box.figure.text() and "#b00020" not in box.figure.styleSheet()
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "loan-coverage.png"))
    # an asset released: 0 pledged, under the 100 % threshold → marked
    item = collateral.of_loan(ctx, "HD2024-001")[0]
    collateral.release(ctx, item.id, date(2024, 12, 31))
    detail.reload()
    wait_jobs(qtbot, window.env)
    assert box.figure.text() == "Tỷ lệ bảo đảm dư nợ gốc: 0,00 % — dưới ngưỡng 100 %"
    assert "#b00020" in box.figure.styleSheet()
    window.grab().save(str(SHOTS / "loan-coverage-below.png"))


def test_a_loan_without_collateral_says_so(window, qtbot):
    detail = _open(window, qtbot, "HD2022-002")
    assert detail.coverage_box.figure.text() == "Khoản vay chưa có tài sản bảo đảm nào."
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "loan-coverage-empty.png"))
