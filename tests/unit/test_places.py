"""The shipped administrative lists: 34 provinces, Quảng Trị's 78 units of Resolution 1680/NQ-UBTVQH15."""

from fundapp.services.places import legacy_districts, provinces, wards
from tests import golden


def test_34_provinces_and_78_units_of_quang_tri():
    assert len(provinces()) == 34 and "Tỉnh Quảng Trị" in provinces()
    units = wards("Tỉnh Quảng Trị")
    assert len(units) == 78
    assert [sum(u.kind == k for u in units) for k in ("xã", "phường", "đặc khu")] == [69, 8, 1]
    assert wards("Tỉnh Không Có") == ()
    assert "Huyện Đakrông" in legacy_districts("Tỉnh Quảng Trị")


def test_every_ward_of_the_sample_book_is_in_the_list():
    import csv

    names = {u.name for u in wards("Tỉnh Quảng Trị")}
    with open(golden.SAMPLE / "borrowers.csv", encoding="utf-8-sig") as f:
        sample = {r["ward"] for r in csv.DictReader(f)}
    assert sample <= names, sample - names


def test_the_demo_book_uses_real_wards_with_their_old_districts():
    from fundapp.services.demo import WARDS

    units = {u.name: u.legacy_district for u in wards("Tỉnh Quảng Trị")}
    assert all(units.get(ward) == district for ward, district in WARDS), [
        (w, d, units.get(w)) for w, d in WARDS if units.get(w) != d]
