"""What a tranche's papers count as disbursed through it and left to draw (``domain.tranches``; DOMAIN.md "Terms of
a loan", "Life events": one day's entries in the order posted)."""

from datetime import date
from typing import NamedTuple

from fundapp.domain.tranches import disbursed_through, undisbursed


class T(NamedTuple):
    on: date
    id: int
    amount: int


FIRST = T(date(2024, 3, 5), 11, 200_000_000)
SAME_DAY = T(date(2024, 6, 5), 17, 150_000_000)
THIS = T(date(2024, 6, 5), 18, 130_000_000)  # posted after SAME_DAY on its day
LATER_DAY_EARLIER_ID = T(date(2024, 9, 5), 9, 170_000_000)


def test_the_tranches_up_to_and_including_this_one_in_the_books_order():
    tranches = [LATER_DAY_EARLIER_ID, THIS, FIRST, SAME_DAY]
    # 200,000,000 + 150,000,000 + 130,000,000 (this one counted; a later day's left out whatever its id)
    assert disbursed_through(tranches, THIS) == 480_000_000
    assert disbursed_through(tranches, SAME_DAY) == 350_000_000  # this day's later posting left out
    assert disbursed_through(tranches, FIRST) == 200_000_000
    assert disbursed_through(tranches, LATER_DAY_EARLIER_ID) == 650_000_000


def test_what_remains_to_draw_is_the_approved_amount_less_the_disbursed():
    assert undisbursed(500_000_000, 480_000_000) == 20_000_000  # 980,000,000 with a wrong sign
    assert undisbursed(480_000_000, 480_000_000) == 0
