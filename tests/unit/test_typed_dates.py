"""A day an officer types is read as typed or refused saying what is wrong, never read as another day (a new
officer's trial, 03/12/2026: «31/02/2024» became 03/02/2024 without a word)."""

from datetime import date

import pytest

from fundapp.formatting import DateTextError, parse_day, parse_month


@pytest.mark.parametrize("typed, day", [
    ("25/03/2024", date(2024, 3, 25)), ("3/2/2024", date(2024, 2, 3)), ("03022024", date(2024, 2, 3)),
    ("03.02.2024", date(2024, 2, 3)), ("03-02-2024", date(2024, 2, 3)), (" 29/02/2024 ", date(2024, 2, 29)),
])
def test_a_day_reads_as_typed(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed, says", [
    ("31/02/2024", "Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày"),
    ("31022024", "Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày"),
    ("29/02/2023", "Ngày 29/02/2023 không có: tháng 02/2023 chỉ có 28 ngày"),
    ("15/13/2024", "Ngày 15/13/2024 không có: một năm chỉ có 12 tháng"),
    ("1/1/24", "«1/1/24»: năm phải đủ bốn chữ số, ví dụ 25/03/2024"),
    ("３/2/2024", "«３/2/2024» không phải ngày: hãy nhập ngày/tháng/năm, ví dụ 25/03/2024"),
    ("", "Chưa nhập ngày"),
])
def test_a_day_the_calendar_lacks_is_refused_in_words(typed, says):
    with pytest.raises(DateTextError) as refused:
        parse_day(typed)
    assert str(refused.value) == says


def test_a_month_reads_as_typed_or_is_refused():
    assert parse_month("3/2024") == parse_month("032024") == date(2024, 3, 1)
    with pytest.raises(DateTextError, match="Tháng 13/2024 không có"):
        parse_month("13/2024")
