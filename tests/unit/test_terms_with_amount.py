"""``terms_with_amount`` (a read's terms of stored loans, checked once for each distinct set of values other than the
amount) gives what ``LoanTerms`` gives for the same values, or refuses them with the same ``TermsError``, whatever
was asked before it (issue 17: ~1 s of a quarterly report's first read went on checking the same terms again)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fundapp.domain.errors import TermsError
from fundapp.domain.terms import LoanTerms, terms_with_amount

NAMES = ("amount", "rate", "rate_unit", "term_months", "frequency_months", "method", "grace_periods",
         "overdue_factor", "late_interest_rate")
# each value as a book stores it, and near misses: a float, a bool, text that is no number, out of range
VALUES = {
    "amount": st.sampled_from([1, 5_000_000, 0, -3, True, 5.0, "5000000", "abc", Decimal(5)]),
    "rate": st.sampled_from(["7.2", "7.20", "0", "100", "100.5", "-1", "abc", 7.0, Decimal("7"), 7, "6,6",
                             "1e-20", Decimal("7.2"), Decimal("7.20")]),
    "rate_unit": st.sampled_from(["year", "month", "week", " year "]),
    "term_months": st.sampled_from([36, 12, 0, 7, "36", 36.0, True]),
    "frequency_months": st.sampled_from([1, 3, 6, 12, 5, True, "3"]),
    "method": st.sampled_from(["equal_principal", "annuity", "bullet", "other"]),
    "grace_periods": st.sampled_from([0, 1, 2, 11, 12, -1, True, "1"]),
    "overdue_factor": st.sampled_from(["1.5", "1", "0", "1.6", 1.5, Decimal("1.5"), Decimal("1.50"), True]),
    "late_interest_rate": st.sampled_from(["10", "0", "10.5", 10.0, Decimal("10")]),
}


def outcome(make, values: dict):
    """(each field's type, value and text: Decimal("7.2") == Decimal("7.20") but they print apart) or ("refused",
    field, message)."""
    try:
        terms = make(**values)
    except TermsError as err:
        return ("refused", err.field, str(err))
    return tuple((name, type(getattr(terms, name)), getattr(terms, name), str(getattr(terms, name))) for name in NAMES)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.fixed_dictionaries(VALUES), min_size=1, max_size=6))
def test_the_terms_of_stored_values_are_those_loan_terms_gives(asked):
    for values in asked:  # in a row: the sets checked before are kept
        assert outcome(terms_with_amount, values) == outcome(LoanTerms, values), values


def test_a_value_equal_to_one_checked_but_of_another_type_is_checked_itself():
    """7.0 == Decimal("7"), True == 1 and Decimal("7.00") == Decimal("7"): a float rate and a bool grace are refused
    even after the equal value of the right type was checked and kept, and a rate keeps the places it was given."""
    good = dict(amount=5_000_000, rate=Decimal("7"), rate_unit="year", term_months=36, frequency_months=3,
                method="equal_principal", grace_periods=1, overdue_factor="1.5", late_interest_rate="10")
    for changed in ({"rate": 7.0}, {"grace_periods": True}, {"term_months": 36.0}, {"rate": Decimal("7.00")}):
        assert outcome(terms_with_amount, good) == outcome(LoanTerms, good)
        assert outcome(terms_with_amount, good | changed) == outcome(LoanTerms, good | changed)
    refused = [c for c in ({"rate": 7.0}, {"grace_periods": True}, {"term_months": 36.0})
               if outcome(LoanTerms, good | c)[0] != "refused"]
    assert refused == []


def test_values_no_book_stores_are_refused_as_loan_terms_refuses_them():
    """A value that cannot be a key (a list, a signalling NaN) is refused with ``TermsError``, not ``TypeError``."""
    good = dict(amount=5_000_000, rate="7.2", rate_unit="year", term_months=36, frequency_months=3,
                method="equal_principal", grace_periods=1, overdue_factor="1.5", late_interest_rate="10")
    for changed in ({"rate": [7]}, {"rate": Decimal("sNaN")}, {"method": ["annuity"]}):
        assert outcome(terms_with_amount, good | changed) == outcome(LoanTerms, good | changed), changed
