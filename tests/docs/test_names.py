"""The fund's capitalised name inside a sentence keeps the province's capitals ("tỉnh Quảng Trị", not
"tỉnh quảng trị" nor "Quỹ Hỗ Trợ Phát Triển …")."""

from __future__ import annotations

import dataclasses
from datetime import date

from fundapp.documents.layout import name_in_sentence
from fundapp.documents.reconciliation import reconciliation_pdf
from tests.docs.factory import FUND, document, loan
from tests.docs.test_documents import text


def test_name_in_sentence():
    assert name_in_sentence("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ") == \
        "Quỹ hỗ trợ phát triển hợp tác xã tỉnh Quảng Trị"
    assert name_in_sentence("QUỸ HỖ TRỢ PHÁT TRIỂN HTX THÀNH PHỐ HÀ NỘI") == "Quỹ hỗ trợ phát triển htx thành phố Hà Nội"
    assert name_in_sentence("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ") == "Quỹ hỗ trợ phát triển hợp tác xã"
    assert name_in_sentence("Quỹ HTX Quảng Trị") == "Quỹ HTX Quảng Trị"
    assert name_in_sentence("") == ""


def test_reconciliation_names_the_fund_as_written():
    fund = dataclasses.replace(FUND, name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ")
    doc = dataclasses.replace(document(loan("HD2022-002"), date(2023, 6, 30)), fund=fund)
    assert "tạiQuỹhỗtrợpháttriểnhợptácxãtỉnhQuảngTrị" in text(reconciliation_pdf(doc))
