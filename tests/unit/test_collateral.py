"""Collateral (issue 16): pledged, revised, released — every revision kept; coverage of the application and of the
outstanding; the portfolio list below the threshold or due for revaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fundapp.domain.collateral import below_threshold, coverage_percent, revaluation_due
from fundapp.services import collateral
from fundapp.services.errors import ValidationError
from fundapp.services.loans import loan_view

LAND = dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5", owner="HTX chuối Mò Ó", value=1_500_000_000,
            valued_on=date(2024, 3, 1), registration_no="GDBĐ-2024-118", registered_on=date(2024, 3, 20))


def test_coverage_is_exact_and_shown_half_up():
    assert coverage_percent(1_500_000_000, 1_330_000_000) == Decimal("112.78")
    assert coverage_percent(1, 800) == Decimal("0.13")  # 0,125 % → 0,13 (half up, not half even)
    assert coverage_percent(5, 0) is None
    assert below_threshold(999_999_999, 1_000_000_000, Decimal("100"))
    assert not below_threshold(1_000_000_000, 1_000_000_000, Decimal("100"))
    assert revaluation_due(date(2023, 12, 31), date(2024, 12, 31), 12)
    assert not revaluation_due(date(2024, 1, 1), date(2024, 12, 31), 12)


def test_history_is_kept_and_release_is_a_revision(sample_ctx):
    c = collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    assert (c.revision, c.status, c.kind_label) == (1, "pledged", "Quyền sử dụng đất (giấy chứng nhận)")
    collateral.revise(sample_ctx, c.id, {"value": 1_200_000_000, "valued_on": date(2024, 12, 1)})
    collateral.release(sample_ctx, c.id, date(2024, 12, 31))
    revs = collateral.history(sample_ctx, c.id)
    assert [(r.revision, r.value, r.status) for r in revs] == [
        (1, 1_500_000_000, "pledged"), (2, 1_200_000_000, "pledged"), (3, 1_200_000_000, "released")]
    assert collateral.of_loan(sample_ctx, "HD2024-001")[0].status_label == "Đã giải chấp"
    with pytest.raises(ValidationError) as err:
        collateral.add(sample_ctx, {**LAND, "value": -1}, loan_no="HD2024-001")
    assert err.value.field == "value"
    with pytest.raises(ValidationError) as err:
        collateral.add(sample_ctx, {**LAND, "valued_on": date(2025, 1, 1)}, loan_no="HD2024-001")
    assert err.value.field == "valued_on"


def test_the_book_refuses_to_edit_or_delete_a_revision(sample_ctx):
    from sqlalchemy import text

    collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    for sql in ("UPDATE collateral_revisions SET value = 1", "DELETE FROM collateral_revisions"):
        with pytest.raises(Exception), sample_ctx.db.unit() as s:  # noqa: B017 — the driver's own error
            s.execute(text(sql))
    assert collateral.of_loan(sample_ctx, "HD2024-001")[0].value == 1_500_000_000


def test_loan_coverage_of_the_outstanding_and_the_portfolio_list(sample_ctx):
    collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    outstanding = loan_view(sample_ctx, "HD2024-001", date(2024, 12, 31)).balances.principal_outstanding
    cover = collateral.loan_coverage(sample_ctx, "HD2024-001", date(2024, 12, 31))
    assert cover.pledged == 1_500_000_000 and cover.base == outstanding
    assert cover.percent == coverage_percent(1_500_000_000, outstanding)
    lines = {line.loan_no: line for line in collateral.coverage_report(sample_ctx, date(2024, 12, 31))}
    assert "HD2024-001" not in lines  # covered, valued 10 months ago
    others = [n for n, line in lines.items() if line.below]
    assert others and all(lines[n].pledged == 0 and lines[n].percent == Decimal("0.00") for n in others)
    late = {line.loan_no for line in collateral.coverage_report(sample_ctx, date(2024, 12, 31))}
    assert "HD2024-001" not in late
    collateral.revise(sample_ctx, collateral.of_loan(sample_ctx, "HD2024-001")[0].id, {"valued_on": date(2023, 6, 1)})
    lines = {line.loan_no: line for line in collateral.coverage_report(sample_ctx, date(2024, 12, 31))}
    assert lines["HD2024-001"].revalue == ("Thửa đất số 12, tờ bản đồ 5",) and not lines["HD2024-001"].below


def test_export_then_import_round_trip(sample_ctx, tmp_path):
    """export_rows → write_csv → the book folder's import (the one import path) gives the same rows back, a
    released asset with its status and day."""
    import shutil

    from fundapp.app import open_book
    from fundapp.services.errors import ImportRefused
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    car = collateral.add(sample_ctx, dict(kind="vehicle", description="Xe tải 74C-012.34", owner="HTX nấm Ba Nang",
                                          value=350_000_000, valued_on=date(2022, 7, 1)), loan_no="HD2022-002")
    collateral.release(sample_ctx, car.id, date(2023, 7, 27))
    rows = collateral.export_rows(sample_ctx)
    assert [(r["loan_no"], r["value"], r["status"]) for r in rows] == [
        ("HD2022-002", "350000000", "released"), ("HD2024-001", "1500000000", "pledged")]
    folder, bad = tmp_path / "book", tmp_path / "bad"
    shutil.copytree(SAMPLE, folder)
    assert collateral.write_csv(sample_ctx, folder / "collateral.csv") == 2
    shutil.copytree(folder, bad)
    (bad / "collateral.csv").write_text((folder / "collateral.csv").read_text(encoding="utf-8")
                                        .replace(",350000000,", ",ba trăm,"), encoding="utf-8")
    other = open_book(str(tmp_path / "other.sqlite"), user="t", today=date(2024, 12, 31))
    try:
        with pytest.raises(ImportRefused) as err:
            check_and_import(other, bad)
        assert any(p.startswith("collateral.csv:2:") for p in err.value.problems), err.value.problems
        check_and_import(other, folder)
        assert collateral.export_rows(other) == rows
    finally:
        other.db.dispose()


def test_a_book_folder_with_collateral_csv_imports_it(sample_ctx, tmp_path):
    import shutil

    from fundapp.app import open_book
    from fundapp.services.errors import ImportRefused
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder)
    assert collateral.write_csv(sample_ctx, folder / "collateral.csv") == 1
    other = open_book(str(tmp_path / "other.sqlite"), user="t", today=date(2024, 12, 31))
    try:
        bad = tmp_path / "bad"
        shutil.copytree(folder, bad)
        (bad / "collateral.csv").write_text((folder / "collateral.csv").read_text(encoding="utf-8")
                                            .replace(",land,", ",dat,"), encoding="utf-8")
        with pytest.raises(ImportRefused) as err:
            check_and_import(other, bad)
        assert any(p.startswith("collateral.csv:2:") for p in err.value.problems)
        check_and_import(other, folder)
        assert collateral.export_rows(other) == collateral.export_rows(sample_ctx)
        assert collateral.loan_coverage(other, "HD2024-001").pledged == 1_500_000_000
    finally:
        other.db.dispose()


def test_the_loan_pages_coverage_equals_the_reports(sample_ctx):
    """services.collateral.outstanding_coverage (the loan page's one read) gives the coverage report's figures:
    1.500.000.000 pledged ÷ HD2024-001's 665.000.000 outstanding = 225,56 %, above the 100 % threshold; a released
    asset leaves 0 % below it; a loan without collateral has no item."""
    from fundapp.services.loans import loan_view

    ctx = sample_ctx
    item = collateral.add(ctx, dict(kind="land", description="Thửa đất số 12", owner="HTX", value=1_500_000_000,
                                    valued_on=date(2024, 3, 1)), loan_no="HD2024-001")
    view = loan_view(ctx, "HD2024-001")
    cover = collateral.outstanding_coverage(ctx, view.id, view.balances.principal_outstanding)
    report = collateral.loan_coverage(ctx, "HD2024-001")
    assert (cover.pledged, cover.outstanding, cover.percent) == (report.pledged, report.base, report.percent)
    assert (cover.outstanding, str(cover.percent), cover.below, cover.assets, cover.items) == (
        665_000_000, "225.56", False, 1, 1)
    collateral.release(ctx, item.id, date(2024, 12, 31))
    cover = collateral.outstanding_coverage(ctx, view.id, view.balances.principal_outstanding)
    assert (cover.pledged, str(cover.percent), cover.below, cover.assets, cover.items) == (0, "0.00", True, 0, 1)
    other = loan_view(ctx, "HD2022-002")
    assert collateral.outstanding_coverage(ctx, other.id, other.balances.principal_outstanding).items == 0


def test_a_folder_of_collateral_only_is_counted_and_not_called_empty(sample_ctx, tmp_path):
    """A fresh review: a folder adding one pledged asset to a loan in the book (headers only in the three files)
    was called «Không có dòng nào mới để nhập … chưa ghi gì vào sổ» by the command line — and written all the same —
    and the GUI left its import button off: the import's summary counted no collateral."""
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    folder = tmp_path / "only-collateral"
    folder.mkdir()
    for name in ("borrowers", "loans", "transactions"):
        (folder / f"{name}.csv").write_text((SAMPLE / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
                                            + "\n", encoding="utf-8")
    assert collateral.write_csv(sample_ctx, folder / "collateral.csv") == 1
    summary = check_and_import(sample_ctx, folder, dry_run=True)
    assert not summary.empty and summary.collateral == 1
    assert str(summary.counts()) == "0 khách hàng, 0 khoản vay, 0 giao dịch, 1 tài sản bảo đảm"


def test_an_asset_valued_before_2000_can_still_be_released_but_not_newly_dated_so(sample_ctx):
    """An asset recorded before dates were held to 01/01/2000 (valued 1998) could not be released: revise()
    re-checked every date of the revision in force. Only the dates the officer changes are checked now."""
    from fundapp.ledger import collateral as store

    item = collateral.add(sample_ctx, LAND, loan_no="HD2024-001")
    current = collateral.history(sample_ctx, item.id)[-1]
    with sample_ctx.db.unit() as s:  # as an earlier version stored it
        store.add_collateral_revision(s, item.id, entered_by="x", **{
            **{k: getattr(current, k) for k in collateral.FIELDS}, "valued_on": date(1998, 5, 1)})
    released = collateral.release(sample_ctx, item.id, date(2024, 12, 31))
    assert (released.status, released.status_on, released.valued_on) == ("released", date(2024, 12, 31),
                                                                         date(1998, 5, 1))
    with pytest.raises(ValidationError) as err:
        collateral.revise(sample_ctx, item.id, {"valued_on": date(1999, 6, 1)})
    assert err.value.field == "valued_on" and "trước ngày 01/01/2000" in err.value.message
