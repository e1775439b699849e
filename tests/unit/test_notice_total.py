"""A notice of debt due's total is the domain's figure (issue 13: documents lay out, they compute no money):
``domain.figures.notice_total`` adds the quotes' ``due_now`` on the notice's day to the month's installments due
after it, and counts no installment twice (one already due is inside ``due_now``)."""

from datetime import date

from fundapp.domain.figures import notice_total
from fundapp.domain.records import Installment, Quote

DAY = date(2024, 3, 15)


def installment(due_on: date, principal: int, interest: int) -> Installment:
    return Installment(1, due_on, principal, interest, due_on > DAY, 0, 0)


def test_without_arrears_every_installment_of_the_month_counts():
    items = [installment(date(2024, 3, 10), 5_000_000, 412_500), installment(date(2024, 3, 25), 2_000_000, 99_999)]
    assert notice_total(items, (), DAY) == (7_512_499, 7_512_499)


def test_an_installment_already_due_is_counted_once_in_the_quote():
    due = installment(date(2024, 3, 10), 5_000_000, 412_500)
    later = installment(date(2024, 3, 25), 2_000_000, 99_999)
    # the quote on the 15th holds the 10th's installment and its late interest: 5,412,500 + 1,234
    quote = Quote(DAY, 5_000_000, 412_500, 0, 1_234, 2_000_000, 50_000)
    assert notice_total([due, later], [quote], DAY) == (5_413_734 + 2_099_999, 2_099_999)


def test_two_loans_in_arrears_and_none_due_later():
    quotes = [Quote(DAY, 1, 2, 3, 4, 0, 0, 5), Quote(DAY, 10, 0, 0, 0, 0, 0)]
    assert notice_total([], quotes, DAY) == (25, 0)


def test_an_installment_due_on_the_notice_day_is_in_the_quote_and_counted_once():
    today = installment(DAY, 5_000_000, 412_500)  # due on the 15th: the quote on the 15th holds it
    later = installment(date(2024, 3, 31), 1_000_000, 10_000)
    quote = Quote(DAY, 5_000_000, 412_500, 0, 0, 1_000_000, 0)
    assert notice_total([today, later], [quote], DAY) == (5_412_500 + 1_010_000, 1_010_000)
