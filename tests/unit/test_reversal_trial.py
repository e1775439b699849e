"""An officer's trial of reversals, dates and report periods on the sample book (today 31/12/2024): a reversal that
changes receipts already issued says so and waits for ``--accept-changed-receipts`` (as a proposal too, and again
when confirming); a repeated reversal names the entry and the reversal that cancelled it; a year below 1000 is
shown with four digits; a report of a quarter or a year not begun names the quarter or the year asked for."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime

import pytest

from fundapp.cli import main
from tests import golden

TODAY = "2024-12-31"
RECEIPT = "- PT-2024-00001 ngày 31/12/2024: gốc 24.847.048 → 30.000.000"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The sample book imported once for the module (copied by ``book``)."""
    path = tmp_path_factory.mktemp("sample") / "b.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FUNDAPP_TODAY", TODAY)
        assert main(["--db", str(path), "import", str(golden.SAMPLE)]) == 0
    return path


@pytest.fixture
def book(imported, tmp_path, monkeypatch):
    """A copy of the sample book, the book's today 31/12/2024, nobody logged in."""
    monkeypatch.setenv("FUNDAPP_TODAY", TODAY)
    monkeypatch.delenv("FUNDAPP_USER", raising=False)
    path = tmp_path / "b.sqlite"
    with closing(sqlite3.connect(imported)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)  # its write-ahead log included
    return path


def run(book, *argv: str) -> int:
    return main(["--db", str(book), *argv])


def test_a_year_below_1000_keeps_its_four_digits():
    """«balances --as-of 0024-01-01» said «Ngày 01/01/24 … trước ngày 01/01/2000»."""
    from fundapp.domain.dates import day_month_year
    from fundapp.formatting import month_year, short_date, short_date_time

    assert short_date(date(24, 1, 1)) == day_month_year(date(24, 1, 1)) == "01/01/0024"
    assert short_date(date(999, 12, 5)) == "05/12/0999" and short_date(date(2024, 3, 9)) == "09/03/2024"
    assert month_year(date(24, 1, 1)) == "01/0024"
    assert short_date_time(datetime(999, 6, 15, 12, 0, tzinfo=UTC)).startswith("15/06/0999 ")


@pytest.mark.parametrize("argv, what", [
    (["balances", "--as-of", "0024-01-01"], "ngày tính số liệu"),
    (["post", "repayment", "HD2024-019", "--on", "0024-01-01", "--amount", "1000"], "ngày trả nợ"),
    (["restructure", "HD2024-019", "--on", "0024-01-01", "--extend-months", "3", "--grace", "0", "--reason", "x",
      "--reference", "QĐ-1"], "ngày cơ cấu lại"),
    (["relief", "HD2024-019", "--on", "0024-01-01", "--of", "interest", "--amount", "1000", "--reason", "x",
      "--reference", "QĐ-2"], "ngày miễn, giảm lãi"),
    (["write-off", "HD2024-019", "--on", "0024-01-01", "--reason", "x", "--reference", "QĐ-3"], "ngày xử lý rủi ro"),
    (["close", "--through", "0024-01-01"], "ngày tính số liệu"),
])
def test_a_date_before_2000_is_refused_with_its_four_digit_year(book, capsys, argv, what):
    capsys.readouterr()
    assert run(book, *argv) == 2
    assert f"Ngày 01/01/0024 ({what}) trước ngày 01/01/2000" in capsys.readouterr().err


def _repayment_after_pt00165(book, capsys) -> None:
    # HD2024-019's repayment of 31/12: reversing PT-00165 (05/11) gives it another split
    assert run(book, "post", "repayment", "HD2024-019", "--on", "2024-12-31", "--amount", "30.000.000") == 0
    assert "PT-2024-00001" in capsys.readouterr().out


def test_a_reversal_that_changes_an_issued_receipt_says_it_and_waits_for_the_flag(book, capsys):
    """«reverse PT-00165» printed only «Đã hủy bút toán PT-00165.» and changed the split of receipt PT-2024-00001
    silently, where `post` of a back-dated entry names the receipts and refuses without the flag."""
    _repayment_after_pt00165(book, capsys)
    assert run(book, "reverse", "PT-00165", "--reason", "Thử") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Bút toán này làm thay đổi cách phân bổ của 1 phiếu thu đã lập:" in err and RECEIPT in err
    assert "chưa hủy; thêm --accept-changed-receipts để vẫn hủy" in err
    assert run(book, "reverse", "PT-00165", "--reason", "Thử", "--accept-changed-receipts") == 0
    out, err = capsys.readouterr()
    assert out == "Đã hủy bút toán PT-00165.\n" and RECEIPT in err
    # a reversal that changes no receipt goes through as before, without a word about receipts
    assert run(book, "reverse", "PT-2024-00001", "--reason", "Thử") == 0
    out, err = capsys.readouterr()
    assert out == "Đã hủy bút toán PT-2024-00001.\n" and err == ""


def test_a_proposed_reversal_names_the_receipts_when_proposed_and_again_when_confirmed(book, capsys, monkeypatch):
    monkeypatch.setenv("NEW_PW", "mat-khau-8")
    monkeypatch.setenv("FUNDAPP_PASSWORD", "mat-khau-8")
    assert run(book, "users", "add", "qt", "--roles", "admin", "--password-env", "NEW_PW") == 0
    for name, roles in (("kt", "accountant"), ("ks", "controller")):
        assert run(book, "--user", "qt", "users", "add", name, "--roles", roles, "--password-env", "NEW_PW") == 0
    assert run(book, "--user", "kt", "post", "repayment", "HD2024-019", "--on", "2024-12-31", "--amount",
               "30.000.000") == 0
    capsys.readouterr()
    assert run(book, "--user", "kt", "reverse", "PT-00165", "--reason", "Thử") == 2
    out, err = capsys.readouterr()
    assert out == "" and RECEIPT in err and "--accept-changed-receipts" in err
    assert run(book, "--user", "kt", "pending") == 0 and "#1" not in capsys.readouterr().out  # nothing proposed
    assert run(book, "--user", "kt", "reverse", "PT-00165", "--reason", "Thử", "--accept-changed-receipts") == 0
    out, err = capsys.readouterr()
    assert out.startswith("Đã lập đề xuất số 1") and RECEIPT in out and err == ""
    # the checker is told again and confirms only with the flag
    assert run(book, "--user", "ks", "confirm", "1") == 2
    out, err = capsys.readouterr()
    assert out == "" and RECEIPT in err and "--accept-changed-receipts" in err
    assert run(book, "--user", "ks", "confirm", "1", "--accept-changed-receipts") == 0
    out, err = capsys.readouterr()
    assert out == "Đã xác nhận đề xuất số 1.\n" and RECEIPT in err


def test_a_repeated_reversal_names_the_entry_and_the_reversal_that_cancelled_it(book, capsys):
    """A second «reverse PT-2024-00001» said only «Bút toán này đã được hủy trước đó»."""
    _repayment_after_pt00165(book, capsys)
    assert run(book, "reverse", "PT-2024-00001", "--reason", "Ghi nhầm số tiền") == 0
    capsys.readouterr()
    assert run(book, "reverse", "PT-2024-00001", "--reason", "Thử lại") == 2
    err = capsys.readouterr().err
    from fundapp.formatting import short_date

    undone = short_date(date.today())  # the day the reversal was made (its own time, local), not the book's today
    assert (f"Bút toán PT-2024-00001 ngày 31/12/2024 (Thu nợ, khoản vay HD2024-019) đã được hủy ngày {undone} bởi "
            "") in err
    assert "lý do: Ghi nhầm số tiền. Một bút toán chỉ hủy được một lần." in err


@pytest.mark.parametrize("argv, said", [
    (["report", "quarterly", "--year", "2025", "--quarter", "1"], "Quý 1/2025 chưa bắt đầu (hôm nay 31/12/2024)"),
    (["report", "quarterly", "--year", "2030", "--quarter", "4"], "Quý 4/2030 chưa bắt đầu (hôm nay 31/12/2024)"),
    (["report", "annual", "--year", "2025"], "Năm 2025 chưa bắt đầu (hôm nay 31/12/2024)"),
    (["report", "semiannual", "--year", "2025", "--half", "1"], "Năm 2025 chưa bắt đầu (hôm nay 31/12/2024)"),
])
def test_a_period_not_begun_is_named_as_the_officer_asked_for_it(book, capsys, argv, said):
    """«report quarterly --year 2025 --quarter 1» answered «Ngày 01/01/2025 sau ngày hôm nay…», a date not typed."""
    capsys.readouterr()
    assert run(book, *argv) == 2
    err = capsys.readouterr().err
    assert said in err and "01/01/2025" not in err and "01/10/2030" not in err


def test_the_services_name_the_quarter_and_the_year_the_window_asks_for(book):
    from fundapp.app import open_book
    from fundapp.services.errors import ValidationError
    from fundapp.services.reports import annual_summary, quarter_reports

    ctx = open_book(str(book), today=date(2024, 12, 31))
    with pytest.raises(ValidationError) as err:
        quarter_reports(ctx, 2025, 1)
    assert err.value.message.startswith("Quý 1/2025 chưa bắt đầu (hôm nay 31/12/2024)") and err.value.field == "quarter"
    with pytest.raises(ValidationError) as err:
        annual_summary(ctx, 2025)
    assert err.value.message.startswith("Năm 2025 chưa bắt đầu (hôm nay 31/12/2024)") and err.value.field == "year"
    ctx.db.dispose()


@pytest.mark.parametrize("text", ["Q4", "IV", "quý 4"])
def test_a_quarter_not_written_as_a_number_is_told_how_to_write_it(book, capsys, text):
    capsys.readouterr()
    with pytest.raises(SystemExit):
        run(book, "report", "quarterly", "--year", "2024", "--quarter", text)
    err = capsys.readouterr().err
    assert f"quý «{text}» không đọc được: quý viết bằng một số từ 1 đến 4 (ví dụ --quarter 4)" in err
    # the shared whole-number parser keeps its words
    with pytest.raises(SystemExit):
        run(book, "confirm", "IV")
    assert "«IV» không phải số nguyên" in capsys.readouterr().err


def test_cancelling_a_write_off_says_its_recovery_becomes_a_collection(book, capsys):
    """Cancelling a write-off turns a recovery posted after it into an ordinary collection of principal — the
    quarter's «Thu hồi nợ đã xử lý rủi ro» down by it, «Thu nợ gốc» up — with the same split: nothing was said and no
    flag was asked for (an officer's trial on the events book, QĐ-XL-0300 and PT-TH-01)."""
    assert run(book, "write-off", "HD2022-002", "--on", "2024-12-20", "--reason", "HTX giải thể",
               "--reference", "QĐ-XL-0300") == 0
    assert run(book, "post", "repayment", "HD2022-002", "--on", "2024-12-28", "--amount", "10tr",
               "--reference", "PT-TH-01") == 0
    capsys.readouterr()
    assert run(book, "reverse", "QĐ-XL-0300", "--reason", "Nhầm") == 2
    out, err = capsys.readouterr()
    assert out == "" and "chưa hủy; thêm --accept-changed-receipts để vẫn hủy" in err
    assert ("- PT-TH-01 ngày 28/12/2024: gốc 10.000.000 → 10.000.000, lãi 0 → 0, lãi quá hạn 0 → 0, lãi chậm trả 0 → 0 "
            "đ; ghi nhận là «Thu hồi nợ đã xử lý rủi ro» → «Thu nợ»") in err
    assert run(book, "reverse", "QĐ-XL-0300", "--reason", "Nhầm", "--accept-changed-receipts") == 0
    assert capsys.readouterr().out == "Đã hủy bút toán QĐ-XL-0300.\n"


def test_a_relief_of_interest_a_restructuring_deferred_says_when_it_can_be_relieved(book, capsys):
    """After a restructuring moved the interest due to the next installment, a relief of it said only «miễn, giảm
    nhiều nhất 0 đ» while the loan page showed the interest owed (an officer's trial on the events book)."""
    assert run(book, "restructure", "HD2024-019", "--on", "2024-12-31", "--extend-months", "3", "--grace", "0",
               "--reason", "Bão lũ", "--reference", "QĐ-T1") == 0
    capsys.readouterr()
    assert run(book, "relief", "HD2024-019", "--on", "2024-12-31", "--of", "interest", "--amount", "1.000.000",
               "--reason", "Bão lũ", "--reference", "QĐ-T2") == 2
    assert capsys.readouterr().err.strip().endswith(
        "miễn, giảm nhiều nhất 0 đ; lãi 4.970.959 đ đã chuyển sang kỳ đến hạn 05/01/2025 khi cơ cấu lại, miễn, giảm "
        "được từ ngày đó")
