"""No figures and no papers for a day after the book's today, whoever asks (README: «no figures or papers are made
for a day after it»): the services refuse, in the command line's words, so the GUI's reports, overview, loan page
and statement preview cannot show a day that has not come (a new officer's trial, 03/12/2026: Năm 2027, Quý I
showed «nợ xấu 64,94 %» and «Lưu PDF…» took number 02/BC-QHT)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from fundapp.services.errors import ValidationError

TODAY = date(2024, 12, 31)  # the sample book's today (tests/conftest.py)
FIGURES = "Ngày {on} sau ngày hôm nay {today}: không tính được số liệu của ngày chưa đến"


QUARTER = "Quý {period} chưa bắt đầu (hôm nay {today}): chưa có số liệu để báo cáo"
YEAR = "Năm {period} chưa bắt đầu (hôm nay {today}): chưa có số liệu để báo cáo"


def _refused(call, on: str, field: str | None = None, today: str = "31/12/2024", said: str = FIGURES
             ) -> ValidationError:
    """``call`` refused with ``said`` (``on`` a day, a quarter «1/2025» or a year «2025»: what the officer asked)."""
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.message == said.format(on=on, period=on, today=today)
    if field is not None:
        assert err.value.field == field
    return err.value


def test_the_reports_of_a_quarter_or_year_not_begun_are_refused_and_take_no_number(sample_ctx, tmp_path):
    from fundapp.services import documents, reports

    ctx, out = sample_ctx, tmp_path / "out"
    out.mkdir()
    # the quarter or the year asked for is named, not its first day: a date nobody typed (an officer's trial)
    _refused(lambda: reports.quarter_reports(ctx, 2025, 1), "1/2025", "quarter", said=QUARTER)  # the GUI's figures
    _refused(lambda: reports.quarterly_json(ctx, 2025, 1), "1/2025", "quarter", said=QUARTER)
    _refused(lambda: documents.quarterly_pdf(ctx, 2025, 1), "1/2025", said=QUARTER)  # the preview
    _refused(lambda: documents.write_quarterly(ctx, 2025, 1, pdf=out / "q.pdf", xlsx=out / "q.xlsx"),
             "1/2025", said=QUARTER)
    _refused(lambda: reports.annual_summary(ctx, 2025), "2025", "year", said=YEAR)
    _refused(lambda: reports.half_year_summary(ctx, 2025, 1), "2025", "year", said=YEAR)
    _refused(lambda: documents.write_period_report(ctx, 2025, None, pdf=out / "n.pdf"), "2025", said=YEAR)
    _refused(lambda: reports.period_summary(ctx, date(2024, 7, 1), date(2025, 6, 30)), "30/06/2025")
    _refused(lambda: reports.book_period_reports(ctx, [(date(2024, 10, 1), date(2025, 1, 1))]), "01/01/2025")
    assert list(out.iterdir()) == []
    assert documents.document_register(ctx) == []  # no number taken
    assert reports.quarterly_json(ctx, 2024, 4)["outstanding"] > 0  # today's quarter is reported


def test_a_quarter_in_progress_is_counted_to_today_as_the_command_line_does(sample_ctx):
    from fundapp.services import reports

    ctx = dataclasses.replace(sample_ctx, today=lambda: date(2024, 11, 15))
    r = reports.quarter_reports(ctx, 2024, 4)
    assert (r.current.start, r.current.end, r.unfinished_until) == (date(2024, 10, 1), date(2024, 11, 15),
                                                                     date(2024, 11, 15))
    assert reports.latest_quarter(ctx) == (2024, 4)
    _refused(lambda: reports.quarter_reports(ctx, 2025, 1), "1/2025", "quarter", "15/11/2024", said=QUARTER)


def test_the_latest_quarter_follows_the_period_convention(sample_ctx):
    from fundapp.services import reports
    from fundapp.services.settings import FundSettings, save_settings

    assert reports.latest_quarter(sample_ctx) == (2024, 4)
    on_20_12 = dataclasses.replace(sample_ctx, today=lambda: date(2024, 12, 20))
    assert reports.latest_quarter(on_20_12) == (2024, 4)
    save_settings(sample_ctx, FundSettings(period_convention="administrative"))  # Decree 09/2019: from the 15th
    assert reports.latest_quarter(on_20_12) == (2025, 1)
    assert reports.quarter_reports(on_20_12, 2025, 1).current.start == date(2024, 12, 15)
    on_14_12 = dataclasses.replace(sample_ctx, today=lambda: date(2024, 12, 14))
    assert reports.latest_quarter(on_14_12) == (2024, 4)
    with pytest.raises(ValidationError) as err:
        reports.quarter_reports(on_14_12, 2025, 1)
    assert err.value.message == "Quý 1/2025 chưa bắt đầu (hôm nay 14/12/2024): chưa có số liệu để báo cáo"


def test_the_figures_of_a_day_not_yet_come_are_refused(sample_ctx):
    from fundapp.services import collateral, reports
    from fundapp.services.overview import overview, overview_cards

    ctx = sample_ctx
    _refused(lambda: overview(ctx, date(2025, 6, 30)), "30/06/2025", "as_of")
    assert overview_cards(ctx, date(2025, 6, 30)) is None  # computes nothing for another day than today
    _refused(lambda: reports.balances_json(ctx, date(2025, 1, 1)), "01/01/2025")
    _refused(lambda: reports.balances_rows(ctx, date(2025, 1, 1)), "01/01/2025")  # at once, not on iteration
    _refused(lambda: reports.portfolio_as_of(ctx, date(2025, 3, 1)), "01/03/2025")
    _refused(lambda: collateral.coverage_report(ctx, date(2025, 3, 1)), "01/03/2025")
    _refused(lambda: collateral.loan_coverage(ctx, "HD2022-002", date(2025, 3, 1)), "01/03/2025")
    assert overview(ctx, TODAY).outstanding > 0 and reports.balances_json(ctx, TODAY)


def test_a_loan_is_not_read_at_a_day_not_yet_come(sample_ctx):
    from fundapp.services import event_previews, posting
    from fundapp.services.loans import loan_page, loan_view

    ctx = sample_ctx
    loan = loan_view(ctx, "HD2022-002")
    later = date(2025, 3, 1)
    _refused(lambda: loan_view(ctx, "HD2022-002", later), "01/03/2025", "as_of")
    _refused(lambda: loan_page(ctx, loan.id, later), "01/03/2025", "as_of")  # the loan page's «Số dư tại ngày»
    _refused(lambda: posting.quote_on(ctx, loan.id, later), "01/03/2025", "on")
    _refused(lambda: event_previews.loan_events(ctx, loan.id, later), "01/03/2025", "on")
    _refused(lambda: event_previews.relief_limits(ctx, loan.id, later), "01/03/2025", "on")
    # a preview of an entry says what its posting would say
    for preview, what in ((lambda: posting.preview_repayment(ctx, loan.id, later, 1_000_000), "ngày trả nợ"),
                          (lambda: event_previews.preview_restructure(ctx, loan.id, later, 6, 1), "ngày cơ cấu lại"),
                          (lambda: event_previews.preview_relief(ctx, loan.id, later, "interest", 1_000),
                           "ngày miễn, giảm lãi"),
                          (lambda: event_previews.preview_write_off(ctx, loan.id, later), "ngày xử lý rủi ro")):
        with pytest.raises(ValidationError) as err:
            preview()
        assert err.value.message == (f"Ngày 01/03/2025 ({what}) sau ngày hôm nay 31/12/2024: không ghi được nghiệp "
                                     "vụ ở tương lai") and err.value.field == "on"
    assert loan_page(ctx, loan.id, TODAY)[0].balances == loan_view(ctx, "HD2022-002", TODAY).balances


def test_a_paper_of_a_day_not_yet_come_is_refused_in_the_papers_words_preview_included(sample_ctx):
    from fundapp.services import documents

    ctx = sample_ctx
    for kind, paper in (("statement", "sao kê khoản vay"), ("reconciliation", "biên bản đối chiếu công nợ"),
                        ("schedule", "lịch trả nợ"), ("notice", "thông báo nợ")):
        for make in (documents.preview_document, documents.issue_document):
            with pytest.raises(ValidationError) as err:
                make(ctx, kind, "HD2022-002", date(2025, 3, 1))
            assert err.value.message == (f"Không lập được giấy tờ cho ngày sau hôm nay: {paper} ngày 01/03/2025 sau "
                                         "ngày hôm nay 31/12/2024"), kind
    assert documents.document_register(ctx) == []
    assert documents.preview_document(ctx, "statement", "HD2022-002", TODAY).startswith(b"%PDF")
