"""The notices of debt due of a month are about that month (a new officer's trial, 03/12/2026).

`notices --month 2020-01` on the demo book wrote three numbered notices «Kỳ trả nợ tháng 01/2020» to borrowers of
loans signed 2024–2026: every loan in arrears on the day of issue got an arrears line on every month's notice, so
any month, even one before every loan, had notices. A month's notice lists the month's installments still unpaid
and the debt due and unpaid on the day of issue that had fallen due by the month's end; a month with none has no
notice, says so and takes no number.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from fundapp.services import documents
from fundapp.services.errors import UserFacingError
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


def test_a_month_before_every_loan_has_no_notice_and_takes_no_number(book, tmp_path):
    assert _arrears(documents.due_notices(book, 2024, 12, on=D)) >= {IN_ARREARS, LONG_ARREARS}  # in arrears on D
    assert documents.due_notices(book, 2020, 1, on=D) == []
    with pytest.raises(UserFacingError) as refused:
        documents.write_notices(book, 2020, 1, tmp_path / "tb.pdf")
    assert str(refused.value.message) == "Không có khoản nào đến hạn trong tháng 01/2020"
    assert not (tmp_path / "tb.pdf").exists()
    assert [r for r in documents.document_register(book) if r.kind == "notice"] == []


def test_a_past_months_notice_lists_the_debt_fallen_due_by_its_end(book):
    """On D, HD2024-019 owes what fell due on 05/12/2024 (26 days past due): it is on December's notices, not on
    November's; HD2022-002, unpaid since December 2022, is on both; no loan of the book is on January 2022's."""
    oldest = D - timedelta(days=26)
    assert oldest == date(2024, 12, 5)
    november = documents.due_notices(book, 2024, 11, on=D)
    assert LONG_ARREARS in _arrears(november) and IN_ARREARS not in _listed(november)
    december = documents.due_notices(book, 2024, 12, on=D)
    assert {IN_ARREARS, LONG_ARREARS} <= _arrears(december)
    assert _arrears(november) < _arrears(december)
    for n in november:  # every notice of the month has a reason in the month
        assert n.items or n.arrears
    with pytest.raises(UserFacingError) as refused:  # the loan page's notice: the same selection, said so
        documents.preview_document(book, "notice", IN_ARREARS, D, month=(2024, 11))
    assert str(refused.value.message) == (f"Khoản vay {IN_ARREARS} không có kỳ nào đến hạn trong tháng 11/2024 và "
                                          "không có nợ đến hạn từ tháng đó trở về trước còn chưa trả ngày 31/12/2024")


def test_the_command_line_says_a_month_has_no_notice(book, book_url, tmp_path):
    out = subprocess.run([sys.executable, "-m", "fundapp", "--db", book_url, "notices", "--month", "2020-01",
                          "--pdf", str(tmp_path / "tb.pdf")], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, env={**os.environ, "FUNDAPP_TODAY": D.isoformat()})
    assert out.returncode == 2, out.stdout
    assert out.stdout == "" and "Không có khoản nào đến hạn trong tháng 01/2020" in out.stderr
    assert not (tmp_path / "tb.pdf").exists()
