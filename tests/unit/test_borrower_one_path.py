"""A borrower typed in the form and one read from an imported borrowers.csv go through one check
(services.borrowers.clean_borrower, issue 13.6): the same row stores the same values and the same search key, and
is refused for the same reason — by the import on its file:line and column, nothing written."""

from __future__ import annotations

import csv
import shutil
import unicodedata
from dataclasses import asdict
from pathlib import Path

import pytest

from fundapp.formatting import matches
from fundapp.services import borrowers
from fundapp.services.errors import ImportRefused, ValidationError
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import SAMPLE

# KH0001 of the sample book as an officer might have it: an NFD name, spaces around, the kind in capitals
ROW = dict(code="KH0001", name=unicodedata.normalize("NFD", " Hợp tác xã lợn Tân Lập "), kind="HTX",
           tax_code="3200123456", province="Tỉnh Quảng Trị", ward="Xã Tân Lập", district="Huyện Hướng Hóa",
           sector="chăn nuôi", members="45", representative="Hồ Thị Thuỷ Đức", phone="0233 3850 123",
           address="Thôn Ba Ngào")


def book_with(tmp_path: Path, **cells: str) -> Path:
    """The sample book with KH0001's row of borrowers.csv (line 2) holding ``cells``."""
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / "borrowers.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["code"] == "KH0001"
    rows[0].update(cells)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _stored(ctx, code: str) -> borrowers.BorrowerRow:
    return next(b for b in borrowers.list_borrowers(ctx) if b.code == code)


def test_an_imported_borrower_is_found_by_its_representative_without_diacritics(ctx, tmp_path):
    check_and_import(ctx, book_with(tmp_path, **ROW))
    # the borrowers page keeps a row when every folded word of the query is in its ``search`` (formatting.matches)
    found = [b.code for b in borrowers.list_borrowers(ctx) if matches("ho thi thuy duc", b.search)]
    assert found == ["KH0001"]


@pytest.mark.parametrize("phone", ["0233 3850 123 (máy lẻ 5)", "zalo: 0905123456", "0905 123 456 / 0914 777 888"])
def test_the_import_refuses_a_phone_the_form_refuses_on_its_line_and_column(ctx, tmp_path, phone):
    row = {**ROW, "kind": "htx", "phone": phone}
    with pytest.raises(ValidationError) as form:
        borrowers.clean_borrower(row)
    assert form.value.field == "phone"
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, book_with(tmp_path, **row))
    assert err.value.problems == [f"borrowers.csv:2: phone: {form.value.message}"]
    assert "Số điện thoại" in err.value.problems[0]
    assert borrowers.list_borrowers(ctx) == [] and balances_json(ctx, ctx.today()) == []  # all or nothing


def test_the_form_and_the_import_store_the_same_values_for_the_same_row(ctx, tmp_path):
    check_and_import(ctx, book_with(tmp_path, **ROW))
    imported = _stored(ctx, "KH0001")
    # the officer opens the imported borrower and saves the same typed values: nothing changes
    saved = borrowers.save_borrower(ctx, ROW, borrower_id=imported.id, version=imported.version)
    assert {**asdict(saved), "version": 0} == {**asdict(imported), "version": 0}
    assert imported.name == "Hợp tác xã lợn Tân Lập" and imported.kind == "htx" and imported.members == 45
    assert imported.search == borrowers.clean_borrower(ROW)["search"]
    assert "ho thi thuy duc" in imported.search
