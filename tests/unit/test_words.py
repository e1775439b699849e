"""Amounts in words read exactly as shared/golden/words.json says."""

import pytest

from fundapp.domain.words import amount_in_words, number_in_words
from tests import golden

CASES = golden.words()["cases"]


@pytest.mark.parametrize("case", CASES, ids=[str(c["n"]) for c in CASES])
def test_golden_reading(case):
    assert number_in_words(case["n"]) == case["words"]


def test_all_83_numbers_are_read():
    assert len(CASES) == 83


def test_zero_negative_and_le_setting():
    assert number_in_words(0) == "không"
    assert number_in_words(-105) == "âm một trăm linh năm"
    assert number_in_words(105, zero_tens="lẻ") == "một trăm lẻ năm"
    assert number_in_words(1_001_000, zero_tens="lẻ") == "một triệu không trăm lẻ một nghìn"
    assert number_in_words(10**18) == "một tỷ tỷ"


def test_document_form_is_capitalised_with_dong():
    assert amount_in_words(9_450_000_000) == "Chín tỷ bốn trăm năm mươi triệu đồng"
    assert amount_in_words(0) == "Không đồng"


def test_refuses_non_integers():
    with pytest.raises(TypeError):
        number_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        number_in_words(5, zero_tens="le")
