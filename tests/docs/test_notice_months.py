"""The notices of debt due of a month are about that month (a new officer's trial, 03/12/2026, and an officer's trial
of 31/12/2024).

`notices --month 2020-01` on the demo book wrote three numbered notices «Kỳ trả nợ tháng 01/2020» to borrowers of
loans signed 2024–2026: every loan in arrears on the day of issue got an arrears line on every month's notice, so
any month, even one before every loan, had notices. Then, on 31/12/2024, HD2022-002 got three notices with the same
arrears of 389.676.637 đ, for 11/2024, 12/2024 and 01/2025: a notice is dated the day it is made and quotes the
loans on that day, so one for a month gone by heads that month and prints another's figures. A notice is made for
the month under way or, ahead, for the next one (``documents.notice_months``); another month is refused before
anything is numbered or written. A month's notice lists the month's installments still unpaid and the debt due and
unpaid on the day of issue; a month with none has no notice, says so and takes no number.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from fundapp.documents.notices import notice_pdf
from fundapp.services import documents
from fundapp.services.errors import UserFacingError, ValidationError
from tests.docs.test_documents import squash, text
from tests.golden import ROOT

D = date(2024, 12, 31)  # the sample book's today
IN_ARREARS, LONG_ARREARS = "HD2024-019", "HD2022-002"  # 26 and 735 days past due on D


@pytest.fixture
def book(sample_ctx, book_url):
    if "postgresql" in book_url:
        pytest.skip("the selection is the service's, whatever the backend")
    return sample_ctx


def _arrears(notices) -> set[str]:
    return {a.loan_no for n in notices for a in n.arrears}


def _listed(notices) -> set[str]:
    return {i.loan_no for n in notices for i in n.items} | _arrears(notices)


def _notices_in_register(book) -> list:
    return [r for r in documents.document_register(book) if r.kind == "notice"]


def test_a_month_before_every_loan_has_no_notice_and_takes_no_number(book, tmp_path):
    """On a day of January 2020, before every loan of the book (whose loans are in arrears on D), January 2020 has
    no notice: said so, no number, no file."""
    assert _arrears(documents.due_notices(book, 2024, 12, on=D)) >= {IN_ARREARS, LONG_ARREARS}  # in arrears on D
    early = dataclasses.replace(book, today=lambda: date(2020, 1, 15))
    assert documents.due_notices(early, 2020, 1) == []
    with pytest.raises(UserFacingError) as refused:
        documents.write_notices(early, 2020, 1, tmp_path / "tb.pdf")
    assert str(refused.value.message) == "Không có khoản nào đến hạn trong tháng 01/2020"
    assert not (tmp_path / "tb.pdf").exists()
    assert _notices_in_register(book) == []


PAST = ("Tháng 11/2024 đã qua: thông báo nợ đến hạn lập cho tháng này (12/2024) đã gồm mọi khoản nợ đến hạn còn chưa "
        "trả đến hôm nay 31/12/2024")


def test_a_month_gone_by_is_refused_before_anything_is_numbered_or_written(book, tmp_path):
    """On D, November's notices would be dated 31/12/2024 and quote December's debt under «tháng 11/2024»: refused
    (field "month"), by the batch, the notices' selection and the loan page's notice alike, no number taken, no file
    written; this month's and the next month's are made, the month before every loan is refused as well."""
    path = tmp_path / "tb.pdf"
    for refused_call in (lambda: documents.write_notices(book, 2024, 11, path),
                         lambda: documents.due_notices(book, 2024, 11, on=D),
                         lambda: documents.issue_document(book, "notice", LONG_ARREARS, D, month=(2024, 11)),
                         lambda: documents.preview_document(book, "notice", IN_ARREARS, D, month=(2024, 11))):
        with pytest.raises(ValidationError) as refused:
            refused_call()
        assert str(refused.value.message) == PAST and refused.value.field == "month"
    with pytest.raises(ValidationError, match="Tháng 01/2020 đã qua"):
        documents.write_notices(book, 2020, 1, path)
    assert not path.exists() and _notices_in_register(book) == []
    assert documents.notice_months(D) == (date(2024, 12, 1), date(2025, 1, 1))
    assert documents.write_notices(book, 2024, 12, path) > 0 and path.exists()  # this month
    assert documents.write_notices(book, 2025, 1, tmp_path / "jan.pdf") > 0  # the next one


def test_this_months_notice_holds_every_debt_due_and_a_past_months_own_day_its_own(book):
    """On D, December's notices hold every loan with debt due and unpaid on D, HD2024-019's fallen due on
    05/12/2024 (26 days past due) as HD2022-002's unpaid since 2022; on 30/11/2024, November's notices hold what
    was due then: HD2022-002, not HD2024-019, which owed nothing yet; no loan of the book is on January 2022's
    notice made on a day of it."""
    oldest = D - timedelta(days=26)
    assert oldest == date(2024, 12, 5)
    december = documents.due_notices(book, 2024, 12, on=D)
    assert {IN_ARREARS, LONG_ARREARS} <= _arrears(december)
    assert _arrears(december) == _arrears(documents.due_notices(book, 2025, 1, on=D))  # the same debt due on D
    november_30 = date(2024, 11, 30)
    november = documents.due_notices(book, 2024, 11, on=november_30)
    assert LONG_ARREARS in _arrears(november) and IN_ARREARS not in _listed(november)
    assert _arrears(november) < _arrears(december)
    for n in november:  # every notice of the month has a reason in the month
        assert n.items or n.arrears
    with pytest.raises(UserFacingError) as refused:  # the loan page's notice: the same selection, said so
        documents.preview_document(book, "notice", IN_ARREARS, november_30, month=(2024, 11))
    assert str(refused.value.message) == (f"Khoản vay {IN_ARREARS} không có kỳ nào đến hạn trong tháng 11/2024 và "
                                          "không có nợ đến hạn từ tháng đó trở về trước còn chưa trả ngày 30/11/2024")
    assert documents.due_notices(book, 2022, 1, on=date(2022, 1, 20)) == []


def test_the_command_line_says_a_month_has_no_notice(book, book_url, tmp_path):
    out = subprocess.run([sys.executable, "-m", "fundapp", "--db", book_url, "notices", "--month", "2020-01",
                          "--pdf", str(tmp_path / "tb.pdf")], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, env={**os.environ, "FUNDAPP_TODAY": "2020-01-15"})
    assert out.returncode == 2, out.stdout
    assert out.stdout == "" and "Không có khoản nào đến hạn trong tháng 01/2020" in out.stderr
    assert not (tmp_path / "tb.pdf").exists()


def _between(t: str, start: str, end: str) -> str:
    """The squashed text of ``t`` from ``start`` up to ``end`` (both squashed), each found once, in this order."""
    start, end = squash(start), squash(end)
    assert t.count(start) == 1 and t.count(end) == 1, (start, end)
    assert t.index(start) < t.index(end), (start, end)
    return t[t.index(start):t.index(end)]


def test_each_line_of_a_notice_says_what_the_rows_it_speaks_of_hold(book):
    """January's notice to HD2024-019's borrower made on D listed January's installment (05/01/2025, not yet due)
    and then «Nợ đã đến hạn chưa trả, phải trả ngày 31/12/2024 (gồm các kỳ trên đã đến hạn):» over an arrears row
    that is December's installment (05/12/2024) and its overdue interest: none of the rows above had fallen due, and
    «Các kỳ trong tháng chưa đến hạn ngày 31/12/2024: 25.014.356 đ.», the sum of those rows, stood under the arrears.
    Now the sum of the rows not yet due stands under the rows, and the arrears line says which rows it holds."""
    rows = "Quỹ hỗ trợ phát triển hợp tác xã thông báo các khoản nợ gốc và lãi đến hạn trong tháng"
    total = "Tổng số tiền phải trả:"
    january = text(documents.preview_document(book, "notice", IN_ARREARS, D, month=(2025, 1)))
    upper = _between(january, rows, "Nợ đã đến hạn chưa trả, phải trả ngày 31/12/2024 (không gồm các kỳ trên):")
    assert squash("HD2024-019 8 05/01/2025") in upper and squash("Các kỳ trên chưa đến hạn ngày 31/12/2024: "
                                                                 "25.014.356 đ.") in upper
    assert squash("gồm các kỳ trên đã đến hạn") not in january and squash("trong tháng chưa đến hạn") not in january
    assert squash(f"{total} 50.167.308 đ") in january  # 25.014.356 + 25.152.952 (December's installment, overdue)

    december = text(documents.preview_document(book, "notice", IN_ARREARS, D, month=(2024, 12)))  # its row is due
    upper = _between(december, rows, "Nợ đã đến hạn chưa trả, phải trả ngày 31/12/2024 (gồm các kỳ trên đã đến hạn):")
    assert squash("HD2024-019 7 05/12/2024") in upper and squash("chưa đến hạn ngày") not in december

    # some rows due, some not: KH0022's on 15/01/2025, HD2023-034's of 09/01 due and unpaid, HD2024-023's of 29/01 not
    later = date(2025, 1, 15)
    (mixed,) = documents.due_notices(dataclasses.replace(book, today=lambda: later), 2025, 1, on=later,
                                     borrower_code="KH0022")
    assert [i.loan_no for i in mixed.items_in_arrears] == ["HD2023-034"] and mixed.not_yet_due == 8_569_863
    t = text(notice_pdf(mixed))
    upper = _between(t, rows, "Nợ đã đến hạn chưa trả, phải trả ngày 15/01/2025 (gồm các kỳ trên đã đến hạn):")
    assert squash("Trong các kỳ trên, chưa đến hạn ngày 15/01/2025: 8.569.863 đ.") in upper
    _between(t, "HD2024-023 2 29/01/2025", "Trong các kỳ trên")
