"""A specific provision is rounded half up to the đồng (DOMAIN.md "Money and rates", "Provisions and bad debt"), on
the quarterly report and on a write-off's documents alike: one function, ``domain.figures.provision``."""

from decimal import Decimal

from fundapp.domain.figures import (
    DEFAULT_PROVISION_RATES,
    Figures,
    bad_debt_loans,
    provision,
    uncovered_principal,
    write_off_total,
)


def test_half_a_dong_rounds_up_and_less_rounds_down():
    assert provision(25, Decimal("2")) == 1  # 0.5 đồng: up (int() would give 0)
    assert provision(24, Decimal("2")) == 0  # 0.48 đồng
    assert provision(1_234_567, Decimal("25")) == 308_642  # 308,641.75
    assert provision(1_000_001, Decimal("0.5")) == 5_000  # 5,000.005: the rate's decimals kept exact


def test_the_reports_provisions_are_this_function_per_group():
    figures = Figures()
    for group, amount in zip("12345", (1_000_001, 1_234_567, 25, 333_333, 7), strict=True):
        figures.outstanding_by_group[group] = amount
    # 0 %, 2 % of 1,234,567 = 24,691.34, 25 % of 25 = 6.25, 50 % of 333,333 = 166,666.5 (up), 100 %
    assert figures.provisions() == {"1": 0, "2": 24_691, "3": 6, "4": 166_667, "5": 7}
    assert figures.provisions({**DEFAULT_PROVISION_RATES, 2: Decimal("1.5")})["2"] == 18_519  # 18,518.505


def test_the_total_adds_the_rounded_provisions():
    figures = Figures()
    for group, amount in zip("12345", (0, 25, 25, 3, 1), strict=True):
        figures.outstanding_by_group[group] = amount
    # 0.5 → 1, 6.25 → 6, 1.5 → 2, 1: 10 (rounding the sum of 0.5 + 6.25 + 1.5 + 1 = 9.25 would give 9)
    assert figures.provisions_with_total() == ({"1": 0, "2": 1, "3": 6, "4": 2, "5": 1}, 10)


def test_a_write_off_total_adds_interest_and_its_uncovered_part_subtracts_the_provision():
    # 40,000,000 đ principal and 1,234,567 đ interest go off-balance: 41,234,567 đ (38,765,433 if interest were
    # subtracted); at 25 % the provision is 10,000,000 đ and leaves 30,000,000 đ uncovered (50,000,000 if added)
    assert write_off_total(40_000_000, 1_234_567) == 41_234_567
    assert uncovered_principal(40_000_000, provision(40_000_000, Decimal("25"))) == 30_000_000
    assert uncovered_principal(7, provision(7, Decimal("100"))) == 0


def test_bad_debt_counts_the_loans_of_groups_3_to_5():
    # 7 + 2 + 1 loans in groups 3, 4 and 5 (groups 1 and 2 left out: 13 or 49 if counted); a missing group counts 0
    assert bad_debt_loans({1: 36, 2: 3, 3: 7, 4: 2, 5: 1}) == 10
    assert bad_debt_loans({1: 36, 4: 2}) == 2
    figures = Figures()
    for group, amount in zip("12345", (900_000_000, 80_000_000, 25_000_000, 12_000_000, 3_000_000), strict=True):
        figures.outstanding_by_group[group] = amount
    assert figures.bad_debt == 40_000_000  # 25,000,000 + 12,000,000 + 3,000,000 đ


def test_a_schedules_total_row_adds_its_lines():
    from datetime import date

    from fundapp.domain.figures import schedule_totals
    from fundapp.domain.records import Installment

    lines = [Installment(1, date(2024, 6, 30), 166_666_666, 33_000_000, False, 0, 0),
             Installment(2, date(2024, 12, 31), 166_666_667, 27_500_001, True, 0, 0)]
    assert schedule_totals(lines) == (333_333_333, 60_500_001, 393_833_334)
    assert schedule_totals([]) == (0, 0, 0)


def test_a_selections_principal_total():
    from fundapp.domain.figures import principal_total

    assert principal_total([320_000_000, None, 1]) == 320_000_001


def test_a_ratio_is_rounded_half_up_like_every_other_figure():
    from fundapp.domain.figures import ratio

    # 1 / 800 = 0,125 %: the context's half-even rounding gave 0,12 (DOMAIN.md rounds half up)
    assert ratio(1, 800) == Decimal("0.13") and ratio(5, 4000) == Decimal("0.13")
    assert ratio(-1, 800) == Decimal("-0.13")  # a fall in outstanding: away from zero, as coverage_percent
    assert ratio(1, 3) == Decimal("33.33") and ratio(2, 3) == Decimal("66.67") and ratio(7, 0) == Decimal("0.00")


def test_growth_is_the_change_as_a_percentage_of_the_opening_figure():
    from fundapp.domain.figures import growth

    # 14,5 billion outstanding at the year's end on 12 billion at its start: +20,83 % (2,5 / 12 = 20,8333…)
    assert growth(12_000_000_000, 14_500_000_000) == Decimal("20.83")
    assert growth(800, 799) == Decimal("-0.13")  # a fall: negative, rounded away from zero like every ratio
    assert growth(0, 5_000_000) == Decimal("0.00")  # nothing at the start: no percentage to speak of
