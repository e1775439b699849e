"""Cài đặt: what the officer types is what the book keeps; a wrong value is shown beside its field, unsaved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fundapp.ledger import office_store
from fundapp.services.audit import audit_log
from fundapp.services.errors import ValidationError
from fundapp.services.products import list_products
from fundapp.services.settings import PERCENT_SETTINGS, FundSettings, load_settings, save_settings
from fundapp.ui.pages.settings import Page
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import refreshed_page
from tests.gui.test_life_event_dialogs import shot

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def page(qtbot, sample_ctx, qsettings, boxes):
    widget = refreshed_page(qtbot, Page, sample_ctx, qsettings)
    wait_jobs(qtbot, widget.env)
    return widget


def test_shows_the_stored_settings(page):
    assert page.edits["fund_name"].text() == FundSettings().fund_name
    assert page.provision_rates.text() == "0; 2; 25; 50; 100"  # «;» between them: the comma is a decimal mark
    assert page.zero_tens.currentData() == "linh" and page.language.currentData() == "vi"
    assert page.book.text().endswith("book.sqlite") and page.book.isReadOnly()
    assert not page.is_server_book() and page.test_button.isHidden()


def test_settings_round_trip_through_save(page, qtbot, sample_ctx, boxes):
    announced = []
    page.env.changes.changed.connect(announced.append)
    page.edits["fund_name"].setText("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ")
    page.edits["director"].setText("Nguyễn Thị Hoà")
    page.edits["single_limit_percent"].setText("15,5")
    page.charter_capital.setText("10 tỷ")
    page.deputy_signs.setChecked(True)
    page.zero_tens.setCurrentIndex(page.zero_tens.findData("lẻ"))
    page.period_convention.setCurrentIndex(page.period_convention.findData("administrative"))
    page.language.setCurrentIndex(page.language.findData("en"))
    page.save_button.click()
    wait_jobs(qtbot, page.env)

    assert boxes.shown[-1][0] == "question"
    stored = load_settings(sample_ctx)
    assert stored == replace(FundSettings(), fund_name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ",
                             director="Nguyễn Thị Hoà", single_limit_percent="15.5", charter_capital=10_000_000_000,
                             deputy_signs=True, zero_tens="lẻ", period_convention="administrative", language="en")
    assert announced == [frozenset({"settings"})]
    assert "lần mở chương trình sau" in page.status.text()

    page.refresh()  # what the page shows after reading the book again
    wait_jobs(qtbot, page.env)
    assert page.charter_capital.text() == "10.000.000.000" and page.edits["director"].text() == "Nguyễn Thị Hoà"
    assert page.edits["single_limit_percent"].text() == "15,5" and page.deputy_signs.isChecked()


def test_a_percentage_typed_with_an_exponent_is_shown_back_plainly_with_the_decimal_comma(page, qtbot, sample_ctx,
                                                                                          boxes):
    """An officer typed a provision rate «1E-7» and saw «1E-7» back (str of a Decimal writes an exponent from 7
    decimal places on), and «15,5» came back «15.5». Every percentage of the page is shown back plainly with the
    Vietnamese decimal comma, stored plainly with a dot, and reads back unchanged: a second save has nothing to save."""
    page.provision_rates.setText("1E-7,2,25,50,100")  # the old separator, with decimal dots, still reads
    page.edits["single_limit_percent"].setText("1E-7")
    page.edits["own_capital_percent"].setText("20,5")
    page.edits["coverage_threshold_percent"].setText("1E+3")  # was refused: a comma or an exponent here
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    stored = load_settings(sample_ctx)
    assert (stored.provision_rates, stored.single_limit_percent, stored.own_capital_percent,
            stored.coverage_threshold_percent) == ("0.0000001,2,25,50,100", "0.0000001", "20.5", "1000")
    shown = (page.provision_rates.text(), page.edits["single_limit_percent"].text(),
             page.edits["own_capital_percent"].text(), page.edits["coverage_threshold_percent"].text())
    assert shown == ("0,0000001; 2; 25; 50; 100", "0,0000001", "20,5", "1000")
    page.refresh()
    wait_jobs(qtbot, page.env)
    assert (page.provision_rates.text(), page.edits["single_limit_percent"].text(),
            page.edits["own_capital_percent"].text(), page.edits["coverage_threshold_percent"].text()) == shown
    page.save_button.click()
    assert page.status.text() == "Không có thay đổi nào để lưu."

    page.provision_rates.setText("0,5; 2; 25; 50; 100")  # as shown: «;» between, decimal commas
    page.edits["coverage_threshold_percent"].setText("100,5")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    stored = load_settings(sample_ctx)
    assert (stored.provision_rates, stored.coverage_threshold_percent) == ("0.5,2,25,50,100", "100.5")
    assert (page.provision_rates.text(), page.edits["coverage_threshold_percent"].text()) == (
        "0,5; 2; 25; 50; 100", "100,5")
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    shot(page, "settings_percentages")

    page.provision_rates.setText("0,5,2,25,50,100")  # a decimal comma between commas: six numbers, refused
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert "cách nhau bằng dấu chấm phẩy" in page.forms[2].error_text("provision_rates")
    assert load_settings(sample_ctx).provision_rates == "0.5,2,25,50,100"
    qtbot.wait(50)  # the error line laid out under its field
    shot(page, "settings_provision_refused")


OLDER_FORMS = [("single_limit_percent", "1E-7"), ("group_limit_percent", "25.50"), ("own_capital_percent", "20,5"),
               ("coverage_threshold_percent", "1E+2"), ("single_limit_percent", " 15 "),
               ("provision_rates", "1E-7,2,25,50,100"), ("provision_rates", "0, 2, 25.0, 50, 100"),
               ("provision_rates", "0.5,2,25,50,1E+2")]


@pytest.mark.parametrize(("name", "stored"), OLDER_FORMS, ids=[f"{n}={v}" for n, v in OLDER_FORMS])
def test_a_save_with_nothing_edited_changes_nothing_whatever_form_the_value_was_stored_in(qtbot, sample_ctx, qsettings,
                                                                                          boxes, name, stored):
    """A book whose older page stored a limit «1E-7» is shown «0,0000001»: the page compared what it shows with the
    stored text, so a Save with nothing edited asked, wrote, and audited a change (on a book with maker-checker it
    proposed «0,0000001» → «0,0000001»). The values are compared: nothing is asked, written or audited."""
    with sample_ctx.db.unit() as s:
        office_store.set_setting(s, name, stored)
    page = refreshed_page(qtbot, Page, sample_ctx, qsettings)
    wait_jobs(qtbot, page.env)
    audited = len(audit_log(sample_ctx))
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert page.status.text() == "Không có thay đổi nào để lưu."
    assert boxes.shown == [] and len(audit_log(sample_ctx)) == audited
    with sample_ctx.db.unit() as s:
        assert office_store.settings(s)[name] == stored


def test_every_percentage_of_the_service_is_a_percentage_field_on_the_page(page):
    """The page kept its own list of the percentages beside the service's, and the coverage threshold missed it (it
    was never read with a decimal comma): the page's percent fields are the service's, each short and right-aligned."""
    for name in PERCENT_SETTINGS:
        edit = page.edits[name]
        assert edit.alignment() & Qt.AlignmentFlag.AlignRight and edit.maximumWidth() == 90, name
    assert not page.edits["bank_account"].alignment() & Qt.AlignmentFlag.AlignRight


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_is_saved(page, qtbot, sample_ctx, boxes):
    page.provision_rates.setText("0,2,25")
    page.edits["director"].setText("Trần Văn Bình")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert "năm số từ 0 đến 100" in page.forms[2].error_text("provision_rates")
    assert load_settings(sample_ctx) == FundSettings()

    page.provision_rates.setText("0,2,25,50,100")
    page.charter_capital.setText("mười tỷ")
    page.save_button.click()
    assert "không phải số tiền" in page.forms[2].error_text("charter_capital")
    assert page.forms[2].error_text("provision_rates") == ""
    assert load_settings(sample_ctx) == FundSettings()


def _error(page, name: str) -> str:
    """The error shown beside field ``name``, whichever box of the page holds it."""
    return "".join(form.error_text(name) for form in page.forms if name in form._errors)


def test_a_number_whose_dots_group_thousands_is_refused_not_read_as_a_decimal(page, qtbot, sample_ctx, boxes):
    """A new officer typed «1.000» (one thousand, the Vietnamese way) in the coverage threshold (0–1000 %): the page
    read the dot as a decimal point and saved 1 % without a word. Such a number is refused beside its field, saying
    how to write either meaning; nothing is saved. «15.5» (the stored form, a decimal dot) still reads."""
    page.edits["coverage_threshold_percent"].setText("1.000")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    shown = _error(page, "coverage_threshold_percent")
    assert "hàng nghìn" in shown and "1000" in shown and "1,000" in shown, shown
    assert load_settings(sample_ctx) == FundSettings()

    page.edits["coverage_threshold_percent"].setText("150")
    page.provision_rates.setText("0; 2; 25; 1.000; 100")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert "hàng nghìn" in _error(page, "provision_rates")
    assert load_settings(sample_ctx) == FundSettings()

    page.provision_rates.setText("0; 2; 25; 50; 100")
    page.edits["single_limit_percent"].setText("15.5")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    stored = load_settings(sample_ctx)
    assert (stored.coverage_threshold_percent, stored.single_limit_percent) == ("150", "15.5")


def test_declining_the_confirmation_saves_nothing(page, qtbot, sample_ctx, boxes):
    boxes.answer = QMessageBox.StandardButton.No
    page.edits["preparer"].setText("Lê Văn Cường")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert load_settings(sample_ctx).preparer == ""


def test_add_a_loan_product(page, qtbot, sample_ctx):
    dialog = page.add_product()
    dialog.code.setText("SX36")
    dialog.name.setText("Cho vay sản xuất nông nghiệp")
    dialog.rate.setText("abc")
    dialog.save_button.click()
    wait_jobs(qtbot, page.env)
    assert dialog.isVisible() and dialog.form.error_text("rate")
    assert list_products(sample_ctx) == []

    dialog.rate.setText("7,2")
    dialog.max_amount.setText("2 tỷ")
    dialog.save_button.click()
    wait_jobs(qtbot, page.env)
    qtbot.waitUntil(lambda: page.product_table.rowCount() == 1)
    [product] = list_products(sample_ctx)
    assert (product.code, product.rate, product.term_months, product.frequency_months, product.max_amount) == (
        "SX36", "7.2", 36, 3, 2_000_000_000)
    assert [page.product_table.item(0, c).text() for c in (0, 2, 5)] == ["SX36", "7,2 %/năm", "2.000.000.000"]
    assert not dialog.isVisible()


def test_checking_the_book_connection_names_the_server(page, qtbot):
    page.test_book()
    wait_jobs(qtbot, page.env)
    assert page.book_result.text().startswith("Kết nối được: SQLite") and "sổ fundapp đã có" in page.book_result.text()


NOT_MEANT = [("single_limit_percent", "1_5"), ("group_limit_percent", "２５"), ("own_capital_percent", "٢٠"),
             ("coverage_threshold_percent", "1\u300050"), ("single_limit_percent", "1\u20035")]  # QLineEdit drops a U+001C


@pytest.mark.parametrize(("name", "typed"), NOT_MEANT, ids=[ascii(t) for _n, t in NOT_MEANT])
def test_a_percentage_in_a_form_no_officer_means_is_refused_beside_its_field(page, qtbot, sample_ctx, boxes, name,
                                                                           typed):
    """A new officer's «1_5» was saved as 15 % (Python's Decimal reads «_» between digits), and full-width or
    Arabic-Indic digits, or a number with a space of another script inside, as the number. Each is refused beside its
    field, which the refusal names as the page labels it; nothing is saved."""
    page.edits[name].setText(typed)
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    assert _error(page, name).startswith(_label(page, name) + ": ") and "số" in _error(page, name), _error(page, name)
    assert load_settings(sample_ctx) == FundSettings()


def test_provision_rates_with_a_space_or_an_underscore_inside_a_rate_are_refused(page, qtbot, sample_ctx, boxes):
    """«1 5» among the provision rates was read 15 (every space of the field was dropped), as «1_5» was."""
    for typed in ("0; 2; 2 5; 50; 100", "0; 2; 2_5; 50; 100", "0; 2; ２５; 50; 100"):
        page.provision_rates.setText(typed)
        page.save_button.click()
        wait_jobs(qtbot, page.env)
        assert "năm số từ 0 đến 100" in _error(page, "provision_rates"), typed
    assert load_settings(sample_ctx) == FundSettings()


def _saved(page, qtbot, ctx, provision_rates: str | None = None, **typed: str) -> FundSettings:
    """Type ``typed`` (field → text) and ``provision_rates`` on the page, click Save; what the book then holds."""
    for name, text in typed.items():
        page.edits[name].setText(text)
    if provision_rates is not None:
        page.provision_rates.setText(provision_rates)
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    return load_settings(ctx)


def test_a_negative_zero_is_stored_and_shown_as_zero(page, qtbot, sample_ctx, boxes):
    """«-0» was accepted, stored «-0» and shown back «-0»."""
    stored = _saved(page, qtbot, sample_ctx, own_capital_percent="-0", coverage_threshold_percent="-0,0",
                    provision_rates="-0; 2; 25; 50; 100")
    assert (stored.own_capital_percent, stored.coverage_threshold_percent, stored.provision_rates) == (
        "0", "0.0", "0,2,25,50,100")
    assert (page.edits["own_capital_percent"].text(), page.edits["coverage_threshold_percent"].text(),
            page.provision_rates.text()) == ("0", "0,0", "0; 2; 25; 50; 100")


def test_an_older_books_negative_zero_is_shown_as_zero(page, qtbot, sample_ctx, boxes):
    """A book saved before negative zeros were dropped holds «-0»: the page showed «-0», and Save, comparing numbers,
    found nothing changed, so the officer could not correct it. It is shown 0."""
    from fundapp.ledger import office_store

    with sample_ctx.db.unit() as s:
        office_store.set_setting(s, "own_capital_percent", "-0")
        office_store.set_setting(s, "provision_rates", "-0,2,25,50,100")
    page.refresh()
    wait_jobs(qtbot, page.env)
    assert (page.edits["own_capital_percent"].text(), page.provision_rates.text()) == ("0", "0; 2; 25; 50; 100")


def test_a_percentage_pasted_with_the_spaces_of_a_pdf_is_read(page, qtbot, sample_ctx, boxes):
    """A thin space (U+2009) after the number, or a narrow no-break space (U+202F) before «%», as a PDF or a web page
    writes them: trimmed as every other reader of the program trims them (they were refused «phải là số»)."""
    stored = _saved(page, qtbot, sample_ctx, single_limit_percent="12\u2009", group_limit_percent="22,5\u202f%",
                    provision_rates="0,5; 3\u2009%; 25; 50; 100\u3000")
    assert (stored.single_limit_percent, stored.group_limit_percent, stored.provision_rates) == (
        "12", "22.5", "0.5,3,25,50,100")


def test_a_percent_sign_after_a_percentage_is_accepted(page, qtbot, sample_ctx, boxes):
    """«15 %» was refused with «Tỷ lệ phải là số»: in a field whose unit is %, a trailing «%» is the unit."""
    stored = _saved(page, qtbot, sample_ctx, single_limit_percent="15 %", group_limit_percent="25,5%",
                    coverage_threshold_percent="120\u00a0%", provision_rates="0%; 2 %; 25; 50; 100 %")
    assert (stored.single_limit_percent, stored.group_limit_percent, stored.coverage_threshold_percent,
            stored.provision_rates) == ("15", "25.5", "120", "0,2,25,50,100")
    assert page.edits["single_limit_percent"].text() == "15"

    _saved(page, qtbot, sample_ctx, coverage_threshold_percent="1.000 %")  # one thousand the Vietnamese way
    assert "hàng nghìn" in _error(page, "coverage_threshold_percent")
    assert _saved(page, qtbot, sample_ctx, coverage_threshold_percent="%").coverage_threshold_percent == "120"
    assert _error(page, "coverage_threshold_percent").startswith(_label(page, "coverage_threshold_percent"))


def _label(page, name: str) -> str:
    """The label the page shows for field ``name``."""
    form = next(form for form in page.forms if name in form.fields)
    return form.labelForField(form.fields[name].parentWidget()).text()


# a value out of each checked setting's sense, as the service receives it
OUT_OF_SENSE = {"charter_capital": -1, "single_limit_percent": "abc", "group_limit_percent": "101",
                "own_capital_percent": "-1", "provision_rates": "0,2,25", "coverage_threshold_percent": "1001",
                "revaluation_months": 0, "watch_days": 0, "bank_bin": "97040", "bank_account": "12 34",
                "zero_tens": "không"}


@pytest.mark.parametrize("name", list(OUT_OF_SENSE))
def test_every_refusal_of_a_setting_names_it_as_its_label_does(page, sample_ctx, name):
    """The coverage threshold's refusal named it «Ngưỡng tỷ lệ bảo đảm» beside the field labelled «Tỷ lệ bảo đảm tối
    thiểu (% dư nợ gốc)»; the provision rates', the watch's, the revaluation's, the bank's and the charter capital's
    named theirs otherwise too, and the limits' said only «Tỷ lệ». Each begins with its field's label."""
    with pytest.raises(ValidationError) as err:
        save_settings(sample_ctx, replace(FundSettings(), **{name: OUT_OF_SENSE[name]}))
    assert err.value.field == name
    assert err.value.message.startswith(_label(page, name) + ": "), (err.value.message, _label(page, name))


def test_the_page_with_a_refusal_at_the_officers_screen_size(page, qtbot, sample_ctx, boxes):
    page.edits["coverage_threshold_percent"].setText("1_5")
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    qtbot.wait(50)
    assert _error(page, "coverage_threshold_percent").startswith("Tỷ lệ bảo đảm tối thiểu (% dư nợ gốc): ")
    shot(page, "settings_refusal_named_as_labelled")


def test_a_setting_another_officer_saved_meanwhile_is_kept(page, qtbot, sample_ctx, boxes):
    """The page was open while another officer saved the director: saving the place keeps his director (the page's
    old value was written back); the page then shows both."""
    save_settings(sample_ctx, replace(load_settings(sample_ctx), director="Nguyễn Văn An"))
    page.edits["place"].setText("Đông Hà")
    page.save_button.click()
    wait_jobs(qtbot, page.env)
    stored = load_settings(sample_ctx)
    assert (stored.director, stored.place) == ("Nguyễn Văn An", "Đông Hà")
    assert page.edits["director"].text() == "Nguyễn Văn An"
