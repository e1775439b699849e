"""A statement of a loan with nothing payable asks for no payment (an officer's trial of the printed papers).

A settled loan's statement said «Số tiền tất toán khoản vay ngày 31/12/2024 (gồm ): 0 đ» and carried a VietQR
«Số tiền: khách hàng tự nhập»; one not yet disbursed the same and «Không còn kỳ trả nợ nào»; a written-off loan
listed its 2022 installments as the «lịch trả nợ còn lại» and invited a transfer. Now each says why nothing is
payable, with no settlement line, no code and no empty brackets; a running loan keeps them."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

from pypdf import PdfReader


def _bank(ctx) -> None:
    from fundapp.services.settings import load_settings, save_settings

    save_settings(ctx, dataclasses.replace(load_settings(ctx), bank_bin="970405", bank_account="3900201012345",
                                           bank_account_name="QUY HO TRO PHAT TRIEN HTX"))


def _text(ctx, loan_no: str, on: date) -> str:
    from fundapp.services.documents import preview_document

    pdf = preview_document(ctx, "statement", loan_no, on)
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _asks_nothing(text: str) -> None:
    assert "VietQR" not in text and "Nội dung chuyển khoản" not in text
    assert "Số tiền tất toán" not in text and "Số tiền phải trả ngày" not in text
    assert not re.search(r"\(\s*gồm\s*\)", text) and "()" not in text.replace(" ", "")


def test_a_settled_loan_says_so_and_asks_for_nothing(sample_ctx):
    _bank(sample_ctx)
    text = _text(sample_ctx, "HD2024-037", date(2024, 12, 31))
    assert "Khoản vay đã tất toán ngày 27/10/2024" in text
    _asks_nothing(text)


def test_a_loan_not_disbursed_says_so_and_asks_for_nothing(sample_ctx):
    _bank(sample_ctx)
    text = _text(sample_ctx, "HD2024-019", date(2024, 4, 26))
    assert "Khoản vay chưa giải ngân" in text and "Không còn kỳ trả nợ nào" not in text
    _asks_nothing(text)


def test_a_written_off_loan_lists_no_installments_and_asks_for_nothing(sample_ctx):
    from fundapp.services.events import loan_id_of, write_off

    _bank(sample_ctx)
    write_off(sample_ctx, loan_id_of(sample_ctx, "HD2022-002"), date(2024, 12, 20), "QD-01", "Mất khả năng trả nợ")
    text = _text(sample_ctx, "HD2022-002", date(2024, 12, 31))
    assert "Khoản vay đã xử lý rủi ro (xóa nợ bằng dự phòng) ngày 20/12/2024" in text
    assert "Nợ đã xử lý rủi ro còn theo dõi ngoại bảng đến hết ngày 31/12/2024: gốc 320.000.000 đ" in text
    section_iv = text[text.index("IV. LỊCH TRẢ NỢ CÒN LẠI"):text.index("V. SỐ TIỀN PHẢI TRẢ")]
    assert "27/12/2022" not in section_iv  # the schedule as it stood is not "remaining": nothing is due
    _asks_nothing(text)


def test_a_running_loan_keeps_its_settlement_line_and_code(sample_ctx):
    _bank(sample_ctx)
    text = _text(sample_ctx, "HD2024-019", date(2024, 12, 31))
    assert "Số tiền tất toán khoản vay ngày 31/12/2024 (số phải trả trên 25.152.952 đ, cộng" in text
    assert "Chuyển khoản bằng mã VietQR" in text and "Số tiền: 25.152.952 đ" in text


def test_the_settlement_line_prints_no_empty_brackets():
    from reportlab.platypus import Paragraph

    from fundapp.documents.sections import payable_section
    from fundapp.domain.records import Quote

    def plain(q: Quote) -> list[str]:  # an amount in a sentence has a no-break space before «đ»
        return [f.getPlainText().replace("\xa0", " ") for f in payable_section(q) if isinstance(f, Paragraph)]

    lines = plain(Quote(date(2024, 12, 31), 0, 0, 0, 0, 0, 0))
    assert "Số tiền tất toán khoản vay ngày 31/12/2024: 0 đ" in lines, lines
    lines = plain(Quote(date(2024, 12, 31), 0, 0, 0, 0, 100, 7))
    assert "Số tiền tất toán khoản vay ngày 31/12/2024 (gồm gốc chưa đến hạn 100 đ và lãi trong hạn 7 đ): 107 đ" \
        in lines, lines
