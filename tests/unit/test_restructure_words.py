"""A restructuring is said in one set of words everywhere (``event_words.restructure_words``): what it leaves alone is
said so — «không gia hạn», «không ân hạn gốc» — where the loan page, the confirmations, the proposals and the audit
said «gia hạn 0 tháng, ân hạn 0 kỳ» after the papers stopped doing so (QĐ-CC-0003 of the events book: an officer's
trial)."""

from datetime import date

import pytest

from fundapp.domain.event_words import effect, restructure_words
from fundapp.domain.events import RestructureResult


@pytest.mark.parametrize(("extend", "grace", "words"), [
    (6, 1, "gia hạn 6 tháng, ân hạn gốc 1 kỳ"),
    (0, 1, "không gia hạn, ân hạn gốc 1 kỳ"),
    (6, 0, "gia hạn 6 tháng, không ân hạn gốc"),
    (0, 0, "không gia hạn, không ân hạn gốc"),
])
def test_each_part_is_said_or_said_unchanged(extend, grace, words):
    assert restructure_words(extend, grace).render() == words


def test_the_loan_pages_history_says_a_restructuring_without_extension_extends_nothing():
    # QĐ-CC-0003 of the events book: no extension, one installment of grace, 4.970.959 đ deferred
    said = effect(RestructureResult(date(2024, 10, 10), 0, 1, 4_970_959, 1)).render()
    assert said == "không gia hạn, ân hạn gốc 1 kỳ, lãi chuyển kỳ sau 4.970.959 đ, lần 1"
    assert "0 tháng" not in said


def test_the_english_window_says_it_in_english():
    from fundapp import i18n

    assert i18n.render(restructure_words(0, 2), "en") == "no extension, 2 principal grace periods"
