"""All 3,321 commune-level units of the 34 provinces in force from 1/7/2025, with their codes (issue 16)."""

from fundapp.services.places import provinces, provinces_first, wards

# Official count per province (Resolutions of the NA Standing Committee, June 2025; total 3,321)
COUNTS = {
    "Thành phố Hà Nội": 126, "Tỉnh Cao Bằng": 56, "Tỉnh Tuyên Quang": 124, "Tỉnh Điện Biên": 45,
    "Tỉnh Lai Châu": 38, "Tỉnh Sơn La": 75, "Tỉnh Lào Cai": 99, "Tỉnh Thái Nguyên": 92,
    "Tỉnh Lạng Sơn": 65, "Tỉnh Quảng Ninh": 54, "Tỉnh Bắc Ninh": 99, "Tỉnh Phú Thọ": 148,
    "Thành phố Hải Phòng": 114, "Tỉnh Hưng Yên": 104, "Tỉnh Ninh Bình": 129, "Tỉnh Thanh Hóa": 166,
    "Tỉnh Nghệ An": 130, "Tỉnh Hà Tĩnh": 69, "Tỉnh Quảng Trị": 78, "Thành phố Huế": 40,
    "Thành phố Đà Nẵng": 94, "Tỉnh Quảng Ngãi": 96, "Tỉnh Gia Lai": 135, "Tỉnh Khánh Hòa": 65,
    "Tỉnh Đắk Lắk": 102, "Tỉnh Lâm Đồng": 124, "Tỉnh Đồng Nai": 95, "Thành phố Hồ Chí Minh": 168,
    "Tỉnh Tây Ninh": 96, "Tỉnh Đồng Tháp": 102, "Tỉnh Vĩnh Long": 124, "Tỉnh An Giang": 102,
    "Thành phố Cần Thơ": 103, "Tỉnh Cà Mau": 64,
}


def test_counts_per_province_and_the_total_of_3321():
    assert set(COUNTS) == set(provinces())
    got = {p: len(wards(p)) for p in provinces()}
    assert got == COUNTS
    assert sum(got.values()) == 3321
    kinds = [w.kind for p in provinces() for w in wards(p)]
    assert (kinds.count("xã"), kinds.count("phường"), kinds.count("đặc khu")) == (2621, 687, 13)


def test_every_unit_has_a_unique_five_digit_code_and_most_a_pre_reform_district():
    units = [w for p in provinces() for w in wards(p)]
    codes = [w.code for w in units]
    assert all(len(c) == 5 and c.isdigit() for c in codes) and len(set(codes)) == 3321
    assert sum(1 for w in units if w.legacy_district) >= 3316
    hanoi = {w.name: w for w in wards("Thành phố Hà Nội")}
    assert hanoi["Phường Ba Đình"].code == "00004" and hanoi["Phường Ba Đình"].legacy_district == "Quận Ba Đình"


def test_quang_tri_keeps_its_resolution_clauses_and_gets_codes():
    qt = {w.name: w for w in wards("Tỉnh Quảng Trị")}
    assert qt["Phường Đồng Hới"].code == "18880"
    assert qt["Xã Dân Hóa"].source.startswith("Nghị quyết 1680/NQ-UBTVQH15")
    assert qt["Xã Dân Hóa"].legacy_district == "Huyện Minh Hóa"


def test_the_funds_province_comes_first():
    order = provinces_first("Tỉnh Nghệ An")
    assert order[0] == "Tỉnh Nghệ An" and len(order) == 34 and sorted(order) == sorted(provinces())
    assert provinces_first("Tỉnh Không Có") == provinces()
