"""Debt groups (Circular 14/2024, microfinance) and the watch that restructurings and reliefs start.

DOMAIN.md "Balances as of a date t" (group by days past due) and "Life events" (restructured
and relieved loans). The watch is kept from segments and dates, never by walking days.
"""

from __future__ import annotations


def debt_group(days_past_due: int) -> int:
    """Group by days past due alone: under 10 days 1, 10–29 2, 30–89 3, 90–179 4, 180 and more 5."""
    if days_past_due < 10:
        return 1
    if days_past_due < 30:
        return 2
    if days_past_due < 90:
        return 3
    if days_past_due < 180:
        return 4
    return 5


def restructured_group(restructurings: int, days_past_due: int) -> int:
    """Group of a restructured loan under watch (Circular 14/2024 Art. 5), r = restructurings ≥ 1.

    r = 1: 2 with 0 days past due, 3 with 1–29, 4 with 30–89, 5 with 90 or more;
    r = 2: 4 with 0 days past due, 5 otherwise; r ≥ 3: 5.
    """
    if restructurings >= 3:
        return 5
    if restructurings == 2:
        return 4 if days_past_due == 0 else 5
    if days_past_due == 0:
        return 2
    if days_past_due < 30:
        return 3
    if days_past_due < 90:
        return 4
    return 5


class Watch:
    """The watch a restructuring or relief (re)starts (DOMAIN.md "Restructuring on day t", item 4).

    Day ordinals throughout. ``start`` is the day of the last (re)start; ``restructured`` and
    ``relieved`` say what it holds (the restructuring rule, at least group 3); ``last_dirty`` is
    the last day that ended with days past due (``start − 1`` if none since); ``paid_on`` the due
    date of the first installment due after ``start`` that was paid in full by the end of it.
    The replay tells it of each accrued segment; it says when it ends.
    """

    __slots__ = ("days", "last_dirty", "paid_on", "relieved", "restructured", "start")

    def __init__(self, start: int, days: int, restructured: bool, relieved: bool) -> None:
        self.start = start
        self.days = days
        self.restructured = restructured
        self.relieved = relieved
        self.last_dirty = start - 1
        self.paid_on: int | None = None

    def restart(self, start: int, restructured: bool, relieved: bool) -> None:
        """A new restructuring or relief on day ``start``: the count starts again, what it held stays."""
        self.start = start
        self.restructured = self.restructured or restructured
        self.relieved = self.relieved or relieved
        self.last_dirty = start - 1
        self.paid_on = None

    def paid_in_time(self, due: int) -> None:
        """An installment due on ``due`` had nothing unpaid at the end of that day."""
        if self.paid_on is None and due > self.start:
            self.paid_on = due

    def ends_by(self, last: int, past_due: bool) -> bool:
        """The days up to ``last`` since the previous call ended alike (with days past due or not):
        does the watch end by the end of ``last``?

        It ends at the end of the first day that closes ``days`` consecutive days with 0 days
        past due, counted from its start, once an installment after the start was paid in time.
        """
        if past_due:
            self.last_dirty = last
            return False
        if self.paid_on is None:
            return False
        end = self.last_dirty + self.days
        if end < self.paid_on:
            end = self.paid_on
        return end <= last

    def group(self, restructurings: int, days_past_due: int) -> int:
        """The least risky group the watch allows (1 if it holds nothing)."""
        group = restructured_group(restructurings, days_past_due) if self.restructured and restructurings else 1
        if self.relieved and group < 3:
            group = 3
        return group
