"""A rate or factor with more decimal places than a rate column can write out is refused where the terms are made
(domain.terms.MAX_PLACES): «1e-999999999» is a number between 0 and 1,5, so it passed every bound, and the exact
daily rate over 10^999999999 held the replay for ever (an import of it never ended)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundapp.domain.errors import TermsError
from fundapp.domain.terms import MAX_PLACES, LoanTerms
from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from tests.golden import sample_with


@pytest.mark.parametrize("field", ["rate", "overdue_factor", "late_interest_rate"])
@pytest.mark.parametrize("value", ["1e-999999999", "1E-15", "NaN", "Infinity", Decimal("1e-999999999")])
def test_a_term_beyond_its_places_is_refused_naming_it(field, value):
    with pytest.raises(TermsError) as err:
        LoanTerms(**{"amount": 100_000_000, "rate": "7.2", "term_months": 12, field: value})
    assert err.value.field == field
    assert f"tối đa {MAX_PLACES} chữ số thập phân" in err.value.msg.render()


@pytest.mark.parametrize("value", ["0.00000000000001", "1.50000000000000", "1.5", "0"])
def test_a_term_within_its_places_stands(value):
    assert LoanTerms(amount=1, rate="7.2", term_months=12, overdue_factor=value).overdue_factor == Decimal(value)


def test_an_import_of_such_a_factor_is_refused_on_its_row(ctx, tmp_path):
    book = sample_with(tmp_path, "loans", 2, {"overdue_factor": "1e-999999999"})
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, book)
    # the import's own reading names it first, as written (the terms would refuse it too: the tests above)
    assert err.value.problems == ["loans.csv:2: hệ số lãi quá hạn (overdue_factor): «1e-999999999» quá lớn hoặc quá "
                                  "nhiều chữ số (tối đa 16 ký tự, dưới 1.000.000)"]


@pytest.mark.parametrize(("field", "value"), [
    ("provision_rates", "0,2,25,50,1e-999999999"), ("provision_rates", "0,2,NaN,50,100"),
    ("single_limit_percent", "NaN"), ("group_limit_percent", "1e-999999999"),
    ("own_capital_percent", "Infinity"), ("coverage_threshold_percent", "NaN"),
])
def test_a_settings_percentage_of_that_kind_is_refused_naming_it(ctx, field, value):
    """The fund's percentages are the same kind: a provision rate of «1e-999999999» passed «from 0 to 100» and held
    every report's provisions (an exact fraction over 10^999999999); «NaN» raised decimal.InvalidOperation from the
    comparison instead of the field's message. Each is refused with ValidationError naming its field."""
    from fundapp.services.errors import ValidationError
    from fundapp.services.settings import FundSettings, save_settings

    with pytest.raises(ValidationError) as err:
        save_settings(ctx, FundSettings(**{field: value}))
    assert err.value.field == field


@pytest.mark.parametrize("value", ["1e-999999999", "1e-20"])
def test_an_import_of_such_a_rate_is_refused_as_written_not_as_unusual(ctx, tmp_path, value):
    """An officer's review: «1e-999999999» as annual_rate was first called «0 %/năm bất thường» and the officer told
    to confirm it, then refused with another message once confirmed. The import's own reading refuses it first, as
    written, with the column's name."""
    book = sample_with(tmp_path, "loans", 2, {"annual_rate": value})
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, book)
    assert err.value.problems == [f"loans.csv:2: lãi suất năm (annual_rate): «{value}» quá lớn hoặc quá nhiều chữ số "
                                  "(tối đa 16 ký tự, dưới 1.000.000)"]
