"""A rate is written out plainly wherever it is stored or shown: «0.00000000000001», never Python's «1E-14» (str of a
Decimal writes an exponent from 7 decimal places on). An officer's --accept-unusual-rates import of such a rate
stored «1E-14» in the loan's row; the approval's terms, the old workbook's rate cells and the terms' refusals wrote
their Decimals the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from fundapp.domain.errors import TermsError
from fundapp.domain.terms import LoanTerms, plain_decimal
from fundapp.ledger.models import LoanRecord
from fundapp.services.imports import check_and_import
from fundapp.services.loan_terms import terms_dict
from fundapp.services.migration_fields import read_value
from tests.golden import sample_with

TINY = "0.00000000000001"


@pytest.mark.parametrize(("value", "text"), [(Decimal("1E-14"), TINY), (Decimal("1E-7"), "0.0000001"),
                                             (Decimal("1.0E-7"), "0.00000010"), (Decimal("1E+3"), "1000"),
                                             (Decimal("7.80"), "7.80"), (Decimal("1.5"), "1.5"), ("10", "10")])
def test_plain_decimal_writes_no_exponent(value, text):
    assert plain_decimal(value) == text


def test_an_accepted_tiny_rate_is_stored_and_read_as_written(ctx, tmp_path):
    book = sample_with(tmp_path, "loans", 2, {"annual_rate": TINY, "overdue_factor": "0.0000001"})
    loan_no = (book / "loans.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    check_and_import(ctx, book, accept_unusual_rates=True)
    with ctx.db.unit() as s:
        row = s.scalars(select(LoanRecord).where(LoanRecord.loan_no == loan_no)).one()
        assert (row.rate, row.overdue_factor) == (TINY, "0.0000001")


def test_the_approvals_terms_and_the_workbooks_rate_cells_write_it_plainly():
    terms = LoanTerms(amount=100_000_000, rate=Decimal("1E-14"), term_months=12, overdue_factor=Decimal("1E-7"),
                      late_interest_rate=Decimal("1E-9"))
    stored = terms_dict(terms)
    assert (stored["rate"], stored["overdue_factor"], stored["late_interest_rate"]) == (TINY, "0.0000001",
                                                                                        "0.000000001")
    assert read_value("rate", Decimal("1E-14")) == (TINY, True)


def test_a_terms_refusal_names_the_rate_plainly():
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate=Decimal("1E+3"), term_months=12)
    assert "Lãi suất 1000 %" in err.value.msg.render()
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate="7.2", term_months=12, late_interest_rate=Decimal("1.1E+1"))
    assert "Lãi chậm trả 11 %/năm" in err.value.msg.render()


def test_a_terms_refusal_writes_the_vietnamese_decimal_comma():
    """A new officer's trial: «Hệ số lãi quá hạn 2.5 phải từ 0 đến 1,5» — the officer typed 2,5, and «2.5» reads as
    a thousands grouping in Vietnamese, beside the bound's own «1,5»."""
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate="7.2", term_months=12, overdue_factor=Decimal("2.5"))
    assert "Hệ số lãi quá hạn 2,5 phải từ 0 đến 1,5" in err.value.msg.render()
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate=Decimal("150.5"), term_months=12)
    assert "Lãi suất 150,5 %" in err.value.msg.render()


def test_the_contracts_overdue_factor_is_written_whole_as_the_pdf_papers_write_it():
    """A new officer's trial: the Word contract wrote the overdue factor with no decimal place (1,125 → «112 %»)
    where the PDF papers' terms write «112,5 %»: a contract's rate rounded away."""
    from fundapp.documents.sections import terms_text
    from fundapp.services.paper_values import _terms_keys
    from fundapp.services.settings import FundSettings

    terms = LoanTerms(amount=100_000_000, rate="7.2", term_months=12, overdue_factor=Decimal("1.125"))
    assert _terms_keys(terms, FundSettings())["overdue_factor"] == "112,5 %"
    assert "lãi quá hạn bằng 112,5 %" in dict(terms_text(terms))["Lãi suất:"]
    assert _terms_keys(LoanTerms(amount=1, rate="7.2", term_months=12), FundSettings())["overdue_factor"] == "150 %"


@pytest.mark.parametrize(("value", "text"), [("1E-7", "0,0000001"), (Decimal("1E-14"), "0,00000000000001"),
                                             ("15.5", "15,5"), ("15,5", "15,5"), (Decimal("7.80"), "7,80"),
                                             ("1E+3", "1000"), (10, "10"), ("1e-999999999", "1e-999999999"),
                                             ("abc", "abc"), ("NaN", "NaN"), ("", "")])
def test_a_decimal_is_shown_back_plainly_with_the_decimal_comma(value, text):
    """What an officer typed (or a cell held) is shown back without an exponent and with the Vietnamese comma; what
    is no number, or none a rate column holds, as written (its refusal quotes it)."""
    from fundapp.formatting import decimal_shown

    assert decimal_shown(value) == text


def test_the_settings_percentages_are_stored_plainly_and_shown_with_the_comma(ctx):
    """A provision rate or a limit typed «1E-7» was stored and shown back «1E-7»; «15,5» came back «15.5»."""
    from fundapp.services.settings import (
        FundSettings,
        load_settings,
        percent_text,
        percent_value,
        provision_rates_text,
        provision_rates_value,
        save_settings,
    )

    assert [percent_value(t) for t in ("15,5", " 1E-7 ", "1E+3", "abc")] == ["15.5", "0.0000001", "1000", "abc"]
    assert provision_rates_value("0,5; 2; 25; 50; 1E+2") == provision_rates_value("0.5,2,25,50,100") == \
        "0.5,2,25,50,100"
    assert provision_rates_value("0,5,2,25,50,100") == "0,5,2,25,50,100"  # six rates: refused on save
    save_settings(ctx, FundSettings(provision_rates="1E-7,2,25,50,100", single_limit_percent="1E-7",
                                    coverage_threshold_percent="1.0E+2"))
    stored = load_settings(ctx)
    assert (stored.provision_rates, stored.single_limit_percent, stored.coverage_threshold_percent) == (
        "0.0000001,2,25,50,100", "0.0000001", "100")
    assert provision_rates_text(stored.provision_rates) == "0,0000001; 2; 25; 50; 100"
    assert percent_text("1E-7") == "0,0000001" and percent_text("12.5") == "12,5"


@pytest.mark.parametrize(("typed", "rounded"), [("9,6123456789012345678", "9,61234567890123"),
                                                ("9.6123456789012345678", "9.61234567890123")])
def test_an_imports_refusal_quotes_a_rate_as_the_officer_wrote_it(typed, rounded):
    """The import (of our layout and of an old workbook) quoted a rate typed «9,6…» back as «9.6…», a thousands
    grouping in Vietnamese, and offered a rounding with a dot: the quote and the rounding keep the writer's mark."""
    from fundapp.services.import_cells import FieldProblem
    from fundapp.services.import_fields import read_decimal
    from fundapp.services.import_read import Row

    with pytest.raises(FieldProblem) as err:
        read_decimal(Row("so-cu.xlsx[Hợp đồng]", 5, {"annual_rate": typed}), "annual_rate", "lãi suất năm")
    assert str(err.value) == (f"lãi suất năm: «{typed}» có quá nhiều chữ số (tối đa 16 ký tự) — làm tròn theo số hợp "
                              f"đồng ghi, ví dụ {rounded}")
