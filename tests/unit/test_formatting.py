"""Vietnamese formatting, money typed as officers type it, and search that ignores diacritics."""

from datetime import date

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from fundapp.domain.money import format_dong
from fundapp.formatting import (
    AmountError,
    fold,
    group_thousands,
    long_date,
    matches,
    parse_money,
    rate,
    search_key,
    vnd,
)
from fundapp.i18n import render
from tests.english import assert_english


def test_money_dates_and_rates():
    assert vnd(9_450_000_000) == "9.450.000.000 đ"
    assert long_date(date(2024, 2, 20), "Quảng Trị") == "Quảng Trị, ngày 20 tháng 02 năm 2024"
    assert long_date(date(2024, 3, 5)) == "ngày 05 tháng 3 năm 2024"
    assert rate("6.6") == "6,6 %/năm" and rate("0.5", "month") == "0,5 %/tháng"
    with pytest.raises(TypeError):
        vnd(1.5)  # type: ignore[arg-type]


@given(st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-(10**6), 10**6)))  # every BIGINT of đồng
def test_the_one_grouping_is_babels_vi_vn_text(amount):
    # the domain groups by hand (it imports no babel, and babel costs ~24× a call): it must stay babel's text
    assert group_thousands(amount) == format_decimal(amount, format="#,##0", locale="vi_VN")
    assert format_dong(amount) == group_thousands(amount) + " đ"
    assert parse_money(group_thousands(abs(amount))) == abs(amount)


@pytest.mark.parametrize(("typed", "dong"), [("9.450.000.000", 9_450_000_000), ("500 triệu", 500_000_000),
                                             ("9,45 tỷ", 9_450_000_000), ("1,5tr", 1_500_000), ("250k", 250_000),
                                             ("9.450.000.000 đ", 9_450_000_000), ("14,5 tỷ đồng", 14_500_000_000)])
def test_parse_money_shortcuts(typed, dong):
    assert parse_money(typed) == dong


@pytest.mark.parametrize("typed", ["", "abc", "1.23", "0,5", "9,4,5", "-5"])
def test_parse_money_refuses(typed):
    with pytest.raises(ValueError):
        parse_money(typed)


def test_search_ignores_case_diacritics_and_abbreviations():
    key = search_key("Hợp tác xã nông nghiệp Đakrông", "KH0001")
    assert matches("hop tac xa", key) and matches("HTX", key) and matches("dakrong", key)
    assert matches("ĐAKRÔNG", key) and not matches("lhhtx", key)
    assert fold("Hoà Thuỷ") == fold("Hòa Thủy") == "hoa thuy"
    assert matches("hợp tác xã", search_key("HTX Tân Lập"))


def test_json_string_is_json_dumps_string_and_the_one_encoder_of_it():
    """formatting.json_string writes a str as json.dumps(ensure_ascii=False) does (quote, backslash and control
    characters escaped, Vietnamese kept); the journal's hashes and the command line's streamed JSON use it, neither
    its own import of json's encoder (issue 13, last reader: ledger/journal.py and cli/output.py each imported it)."""
    import json
    from pathlib import Path

    import fundapp
    from fundapp.formatting import json_string

    for text in ("HTX Nông nghiệp Triệu Phong", 'a "b" \\ c', "dòng\nmới\t\x01", "", "€ ₫ 𝔸"):
        assert json_string(text) == json.dumps(text, ensure_ascii=False)
    root = Path(fundapp.__file__).parent
    users = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")
                   if "encode_basestring" in p.read_text(encoding="utf-8"))
    assert users == ["formatting.py"]


_WORDS = {"": 1, " nghìn": 10**3, "k": 10**3, " triệu": 10**6, "tr": 10**6, " tỷ": 10**9, " tỉ": 10**9}


@st.composite
def _typed_amounts(draw):
    """An amount as an officer or an old workbook writes it, with the đồng it means: dots, spaces or (a bare number,
    English settings) commas between thousands, a decimal comma before nghìn/triệu/tỷ, a unit word after."""
    word = draw(st.sampled_from(sorted(_WORDS)))
    whole = draw(st.integers(0, 10**12 // _WORDS[word]))
    tenths = draw(st.integers(0, 9)) if _WORDS[word] >= 10**3 else 0
    english = [f"{whole:,}"] if _WORDS[word] == 1 else []  # before a unit a comma is the decimal mark: "1,5 tỷ"
    grouped = draw(st.sampled_from([str(whole), group_thousands(whole), f"{whole:,}".replace(",", " "), *english]))
    text = f"{grouped},{tenths}{word}" if tenths else f"{grouped}{word}"  # one decimal: never "1,500 triệu"
    return text + draw(st.sampled_from(["", " đ", " đồng"])), (whole * 10 + tenths) * _WORDS[word] // 10


@given(_typed_amounts())
def test_a_form_and_the_old_books_import_read_an_amount_alike(case):
    # issue 13.6: services.migration_fields read "500,000" as 500.000 đ where the form's parse_money read 500 đ
    from fundapp.services.migration_fields import read_value

    text, dong = case
    assert parse_money(text) == dong
    assert read_value("money", text) == (dong, True)
    assert read_value("money0", text) == (dong, True)


@pytest.mark.parametrize(("typed", "dong"), [("500,000", 500_000), ("1,234,567 đ", 1_234_567), ("1,5 triệu", 1_500_000),
                                             ("0,500 triệu", 500_000), ("1,500 triệu", None), ("2,500 tỷ", None),
                                             ("0,500", None), ("00,500", None), ("500,000.00", None),
                                             ("1,000.000", None), ("1,5", None), ("1,50", None), ("12,3456", None)])
def test_commas_in_threes_group_a_bare_number_and_mark_decimals_before_a_unit(typed, dong):
    if dong is None:
        with pytest.raises(ValueError):
            parse_money(typed)
    else:
        assert parse_money(typed) == dong


@pytest.mark.parametrize(("typed", "meant"), [
    ("0,500", 500), ("0,500 đ", 500), ("0,050", 50),  # a zero, a comma, three digits: grouped, that many đồng
    ("12,5", None), ("1,50", None), ("0,5", None), ("12,3456", None),  # a decimal comma: no grouping fits
    ("1.000,500", None), ("1000,500", None), ("00,500", None), (",500", None),  # grouped otherwise, or a digit lost
    ("0,0000005 tr", None),  # before a unit (triệu) a comma is always the decimal mark
])
def test_a_fraction_of_a_dong_suggests_the_grouped_reading_where_one_fits(typed, meant):
    """«0,500» is refused (a group of thousands never starts with 0, review of 8ef7999), but an officer who meant
    five hundred đồng, a comma grouping the thousands, is told what to write: «… Nếu là 500 đồng, hãy viết 500.»
    Only a bare 0, a comma and exactly three digits read so; a decimal comma («12,5»), another grouping or a unit
    get the refusal alone. In English too, from the catalogue."""
    with pytest.raises(AmountError) as refused:
        parse_money(typed)
    vietnamese, english = render(refused.value.msg, "vi"), assert_english(refused.value)
    assert vietnamese.startswith(f"«{typed}» có phần lẻ nhỏ hơn 1 đồng") and english.startswith(f"«{typed}» has a ")
    if meant is None:
        assert vietnamese == f"«{typed}» có phần lẻ nhỏ hơn 1 đồng" and "write" not in english
    else:
        assert vietnamese == f"«{typed}» có phần lẻ nhỏ hơn 1 đồng. Nếu là {meant} đồng, hãy viết {meant}."
        assert english.endswith(f"If you meant {meant} dong, write {meant}.")
        assert parse_money(str(meant)) == meant  # what it suggests reads
