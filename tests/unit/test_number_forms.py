"""A number typed by an officer or read from a file is read only in the forms an officer means.

Python's int() and Decimal() read «1_5» as 15 (digit grouping by underscores), «１５» (full-width) and «١٥»
(Arabic-Indic) as 15: a new officer's «1_5» in a percentage was saved as 15 %. Every place that reads a number from
text refuses these forms, and any character other than ASCII inside the number, with its own message (its field, or
the file and line), and still reads the plain ones: ASCII digits, with any whitespace around them trimmed as
str.strip() trims it (a thin or narrow no-break space from a PDF, an ideographic space, a cell's file separator).
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
# a character other than ASCII between the digits (an ideographic space, a file separator, a zero-width space)
NOT_MEANT = ["1_5", "１５", "١٥", "१५", "1\u30005", "1\x1c5", "1\u20095", "15\u200b"]
# typed, or pasted from a cell, a web page or a PDF: any whitespace around the digits is trimmed, as str.strip() does
PLAIN = ["15", " 15 ", "15\u00a0", "\t15\r\n", "\x1c15", "15\x1f", "\u300015", "15\u2003", "\x0b15", "15\u2009",
         "\u202f15"]


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
@pytest.mark.parametrize("typed", ["１５０", "١٥٠", "²", "1\u300050", "1\x1c50", "1_000", "150\u200b"])
def test_an_amount_in_a_form_no_officer_means_is_refused_in_words(typed):
    from fundapp.formatting import AmountError, parse_money

    with pytest.raises(AmountError) as err:  # «²» raised decimal.InvalidOperation: a traceback on the form
        parse_money(typed)
    assert "không phải số tiền" in str(err.value)


PLAIN_AMOUNTS = [("150", 150), (" 150 ", 150), ("150\u00a0triệu", 150_000_000), ("1.500.000", 1_500_000),
                 ("1,5 tỷ", 1_500_000_000), ("1.500.000\u2009", 1_500_000), ("\u202f1.500.000", 1_500_000),
                 ("150\x1c", 150), ("\u3000150", 150), ("150\u2003triệu", 150_000_000)]


@pytest.mark.parametrize(("typed", "amount"), PLAIN_AMOUNTS, ids=[ascii(t) for t, _a in PLAIN_AMOUNTS])
def test_plain_amounts_still_read(typed, amount):
    """Each text with its own amount: «1.500.000» read as 150 must fail, as must a space of a PDF refused."""
    from fundapp.formatting import parse_money

    assert parse_money(typed) == amount


# -- the command line's options ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["2_024", "２０２４", "٢٠٢٤", "20\u300024", "20\x1c24"])
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


@pytest.mark.parametrize("typed", ["", "A/B C", "Q H T", "QHT/2", "Q" * 21])
def test_an_abbreviation_that_breaks_a_papers_number_is_refused(ctx, typed):
    """The abbreviation is printed in every paper's number («01/SK-QHT»): blank gave «01/SK-», «A/B C» «02/SK-A/B C»
    (a review of the `settings` command; the window's page saves through the same check). «QHT-TQ», «Q.HT» pass."""
    with pytest.raises(ValidationError) as err:
        save_settings(ctx, replace(FundSettings(), abbreviation=typed))
    assert err.value.field == "abbreviation" and "01/TB-QHT" in err.value.message
    for fine in ("QHT-TQ", "Q.HT", "QHTX"):
        save_settings(ctx, replace(FundSettings(), abbreviation=fine))


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


# -- one decimal comma, one trimming, everywhere ----------------------------------------------------------------
COMMA_FORMS = [("7,2", Decimal("7.2")), ("+7,2", Decimal("7.2")), (",5", Decimal("0.5")), ("7,", Decimal("7")),
               ("-0,5", Decimal("-0.5")), ("7.2", Decimal("7.2"))]


@pytest.mark.parametrize(("typed", "rate"), COMMA_FORMS, ids=[t for t, _r in COMMA_FORMS])
def test_a_rate_with_a_decimal_comma_reads_in_every_form_a_dot_would(typed, rate):
    """The terms dialog read «+7,2», «,5» and «7,» as 7.2, 0.5 and 7 before numerals came, then refused them asking
    for «dấu phẩy thập phân», which the officer had used; the Settings page and what it shows read them alike."""
    from fundapp.formatting import decimal_shown
    from fundapp.services.settings import percent_value

    if rate >= 0:
        assert LoanTerms(amount=100_000_000, rate=typed, term_months=12).rate == rate
    assert Decimal(percent_value(typed)) == rate
    assert decimal_shown(typed) == str(rate).replace(".", ",")


def test_a_decimal_shown_back_reads_as_the_program_reads():
    """formatting.decimal_shown read «７,２» with its own pattern (Unicode \\d) as 7,2, which every reader refuses."""
    from fundapp.formatting import decimal_shown

    assert [decimal_shown(t) for t in ("７,２", "1_5", "١٥", "15\u2009")] == ["７,２", "1_5", "١٥", "15"]


def test_every_reader_trims_what_str_strip_trims():
    """numerals.AROUND is the set str.strip() trims: a number's ends lose the same characters in every reader."""
    import sys

    from fundapp.domain.numerals import AROUND

    assert set(AROUND) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize("typed", ["15\u202f%", "15\u2009%", "15\u3000%", "\u200215 %\u2009", "15%", "15 %"],
                         ids=ascii)
def test_a_percentage_takes_any_space_before_its_unit(ctx, typed):
    """«15 %» was read and «15\\u202f%» (a narrow no-break space, as French-formatted pages write it) refused."""
    save_settings(ctx, replace(FundSettings(), single_limit_percent=typed_percent("single_limit_percent", typed)))
    assert load_settings(ctx).single_limit_percent == "15"


def test_a_borrowers_members_read_alike_from_the_form_and_the_file():
    """The borrowers file's members are read through read_text (str.strip); the form's were refused for the same
    «\\u300015» pasted from a web page."""
    from fundapp.services.borrowers import clean_borrower
    from fundapp.services.import_fields import read_text

    data = {"code": "KH0100", "name": "Hợp tác xã Thử", "kind": "htx", "phone": ""}
    from_file = read_text(Row("borrowers.csv", 2, {"members": "\u300015"}), "members")
    assert clean_borrower({**data, "members": from_file})["members"] == 15
    assert clean_borrower({**data, "members": "\u300015"})["members"] == 15


# -- a negative zero an older book stored -------------------------------------------------------------------------
def test_a_stored_negative_zero_is_shown_as_zero():
    """A book saved before 13d04ed holds «-0»; it was shown «-0» and Save, finding it the same as 0, changed nothing."""
    from fundapp.services.settings import percent_text, provision_rates_text, setting_text

    assert percent_text("-0") == "0" and percent_text("-0.0") == "0,0"
    assert provision_rates_text("-0,2,25,50,100") == "0; 2; 25; 50; 100"
    assert setting_text("single_limit_percent", "-0") == "0"

