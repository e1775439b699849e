"""A number typed by an officer or read from a file is read only in the forms an officer means.

Python's int() and Decimal() read «1_5» as 15 (digit grouping by underscores), «１５» (full-width) and «١٥»
(Arabic-Indic) as 15, and a number wrapped in a file separator (U+001C) or an ideographic space (U+3000) as the
number: a new officer's «1_5» in a percentage was saved as 15 %. Every place that reads a number from text refuses
these forms with its own message (its field, or the file and line), and still reads the plain ones: ASCII digits,
with the spaces typing or a pasted cell leave around them (space, tab, line break, no-break space).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from decimal import Decimal

import pytest

from fundapp.domain.errors import TermsError
from fundapp.domain.terms import LoanTerms
from fundapp.services.errors import ImportRefused, ValidationError
from fundapp.services.import_cells import FieldProblem
from fundapp.services.import_fields import read_decimal, read_integer, read_money
from fundapp.services.import_read import Row
from fundapp.services.settings import FundSettings, load_settings, save_settings, typed_percent

# what Python reads as 15 and no officer means: «_» grouping, full-width, Arabic-Indic and Devanagari digits, and
# odd whitespace around the digits (a file separator, an ideographic space, an em space, a vertical tab)
NOT_MEANT = ["1_5", "１５", "١٥", "१५", "\x1c15", "15\x1f", "\u300015", "15\u2003", "\x0b15"]
PLAIN = ["15", " 15 ", "15\u00a0", "\t15\r\n"]  # typed, or pasted from a cell or a web page


def _ids(values: list[str]) -> list[str]:
    return [ascii(v) for v in values]


# -- the Settings page's percentages --------------------------------------------------------------------------
@pytest.mark.parametrize("typed", NOT_MEANT, ids=_ids(NOT_MEANT))
def test_a_percentage_in_a_form_no_officer_means_is_refused_naming_its_field(ctx, typed):
    with pytest.raises(ValidationError) as err:
        save_settings(ctx, replace(FundSettings(), single_limit_percent=typed_percent("single_limit_percent", typed)))
    assert err.value.field == "single_limit_percent" and "phải là số" in err.value.message
    assert load_settings(ctx) == FundSettings()


@pytest.mark.parametrize("typed", PLAIN, ids=_ids(PLAIN))
def test_a_plain_percentage_still_reads(ctx, typed):
    save_settings(ctx, replace(FundSettings(), single_limit_percent=typed_percent("single_limit_percent", typed)))
    assert load_settings(ctx).single_limit_percent == "15"


# -- a loan's terms (the dialogs, a product, the import) --------------------------------------------------------
@pytest.mark.parametrize("typed", NOT_MEANT, ids=_ids(NOT_MEANT))
def test_a_terms_rate_or_count_in_a_form_no_officer_means_is_refused(typed):
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate=typed, term_months=12)
    assert err.value.field == "rate" and "không phải là số" in err.value.vi
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate="7", term_months=typed.replace("15", "12"))
    assert err.value.field == "term_months" and "không phải là số nguyên" in err.value.vi


@pytest.mark.parametrize("typed", PLAIN, ids=_ids(PLAIN))
def test_a_plain_terms_rate_and_count_still_read(typed):
    terms = LoanTerms(amount=100_000_000, rate=typed, term_months=typed.replace("15", "12"))
    assert (terms.rate, terms.term_months) == (Decimal(15), 12)


# -- the import (a CSV folder, a workbook, the old workbook's page) ----------------------------------------------
def _row(name: str, value: object) -> Row:
    return Row("loans.csv", 7, {name: value})


DECIMALS_NOT_MEANT = [*NOT_MEANT, "７,２", "7,２"]


@pytest.mark.parametrize("typed", DECIMALS_NOT_MEANT, ids=_ids(DECIMALS_NOT_MEANT))
def test_an_imported_decimal_in_a_form_no_officer_means_is_refused(typed):
    with pytest.raises(FieldProblem) as err:
        read_decimal(_row("overdue_factor", typed), "overdue_factor", "hệ số lãi quá hạn (overdue_factor)")
    assert str(err.value) == f"hệ số lãi quá hạn (overdue_factor): «{typed}» không phải số"  # quoted as written


@pytest.mark.parametrize("typed", NOT_MEANT, ids=_ids(NOT_MEANT))
def test_an_imported_whole_number_or_amount_in_a_form_no_officer_means_is_refused(typed):
    with pytest.raises(FieldProblem) as err:
        read_integer(_row("term_months", typed), "term_months", "thời hạn (term_months)")
    assert "không phải số nguyên" in str(err.value)
    with pytest.raises(FieldProblem) as err:
        read_money(_row("amount", typed + "000000"), "amount", "số tiền (amount)")
    assert "không hợp lệ — chỉ ghi chữ số" in str(err.value)


@pytest.mark.parametrize("typed", PLAIN, ids=_ids(PLAIN))
def test_plain_imported_numbers_still_read(typed):
    assert read_decimal(_row("f", typed), "f", "f") == Decimal(15)
    assert read_integer(_row("n", typed), "n", "n") == 15
    assert read_money(_row("a", typed.replace("15", "15000000")), "a", "a") == 15_000_000


def test_a_csv_import_names_the_file_and_line_of_such_a_number(ctx, tmp_path):
    from fundapp.services.imports import check_and_import
    from tests.golden import sample_with

    folder = sample_with(tmp_path, "loans", 5, {"late_interest_rate": "1_0"})  # was imported as 10 %/năm
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    assert any(p.startswith("loans.csv:5:") and "«1_0» không phải số" in p for p in err.value.problems), \
        err.value.problems


@pytest.mark.parametrize(("kind", "cell"), [("int", "１２"), ("int", "1_2"), ("rate", "7_2"), ("rate", "７,２ %"),
                                            ("decimal", "1_5"), ("date", "１５/０３/２０２４"), ("money", "５００ triệu"),
                                            ("rate", "7 2")])
def test_the_old_workbooks_page_does_not_read_such_a_cell(kind, cell):
    from fundapp.services.migration_fields import read_value

    assert read_value(kind, cell) == (cell.strip(), False)


# -- amounts typed in a form or an option -----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["１５０", "١٥٠", "²", "\u3000150", "150\x1c", "150\u2003triệu", "1_000"])
def test_an_amount_in_a_form_no_officer_means_is_refused_in_words(typed):
    from fundapp.formatting import AmountError, parse_money

    with pytest.raises(AmountError) as err:  # «²» raised decimal.InvalidOperation: a traceback on the form
        parse_money(typed)
    assert "không phải số tiền" in str(err.value)


@pytest.mark.parametrize("typed", ["150", " 150 ", "150\u00a0triệu", "1.500.000", "1,5 tỷ"])
def test_plain_amounts_still_read(typed):
    from fundapp.formatting import parse_money

    assert parse_money(typed) in (150, 150_000_000, 1_500_000, 1_500_000_000)


# -- the command line's options ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["2_024", "２０２４", "٢٠٢٤", "\u30002024", "2024\x1c"])
def test_a_whole_number_option_in_a_form_no_officer_means_is_refused_in_words(typed):
    from fundapp.cli.parser import parse_int

    with pytest.raises(argparse.ArgumentTypeError, match="không phải số nguyên"):
        parse_int(typed)


@pytest.mark.parametrize(("parse", "typed"), [("parse_date", "２０２４-03-15"), ("parse_month", "２０２４-03")])
def test_a_date_option_with_other_digits_is_refused(parse, typed):
    from fundapp.cli import parser

    with pytest.raises(argparse.ArgumentTypeError, match="không hợp lệ"):
        getattr(parser, parse)(typed)


# -- a borrower's members, the fund's bank -----------------------------------------------------------------------
@pytest.mark.parametrize("typed", NOT_MEANT, ids=_ids(NOT_MEANT))
def test_a_borrowers_members_in_a_form_no_officer_means_is_refused(typed):
    from fundapp.services.borrowers import clean_borrower

    data = {"code": "KH0100", "name": "Hợp tác xã Thử", "kind": "htx", "phone": "", "members": typed}
    with pytest.raises(ValidationError) as err:
        clean_borrower(data)
    assert err.value.field == "members" and "không phải số nguyên" in err.value.message


@pytest.mark.parametrize(("name", "typed"), [("bank_bin", "９７０４０５"), ("bank_bin", "٩٧٠٤٠٥"),
                                             ("bank_account", "１２３４５６"), ("bank_account", "12345Đ")])
def test_the_funds_bank_in_other_digits_or_letters_is_refused(ctx, name, typed):
    """A full-width BIN passed the check (str.isdigit) and every VietQR on a notice then failed to encode."""
    with pytest.raises(ValidationError) as err:
        save_settings(ctx, replace(FundSettings(), **{name: typed}))
    assert err.value.field == name


# -- a negative zero -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["-0", "-0.0", Decimal("-0")], ids=["-0", "-0.0", "Decimal(-0)"])
def test_a_negative_zero_rate_is_kept_as_zero(typed):
    """«-0» was kept «-0» and shown back so; a rate or factor is stored without the sign of a zero."""
    from fundapp.services.loan_terms import terms_dict

    terms = LoanTerms(amount=100_000_000, rate=typed, term_months=12, overdue_factor=typed, late_interest_rate=typed)
    stored = terms_dict(terms)
    assert not terms.rate.is_signed() and not terms.overdue_factor.is_signed()
    assert {stored[k] for k in ("rate", "overdue_factor", "late_interest_rate")} <= {"0", "0.0"}


# -- the decimal mark the hints ask for -------------------------------------------------------------------------
def test_the_terms_ask_for_the_decimal_comma_and_read_it():
    """The terms' refusal said «dùng dấu chấm thập phân, ví dụ 6.6» where the rest of the program asks for the
    decimal comma (Excel under Vietnamese settings, the import's «ví dụ 6,6»): it asks for the comma, and reads it."""
    with pytest.raises(TermsError) as err:
        LoanTerms(amount=100_000_000, rate="sáu", term_months=12)
    assert err.value.vi == "Lãi suất: «sáu» không phải là số (dùng dấu phẩy thập phân, ví dụ 6,6)"
    assert LoanTerms(amount=100_000_000, rate="6,6", term_months=12).rate == Decimal("6.6")
    assert LoanTerms(amount=100_000_000, rate="6.6", term_months=12).rate == Decimal("6.6")  # the stored form


def test_no_hint_asks_for_a_decimal_dot():
    """Every hint of the program, its papers' templates and its guides, writes a decimal with the comma."""
    import re
    import zipfile

    from tests.golden import ROOT

    dot = re.compile(r"dấu chấm thập phân|ví dụ [0-9]+\.[0-9]+(?![0-9.])")  # «ví dụ 9.450.000.000» groups thousands
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
             for folder in ("fundapp", "docs") for p in (ROOT / folder).rglob("*")
             if p.suffix in (".py", ".md", ".txt") and "locale" not in p.parts}
    texts["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    for p in (ROOT / "resources" / "templates").glob("*.docx"):
        with zipfile.ZipFile(p) as z:
            texts[str(p.relative_to(ROOT))] = z.read("word/document.xml").decode("utf-8")
    assert {name: dot.findall(text) for name, text in texts.items() if dot.search(text)} == {}


@pytest.mark.parametrize("anchor", ["１２:abcdef12", "٣:abcdef12", "²:abcdef12"])
def test_a_verify_anchor_in_other_digits_is_refused_in_words(ctx, anchor):
    """`fundapp verify --anchor 12:abcdef12`: the row number was read by str.isdigit() and int(), which take «１２»
    (and fail on «²» with Python's ValueError)."""
    from fundapp.services.verify import verify_book

    with pytest.raises(ValidationError) as err:
        verify_book(ctx, (anchor,))
    assert err.value.field == "anchor" and "không hợp lệ" in err.value.message
