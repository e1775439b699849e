"""Decree 45/2021's limits in the domain (issue 13.4): a percent of an amount is rounded half up (DOMAIN.md "Money
and rates"), where the services used to truncate with int()."""

from __future__ import annotations

from decimal import Decimal

from fundapp.domain.limits import lending_limits, percent_of


def test_a_percent_of_an_amount_rounds_half_up_where_truncation_did_not():
    assert percent_of(1_000_004, "15") == 150_001  # 150.000,6 đ: int() gave 150.000
    assert int(Decimal(1_000_004) * Decimal("15") / 100) == 150_000  # the old truncation, for the record
    assert percent_of(3, "50") == 2  # exactly half: up
    assert percent_of(1_000_003, "15") == 150_000  # 150.000,45 đ: down
    assert percent_of(2_000_000_000, "15") == 300_000_000


def test_a_loan_at_the_half_up_limit_is_within_it():
    """Charter capital 1.000.004 đ: the single-customer limit is 150.001 đ, so lending 150.001 đ breaches nothing
    (with the truncated limit of 150.000 đ it was refused)."""
    check = lending_limits(charter_capital=1_000_004, single_limit_percent="15", group_limit_percent="25",
                           own_capital_percent="20", customer_outstanding=0, group_outstanding=0, amount=150_001,
                           plan_total=0, own_capital=0)
    assert (check.customer_limit, check.group_limit, check.customer_after) == (150_001, 250_001, 150_001)
    assert check.ok and check.breaches == ()


def test_the_breaches_name_the_figures():
    check = lending_limits(charter_capital=2_000_000_000, single_limit_percent="15", group_limit_percent="25",
                           own_capital_percent="20", customer_outstanding=100_000_000, group_outstanding=250_000_000,
                           amount=300_000_000, plan_total=1_000_000_001, own_capital=200_000_000)
    assert (check.customer_after, check.group_after, check.own_capital_min) == (400_000_000, 550_000_000, 200_000_000)
    assert tuple(map(str, check.breaches)) == (
        "Dư nợ của khách hàng sau khi vay 400.000.000 đ vượt 15 % vốn điều lệ (300.000.000 đ)",
        "Dư nợ của khách hàng và người có liên quan sau khi vay 550.000.000 đ vượt 25 % vốn điều lệ (500.000.000 đ)",
    )
    assert not check.ok
    nothing = lending_limits(charter_capital=0, single_limit_percent="15", group_limit_percent="25",
                             own_capital_percent="20", customer_outstanding=0, group_outstanding=0, amount=1,
                             plan_total=1_000_000_003, own_capital=200_000_000)
    assert nothing.own_capital_min == 200_000_001  # 200.000.000,6 đ rounds up
    assert tuple(map(str, nothing.breaches)) == (
        "Chưa khai báo vốn điều lệ thực có trong Cài đặt: không kiểm tra được giới hạn cho vay",
        "Vốn tự có 200.000.000 đ dưới 20 % tổng vốn phương án (200.000.001 đ)",
    )


def test_a_percent_with_decimals_is_written_with_the_decimal_comma():
    """A fresh review: the Settings page keeps «12,5» as "12.5", and the breach read «… vượt 12.5 % vốn điều lệ»,
    which a Vietnamese reader takes for 125 %."""
    check = lending_limits(charter_capital=2_000_000_000, single_limit_percent="12.5", group_limit_percent="25",
                           own_capital_percent="20", customer_outstanding=0, group_outstanding=0,
                           amount=300_000_000, plan_total=0, own_capital=0)
    assert str(check.breaches[0]) == "Dư nợ của khách hàng sau khi vay 300.000.000 đ vượt 12,5 % vốn điều lệ (250.000.000 đ)"
